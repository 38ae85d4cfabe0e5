"""The written standard reaches the pages: the switch stores the choice, and key pages render in Nynorsk."""

import pytest
from django.conf import settings
from django.urls import reverse

from core.models import Rolle
from tests.factories import kommune, profil_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def halden(client, password):
    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], username="halden", password=password)
    client.force_login(user)
    return user


def test_bokmaal_is_the_default(client, halden):
    html = client.get("/oversikt/").content.decode()
    assert '<html lang="nb"' in html
    assert "Oversikt" in html and "Oversyn" not in html


def test_the_switch_stores_nynorsk_in_the_cookie_and_the_pages_follow(client, halden):
    response = client.post(reverse("set_language"), {"language": "nn", "next": "/oversikt/"})
    assert response.status_code == 302 and response["Location"] == "/oversikt/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nn"
    html = client.get("/oversikt/").content.decode()
    assert '<html lang="nn"' in html
    assert "Oversyn" in html and "Kommunar" in html and "Logg ut" in html
    assert 'aria-pressed="true">Norsk nynorsk' in html


def test_a_language_outside_the_two_standards_falls_back_to_bokmaal(client, halden):
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert '<html lang="nb"' in client.get("/oversikt/").content.decode()


@pytest.mark.parametrize("path, nynorsk", [
    ("/", "Busetting"),
    ("/oversikt/", "Oversyn over busetting"),
    ("/kommuner/", "Kommunar"),
    ("/kommuner/3101/", "Halden"),
    ("/oppfolging/", "Oppfølgingspunkt"),
    ("/profil/", "Målform"),
    ("/tilgjengelighet/", "Tilgjengelegheitserklæring"),
    ("/kommuner/3101/vedtak/ny/", "Vedtaksdato"),
])
def test_key_pages_in_nynorsk(client, halden, path, nynorsk):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    assert '<html lang="nn"' in html
    assert nynorsk in html
    # Bokmål-only words that the Nynorsk catalogue replaces must not leak through.
    for bokmaal in ("Hopp til hovedinnhold", "Innlogget som", ">Oversikt<", " ikke "):
        assert bokmaal not in html, (path, bokmaal)


def test_login_page_offers_the_switch_without_login(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    html = client.get(reverse("login")).content.decode()
    assert "Brukarnamn" in html and 'name="language"' in html


def test_accessibility_statement_lists_every_wcag_21_a_and_aa_criterion(client):
    from core.tilgjengelighet import KRITERIER

    html = client.get("/tilgjengelighet/").content.decode()
    numbers = [k[0] for k in KRITERIER]
    assert len(numbers) == len(set(numbers)) == 50
    assert {k[1] for k in KRITERIER} == {"A", "AA"}
    for n in numbers:
        assert f'<th scope="row">{n}</th>' in html
    assert "mailto:" in html
