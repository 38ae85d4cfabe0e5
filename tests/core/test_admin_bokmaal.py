"""The admin in Bokmål (issue 15): the index and every change list name apps and models in
Norwegian, the third-party apps' too; the user page says first who the user is and may see."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from core.models import Rolle
from kommuner.models import Statsforvalter
from tests.factories import kommune, profil_user

pytestmark = pytest.mark.django_db

# The English names Django and the third-party apps give their apps and models.
ENGLISH = [
    "Periodic tasks", "Periodic task", "Intervals", "Crontabs", "Solar events", "Clocked", "Clocked time",
    "Access attempts", "Access failures", "Access logs", "Access attempt", "Access log",
    "Authentication and Authorization", "Users", "Groups", "TOTP devices", "TOTP device", "TOTP Auth",
    "Django OTP", "Axes", "Export", "Site administration", "Change password", "Log out",
    "View site", "Recent actions", "Add ", "Change ", "Select user to change",
]


def _visible(html):
    """The page's text a reader sees (tags, scripts and styles removed)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def nb_admin(admin_client):
    admin_client.cookies["django_language"] = "nb"
    return admin_client


def _english_in(text):
    return [w for w in ENGLISH if re.search(r"(?<![\w-])" + re.escape(w.strip()) + r"(?![\w-])", text)]


def test_admin_index_is_in_bokmaal(nb_admin):
    text = _visible(nb_admin.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="nb").content.decode())
    assert "Periodiske oppgaver" in text and "Brukere" in text and "Grupper" in text
    assert "Innloggingsvern" in text and "TOTP-enheter" in text and "Hopp til hovedinnhold" in text
    assert _english_in(text) == []


def test_every_change_list_is_in_bokmaal(nb_admin):
    seen = 0
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        resp = nb_admin.get(url, HTTP_ACCEPT_LANGUAGE="nb")
        assert resp.status_code == 200, url
        assert _english_in(_visible(resp.content.decode())) == [], url
        seen += 1
    assert seen >= 15


def test_app_and_model_names_in_bokmaal():
    with translation.override("nb"):
        names = {str(m._meta.verbose_name_plural) for m in admin.site._registry}
        apps = {str(m._meta.app_config.verbose_name) for m in admin.site._registry}
    english = {w.strip().lower() for w in ENGLISH}
    assert not {n.lower() for n in names | apps} & english, {n for n in names | apps if n.lower() in english}
    assert {"periodiske oppgaver", "innloggingsforsøk", "TOTP-enheter", "brukere", "grupper"} <= names
    assert {"Planlagte oppgaver", "Innloggingsvern", "Tofaktorinnlogging", "Autentisering og autorisasjon"} <= apps


def test_user_page_starts_with_role_and_scope_in_words(nb_admin):
    halden = kommune("3101")
    user = profil_user(Rolle.KOMMUNE, kommuner=[halden, kommune("3103")], username="kari")
    html = nb_admin.get(reverse("admin:auth_user_change", args=[user.pk]), HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    form = html.split('id="user_form"', 1)[1]
    first = form.split("</fieldset>", 1)[0]
    assert "Rolle og tilgang" in first
    text = _visible(first)
    assert "Kommune: Halden, Moss" in text and "Østfold" in text
    assert form.index("Rolle og tilgang") < form.index('name="username"')

    office = Statsforvalter.objects.get(fylker__nummer="31")
    sf = profil_user(Rolle.STATSFORVALTER, statsforvalter=office, username="sf")
    text = _visible(nb_admin.get(reverse("admin:auth_user_change", args=[sf.pk])).content.decode()
                    .split('id="user_form"', 1)[1].split("</fieldset>", 1)[0])
    assert office.kortnavn in text and "Østfold" in text and "Akershus" in text

    ks = profil_user(Rolle.KS, username="ks")
    text = _visible(nb_admin.get(reverse("admin:auth_user_change", args=[ks.pk])).content.decode()
                    .split('id="user_form"', 1)[1].split("</fieldset>", 1)[0])
    assert "KS" in text and "alle kommuner" in text
