"""The import pipeline: read → recognise layout → match kommuner → validate every row → preview;
confirm writes everything in one transaction with bulk writes and one history entry per changed row.

With any error nothing is written. A blank cell is unknown and leaves a known value alone unless
the import is told that blanks clear.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bosetting.models import Bosatt
from core.access import can
from core.bulk import bulk_insert
from core.history import _require_transaction, current_request_id, history_entry, snapshot
from core.models import Endring
from core.params import MAX_AAR, MIN_AAR
from kommuner.models import Fylke, Kommune
from kommuner.services import normalise_name
from vedtak.choices import AnmodningType, Kilde, VedtakStatus
from vedtak.models import Aarslaas, Anmodning, Vedtak

from . import layouts
from .layouts import BLANK, NOT_REQUESTED, NUMBER, PENDING, SUPPRESSED
from .matching import Matcher, MatchError
from .models import Import, ImportStatus
from .parsing import ImportFileError, read_table

ANMODNING_FIELDS = {"anmodning": "antall", "anmodning_ema": "herav_ema",
                    "anmodning_ema_under_15": "ema_under_15", "anmodning_ema_15_18": "ema_15_18"}
VEDTAK_FIELDS = {"vedtak": "antall", "vedtak_ema": "herav_ema"}
BOSATT_FIELDS = {"bosatt": "antall", "bosatt_ema": "herav_ema", "bosatt_kollektiv": "herav_kollektiv",
                 "avtalt": "avtalt", "avtalt_kollektiv": "avtalt_kollektiv"}


@dataclass
class RowResult:
    rownum: int
    label: str
    aar: object = None
    kommune: Kommune | None = None
    status: str = "uendret"  # ny / endret / uendret / feil
    changes: dict = field(default_factory=dict)  # field -> (old, new)
    values: dict = field(default_factory=dict)  # field -> (kind, int|None)
    errors: list = field(default_factory=list)
    note: str = ""

    @property
    def change_list(self):
        return [(layouts.FIELD_LABELS.get(f, f), _display(old), _display(new))
                for f, (old, new) in self.changes.items()]


def _display(value):
    if value is None:
        return _("tom")
    if isinstance(value, tuple):
        return {SUPPRESSED: ":", PENDING: _("avventer vedtak"), NOT_REQUESTED: "-"}.get(value[0], value[0])
    return str(value)


@dataclass
class Preview:
    layout: str = ""
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    counts: dict = field(default_factory=lambda: {"ny": 0, "endret": 0, "uendret": 0, "feil": 0})
    state: object = None  # the database state the rows were compared with

    @property
    def ok(self):
        return not self.errors

    def all_errors(self):
        return self.errors


# --- current state, fetched in a constant number of queries --------------------------------------

@dataclass
class State:
    anmodning: dict  # (kommune_id, aar) -> Anmodning (the row an import updates) or None
    anmodning_current: dict  # (kommune_id, aar) -> {field: value}
    vedtak: dict  # (kommune_id, aar) -> current Vedtak
    bosatt: dict  # (kommune_id, aar) -> Bosatt (maaned 0)


def load_state(pairs):
    kommune_ids = {k for k, _y in pairs}
    years = {y for _k, y in pairs}
    anm = defaultdict(list)
    for a in Anmodning.objects.filter(kommune_id__in=kommune_ids, aar__in=years):
        anm[(a.kommune_id, a.aar)].append(a)
    anmodning, current = {}, {}
    from vedtak.rules import request_in_force

    for key, rows in anm.items():
        total, ema = request_in_force(rows)
        last = sorted(rows, key=lambda a: (a.opprettet, a.pk))
        own = [a for a in last if a.kilde in (Kilde.IMPORT, Kilde.IMDI) and a.type == AnmodningType.ORDINAER]
        anmodning[key] = own[-1] if own and own[-1] is last[-1] else None
        base = last[-1]
        current[key] = {"anmodning": total, "anmodning_ema": ema, "anmodning_ema_under_15": base.ema_under_15,
                        "anmodning_ema_15_18": base.ema_15_18}
    vedtak = {}
    q = Q()
    for y in years:
        q |= Q(aar__lte=y) & (Q(aar_til__gte=y) | Q(aar_til__isnull=True, aar=y))
    for v in Vedtak.objects.filter(q, kommune_id__in=kommune_ids, erstattet_av__isnull=True):
        for y in years:
            if v.gjelder_aar(y):
                vedtak[(v.kommune_id, y)] = v
    bosatt = {(b.kommune_id, b.aar): b for b in Bosatt.objects.filter(kommune_id__in=kommune_ids, aar__in=years,
                                                                          maaned=0)}
    return State(anmodning, current, vedtak, bosatt)


def _old_value(state, key, f):
    if f in ANMODNING_FIELDS:
        return state.anmodning_current.get(key, {}).get(f)
    if f in VEDTAK_FIELDS:
        v = state.vedtak.get(key)
        if v is None:
            return None
        if v.status == VedtakStatus.AVVENTER and f == "vedtak":
            return (PENDING, None)
        return (SUPPRESSED, None) if v.er_prikket(VEDTAK_FIELDS[f]) else getattr(v, VEDTAK_FIELDS[f])
    b = state.bosatt.get(key)
    if b is None:
        return None
    return (SUPPRESSED, None) if b.er_prikket(BOSATT_FIELDS[f]) else getattr(b, BOSATT_FIELDS[f])


def _as_state(kind, value):
    return value if kind == NUMBER else (kind, None)


# --- preview -------------------------------------------------------------------------------------

def import_preview(data: bytes, *, filename="", sheet=None, year=None, blank_clears=False, user=None):
    preview = Preview()
    try:
        rows = read_table(data, filename, sheet)
    except ImportFileError as exc:
        preview.errors.append(str(exc))
        return preview
    fylke_names = {normalise_name(n) for n in Fylke.objects.values_list("navn", flat=True)}
    table = layouts.parse_table(rows, default_year=year, fylke_names=fylke_names)
    preview.layout = table.layout
    preview.errors.extend(table.errors)
    if table.errors:
        return preview
    matcher = Matcher()
    writable = None
    if user is not None:
        if not can(user, "anmodning"):
            raise PermissionDenied(_("Bare IMDi og administratorer kan importere tall."))
        writable = set(Kommune.objects.for_user(user).values_list("pk", flat=True))
    locked = set(Aarslaas.objects.filter(laast=True).values_list("aar", flat=True))
    seen = {}
    for rec in table.records:
        label = " ".join(filter(None, [rec.nummer, rec.navn])) or "?"
        res = RowResult(rec.rownum, label, rec.aar)
        preview.rows.append(res)
        if not isinstance(rec.aar, int) or not MIN_AAR <= rec.aar <= MAX_AAR:
            res.errors.append(_("Rad %(rad)d, kolonne «År»: «%(v)s» er ikke et gyldig år (%(min)d–%(max)d)")
                              % {"rad": rec.rownum, "v": rec.aar, "min": MIN_AAR, "max": MAX_AAR})
            continue
        try:
            if rec.nummer:
                res.kommune, res.note = matcher.match_number(rec.nummer, rec.aar, rec.navn)
            else:
                res.kommune = matcher.match_name(rec.navn, rec.fylke, rec.aar)
        except MatchError as exc:
            res.errors.append(_("Rad %(rad)d, kolonne «Kommune»: %(feil)s") % {"rad": rec.rownum, "feil": exc})
            continue
        if res.note:
            preview.warnings.append(_("Rad %(rad)d: %(note)s") % {"rad": rec.rownum, "note": res.note})
        key = (res.kommune.pk, rec.aar)
        if key in seen:
            res.errors.append(_("Rad %(rad)d: %(k)s for %(aar)d står også på rad %(annen)d")
                              % {"rad": rec.rownum, "k": res.kommune, "aar": rec.aar, "annen": seen[key]})
            continue
        seen[key] = rec.rownum
        if writable is not None and res.kommune.pk not in writable:
            res.errors.append(_("Rad %(rad)d: du har ikke tilgang til å endre %(k)s") % {"rad": rec.rownum,
                                                                                      "k": res.kommune})
        if rec.aar in locked:
            res.errors.append(_("Rad %(rad)d: år %(aar)d er låst") % {"rad": rec.rownum, "aar": rec.aar})
        for f, raw in rec.raw.items():
            try:
                kind, value = layouts.parse_value(raw)
            except ValueError as exc:
                res.errors.append(_("Rad %(rad)d, kolonne «%(kol)s»: %(feil)s")
                                  % {"rad": rec.rownum, "kol": rec.labels.get(f, f), "feil": exc})
                continue
            if kind == PENDING and f != "vedtak":
                res.errors.append(_("Rad %(rad)d, kolonne «%(kol)s»: «avventer vedtak» passer bare i vedtakskolonnen")
                                  % {"rad": rec.rownum, "kol": rec.labels.get(f, f)})
                continue
            if kind == SUPPRESSED and f == "anmodning":
                res.errors.append(_("Rad %(rad)d, kolonne «%(kol)s»: en anmodning kan ikke være prikket («:»)")
                                  % {"rad": rec.rownum, "kol": rec.labels.get(f, f)})
                continue
            res.values[f] = (kind, value)
        for whole, parts in layouts.BREAKDOWNS:
            w = res.values.get(whole)
            for part in parts:
                p = res.values.get(part)
                if w and p and w[0] == NUMBER and p[0] == NUMBER and p[1] > w[1]:
                    res.errors.append(_("Rad %(rad)d, kolonne «%(kol)s»: %(del)d er større enn «%(hel)s» (%(tot)d)")
                                      % {"rad": rec.rownum, "kol": rec.labels.get(part, part), "del": p[1],
                                         "hel": rec.labels.get(whole, whole), "tot": w[1]})
    _check_subtotals(table, preview)
    valid = [r for r in preview.rows if not r.errors]
    state = preview.state = load_state({(r.kommune.pk, r.aar) for r in valid})
    for res in preview.rows:
        if res.errors:
            res.status = "feil"
            preview.errors.extend(res.errors)
            continue
        key = (res.kommune.pk, res.aar)
        for f, (kind, value) in res.values.items():
            if kind == NOT_REQUESTED or (kind == BLANK and not blank_clears):
                continue
            if kind == BLANK and f == "anmodning":
                continue  # a request cannot be unknown once sent; blanks never delete one
            old = _old_value(state, key, f)
            new = None if kind == BLANK else _as_state(kind, value)
            if old != new:
                res.changes[f] = (old, new)
        exists = key in state.anmodning_current or key in state.vedtak or key in state.bosatt
        res.status = "uendret" if not res.changes else ("endret" if exists else "ny")
    for res in preview.rows:
        preview.counts[res.status] += 1
    return preview


def _check_subtotals(table, preview):
    for sub in table.subtotals:
        for f, (raw, label) in sub.raw.items():
            try:
                kind, stated = layouts.parse_value(raw)
            except ValueError:
                preview.warnings.append(_("Rad %(rad)d «%(l)s»: summen «%(v)s» i «%(kol)s» er ikke et tall")
                                        % {"rad": sub.rownum, "l": sub.label, "v": raw, "kol": label})
                continue
            if kind != NUMBER:
                continue
            total, hidden = 0, 0
            for i in sub.covers:
                try:
                    k, v = layouts.parse_value(table.records[i].raw.get(f, ""))
                except ValueError:
                    continue
                if k == NUMBER:
                    total += v
                elif k == SUPPRESSED:
                    hidden += 1
            if total != stated and not (hidden and stated > total):
                preview.warnings.append(
                    _("Rad %(rad)d «%(l)s», kolonne «%(kol)s»: oppgitt sum %(oppgitt)d, men radene over gir "
                      "%(sum)d.") % {"rad": sub.rownum, "l": sub.label, "kol": label, "oppgitt": stated, "sum": total})


# --- confirm -------------------------------------------------------------------------------------

def import_create(data: bytes, *, filename, user=None, sheet="", year=None, blank_clears=False):
    """Store the upload and its preview counts; returns (Import, Preview)."""
    preview = import_preview(data, filename=filename, sheet=sheet or None, year=year, blank_clears=blank_clears,
                             user=user)
    imp = Import.objects.create(
        filnavn=filename[:255], sha256=hashlib.sha256(data).hexdigest(), data=data, ark=sheet or "", aar=year,
        blank_sletter=blank_clears, opprettet_av=user if getattr(user, "is_authenticated", False) else None,
        layout=preview.layout, antall_rader=len(preview.rows), antall_feil=preview.counts["feil"] + (
            0 if preview.rows or preview.ok else 1),
        antall_nye=preview.counts["ny"], antall_endret=preview.counts["endret"],
        antall_uendret=preview.counts["uendret"],
    )
    return imp, preview


@transaction.atomic
def import_confirm(imp: Import, *, user=None):
    """Validate again against the database as it is now, then write everything or nothing."""
    imp = Import.objects.select_for_update().get(pk=imp.pk)
    if imp.status == ImportStatus.IMPORTERT:
        raise ValidationError(_("Denne filen er allerede importert."))
    preview = import_preview(bytes(imp.data), filename=imp.filnavn, sheet=imp.ark or None, year=imp.aar,
                             blank_clears=imp.blank_sletter, user=user)
    if not preview.ok:
        raise ValidationError(preview.errors[:50])
    changed = [r for r in preview.rows if r.changes]
    kommune_ids = sorted({r.kommune.pk for r in changed})
    # The preview above ran inside this transaction, so its state is the state being written over;
    # the kommune rows are locked against concurrent writers before writing.
    list(Kommune.objects.select_for_update().filter(pk__in=kommune_ids).order_by("pk").values_list("pk"))
    _write(changed, preview.state, user=user, ref=imp.ref)
    imp.status, imp.importert = ImportStatus.IMPORTERT, timezone.now()
    imp.importert_av = user if getattr(user, "is_authenticated", False) else None
    imp.antall_nye, imp.antall_endret = preview.counts["ny"], preview.counts["endret"]
    imp.antall_uendret, imp.antall_feil = preview.counts["uendret"], 0
    imp.save()
    return preview


def _apply(obj, mapping, res):
    """Set obj's fields from the row's changes; returns True when something changed."""
    touched = False
    prikket = set(obj.prikket or [])
    for f, attr in mapping.items():
        if f not in res.changes:
            continue
        new = res.changes[f][1]
        if isinstance(new, tuple):
            kind = new[0]
            if kind == SUPPRESSED:
                prikket.add(attr)
                setattr(obj, attr, None)
            elif kind == PENDING:
                obj.status = VedtakStatus.AVVENTER
                setattr(obj, attr, None)
        else:
            prikket.discard(attr)
            setattr(obj, attr, new)
            if isinstance(obj, Vedtak) and attr == "antall" and new is not None:
                obj.status = VedtakStatus.FATTET
        touched = True
    obj.prikket = sorted(prikket)
    return touched


def _json(value):
    """History keeps the marker names for suppressed and pending cells."""
    return value[0] if isinstance(value, tuple) else value


def _write(rows, state, *, user, ref):
    by = user if getattr(user, "is_authenticated", False) else None
    now = timezone.now()
    new_anm, upd_anm, new_ved, upd_ved, new_bos, upd_bos = [], [], [], [], [], []
    befores, superseded = {}, []
    for res in rows:
        key = (res.kommune.pk, res.aar)
        if any(f in res.changes for f in ANMODNING_FIELDS):
            a = state.anmodning.get(key)
            if a is None:
                a = Anmodning(kommune=res.kommune, aar=res.aar, antall=0, kilde=Kilde.IMPORT, opprettet=now,
                              opprettet_av=by)
                current = state.anmodning_current.get(key, {})
                for f, attr in ANMODNING_FIELDS.items():  # a new letter starts from the current request
                    if f != "anmodning" and current.get(f) is not None:
                        setattr(a, attr, current[f])
                a.antall = current.get("anmodning") or 0
                new_anm.append(a)
            else:
                befores[("a", a.pk)] = snapshot(a)
                upd_anm.append(a)
            _apply(a, ANMODNING_FIELDS, res)
        if any(f in res.changes for f in VEDTAK_FIELDS):
            v = state.vedtak.get(key)
            if v is not None and v.kilde in (Kilde.IMPORT, Kilde.IMDI) and not v.aar_til:
                befores[("v", v.pk)] = snapshot(v)
                upd_ved.append(v)
            else:
                old = v
                v = Vedtak(kommune=res.kommune, aar=res.aar, kilde=Kilde.IMPORT, opprettet=now, opprettet_av=by,
                           status=VedtakStatus.FATTET)
                if old is not None:
                    v.antall, v.herav_ema, v.prikket = old.antall, old.herav_ema, list(old.prikket or [])
                    superseded.append((old, v))
                new_ved.append(v)
            _apply(v, VEDTAK_FIELDS, res)
        if any(f in res.changes for f in BOSATT_FIELDS):
            b = state.bosatt.get(key)
            if b is None:
                b = Bosatt(kommune=res.kommune, aar=res.aar, maaned=0, kilde=Kilde.IMPORT, opprettet=now,
                           opprettet_av=by)
                new_bos.append(b)
            else:
                befores[("b", b.pk)] = snapshot(b)
                upd_bos.append(b)
            _apply(b, BOSATT_FIELDS, res)
    bulk_insert(Anmodning, new_anm)
    Anmodning.objects.bulk_update(upd_anm, ["antall", "herav_ema", "ema_under_15", "ema_15_18", "prikket"],
                                  batch_size=1000)
    # Vedtak that supersede another need their keys (erstattet_av); the rest go through COPY.
    needs_pk = {id(new) for _old, new in superseded}
    Vedtak.objects.bulk_create([v for v in new_ved if id(v) in needs_pk], batch_size=1000)
    bulk_insert(Vedtak, [v for v in new_ved if id(v) not in needs_pk])
    Vedtak.objects.bulk_update(upd_ved, ["antall", "herav_ema", "status", "prikket"], batch_size=1000)
    for old, new in superseded:
        befores[("v", old.pk)] = snapshot(old)
        old.erstattet_av = new
    Vedtak.objects.bulk_update([pair[0] for pair in superseded], ["erstattet_av"], batch_size=1000)
    bulk_insert(Bosatt, new_bos)
    Bosatt.objects.bulk_update(upd_bos, ["antall", "herav_ema", "herav_kollektiv", "avtalt", "avtalt_kollektiv",
                                         "prikket"], batch_size=1000)
    # One history entry per changed row (kommune and year), tagged with the import, in this transaction.
    import_type = ContentType.objects.get_for_model(Import)
    request_id = current_request_id.get()
    entries = [
        Endring(bruker=by, handling="import.rad", content_type=import_type, object_id=ref.split(":")[1],
                objekt=f"{res.kommune} {res.aar}"[:200], kommune=res.kommune, aar=res.aar,
                endringer={f: [_json(old), _json(new)] for f, (old, new) in res.changes.items()},
                import_ref=ref, request_id=request_id, tidspunkt=now)
        for res in rows
    ]
    for sup_old, _new in superseded:
        entries.append(history_entry(obj=sup_old, handling="vedtak.erstattet", by=by,
                                     before=befores[("v", sup_old.pk)], import_ref=ref))
    _require_transaction()
    bulk_insert(Endring, entries)
