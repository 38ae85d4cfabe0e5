"""Writes to what was settled: bosatt, housing, reasons. Each service uses the case helpers of
vedtak.services (one transaction, kommune lock, scope, the year lock, validation, history)."""

from django.db import transaction

from core.history import snapshot
from vedtak.services import guard, lock_kommune, save_case

from .models import Aarsaker, Bolig, Bosatt


@transaction.atomic
def bosatt_register(*, kommune, aar, maaned=0, by=None, **figures):
    """Register (or correct) the settled figures for a month, or for the whole year (maaned=0)."""
    kommune = lock_kommune(kommune)
    guard(by, kommune, "sak", aar)
    obj = Bosatt.objects.filter(kommune=kommune, aar=aar, maaned=maaned).first()
    before = snapshot(obj) if obj else None
    obj = obj or Bosatt(kommune=kommune, aar=aar, maaned=maaned)
    for name, value in figures.items():
        setattr(obj, name, value)
    return save_case(obj, by=by, handling="bosatt.endret" if before else "bosatt.registrert", before=before)


@transaction.atomic
def bolig_save(*, kommune, aar, by=None, **fields):
    kommune = lock_kommune(kommune)
    guard(by, kommune, "sak", aar)
    obj = Bolig.objects.filter(kommune=kommune, aar=aar).first()
    before = snapshot(obj) if obj else None
    obj = obj or Bolig(kommune=kommune, aar=aar)
    for name, value in fields.items():
        setattr(obj, name, value)
    return save_case(obj, by=by, handling="bolig.endret" if before else "bolig.registrert", before=before)


@transaction.atomic
def aarsaker_save(*, kommune, aar, aarsaker, fritekst="", by=None):
    kommune = lock_kommune(kommune)
    guard(by, kommune, "sak", aar)
    obj = Aarsaker.objects.filter(kommune=kommune, aar=aar).first()
    before = snapshot(obj) if obj else None
    obj = obj or Aarsaker(kommune=kommune, aar=aar)
    obj.aarsaker, obj.fritekst = sorted(set(aarsaker)), fritekst
    return save_case(obj, by=by, handling="aarsaker.endret" if before else "aarsaker.registrert", before=before)
