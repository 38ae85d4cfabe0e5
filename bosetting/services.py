"""Writes to the settlement case. Each service: one transaction, lock the kommune row, check the
user's scope and the year lock, validate, save, record history. `by=None` is the system itself
(management commands, data loading); every view passes the signed-in user."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import check_kommune_writable, require
from core.history import history_record, snapshot
from kommuner.models import Kommune

from .models import Aarsaker, Aarslaas, Anmodning, Bolig, Bosatt, Bosettingsbehov


def assert_year_open(*years):
    locked = sorted(Aarslaas.objects.filter(aar__in=years, laast=True).values_list("aar", flat=True))
    if locked:
        raise ValidationError(
            _("År %(aar)s er låst fordi tallene er kontrollert. En administrator eller IMDi må låse opp året først.")
            % {"aar": ", ".join(map(str, locked))}
        )


def lock_kommune(kommune):
    """Serialise writes per kommune (SELECT … FOR UPDATE on PostgreSQL)."""
    return Kommune.objects.select_for_update().get(pk=kommune.pk)


def _guard(by, kommune, action, *years):
    if by is not None:
        check_kommune_writable(by, kommune, action)
    assert_year_open(*years)


def _save(obj, *, by, handling, before=None, import_ref=""):
    obj.full_clean()
    if obj.pk is None and by is not None and hasattr(obj, "opprettet_av_id"):
        obj.opprettet_av = by
    obj.save()
    history_record(obj=obj, handling=handling, by=by, before=before, import_ref=import_ref)
    return obj


@transaction.atomic
def anmodning_register(*, kommune, aar, antall, by=None, **fields):
    """Register a request from IMDi (ordinary, adjusted or supplementary)."""
    kommune = lock_kommune(kommune)
    _guard(by, kommune, "anmodning", aar)
    obj = Anmodning(kommune=kommune, aar=aar, antall=antall, **fields)
    _save(obj, by=by, handling="anmodning.registrert")
    # The responsible office's standard dialogue steps become follow-ups (once per kommune-year).
    from oppfolging.services import dialogplan_apply

    dialogplan_apply(anmodning=obj, by=by)
    return obj


@transaction.atomic
def bosatt_register(*, kommune, aar, maaned=0, by=None, **figures):
    """Register (or correct) the settled figures for a month, or for the whole year (maaned=0)."""
    kommune = lock_kommune(kommune)
    _guard(by, kommune, "sak", aar)
    obj = Bosatt.objects.filter(kommune=kommune, aar=aar, maaned=maaned).first()
    before = snapshot(obj) if obj else None
    obj = obj or Bosatt(kommune=kommune, aar=aar, maaned=maaned)
    for name, value in figures.items():
        setattr(obj, name, value)
    return _save(obj, by=by, handling="bosatt.endret" if before else "bosatt.registrert", before=before)


@transaction.atomic
def bolig_save(*, kommune, aar, by=None, **fields):
    kommune = lock_kommune(kommune)
    _guard(by, kommune, "sak", aar)
    obj = Bolig.objects.filter(kommune=kommune, aar=aar).first()
    before = snapshot(obj) if obj else None
    obj = obj or Bolig(kommune=kommune, aar=aar)
    for name, value in fields.items():
        setattr(obj, name, value)
    return _save(obj, by=by, handling="bolig.endret" if before else "bolig.registrert", before=before)


@transaction.atomic
def aarsaker_save(*, kommune, aar, aarsaker, fritekst="", by=None):
    kommune = lock_kommune(kommune)
    _guard(by, kommune, "sak", aar)
    obj = Aarsaker.objects.filter(kommune=kommune, aar=aar).first()
    before = snapshot(obj) if obj else None
    obj = obj or Aarsaker(kommune=kommune, aar=aar)
    obj.aarsaker, obj.fritekst = sorted(set(aarsaker)), fritekst
    return _save(obj, by=by, handling="aarsaker.endret" if before else "aarsaker.registrert", before=before)


@transaction.atomic
def behov_register(*, aar, antall, herav_ema=None, vedtatt_dato=None, kommentar="", by=None):
    """A new revision of the national settlement need; earlier revisions are kept."""
    if by is not None:
        require(by, "anmodning")
    assert_year_open(aar)
    obj = Bosettingsbehov(aar=aar, antall=antall, herav_ema=herav_ema, vedtatt_dato=vedtatt_dato,
                          kommentar=kommentar, opprettet_av=by)
    obj.full_clean()
    obj.save()
    history_record(obj=obj, handling="behov.registrert", by=by, aar=aar, kommune=None)
    return obj


@transaction.atomic
def aar_set_lock(*, aar, laast, by=None, kommentar=""):
    """Lock or unlock a year's figures; both actions are recorded."""
    if by is not None:
        require(by, "aarslaas")
    obj = Aarslaas.objects.select_for_update().filter(aar=aar).first()
    before = snapshot(obj) if obj else None
    obj = obj or Aarslaas(aar=aar)
    obj.laast, obj.kommentar, obj.endret, obj.endret_av = laast, kommentar, timezone.now(), by
    obj.full_clean()
    obj.save()
    history_record(obj=obj, handling="aar.laast" if laast else "aar.laast_opp", by=by, before=before,
                   aar=aar, kommune=None, kommentar=kommentar)
    return obj


def _years(obj):
    return range(obj.aar, (getattr(obj, "aar_til", None) or obj.aar) + 1)


def _action(obj):
    return "anmodning" if isinstance(obj, Anmodning) else "sak"


@transaction.atomic
def case_update(*, obj, by=None):
    """Save an edited case object (e.g. from the admin) with the same checks as the register
    services: scope, the year lock for both the old and the new year, validation, history."""
    model = type(obj)
    old = model.objects.select_for_update().get(pk=obj.pk)
    for kommune in {old.kommune, obj.kommune}:
        _guard(by, lock_kommune(kommune), _action(obj), *_years(old), *_years(obj))
    name = model._meta.model_name
    return _save(obj, by=by, handling=f"{name}.endret", before=snapshot(old))


@transaction.atomic
def case_delete(*, obj, by=None):
    """Delete a case object; refused in a locked year; the deletion is recorded."""
    kommune = lock_kommune(obj.kommune)
    _guard(by, kommune, _action(obj), *_years(obj))
    before = snapshot(obj)
    entry_obj = obj
    history_record(obj=entry_obj, handling=f"{type(obj)._meta.model_name}.slettet", by=by, before=before,
                   after={}, kommune=kommune, aar=obj.aar)
    obj.delete()
