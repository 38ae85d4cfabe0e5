import pytest

from core.models import Endring
from tests.factories import kommune
from vedtak.models import Anmodning, Bosettingsbehov, Vedtak
from vedtak.services import aar_set_lock, anmodning_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("model", ["vedtak/anmodning", "bosetting/bosatt", "bosetting/bolig",
                                   "bosetting/aarsaker", "vedtak/bosettingsbehov", "vedtak/aarslaas",
                                   "vedtak/vedtak"])
def test_changelists_and_add_pages_open(admin_client, model):
    assert admin_client.get(f"/admin/{model}/?aar=2025").status_code == 200
    assert admin_client.get(f"/admin/{model}/add/").status_code == 200


def test_admin_add_goes_through_service_with_history(admin_client, admin_user):
    halden = kommune()
    r = admin_client.post("/admin/vedtak/vedtak/add/", {
        "kommune": halden.pk, "aar": 2025, "status": "fattet", "organ": "kommunestyre", "antall": 12,
        "kilde": "manuell", "prikket": "[]", "opprettet_0": "01.01.2025", "opprettet_1": "10:00"})
    assert r.status_code == 302, r.content.decode()[:2000]
    v = Vedtak.objects.get()
    assert v.opprettet_av == admin_user
    assert Endring.objects.filter(handling="vedtak.registrert", object_id=str(v.pk), bruker=admin_user).exists()


def test_admin_change_in_locked_year_is_refused(admin_client):
    a = anmodning_register(kommune=kommune(), aar=2024, antall=10)
    aar_set_lock(aar=2024, laast=True)
    r = admin_client.post(f"/admin/vedtak/anmodning/{a.pk}/change/", {
        "kommune": a.kommune_id, "aar": 2024, "type": "ordinaer", "antall": 99, "kilde": "manuell",
        "prikket": "[]"})
    assert r.status_code == 200 and "låst" in r.content.decode()
    a.refresh_from_db()
    assert a.antall == 10


def test_admin_change_writes_history_and_delete_is_recorded(admin_client):
    a = anmodning_register(kommune=kommune(), aar=2025, antall=10)
    r = admin_client.post(f"/admin/vedtak/anmodning/{a.pk}/change/", {
        "kommune": a.kommune_id, "aar": 2025, "type": "ordinaer", "antall": 15, "kilde": "manuell",
        "prikket": "[]"})
    assert r.status_code == 302
    e = Endring.objects.get(handling="anmodning.endret")
    assert e.endringer["antall"] == [10, 15]
    r = admin_client.post(f"/admin/vedtak/anmodning/{a.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not Anmodning.objects.exists()
    assert Endring.objects.filter(handling="anmodning.slettet").exists()


def test_admin_behov_change_keeps_revisions(admin_client):
    admin_client.post("/admin/vedtak/bosettingsbehov/add/", {"aar": 2026, "antall": 13000})
    b = Bosettingsbehov.objects.get()
    admin_client.post(f"/admin/vedtak/bosettingsbehov/{b.pk}/change/", {"aar": 2026, "antall": 12000})
    assert sorted(Bosettingsbehov.objects.values_list("antall", flat=True)) == [12000, 13000]


def test_admin_vedtak_upload_checked_by_content(admin_client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    r = admin_client.post("/admin/vedtak/vedtak/add/", {
        "kommune": kommune().pk, "aar": 2025, "status": "fattet", "organ": "kommunestyre", "antall": 12,
        "kilde": "manuell", "prikket": "[]", "dokument": SimpleUploadedFile("x.pdf", b"MZ\x90\x00exe")})
    assert r.status_code == 200 and "ikke en gyldig PDF-fil" in r.content.decode()
    assert not Vedtak.objects.exists()
