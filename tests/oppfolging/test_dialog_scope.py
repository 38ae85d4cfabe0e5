"""Issue 16, defect 8 (a): a dialogue with several kommuner shows a user of one of them only the
follow-ups (and kommune links) they may see."""

import datetime

import pytest
from django.urls import reverse

from core.models import Rolle
from oppfolging.models import Dialog
from tests.factories import kommune, profil_user

from .helpers import punkt, sf_user

pytestmark = pytest.mark.django_db
FRIST = datetime.date(2026, 12, 1)


@pytest.fixture
def dialog():
    halden, moss = kommune("3101"), kommune("3103")
    d = Dialog.objects.create(dato=datetime.date(2026, 11, 1), type="telefon", sammendrag="Felles møte")
    d.kommuner.set([halden, moss])
    sf = sf_user(halden)
    punkt(sf, FRIST, halden, tittel="Halden-punkt om boliger", dialog=d)
    punkt(sf, FRIST, moss, tittel="Moss-punkt om økonomi", dialog=d)
    return d


def test_kommune_user_sees_only_own_follow_ups(client, dialog):
    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")])
    client.force_login(user)
    resp = client.get(reverse("oppfolging:dialog_detail", args=[dialog.pk]))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Halden-punkt om boliger" in html
    assert "Moss-punkt om økonomi" not in html
    assert kommune("3103").get_absolute_url() not in html  # no link to Moss either
    assert "Oppfølgingspunkter for kommuner du ikke har tilgang til, vises ikke." in html


def test_moss_user_sees_only_moss(client, dialog):
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune("3103")]))
    html = client.get(reverse("oppfolging:dialog_detail", args=[dialog.pk])).content.decode()
    assert "Moss-punkt om økonomi" in html and "Halden-punkt om boliger" not in html


def test_statsforvalter_sees_both(client, dialog):
    client.force_login(sf_user(kommune("3101")))
    html = client.get(reverse("oppfolging:dialog_detail", args=[dialog.pk])).content.decode()
    assert "Moss-punkt om økonomi" in html and "Halden-punkt om boliger" in html
    assert "vises ikke" not in html
