"""The administrators' second factor (TOTP), when ADMIN_TOTP_REQUIRED is on."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import Endring, Rolle
from tests.factories import profil_user

pytestmark = pytest.mark.django_db
TOTP = reverse("core:totp")


def code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def required(settings):
    settings.ADMIN_TOTP_REQUIRED = True


def test_administrator_must_register_an_app_before_anything_opens(client, admin_user, required):
    client.force_login(admin_user)
    for url in ("/", reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(TOTP)
    page = client.get(TOTP, {"next": "/admin/"})
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and "Skann QR-koden" in body
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    response = client.post(TOTP, {"kode": "000000" if code(device) != "000000" else "111111", "next": "/admin/"})
    assert response.status_code == 200 and "Koden stemmer ikke" in response.content.decode()
    # A wrong code throttles the next try (django-otp, growing delay); time passes.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()
    response = client.post(TOTP, {"kode": code(device), "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert Endring.objects.for_object(admin_user).filter(handling="bruker.totp_registrert").exists()


def test_next_sign_in_asks_for_the_code_without_a_new_qr(client, admin_user, required):
    device = TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)
    client.force_login(admin_user)
    body = client.get(TOTP).content.decode()
    assert "Skriv inn koden" in body and "<svg" not in body
    assert client.post(TOTP, {"kode": code(device), "next": "https://evil.example/"}).url == "/"


def test_other_roles_are_not_asked(client, required):
    client.force_login(profil_user(Rolle.KS))
    assert client.get("/").status_code == 200


def test_off_by_default(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200
