"""Confirming at the same time, for real: two threads, each with its own database connection,
confirm at once. One set of rows and one history entry per change, whatever the order."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.models import Endring, Rolle
from imports.models import Import, ImportStatus
from imports.services import ImportAlreadyDone, import_confirm, import_create
from tests.factories import profil_user
from vedtak.models import Anmodning, Vedtak

pytestmark = pytest.mark.django_db(transaction=True)

DATA = (b"kommunenummer,kommune,aar,anmodning,vedtak,bosatt\n"
        b"3101,Halden,2025,40,30,12\n3103,Moss,2025,25,20,\n")


def _at_once(*imports, user):
    """Each import confirmed by its own thread, released together; returns the outcomes."""
    barrier = threading.Barrier(len(imports))
    outcomes = [None] * len(imports)

    def confirm(i, imp):
        try:
            barrier.wait(timeout=10)
            import_confirm(imp, user=user)
            outcomes[i] = "importert"
        except ImportAlreadyDone:
            outcomes[i] = "allerede"
        except ValidationError as exc:
            outcomes[i] = exc.messages
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes[i] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(i, imp)) for i, imp in enumerate(imports)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def _assert_written_once():
    assert sorted(Anmodning.objects.values_list("kommune__nummer", "antall")) == [("3101", 40), ("3103", 25)]
    assert sorted(Vedtak.objects.values_list("kommune__nummer", "aar", "antall")) == [
        ("3101", 2025, 30), ("3103", 2025, 20)]
    assert sorted(Endring.objects.filter(handling="import.rad").values_list("kommune__nummer", "aar")) == [
        ("3101", 2025), ("3103", 2025)]


def test_the_same_import_confirmed_twice_at_once_writes_once(register):
    user = profil_user(Rolle.IMDI)
    imp, preview = import_create(DATA, filename="a.csv", user=user)
    assert preview.ok, preview.errors
    outcomes = _at_once(imp, Import.objects.get(pk=imp.pk), user=user)
    assert sorted(outcomes) == ["allerede", "importert"], outcomes
    _assert_written_once()
    assert Import.objects.get(pk=imp.pk).status == ImportStatus.IMPORTERT


def test_the_same_file_uploaded_twice_and_confirmed_at_once_writes_once(register):
    """Two previews of the same file, both compared with an empty database: the one confirmed
    second compares again under the kommune lock and finds everything unchanged."""
    user = profil_user(Rolle.IMDI)
    first, p1 = import_create(DATA, filename="a.csv", user=user)
    second, p2 = import_create(DATA, filename="a-igjen.csv", user=user)
    assert p1.counts["ny"] == p2.counts["ny"] == 2
    outcomes = _at_once(first, second, user=user)
    assert outcomes == ["importert", "importert"], outcomes
    _assert_written_once()
    counts = sorted(Import.objects.values_list("antall_nye", "antall_uendret"))
    assert counts == [(0, 2), (2, 0)]
