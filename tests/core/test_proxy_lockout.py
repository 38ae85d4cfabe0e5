"""Login lockout behind a reverse proxy (issue 16, defect 5): the client address comes from
X-Forwarded-For only with BEHIND_PROXY, lockout is per username and address, and one address
spraying many usernames is refused for all of them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory, override_settings
from django.urls import reverse

from core.security import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
LOGIN = reverse("login")
PROXY = "127.0.0.1"  # every request reaches Django from the proxy
behind_proxy = override_settings(BEHIND_PROXY=True, PROXY_COUNT=1)


def attempt(client, username, password, forwarded=None):
    extra = {"REMOTE_ADDR": PROXY}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


@behind_proxy
def test_lockout_behind_the_proxy_is_per_forwarded_client(client, user, password):
    for _ in range(4):
        assert attempt(client, user.username, "feil-passord", "203.0.113.5").status_code == 200
    assert attempt(client, user.username, "feil-passord", "203.0.113.5").status_code == 429
    locked = attempt(client, user.username, password, "203.0.113.5")
    assert locked.status_code == 429
    assert "for mange mislykkede innloggingsforsøk for denne brukeren" in locked.content.decode()
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    # The same username from another client behind the same proxy still signs in.
    ok = attempt(client, user.username, password, "198.51.100.7")
    assert ok.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


@behind_proxy
def test_spraying_usernames_from_one_address_is_refused_after_the_limit(client, user, password, settings):
    assert settings.LOGIN_SPRAY_LIMIT == 10
    statuses = [attempt(client, f"finnes-ikke-{n}", "Sommer2026!", "203.0.113.5").status_code
                for n in range(12)]
    assert statuses == [200] * 10 + [429] * 2
    refused = attempt(client, user.username, password, "203.0.113.5")
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    body = refused.content.decode()
    assert "mange ulike brukernavn fra denne adressen" in body
    # Another address is not affected, nor is the sprayed username locked for everyone.
    assert attempt(client, user.username, password, "198.51.100.7").status_code == 302


@behind_proxy
def test_a_client_cannot_choose_its_address_by_prepending_to_the_header(client, user, password):
    """The proxy appends the peer it saw: entries to its left are the client's own say."""
    for n in range(5):
        attempt(client, user.username, "feil-passord", f"10.9.9.{n}, 203.0.113.5")
    assert attempt(client, user.username, password, "10.0.0.1, 203.0.113.5").status_code == 429
    assert attempt(client, user.username, password, "198.51.100.7").status_code == 302


def test_without_behind_proxy_a_forged_forwarded_for_is_ignored(client, user, password, settings):
    assert not settings.BEHIND_PROXY
    for n in range(5):
        attempt(client, user.username, "feil-passord", f"203.0.113.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}
    assert attempt(client, user.username, password, "198.51.100.7").status_code == 429


def test_spray_limit_also_applies_without_a_proxy(client, password):
    real = UserFactory(password=password)
    for n in range(10):
        client.post(LOGIN, {"username": f"ukjent-{n}", "password": "x"}, REMOTE_ADDR="10.1.1.1")
    assert client.post(LOGIN, {"username": real.username, "password": password},
                       REMOTE_ADDR="10.1.1.1").status_code == 429
    assert client.post(LOGIN, {"username": real.username, "password": password},
                       REMOTE_ADDR="10.1.1.2").status_code == 302


@pytest.mark.parametrize(("forwarded", "count", "expected"), [
    (None, 1, PROXY),
    ("203.0.113.5", 1, "203.0.113.5"),
    ("6.6.6.6, 203.0.113.5", 1, "203.0.113.5"),
    ("6.6.6.6, 203.0.113.5, 10.0.0.2", 2, "203.0.113.5"),
    ("203.0.113.5", 2, PROXY),
    ("ikke-en-adresse", 1, PROXY),
    ("2001:db8::1", 1, "2001:db8::1"),
])
def test_client_ip_behind_proxy(forwarded, count, expected):
    meta = {"REMOTE_ADDR": PROXY}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    with override_settings(BEHIND_PROXY=True, PROXY_COUNT=count):
        assert client_ip(request) == expected
    assert client_ip(request) == PROXY


def test_settings_read_behind_proxy_and_proxy_count_from_the_environment():
    env = {**os.environ, "BEHIND_PROXY": "1", "PROXY_COUNT": "2", "DJANGO_SETTINGS_MODULE": "config.settings"}
    code = ("from django.conf import settings as s; "
            "print(s.BEHIND_PROXY, s.PROXY_COUNT, s.AXES_CLIENT_IP_CALLABLE, s.AXES_HANDLER, "
            "s.AXES_LOCKOUT_PARAMETERS, s.SECURE_PROXY_SSL_HEADER)")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ("True 2 core.security.client_ip core.security.LoginSprayHandler "
                   "[['username', 'ip_address']] ('HTTP_X_FORWARDED_PROTO', 'https')")


def test_spray_lockout_page_in_nynorsk(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    for n in range(10):
        client.post(LOGIN, {"username": f"ukjent-{n}", "password": "x"}, REMOTE_ADDR="10.1.1.3")
    refused = client.post(LOGIN, {"username": "ukjent-x", "password": "x"}, REMOTE_ADDR="10.1.1.3")
    assert refused.status_code == 429
    assert "mange ulike brukarnamn frå denne adressa" in refused.content.decode()
