"""Django's {# … #} comment ends at the line's end: one spread over two lines is shown to the user."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_no_comment_spans_lines():
    broken = [f"{path.relative_to(TEMPLATES)}:{n}"
              for path in TEMPLATES.rglob("*.html")
              for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if line.count("{#") > line.count("#}")]
    assert broken == []
