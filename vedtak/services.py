"""Registering a council decision (vedtak)."""

from django.db import transaction

from bosetting.services import _guard, _save, lock_kommune
from core.history import history_record, snapshot

from .models import Vedtak


@transaction.atomic
def vedtak_register(*, kommune, aar, by=None, aar_til=None, import_ref="", **fields):
    """Register a vedtak. It supersedes the kommune's current vedtak for the same year(s),
    which stays visible with `erstattet_av` set."""
    kommune = lock_kommune(kommune)
    years = range(aar, (aar_til or aar) + 1)
    _guard(by, kommune, "sak", *years)
    obj = Vedtak(kommune=kommune, aar=aar, aar_til=aar_til, **fields)
    _save(obj, by=by, handling="vedtak.registrert", import_ref=import_ref)
    earlier = [
        v for v in Vedtak.objects.select_for_update().filter(kommune=kommune, erstattet_av__isnull=True)
        .exclude(pk=obj.pk)
        if any(v.gjelder_aar(y) for y in years)
    ]
    for v in earlier:
        before = snapshot(v)
        v.erstattet_av = obj
        v.save(update_fields=["erstattet_av"])
        history_record(obj=v, handling="vedtak.erstattet", by=by, before=before, import_ref=import_ref)
    return obj


@transaction.atomic
def vedtak_update(*, vedtak, by=None, **fields):
    """Correct a registered vedtak (e.g. a typo in the case number); history keeps old → new."""
    kommune = lock_kommune(vedtak.kommune)
    vedtak = Vedtak.objects.select_for_update().get(pk=vedtak.pk)
    _guard(by, kommune, "sak", *range(vedtak.aar, (vedtak.aar_til or vedtak.aar) + 1))
    before = snapshot(vedtak)
    for name, value in fields.items():
        setattr(vedtak, name, value)
    return _save(vedtak, by=by, handling="vedtak.endret", before=before)
