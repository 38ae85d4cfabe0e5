"""A background import that fails or stalls ends as failed, with a Norwegian reason and a retry
that is safe to press; a count the database cannot hold is a row error in the preview."""

import datetime
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import Endring, Rolle
from imports.models import Import, ImportStatus
from imports.services import import_create, import_run_in_background
from imports.tasks import import_confirm_task
from tests.factories import profil_user
from vedtak.models import Anmodning, Vedtak

pytestmark = pytest.mark.django_db
DATA = b"kommunenummer,kommune,aar,anmodning,vedtak\n3101,Halden,2025,40,30\n3103,Moss,2025,25,20\n"
POLLING = 'hx-trigger="every 2s"'


@pytest.fixture
def imdi(client):
    user = profil_user(Rolle.IMDI)
    client.force_login(user)
    return user


@pytest.fixture
def worker(monkeypatch):
    """The task's delay runs it here and now (the test settings have a broker, not eager mode);
    returns the list of runs' results."""
    results = []
    monkeypatch.setattr(import_confirm_task, "delay", lambda *args: results.append(import_confirm_task(*args)))
    return results


def _running(user, django_capture_on_commit_callbacks):
    """An import marked as running whose task was queued but never ran (e.g. a killed worker)."""
    imp, preview = import_create(DATA, filename="stor.csv", user=user)
    assert preview.ok, preview.errors
    with django_capture_on_commit_callbacks(execute=False) as queued:
        import_run_in_background(imp, user=user, queue=import_confirm_task.delay)
    assert len(queued) == 1
    return imp


def _age(imp, minutes):
    Import.objects.filter(pk=imp.pk).update(sist_aktiv=timezone.now() - datetime.timedelta(minutes=minutes))


def _written_once():
    assert sorted(Anmodning.objects.values_list("kommune__nummer", "antall")) == [("3101", 40), ("3103", 25)]
    assert sorted(Vedtak.objects.values_list("kommune__nummer", "antall")) == [("3101", 30), ("3103", 20)]
    assert Endring.objects.filter(handling="import.rad").count() == 2


def test_a_failure_in_the_worker_marks_the_import_failed_in_norwegian(client, imdi, monkeypatch, caplog,
                                                                     django_capture_on_commit_callbacks):
    imp = _running(imdi, django_capture_on_commit_callbacks)

    def broken(*args, **kwargs):
        raise RuntimeError("connection to server lost: SECRET internals")

    monkeypatch.setattr("imports.services._write", broken)
    with caplog.at_level(logging.ERROR, logger="imports.services"):
        assert import_confirm_task(imp.pk, imdi.pk) == "feilet"
    imp.refresh_from_db()
    assert imp.status == ImportStatus.FEILET
    assert "Ingenting ble importert" in imp.melding and "SECRET" not in imp.melding
    assert "SECRET" in caplog.text  # the technical reason is logged
    assert not Anmodning.objects.exists() and not Endring.objects.filter(handling="import.rad").exists()
    page = client.get(reverse("imports:import_detail", args=[imp.pk])).content.decode()
    assert "Feilet" in page and "Prøv igjen" in page and "SECRET" not in page
    assert POLLING not in page


def test_a_run_without_progress_is_found_stopped_when_the_page_is_viewed(client, imdi,
                                                                          django_capture_on_commit_callbacks):
    imp = _running(imdi, django_capture_on_commit_callbacks)
    url = reverse("imports:import_detail", args=[imp.pk])
    _age(imp, 14)  # within IMPORT_STALE_MINUTES (15): still running, still polling
    page = client.get(url).content.decode()
    assert POLLING in page and "Prøv igjen" not in page
    assert Import.objects.get(pk=imp.pk).status == ImportStatus.KJORER
    _age(imp, 16)
    poll = client.get(url, HTTP_HX_REQUEST="true").content.decode()  # the status partial's own poll
    assert POLLING not in poll and "Prøv igjen" in poll and "stoppet uten å bli ferdig" in poll
    imp.refresh_from_db()
    assert imp.status == ImportStatus.FEILET
    page = client.get(url).content.decode()
    assert POLLING not in page and "Prøv igjen" in page
    assert not Anmodning.objects.exists()


