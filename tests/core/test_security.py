"""Login security: lockout, session expiry, CSRF for htmx, Content-Security-Policy."""

import datetime
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Rolle
from tests.factories import profil_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
LOGIN = reverse("login")


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_sixth_attempt_after_five_wrong_passwords_is_locked_out_even_with_right_password(client, user, password):
    for _ in range(4):
        response = attempt(client, user.username, "feil-passord")
        assert response.status_code == 200 and "korrekt brukernavn og passord" in response.content.decode()
    response = attempt(client, user.username, "feil-passord")  # the 5th failure locks
    assert response.status_code == 429
    response = attempt(client, user.username, password)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Innlogging midlertidig sperret" in body and '<html lang="nb"' in body
    assert "_auth_user_id" not in client.session
    # Per user and IP address: the same user from another address may still sign in.
    response = attempt(client, user.username, password, ip="10.0.0.2")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


def test_lockout_is_per_username_and_ip(client, user, password):
    from tests.factories import UserFactory

    other = UserFactory(password=password)
    for _ in range(5):
        attempt(client, user.username, "feil-passord")
    assert attempt(client, other.username, password).status_code == 302


def test_failures_below_the_limit_are_reset_by_a_success(client, user, password):
    for _ in range(4):
        attempt(client, user.username, "feil-passord")
    assert attempt(client, user.username, password).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        attempt(client, user.username, "feil-passord")
    assert attempt(client, user.username, password).status_code == 302


def test_admin_login_is_protected_by_the_same_lockout(client, admin_user, password):
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": admin_user.username, "password": "feil"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(url, {"username": admin_user.username, "password": password}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429


def test_weak_password_is_refused(client, user, password):
    client.force_login(user)
    response = client.post(reverse("core:password_change"),
                           {"old_password": password, "new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "minst 12 tegn" in body or "for kort" in body
    user.refresh_from_db()
    assert user.check_password(password)


def test_session_expires_after_inactivity_and_activity_extends_it(client, user):
    assert settings.SESSION_COOKIE_AGE <= 3600 and settings.SESSION_REFRESH_SECONDS <= 300
    client.force_login(user)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(seconds=30))
    # A request within the refresh interval (login started it) does not write the session ...
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(seconds=30))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/profil/").status_code == 200
    assert not [q for q in ctx.captured_queries if "UPDATE" in q["sql"] and "django_session" in q["sql"]]
    # ... one after it does, and restarts the inactivity clock.
    session = client.session
    session["_fornyet"] = int(time.time()) - settings.SESSION_REFRESH_SECONDS - 1
    session.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(seconds=30))
    assert client.get("/").status_code == 200
    remaining = Session.objects.get(pk=key).expire_date - timezone.now()
    assert remaining > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)  # activity extended it
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_every_page_sends_a_strict_content_security_policy(client, admin_user):
    for url in (LOGIN, "/helse/"):
        policy = client.get(url).headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "style-src 'self'" in policy and "img-src 'self' data:" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    client.force_login(admin_user)
    assert "Content-Security-Policy" in client.get(reverse("admin:index")).headers


def test_htmx_requests_carry_the_csrf_token_and_htmx_runs_without_eval(client, user):
    client.force_login(user)
    body = client.get("/").content.decode()
    match = re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'>", body)
    assert match and len(match.group(1)) >= 32
    assert '"includeIndicatorStyles": false' in body and '"allowEval": false' in body


def test_htmx_post_without_the_token_is_refused(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("logout"), HTTP_HX_REQUEST="true").status_code == 403
    page = client.get("/").content.decode()
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    assert client.post(reverse("logout"), HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token).status_code == 302


def template_files():
    dirs = [ROOT / "templates", *ROOT.glob("*/templates")]
    return [p for d in dirs for p in d.rglob("*.html") if ".venv" not in p.parts and "node_modules" not in p.parts]


def test_no_template_has_inline_script_style_or_event_handlers():
    files = template_files()
    assert len(files) >= 5
    offenders = []
    for path in files:
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if not re.search(r"\bsrc=", tag):
                offenders.append(f"{path.relative_to(ROOT)}: inline <script>")
        if re.search(r"<style\b", text):
            offenders.append(f"{path.relative_to(ROOT)}: <style>")
        if re.search(r"\sstyle=\"", text):
            offenders.append(f"{path.relative_to(ROOT)}: style=\"\"")
        if re.search(r"\son[a-z]+=\"|\shx-on[:-]", text):
            offenders.append(f"{path.relative_to(ROOT)}: inline event handler")
    assert offenders == []


def test_header_shows_role_and_scope(client):
    from tests.factories import kommune

    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")])
    client.force_login(user)
    assert "(Kommune: Halden)" in client.get("/").content.decode()
    profile = client.get(reverse("profil")).content.decode()
    assert "3101 Halden" in profile and "Kommune" in profile
