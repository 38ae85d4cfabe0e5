"""Defect 10 (issue 16): a create form submitted twice with the same one-time token writes once."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import Rolle
from oppfolging.models import Dialog
from tests.factories import kommune, profil_user
from vedtak.models import Vedtak
from vedtak.services import anmodning_register

pytestmark = pytest.mark.django_db


def token(response):
    return re.search(r'name="skjemanokkel" value="([^"]+)"', response.text).group(1)


def test_vedtak_posted_twice_with_the_same_token_is_saved_once(client):
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune()]))
    anmodning_register(kommune=kommune(), aar=2025, antall=30)
    url = "/kommuner/3101/vedtak/ny/"
    data = {"aar": 2025, "antall": 20, "dato": "2025-03-01", "organ": "kommunestyre",
            "skjemanokkel": token(client.get(url))}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Vedtak.objects.filter(kommune=kommune(), aar=2025).count() == 1
    assert "Skjemaet var allerede sendt inn." in [str(m) for m in get_messages(second.wsgi_request)]


def test_a_refused_form_keeps_its_token_for_the_corrected_post(client):
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune()]))
    url = "/kommuner/3101/vedtak/ny/"
    t = token(client.get(url))
    refused = client.post(url, {"aar": 2025, "antall": "", "organ": "kommunestyre", "skjemanokkel": t})
    assert refused.status_code == 200 and token(refused) == t
    ok = client.post(url, {"aar": 2025, "antall": 20, "dato": "2025-03-01", "organ": "kommunestyre",
                           "skjemanokkel": t})
    assert ok.status_code == 302 and Vedtak.objects.count() == 1


def test_dialog_posted_twice_with_the_same_token_is_saved_once(client):
    k = kommune()
    sf = profil_user(Rolle.STATSFORVALTER, statsforvalter=k.fylke.statsforvalter)
    client.force_login(sf)
    url = reverse("oppfolging:dialog_add")
    data = {"kommuner": [k.pk], "dato": datetime.date.today().isoformat(), "type": "moete",
            "sammendrag": "Gjennomgang.", "punkt-TOTAL_FORMS": 0, "punkt-INITIAL_FORMS": 0,
            "skjemanokkel": token(client.get(url))}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == Dialog.objects.get().get_absolute_url()


def test_a_post_without_token_is_handled_as_a_fresh_form(client):
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune()]))
    data = {"aar": 2025, "antall": 20, "dato": "2025-03-01", "organ": "kommunestyre"}
    assert client.post("/kommuner/3101/vedtak/ny/", data).status_code == 302
    assert Vedtak.objects.count() == 1
