"""The written standard follows the user: the switch stores it on the profile, login brings it to a
new browser, and a signed-in browser without the cookie gets the profile's choice."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.models import Profil, Rolle
from tests.factories import kommune, profil_user

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture
def halden(password):
    return profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], username="halden", password=password)


def sprak(user):
    return Profil.objects.get(user=user).sprak


def lang_of(client, path="/oversikt/"):
    html = client.get(path).content.decode()
    return html.split('<html lang="', 1)[1][:2]


def test_bokmaal_is_the_profile_default(halden):
    assert sprak(halden) == "nb"


@pytest.mark.parametrize("next_url", ["/oversikt/", "/profil/"])
def test_the_switch_stores_the_choice_on_the_profile(client, halden, next_url):
    client.force_login(halden)
    response = client.post(reverse("set_language"), {"language": "nn", "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    assert response.cookies[COOKIE].value == "nn"
    assert sprak(halden) == "nn"
    client.post(reverse("set_language"), {"language": "nb", "next": next_url})
    assert sprak(halden) == "nb"


def test_a_language_outside_the_two_standards_is_not_stored(client, halden):
    client.force_login(halden)
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert sprak(halden) == "nb"


def test_login_in_a_fresh_browser_brings_the_profiles_choice(client, halden, password):
    client.force_login(halden)
    client.post(reverse("set_language"), {"language": "nn", "next": "/"})
    # Another browser, which was last used in Bokmål.
    other = Client()
    other.cookies[COOKIE] = "nb"
    assert lang_of(other, reverse("login")) == "nb"
    response = other.post(reverse("login"), {"username": "halden", "password": password})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "nn"
    html = other.get("/oversikt/").content.decode()
    assert '<html lang="nn"' in html and "Oversyn" in html and "Kommunar" in html


def test_a_choice_made_on_the_login_page_is_kept_and_stored(client, halden, password):
    client.post(reverse("set_language"), {"language": "nn", "next": reverse("login")})
    assert sprak(halden) == "nb"  # nobody is signed in yet
    response = client.post(reverse("login"), {"username": "halden", "password": password})
    assert response.cookies[COOKIE].value == "nn"
    assert sprak(halden) == "nn"
    assert lang_of(client) == "nn"


def test_a_signed_in_browser_without_the_cookie_gets_the_profiles_choice(client, halden):
    Profil.objects.filter(user=halden).update(sprak="nn")
    client.force_login(halden)  # a session but no language cookie
    response = client.get("/oversikt/")
    assert '<html lang="nn"' in response.content.decode()
    assert response.cookies[COOKIE].value == "nn"
    # The cookie then decides, as for everyone: switching back works on the next page.
    client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    assert lang_of(client) == "nb" and sprak(halden) == "nb"


def test_the_profile_page_says_where_the_choice_is_kept(client, halden):
    client.force_login(halden)
    client.cookies[COOKIE] = "nn"
    html = client.get("/profil/").content.decode()
    assert "Valet blir lagra på profilen din" in html


def _header(response, fmt):
    import csv
    import io

    import openpyxl

    if fmt == "csv":
        return next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [c.value for c in openpyxl.load_workbook(io.BytesIO(response.content)).active[1]]


# (list, formats, Bokmål headers, Nynorsk headers): the words differ between the two standards.
LISTS = [
    ("/oversikt/?aar=2025", ("csv", "xlsx"), ["Anmodning", "Bosatt", "Anmodet, ikke vedtatt", "Vedtatt, ikke bosatt"],
     ["Oppmoding", "Busett", "Oppmoda, ikkje vedteke", "Vedteke, ikkje busett"]),
    ("/oppfolging/?", ("csv", "xlsx"), ["Hva", "Ansvarlig", "Fra dialog"], ["Kva", "Ansvarleg", "Frå dialog"]),
    ("/historikk/?", ("csv",), ["Endret av", "Gjelder"], ["Endra av", "Gjeld"]),
]
EXPORTS = [(path, fmt, nb, nn) for path, fmts, nb, nn in LISTS for fmt in fmts]


@pytest.mark.parametrize("path, fmt, bokmaal, nynorsk", EXPORTS)
@pytest.mark.parametrize("maalform", ["nb", "nn"])
def test_list_exports_have_headers_in_the_users_written_standard(client, path, fmt, bokmaal, nynorsk, maalform):
    user = profil_user(Rolle.KS)
    Profil.objects.filter(user=user).update(sprak=maalform)
    client.force_login(user)  # no language cookie: the profile decides
    response = client.get(f"{path}&_export={fmt}")
    assert response.status_code == 200
    header = _header(response, fmt)
    want, other = (nynorsk, bokmaal) if maalform == "nn" else (bokmaal, nynorsk)
    assert set(want) <= set(header), header
    assert not set(other) & set(header), header
