import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Rolle
from imports.models import Import, ImportStatus
from tests.factories import profil_user
from vedtak.models import Anmodning

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_large_import_runs_in_the_real_worker_and_shows_its_status(client, register, celery_worker_process,
                                                                   monkeypatch):
    monkeypatch.setattr("imports.views.BACKGROUND_ROWS", 1)  # treat this small file as large
    client.force_login(profil_user(Rolle.IMDI))
    data = b"kommunenummer,kommune,aar,anmodning\n3101,Halden,2025,40\n3103,Moss,2025,30\n"
    client.post(reverse("imports:import_list"), {"fil": SimpleUploadedFile("stor.csv", data)})
    imp = Import.objects.get()
    response = client.post(reverse("imports:import_confirm", args=[imp.pk]), follow=True)
    assert "kjører i bakgrunnen" in response.content.decode()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        imp.refresh_from_db()
        if imp.status != ImportStatus.KJORER:
            break
        time.sleep(0.2)
    assert imp.status == ImportStatus.IMPORTERT
    assert sorted(Anmodning.objects.values_list("kommune__nummer", "antall")) == [("3101", 40), ("3103", 30)]
    # A second delivery of the same task (e.g. redelivered by Redis) does nothing.
    from imports.tasks import import_confirm_task

    assert import_confirm_task.delay(imp.pk).get(timeout=30) == "ingenting å gjøre"
    assert Anmodning.objects.count() == 2
