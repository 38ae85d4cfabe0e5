"""Writes to the case: the agreement (requests, vedtak, national need, year lock) here, and the
helpers every case service uses (bosetting's too): one transaction, lock the kommune row, check
the user's scope and the year lock of every year touched, validate, save, record history.
`by=None` is the system itself (management commands, data loading); every view passes the user.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import check_kommune_writable, require
from core.history import history_entry, history_record, history_record_bulk, snapshot
from kommuner.models import Kommune

from .models import Aarslaas, Anmodning, Bosettingsbehov, Vedtak
from .rules import vedtak_order
from .signals import anmodning_registered

# --- the helpers every case write uses ---------------------------------------------------------


def assert_year_open(*years):
    locked = sorted(Aarslaas.objects.filter(aar__in=set(years), laast=True).values_list("aar", flat=True))
    if locked:
        raise ValidationError(
            _("År %(aar)s er låst fordi tallene er kontrollert. En administrator eller IMDi må låse opp året først.")
            % {"aar": ", ".join(map(str, locked))}
        )


def lock_kommune(kommune):
    """Serialise writes per kommune (SELECT … FOR UPDATE on PostgreSQL)."""
    return Kommune.objects.select_for_update().get(pk=kommune.pk)


def guard(by, kommune, action, *years):
    """The user may change this kommune's case (`action`), and none of the years is locked."""
    if by is not None:
        check_kommune_writable(by, kommune, action)
    assert_year_open(*years)


def save_case(obj, *, by, handling, before=None, import_ref=""):
    """Validate, save and record one case row (inside the caller's transaction)."""
    obj.full_clean()
    if obj.pk is None and by is not None and hasattr(obj, "opprettet_av_id"):
        obj.opprettet_av = by
    obj.save()
    history_record(obj=obj, handling=handling, by=by, before=before, import_ref=import_ref)
    return obj


def years_of(obj):
    return range(obj.aar, (getattr(obj, "aar_til", None) or obj.aar) + 1)


def action_for(obj):
    """The access action needed to change a case row: IMDi's requests are "anmodning"."""
    return "anmodning" if isinstance(obj, Anmodning) else "sak"


@transaction.atomic
def case_update(*, obj, by=None):
    """Save an edited case row (e.g. from the admin) with the same checks as the register
    services: scope, the year lock for both the old and the new years, validation, history."""
    model = type(obj)
    old = model.objects.select_for_update().get(pk=obj.pk)
    for kommune in {old.kommune, obj.kommune}:
        guard(by, lock_kommune(kommune), action_for(obj), *years_of(old), *years_of(obj))
    saved = save_case(obj, by=by, handling=f"{model._meta.model_name}.endret", before=snapshot(old))
    if isinstance(saved, Vedtak):
        vedtak_supersede([saved], by=by)
    return saved


@transaction.atomic
def case_delete(*, obj, by=None):
    """Delete a case row; refused in a locked year; the deletion is recorded."""
    kommune = lock_kommune(obj.kommune)
    guard(by, kommune, action_for(obj), *years_of(obj))
    history_record(obj=obj, handling=f"{type(obj)._meta.model_name}.slettet", by=by, before=snapshot(obj),
                   after={}, kommune=kommune, aar=obj.aar)
    obj.delete()


# --- requests ----------------------------------------------------------------------------------

@transaction.atomic
def anmodning_register(*, kommune, aar, antall, by=None, **fields):
    """Register a request from IMDi (ordinary, adjusted or supplementary)."""
    kommune = lock_kommune(kommune)
    guard(by, kommune, "anmodning", aar)
    obj = Anmodning(kommune=kommune, aar=aar, antall=antall, **fields)
    save_case(obj, by=by, handling="anmodning.registrert")
    # In this transaction: oppfolging turns the office's dialogue plan into follow-ups.
    anmodning_registered.send(sender=Anmodning, anmodning=obj, by=by)
    return obj


# --- vedtak and supersession -------------------------------------------------------------------

def vedtak_supersede(newer, *, by=None, import_ref=""):
    """The one supersession: forms, admin, imports and the IMDi loader call it inside their
    transaction, after saving the new rows, with the kommuner locked. A vedtak in force is
    superseded (kept, `erstattet_av` set, recorded) by a newer one (vedtak.rules.vedtak_order) of
    the same kommune that covers every year it covers; one that a newer vedtak covers only in part
    (a 2025–2026 vedtak, then a new decision for 2026) stays in force for its other years, and for
    the shared years the newest counts (vedtak.rules.vedtak_in_force). Returns the superseded rows."""
    newer = [v for v in newer if v.erstattet_av_id is None]
    if not newer:
        return []
    per_kommune = defaultdict(list)
    for v in newer:
        per_kommune[v.kommune_id].append(v)
    for rows in per_kommune.values():
        rows.sort(key=vedtak_order, reverse=True)
    years = {y for v in newer for y in years_of(v)}
    candidates = (Vedtak.objects.select_for_update(of=("self",)).select_related("kommune").in_force(*years)
                  .filter(kommune_id__in=list(per_kommune)).exclude(pk__in=[v.pk for v in newer]))
    changed, entries = [], []
    for old in candidates:
        new = next((n for n in per_kommune[old.kommune_id]
                    if vedtak_order(n) > vedtak_order(old) and set(years_of(old)) <= set(years_of(n))), None)
        if new is None:
            continue
        before = snapshot(old)
        old.erstattet_av = new
        changed.append(old)
        entries.append(history_entry(obj=old, handling="vedtak.erstattet", by=by, before=before,
                                     import_ref=import_ref))
    Vedtak.objects.bulk_update(changed, ["erstattet_av"], batch_size=1000)
    history_record_bulk(entries)
    return changed


@transaction.atomic
def vedtak_register(*, kommune, aar, by=None, aar_til=None, import_ref="", **fields):
    """Register a vedtak. It supersedes the kommune's vedtak in force for the same year(s),
    which stays visible with `erstattet_av` set."""
    kommune = lock_kommune(kommune)
    obj = Vedtak(kommune=kommune, aar=aar, aar_til=aar_til, **fields)
    guard(by, kommune, "sak", *years_of(obj))
    save_case(obj, by=by, handling="vedtak.registrert", import_ref=import_ref)
    vedtak_supersede([obj], by=by, import_ref=import_ref)
    return obj


@transaction.atomic
def vedtak_update(*, vedtak, by=None, **fields):
    """Correct a registered vedtak (e.g. a typo in the case number); history keeps old → new.
    The lock is checked for every year it covered and every year it will cover; a corrected
    vedtak in force supersedes whatever else is in force for its (new) years."""
    kommune = lock_kommune(vedtak.kommune)
    vedtak = Vedtak.objects.select_for_update().get(pk=vedtak.pk)
    old_years = list(years_of(vedtak))
    before = snapshot(vedtak)
    for name, value in fields.items():
        setattr(vedtak, name, value)
    guard(by, kommune, "sak", *old_years, *years_of(vedtak))
    save_case(vedtak, by=by, handling="vedtak.endret", before=before)
    vedtak_supersede([vedtak], by=by)
    return vedtak


# --- national need and the year lock ------------------------------------------------------------

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
