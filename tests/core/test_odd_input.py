"""Odd input gets a 400/404 or a Norwegian message, never a 500 and never Python's own text."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Rolle
from tests.factories import OppfolgingspunktFactory, kommune, profil_user

pytestmark = pytest.mark.django_db
PYTHON_TEXT = ("invalid literal", "Traceback", "ValueError", "NoReverseMatch", "UnicodeDecodeError")
LISTS = ["oppfolging:punkt_list", "kommuner:kommune_list", "rapporter:endring_list", "rapporter:oversikt"]


@pytest.fixture(params=["admin", "kommune"])
def user(request, admin_user):
    if request.param == "admin":
        return admin_user
    return profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")])


@pytest.fixture
def c(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def assert_no_python(response):
    assert response.status_code < 500, response.status_code
    body = response.content.decode("utf-8", "replace")
    assert not any(t in body for t in PYTHON_TEXT), body[:500]


@pytest.mark.parametrize("per_page", ["-1", "0", "99999999999999999999", "abc", "²"])
def test_per_page_out_of_range_on_the_lists(c, per_page):
    OppfolgingspunktFactory(kommune=kommune("3101"))
    for name in LISTS:
        response = c.get(reverse(name), {"per_page": per_page, "page": "-3"})
        assert_no_python(response)
        table = response.context["table"] if response.status_code == 200 else None
        if table is not None and hasattr(table, "paginator"):
            assert 1 <= table.paginator.per_page <= 200


@pytest.mark.parametrize("path", ["/kommuner/03%0001/", "/kommuner/3101/historikk/%00", "/%00/", "/oppfolging/%00/"])
def test_nul_in_the_path_is_400(c, path):
    response = c.get(path)
    assert response.status_code == 400
    assert_no_python(response)


@pytest.mark.parametrize("velg", ["²", "abc", "-1", "99999999999999999999999"])
def test_bulk_done_with_bad_ids_gives_a_norwegian_message(c, velg):
    response = c.post(reverse("oppfolging:punkt_bulk_done"), {"velg": velg}, follow=True)
    assert_no_python(response)
    texts = [str(m) for m in response.context["messages"]]
    assert any("punkt" in t.lower() for t in texts), texts


@pytest.mark.parametrize("nxt", ["abc", "http://evil.example/", "javascript:alert(1)", "//evil.example"])
def test_bulk_done_with_a_bad_next_goes_to_the_list(c, nxt):
    response = c.post(reverse("oppfolging:punkt_bulk_done"), {"next": nxt})
    assert response.status_code == 302
    assert response["Location"] == reverse("oppfolging:punkt_list")


def test_login_with_a_username_over_255_characters_gives_a_form_error(admin_user):
    client = Client(raise_request_exception=False)
    response = client.post(reverse("login"), {"username": "x" * 300, "password": "feil"})
    assert_no_python(response)
    assert response.status_code in (200, 400)
    form = response.context["form"]
    assert form.errors


def test_login_with_a_username_over_255_characters_as_a_kommune_user():
    profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], username="halden")
    client = Client(raise_request_exception=False)
    response = client.post(reverse("login"), {"username": "halden" + "x" * 300, "password": "Demo-passord-2026!"})
    assert_no_python(response)
    assert response.context["form"].errors


def test_a_form_post_in_iso_8859_1_is_no_500(c):
    body = "kommuner=3101&type=telefon&dato=2026-11-01&sammendrag=R\xe6dmann+p\xe5+m\xf8te".encode("iso-8859-1")
    response = c.generic("POST", reverse("oppfolging:dialog_add"), body,
                         content_type="application/x-www-form-urlencoded; charset=iso-8859-1")
    assert_no_python(response)
    response = c.generic("POST", reverse("oppfolging:punkt_bulk_done"), "velg=\xe6\xf8".encode("iso-8859-1"),
                         content_type="application/x-www-form-urlencoded; charset=iso-8859-1")
    assert_no_python(response)
    # Bytes that are not UTF-8 under a UTF-8 (default) content type
    response = c.generic("POST", reverse("oppfolging:dialog_add"), b"sammendrag=\xe6\xf8",
                         content_type="application/x-www-form-urlencoded")
    assert_no_python(response)


def test_long_export_with_odd_years(c):
    response = c.get(reverse("imports:export_long"), {"aar": ["²", "99999999999999999999", "-1"]})
    assert_no_python(response)


# --- Found by the fuzz suite (tests/test_fuzz_routes.py) ------------------------------------------


def test_a_form_post_in_iso_8859_1_with_the_csrf_check_is_the_norwegian_400(user):
    """Django refuses a form body that is not UTF-8 (BadRequest); its own 400 handler then ran the CSRF
    check, which read the body again and failed: a 500. The test client skips the CSRF check unless
    asked, so the test above never saw it; a browser always gets it."""
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies["csrftoken"] = "a" * 32
    body = "sammendrag=R\xe6dmann+p\xe5+m\xf8te".encode("iso-8859-1")
    response = client.generic("POST", reverse("oppfolging:dialog_add"), body, HTTP_X_CSRFTOKEN="a" * 32,
                              content_type="application/x-www-form-urlencoded; charset=iso-8859-1")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ugyldig forespørsel" in html and "Ugyldig førespurnad" in html
    assert_no_python(response)


@pytest.mark.parametrize("view", ["config", "qrcode"])
def test_the_totp_admin_for_a_device_that_does_not_exist_is_404(admin_user, view):
    """django-otp's admin pages for an authenticator app looked the device up with .get(): a 500."""
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    response = client.get(reverse(f"admin:otp_totp_totpdevice_{view}", args=[999999]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["admin:auth_user_export", "admin:oppfolging_regelinnstilling_export"])
def test_an_admin_export_with_a_filter_that_names_no_field_is_400(admin_user, name):
    """django-import-export's export applies the address's changelist filters; one naming no field
    (here the export form's own field in the query string) raised IncorrectLookupParameters: a 500.
    Never an export of every row in its place either."""
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    response = client.get(reverse(name), {"format": "0", "finnes_ikke": "1"})
    assert response.status_code == 400
    assert "Ugyldig forespørsel" in response.content.decode()
    # A real filter still exports (the form page).
    assert client.get(reverse(name)).status_code == 200
