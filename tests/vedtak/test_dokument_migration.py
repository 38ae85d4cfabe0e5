"""Documents stored before unguessable names (vedtak/<kommune>/<år>/<uploaded name>) are moved to
vedtak/<uuid>.pdf by vedtak/migrations/0006, keeping the uploaded name for the download; a second run
changes nothing."""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from core.models import Rolle
from tests.factories import kommune, profil_user
from vedtak.models import Vedtak
from vedtak.services import vedtak_register

pytestmark = pytest.mark.django_db

migration = importlib.import_module("vedtak.migrations.0006_dokument_unguessable_names")
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
RANDOM = re.compile(r"vedtak/[0-9a-f]{32}\.pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _old_style(vedtak, name, content=PDF, *, navn=None):
    """A document as the old upload_to stored it, and the row as 0005 left it."""
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    Vedtak.objects.filter(pk=vedtak.pk).update(dokument=name, dokument_navn=navn if navn is not None
                                               else name.rsplit("/", 1)[-1])


def run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        migration.rename_documents(apps, SimpleNamespace(connection=connection))


def test_old_names_are_moved_to_unguessable_ones(django_capture_on_commit_callbacks, client):
    halden, moss = kommune("3101"), kommune("3103")
    a = vedtak_register(kommune=halden, aar=2024, antall=10)
    b = vedtak_register(kommune=halden, aar=2025, antall=12)
    c = vedtak_register(kommune=moss, aar=2025, antall=7)
    missing = vedtak_register(kommune=moss, aar=2024, antall=3)
    untouched = vedtak_register(kommune=moss, aar=2023, antall=2)
    old = "vedtak/3101/2024/Vedtak bosetting 2024.pdf"
    _old_style(a, old)
    _old_style(b, "vedtak/3101/2025/vedtak.pdf", b"%PDF-1.4 annen\n%%EOF\n", navn="")  # 0005 never ran on it
    _old_style(c, old)  # two rows sharing one old file: each gets its own copy
    Vedtak.objects.filter(pk=missing.pk).update(dokument="vedtak/3103/2024/borte.pdf", dokument_navn="borte.pdf")
    kept = default_storage.save(f"vedtak/{'a' * 32}.pdf", ContentFile(PDF))
    Vedtak.objects.filter(pk=untouched.pk).update(dokument=kept, dokument_navn="ny.pdf")

    run(django_capture_on_commit_callbacks)

    rows = {v.pk: v for v in Vedtak.objects.filter(pk__in=[a.pk, b.pk, c.pk, missing.pk, untouched.pk])}
    for v, navn, content in ((a, "Vedtak bosetting 2024.pdf", PDF), (b, "vedtak.pdf", b"%PDF-1.4 annen\n%%EOF\n"),
                             (c, "Vedtak bosetting 2024.pdf", PDF)):
        row = rows[v.pk]
        assert RANDOM.fullmatch(row.dokument.name), row.dokument.name
        assert row.dokument_navn == navn
        with default_storage.open(row.dokument.name, "rb") as f:
            assert f.read() == content
    assert rows[a.pk].dokument.name != rows[c.pk].dokument.name
    assert not default_storage.exists(old) and not default_storage.exists("vedtak/3101/2025/vedtak.pdf")
    assert rows[missing.pk].dokument.name == "vedtak/3103/2024/borte.pdf"  # nothing to move
    assert rows[untouched.pk].dokument.name == kept and rows[untouched.pk].dokument_navn == "ny.pdf"

    # The download still gives the file under its uploaded name.
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[halden]))
    response = client.get(f"/kommuner/3101/vedtak/{a.pk}/dokument/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "Vedtak bosetting 2024.pdf" in response["Content-Disposition"]

    # Idempotent: a second run moves nothing.
    before = {v.pk: (v.dokument.name, v.dokument_navn) for v in rows.values()}
    run(django_capture_on_commit_callbacks)
    after = {v.pk: (v.dokument.name, v.dokument_navn)
             for v in Vedtak.objects.filter(pk__in=before)}
    assert after == before


def test_a_failed_migration_leaves_the_old_files(django_capture_on_commit_callbacks):
    """Without a commit the old files stay, so rows rolled back still point at a file that exists."""
    v = vedtak_register(kommune=kommune("3101"), aar=2024, antall=10)
    _old_style(v, "vedtak/3101/2024/gammel.pdf")
    with django_capture_on_commit_callbacks(execute=False):
        migration.rename_documents(apps, SimpleNamespace(connection=connection))
    assert default_storage.exists("vedtak/3101/2024/gammel.pdf")
