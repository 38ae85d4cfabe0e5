"""The kommune page reads its dialogues, follow-ups and history by asking the scope once, of the
kommune (core.access.kommune_gate), not of every row. These tests hold those reads to the row-wise
rule (`for_user`) for every role and for kommuner in and out of scope, historic ones included."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from bosetting.selectors import kommune_tidslinje
from core.access import kommune_scope_q, kommune_visible
from core.models import Endring, Rolle
from oppfolging.models import Dialog, Oppfolgingspunkt
from tests.factories import kommune, profil_user

from .helpers import ks_user, punkt, sf_user

pytestmark = pytest.mark.django_db
FRIST = datetime.date(2026, 12, 1)
NUMRE = ("3101", "3103", "0301", "0101", "0104")  # Halden, Moss, Oslo; Halden's and Moss' old numbers


@pytest.fixture
def data():
    halden, moss, oslo = kommune("3101"), kommune("3103"), kommune("0301")
    gamle_halden, gamle_moss = kommune("0101"), kommune("0104")
    oslo_user = profil_user(Rolle.KOMMUNE, kommuner=[oslo])
    for i, kommuner in enumerate([[halden], [moss], [halden, moss], [oslo], [halden, oslo], [gamle_halden],
                                  [gamle_moss, oslo]]):
        d = Dialog.objects.create(dato=datetime.date(2026, 1, 1 + i), type="telefon", sammendrag=f"Møte {i}")
        d.kommuner.set(kommuner)
    sf = sf_user(halden)
    for k in (halden, moss, oslo, gamle_halden):
        punkt(sf, FRIST, k, tittel=f"Punkt for {k.nummer}")
    punkt(oslo_user, FRIST, halden, tittel="Oslos eget punkt om Halden")  # own follow-up, out of scope
    ct = ContentType.objects.get_for_model(Dialog)
    for k in (halden, moss, oslo, gamle_halden, gamle_moss):
        Endring.objects.create(handling="dialog.registrert", kommune=k, aar=2025, content_type=ct, object_id="1",
                               objekt=f"Dialog om {k.nummer}")
    return {
        "kommune Halden": profil_user(Rolle.KOMMUNE, kommuner=[halden]),
        "kommune Oslo": oslo_user,
        "statsforvalter Østfold": sf,
        "statsforvalter Oslo": sf_user(oslo),
        "KS": ks_user(),
        "uten profil": profil_user(Rolle.KOMMUNE),
    }


@pytest.mark.parametrize("hvem", ["kommune Halden", "kommune Oslo", "statsforvalter Østfold",
                                  "statsforvalter Oslo", "KS", "uten profil"])
def test_reads_about_one_kommune_agree_with_the_row_wise_rule(data, hvem):
    user = data[hvem]
    for nummer in NUMRE:
        k = kommune(nummer)
        synlig = kommune_visible(user, k)
        radvis = set(Dialog.objects.for_user(user).filter(kommuner=k)) if synlig else set()
        assert set(Dialog.objects.about_kommune(k, user)) == radvis, (hvem, nummer)
        assert (set(Oppfolgingspunkt.objects.about_kommune(k, user))
                == set(Oppfolgingspunkt.objects.for_user(user).filter(kommune=k))), (hvem, nummer)
        historikk = {e.kommune.nummer for e in kommune_tidslinje(k, user=user)}
        if synlig:
            forgjengere = {o.historisk.nummer for o in k.overganger_inn.all()}
            assert historikk == ({nummer} | forgjengere) & {"3101", "3103", "0301", "0101", "0104"}
        else:
            assert historikk == set(), (hvem, nummer)


def test_the_readings_are_not_empty_where_they_should_not_be(data):
    """The comparison above would pass on empty sets; these are the rows it is about."""
    halden = kommune("3101")
    user = data["kommune Halden"]
    assert {d.sammendrag for d in Dialog.objects.about_kommune(halden, user)} == {"Møte 0", "Møte 2", "Møte 4"}
    assert {d.sammendrag for d in Dialog.objects.about_kommune(kommune("0101"), user)} == {"Møte 5"}
    assert list(Dialog.objects.about_kommune(kommune("0301"), user)) == []
    eget = Oppfolgingspunkt.objects.about_kommune(halden, data["kommune Oslo"])
    assert [p.tittel for p in eget] == ["Oslos eget punkt om Halden"]
    assert {e.kommune.nummer for e in kommune_tidslinje(halden, user=user)} == {"3101", "0101"}


def test_a_change_to_the_users_kommuner_counts_at_once(data):
    """The scope is built once per user object but run by each query."""
    user = data["kommune Halden"]
    moss = kommune("3103")
    assert kommune_scope_q(user)
    assert not kommune_visible(user, moss)
    user.profil.kommuner.add(moss)
    assert kommune_visible(user, moss)
    assert {d.sammendrag for d in Dialog.objects.about_kommune(moss, user)} == {"Møte 1", "Møte 2"}
