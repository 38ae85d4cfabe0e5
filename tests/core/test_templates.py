"""Django's {# … #} comment ends at the line's end: one spread over two lines is shown to the user."""

import re
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


def test_500_page_is_norwegian_and_needs_no_database():
    """Django renders 500.html without a request context; it must not need the database (which may
    be what failed) and speaks Bokmål and Nynorsk."""
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Noe gikk galt" in html and "Noko gjekk gale" in html and 'lang="nb"' in html
    tags = re.findall(r"{%\s*(\w+)", (TEMPLATES / "500.html").read_text(encoding="utf-8"))
    assert set(tags) <= {"load", "static"}  # nothing that reads the database or the request


def test_an_error_in_a_view_shows_the_500_page(client, settings, admin_user):
    settings.ROOT_URLCONF = "tests.core.urls_500"
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(admin_user)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Noe gikk galt" in response.content.decode() and "Server Error" not in response.content.decode()