def test_the_setting_decides_when_a_run_is_stale(client, imdi, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_STALE_MINUTES = 60
    imp = _running(imdi, django_capture_on_commit_callbacks)
    _age(imp, 30)
    assert POLLING in client.get(reverse("imports:import_detail", args=[imp.pk])).content.decode()
    assert Import.objects.get(pk=imp.pk).status == ImportStatus.KJORER


def test_retry_of_a_stopped_run_imports_once_and_a_second_retry_does_nothing(client, imdi, worker, monkeypatch,
                                                                             django_capture_on_commit_callbacks):
    monkeypatch.setattr("imports.views.BACKGROUND_ROWS", 1)
    imp = _running(imdi, django_capture_on_commit_callbacks)
    _age(imp, 20)
    confirm = reverse("imports:import_confirm", args=[imp.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm, follow=True)  # «Prøv igjen»: found stopped, queued again, run
    assert worker == ["importert"]
    imp.refresh_from_db()
    assert imp.status == ImportStatus.IMPORTERT and imp.melding == ""
    _written_once()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm, follow=True)
    assert "allerede importert" in response.content.decode()
    assert worker == ["importert"]  # nothing queued the second time
    # The worker's old task, delivered late, does nothing either.
    assert import_confirm_task(imp.pk, imdi.pk) == "ingenting å gjøre"
    _written_once()


def test_confirming_a_running_import_again_queues_nothing(client, imdi, worker, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    monkeypatch.setattr("imports.views.BACKGROUND_ROWS", 1)
    imp = _running(imdi, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:import_confirm", args=[imp.pk]), follow=True)
    assert "kjører allerede" in response.content.decode()
    assert worker == [] and Import.objects.get(pk=imp.pk).status == ImportStatus.KJORER


def test_a_small_failed_import_is_retried_in_the_request_and_only_once(client, imdi,
                                                                      django_capture_on_commit_callbacks):
    imp = _running(imdi, django_capture_on_commit_callbacks)
    _age(imp, 20)
    confirm = reverse("imports:import_confirm", args=[imp.pk])
    assert "Importen er lagret" in client.post(confirm, follow=True).content.decode()
    assert "allerede importert" in client.post(confirm, follow=True).content.decode()
    _written_once()


@pytest.mark.parametrize("cell, shown", [
    ("2147483648", "«2147483648» er for stort"),
    ("99999999999999999999999999999999", "er for stort"),
    ("9" * 5000, "er for stort"),  # longer than Python converts to int
    ("2 147 483 648", "er for stort"),
    ("-1", "negativt tall «-1»"),
])
def test_a_count_the_database_cannot_hold_is_a_row_error_and_nothing_is_written(client, imdi, cell, shown):
    data = f"kommunenummer,kommune,aar,anmodning,bosatt\n3101,Halden,2025,40,10\n3103,Moss,2025,25,{cell}\n"
    client.post(reverse("imports:import_list"), {"fil": SimpleUploadedFile("stor.csv", data.encode())})
    imp = Import.objects.get()
    assert imp.antall_feil == 1
    page = client.get(reverse("imports:import_detail", args=[imp.pk])).content.decode()
    assert "Rad 3, kolonne «bosatt»: " in page and shown in page
    assert "Bekreft og importer" not in page
    response = client.post(reverse("imports:import_confirm", args=[imp.pk]), follow=True)
    assert response.status_code == 200 and "Ingenting ble importert" in response.content.decode()
    assert not Anmodning.objects.exists() and not Endring.objects.filter(handling="import.rad").exists()
    assert Import.objects.get().status == ImportStatus.FORHANDSVIST


def test_the_largest_count_the_database_holds_is_imported(imdi):
    from imports.services import import_confirm

    imp, preview = import_create(b"kommunenummer,kommune,aar,anmodning\n3101,Halden,2025,2147483647\n",
                                 filename="grense.csv", user=imdi)
    assert preview.ok, preview.errors
    import_confirm(imp, user=imdi)
    assert Anmodning.objects.get().antall == 2147483647


def _broken_xlsx():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "ikke en arbeidsbok")
    return buf.getvalue()


@pytest.mark.parametrize("name, data, shown", [
    ("feil.csv", b'kommunenummer,kommune,aar,anmodning\n3101,"Halden"x,2025,4\n', "CSV-filen er ødelagt"),
    ("feil.xlsx", _broken_xlsx(), "Klarte ikke å åpne arbeidsboken."),
])
def test_an_unreadable_file_is_explained_in_norwegian_without_the_readers_own_text(client, imdi, name, data,
                                                                                  shown):
    client.post(reverse("imports:import_list"), {"fil": SimpleUploadedFile(name, data)})
    page = client.get(reverse("imports:import_detail", args=[Import.objects.get().pk])).content.decode()
    assert shown in page and "Bekreft og importer" not in page
    for english in ("expected", "Error", "KeyError", "delimiter", "quote"):
        assert english not in page
