"""Django's {# … #} comment ends at the line's end: one spread over two lines is shown to the user."""

import re
from pathlib import Path

import pytest

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


def test_400_page_is_norwegian_and_needs_no_database():
    """Rendered without the request (core.views.bad_request): a bad request may be too broken for it."""
    from django.template.loader import render_to_string

    html = render_to_string("400.html")
    assert "Ugyldig forespørsel" in html and "Ugyldig førespurnad" in html and 'lang="nb"' in html
    assert 'lang="nn"' in html and "designsystemet.css" in html
    tags = re.findall(r"{%\s*(\w+)", (TEMPLATES / "400.html").read_text(encoding="utf-8"))
    assert set(tags) <= {"load", "static"}


@pytest.mark.parametrize("path", ["/kommuner/%00/", "/?aar=%00"])
def test_a_bad_request_shows_the_styled_norwegian_400_page(client, settings, admin_user, path):
    """NulBytesMiddleware raises SuspiciousOperation: Django's handler400 answers with our page."""
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(admin_user)
    response = client.get(path)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ugyldig forespørsel" in html and "Til forsiden" in html and "Bad Request" not in html


def test_a_suspicious_operation_in_a_view_shows_the_400_page(client, settings, admin_user):
    settings.ROOT_URLCONF = "tests.core.urls_500"
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(admin_user)
    response = client.get("/mistenkelig/")
    assert response.status_code == 400
    assert "Ugyldig forespørsel" in response.content.decode()


@pytest.mark.parametrize("status, heading", [(403, "Ingen tilgang"), (404, "Fant ikke siden")])
def test_403_and_404_pages_are_styled_in_both_written_standards(client, settings, admin_user, status, heading):
    """403 and 404 have the request: the site's own layout, in the user's written standard."""
    from core.models import Profil, Rolle

    settings.ROOT_URLCONF = "tests.core.urls_500"
    settings.DEBUG = False
    client.raise_request_exception = False
    user = admin_user
    Profil.objects.create(user=user, rolle=Rolle.ADMINISTRATOR)
    client.force_login(user)
    response = client.get(f"/status/{status}/")
    assert response.status_code == status
    html = response.content.decode()
    assert heading in html and "designsystemet" in html and 'lang="nb"' in html
    client.post("/i18n/setlang/", {"language": "nn", "next": "/"})
    html = client.get(f"/status/{status}/").content.decode()
    assert {403: "Du har ikkje tilgang til å gjere dette", 404: "Fann ikkje sida"}[status] in html
    assert 'lang="nn"' in html


def test_an_error_in_a_view_shows_the_500_page(client, settings, admin_user):
    settings.ROOT_URLCONF = "tests.core.urls_500"
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(admin_user)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Noe gikk galt" in response.content.decode() and "Server Error" not in response.content.decode()
