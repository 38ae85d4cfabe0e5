"""Django's {# … #} comment ends at the line's end: one spread over two lines is shown to the user."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_no_comment_spans_lines():
    broken = [f"{path.relative_to(TEMPLATES)}:{n}"
              for path in TEMPLATES.rglob("*.html")
              for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if line.count("{#") > line.count("#}")]
    assert broken == []


def test_fragments_are_cached_through_the_figures_cache():
    """Templates cache through `{% tallbuffer %}` (core.tallcache: one key function, one timeout),
    never with Django's `{% cache <seconds> … %}` and a timeout of their own."""
    offenders = [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")
                 if "{% cache " in p.read_text(encoding="utf-8")]
    assert offenders == []
    assert any("{% tallbuffer " in p.read_text(encoding="utf-8") for p in TEMPLATES.rglob("*.html"))
