"""The rate tables: the data file's rows each with a source, the loader (idempotent, leaves an
administrator's changes alone unless told), and the admin (administrators only, with history)."""

import csv
import io

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from core.models import Endring, Rolle
from okonomi.admin import TilskuddssatsAdmin
from okonomi.models import Kostnadsanslag, Tilskuddssats
from okonomi.services import SATSER_CSV, satser_load
from tests.factories import UserFactory, profil_user

pytestmark = pytest.mark.django_db


def test_every_row_of_the_data_file_has_a_source():
    with open(SATSER_CSV, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and all(r["kilde"].strip() for r in rows)
    seeded = {(r["aar"], r["kategori"], r["belop"]) for r in rows}
    assert {("2014", "enslig_voksen", "717600"), ("2014", "andre", "669600"), ("2014", "ks_tillegg", "25000"),
            ("2014", "", "767140")} <= seeded


def test_loader_is_idempotent_and_keeps_an_administrators_change():
    # The suite's database is seeded once (tests/conftest.py): a second load changes nothing.
    antall = (Tilskuddssats.objects.count(), Kostnadsanslag.objects.count(), Endring.objects.count())
    r = satser_load()
    assert not r.nye and not r.oppdatert and not r.avviker
    assert sum(r.uendret.values()) == 6
    assert (Tilskuddssats.objects.count(), Kostnadsanslag.objects.count(), Endring.objects.count()) == antall

    k = Kostnadsanslag.objects.get(aar=2014)
    k.kroner_per_person = 800_000
    k.save()
    r = satser_load()
    assert r.avviker == [str(k)]
    assert Kostnadsanslag.objects.get(aar=2014).kroner_per_person == 800_000
    out = io.StringIO()
    call_command("load_satser", "--oppdater", stdout=out)
    assert Kostnadsanslag.objects.get(aar=2014).kroner_per_person == 767_140
    assert "1 oppdatert" in out.getvalue()
    assert Endring.objects.filter(handling="kostnadsanslag.endret").exists()


def test_loader_creates_missing_rows():
    Tilskuddssats.objects.filter(gyldig_aar=2014, kategori="andre").delete()
    r = satser_load()
    assert r.nye["tilskuddssats"] == 1
    sats = Tilskuddssats.objects.get(gyldig_aar=2014, kategori="andre")
    assert sats.belop == 669_600 and "Statsbudsjettet 2014" in sats.kilde and sats.kilde_url.startswith("https://")


def test_only_administrators_change_the_rates():
    model_admin = TilskuddssatsAdmin(Tilskuddssats, None)
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    assert model_admin.has_change_permission(request) and model_admin.has_add_permission(request)
    # A KS staff member with every permission on the rate models: the role decides, not the permissions.
    from django.contrib.auth.models import Permission

    staff_ks = profil_user(Rolle.KS, is_staff=True)
    staff_ks.user_permissions.set(Permission.objects.filter(content_type__app_label="okonomi"))
    request.user = type(staff_ks).objects.get(pk=staff_ks.pk)
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_admin_save_writes_history(client):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    sats = Tilskuddssats.objects.get(gyldig_aar=2014, kategori="andre")
    data = {"gyldig_aar": 2014, "kategori": "andre", "bosettingsaar": 0, "belop": 669_601,
            "kilde": sats.kilde, "kilde_url": sats.kilde_url, "merknad": "rettet"}
    response = client.post(f"/admin/okonomi/tilskuddssats/{sats.pk}/change/", data)
    assert response.status_code == 302
    assert Tilskuddssats.objects.get(pk=sats.pk).belop == 669_601
    entry = Endring.objects.get(handling="tilskuddssats.endret", object_id=str(sats.pk))
    assert entry.endringer["belop"] == [669_600, 669_601] and entry.bruker == admin_user
