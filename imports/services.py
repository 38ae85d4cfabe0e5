"""The import pipeline: read → recognise layout → match kommuner → validate every row → preview;
confirm writes everything in one transaction with bulk writes and one history entry per changed row.

With any error nothing is written. A blank cell is unknown and leaves a known value alone unless
the import is told that blanks clear.
"""

import datetime
import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bosetting.models import Bosatt, Bosettingsplan, Tjenestekapasitet
from bosetting.selectors import saker_for_par
from bosetting.services import plan_register
from bosetting.status import FIGURER
from core.access import can
from core.bulk import bulk_insert
from core.history import _require_transaction, current_request_id, history_entry, history_record_bulk, snapshot
from core.models import Endring
from core.params import MAX_AAR, MIN_AAR
from kommuner.models import Fylke, Kommune
from kommuner.services import normalise_name
from vedtak.choices import AnmodningType, Kilde, VedtakStatus
from vedtak.models import Aarslaas, Anmodning, Vedtak
from vedtak.rules import letter_order
from vedtak.services import vedtak_supersede

from . import layouts
from .layouts import BLANK, NOT_REQUESTED, NUMBER, PENDING, SUPPRESSED
from .matching import Matcher, MatchError
from .models import Import, ImportStatus
from .parsing import ImportFileError, read_table

logger = logging.getLogger(__name__)

# Each figure's model field, per row kind (bosetting.status.FIGURER).
ANMODNING_FIELDS = {f.navn: f.felt for f in FIGURER if f.kilde == "anmodning"}
VEDTAK_FIELDS = {f.navn: f.felt for f in FIGURER if f.kilde == "vedtak"}
BOSATT_FIELDS = {f.navn: f.felt for f in FIGURER if f.kilde == "bosatt"}
OWN_KILDER = (Kilde.IMPORT, Kilde.IMDI)  # rows an import may correct in place

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
    labels: dict = field(default_factory=dict)  # field -> the file's column heading

    @property
    def change_list(self):
        return [(layouts.FIELD_LABELS.get(f, f), _display(old), _display(new))
                for f, (old, new) in self.changes.items()]


def _display(value):
    if value is None or value == "":
        return _("tom")
    if value is True:
        return _("ja")
    if value is False:
        return _("nei")
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
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
    has_plan: bool = False  # the file has settlement-plan columns (layouts.PLAN_FIELDS)
    has_service: bool = False  # the file has service-pressure columns (layouts.SERVICE)

    @property
    def ok(self):
        return not self.errors

    def pairs(self):
        """(kommune_id, aar) of every row without errors."""
        return {(r.kommune.pk, r.aar) for r in self.rows if not r.errors}

    def all_errors(self):
        return self.errors


# --- current state, fetched in a constant number of queries --------------------------------------

@dataclass
class State:
    """What an import compares with: the engine's figures (bosetting.selectors.saker_for_par, each
    kommune's own, by the agreement's rules). The rows a write goes to are read when writing, and
    only for the rows that change."""

    saker: dict  # (kommune_id, aar) -> Sak
    plan: dict = field(default_factory=dict)  # (kommune_id, aar) -> {month: (plasser, boliger)} in force
    tjenester: dict = field(default_factory=dict)  # (kommune_id, aar) -> Tjenestekapasitet


def load_plan(pairs):
    """The settlement plan in force of each pair, in one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    out = defaultdict(dict)
    for kid, aar, m, plasser, boliger in (
            Bosettingsplan.objects.filter(kommune_id__in={k for k, _a in pairs}, aar__in={a for _k, a in pairs})
            .order_by().values_list("kommune_id", "aar", "maaned", "plasser", "boliger")):
        if (kid, aar) in pairs:
            out[(kid, aar)][m] = (plasser, boliger)
    return dict(out)


def load_tjenester(pairs):
    """The service-pressure row of each pair that has one, in one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    found = Tjenestekapasitet.objects.filter(kommune_id__in={k for k, _a in pairs}, aar__in={a for _k, a in pairs})
    return {(t.kommune_id, t.aar): t for t in found.order_by() if (t.kommune_id, t.aar) in pairs}


def load_state(pairs, *, plan=False, tjenester=False):
    """The engine's Sak of every pair whose kommune has any case row for the years (the others have
    no figures: asking the engine only for pairs that may have some keeps an import of new years
    as fast as the write itself); with `plan`, the settlement plan in force too (load_plan), with
    `tjenester` the service-pressure rows (load_tjenester)."""
    pairs = set(pairs)
    if not pairs:
        return State({})
    ids, years = {k for k, _a in pairs}, {a for _k, a in pairs}
    first, last = min(years), max(years)
    with_rows = set(
        # No ORDER BY in the parts (the models' default ordering): SQLite refuses it in a UNION.
        Anmodning.objects.filter(kommune_id__in=ids, aar__in=years).order_by().values_list("kommune_id").union(
            Bosatt.objects.filter(kommune_id__in=ids, aar__in=years).order_by().values_list("kommune_id"),
            Vedtak.objects.filter(Q(aar_til__gte=first) | Q(aar__gte=first), kommune_id__in=ids, aar__lte=last)
            .order_by().values_list("kommune_id"))
        .values_list("kommune_id", flat=True))
    return State(saker_for_par((k, a) for k, a in pairs if k in with_rows), load_plan(pairs) if plan else {},
                 load_tjenester(pairs) if tjenester else {})


@dataclass
class Targets:
    """The rows the changed kommune-years are written to."""

    anmodning: dict  # (kommune_id, aar) -> the newest letter, when it is an import's own to correct
    newest_sent: dict  # (kommune_id, aar) -> the newest letter's dato_sendt
    vedtak: dict  # (kommune_id, aar) -> the Vedtak in force (the Sak's)
    bosatt: dict  # (kommune_id, aar) -> the whole-year Bosatt row


def _targets(rows, state):
    def keys(fields):
        return {(r.kommune.pk, r.aar) for r in rows if any(f in r.changes for f in fields)}

    def of(qs, wanted):
        if not wanted:
            return []
        return [o for o in qs.filter(kommune_id__in={k for k, _a in wanted}, aar__in={a for _k, a in wanted})
                if (o.kommune_id, o.aar) in wanted]

    letters = defaultdict(list)
    for a in of(Anmodning.objects.all(), keys(ANMODNING_FIELDS)):
        letters[(a.kommune_id, a.aar)].append(a)
    anmodning, newest_sent = {}, {}
    for key, found in letters.items():
        newest = max(found, key=letter_order)
        newest_sent[key] = newest.dato_sendt
        if newest.kilde in OWN_KILDER and newest.type == AnmodningType.ORDINAER:
            anmodning[key] = newest  # the request in force is this letter's: correct it
    in_force = {state.saker[key].vedtak.pk: key for key in keys(VEDTAK_FIELDS)
                if key in state.saker and state.saker[key].vedtak is not None}
    vedtak = {in_force[pk]: v for pk, v in Vedtak.objects.in_bulk(list(in_force)).items()} if in_force else {}
    bosatt = {(b.kommune_id, b.aar): b for b in of(Bosatt.objects.filter(maaned=Bosatt.HELE_AARET),
                                                   keys(BOSATT_FIELDS))}
    return Targets(anmodning, newest_sent, vedtak, bosatt)


def figure_state(sak, f):
    """A figure of a Sak as an import cell: a number, None (unknown), or the SUPPRESSED or PENDING
    marker."""
    if sak is None:
        return None
    if f == "vedtak" and sak.avventer:
        return (PENDING, None)
    tall = sak.tall[f]
    return (SUPPRESSED, None) if tall.skjulte else tall.verdi


def has_figures(sak):
    """Whether the kommune-year has anything registered (a row is then "changed", not "new")."""
    return sak is not None and (sak.vedtak is not None
                                or any(t.verdi is not None or t.skjulte for t in sak.tall.values()))


def _as_state(kind, value):
    return value if kind == NUMBER else (kind, None)


# --- preview -------------------------------------------------------------------------------------

def import_preview(data: bytes, *, filename="", sheet=None, year=None, blank_clears=False, user=None,
                   kilde=Kilde.IMPORT, compare_rows=True):
    """Every row checked and compared with the figures in force; writes nothing. `kilde` is what
    the written rows will be marked as (Kilde.IMDI: IMDi's published tables, where a request of 0
    means not asked). With compare_rows=False the rows are checked but not yet compared (compare)."""
    preview = Preview()
    try:
        rows = read_table(data, filename, sheet)
    except ImportFileError as exc:
        preview.errors.append(str(exc))
        return preview
    fylke_names = {normalise_name(n) for n in Fylke.objects.values_list("navn", flat=True)}
    matcher = Matcher()
    # Oslo is a fylke and a kommune: a row 'Oslo' is the kommune unless it sums a group above it.
    table = layouts.parse_table(rows, default_year=year, fylke_names=fylke_names, kommune_names=set(matcher.names))
    preview.layout = table.layout
    preview.errors.extend(table.errors)
    if table.errors:
        return preview
    preview.has_plan = any(f in layouts.PLAN_MONTH for rec in table.records for f in rec.raw)
    preview.has_service = any(f in layouts.SERVICE for rec in table.records for f in rec.raw)
    writable = None
    plans = True  # whether the user may change settlement plans (core.access "plan")
    services = True  # ... and service pressure (core.access "sak", as on the kommune's page)
    if user is not None:
        if not can(user, "anmodning"):
            raise PermissionDenied(_("Bare IMDi og administratorer kan importere tall."))
        writable = set(Kommune.objects.for_user(user).values_list("pk", flat=True))
        plans, services = can(user, "plan"), can(user, "sak")
    locked = set(Aarslaas.objects.filter(laast=True).values_list("aar", flat=True))
    seen = {}
    for rec in table.records:
        label = " ".join(filter(None, [rec.nummer, rec.navn])) or "?"
        res = RowResult(rec.rownum, label, rec.aar, labels=rec.labels)
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
        if not plans and any(raw.strip() for f, raw in rec.raw.items() if f in layouts.PLAN_MONTH):
            res.errors.append(_("Rad %(rad)d: du har ikke tilgang til å endre bosettingsplanen for %(k)s")
                              % {"rad": rec.rownum, "k": res.kommune})
        if not services and any(raw.strip() for f, raw in rec.raw.items() if f in layouts.SERVICE):
            res.errors.append(_("Rad %(rad)d: du har ikke tilgang til å endre tjenester og press for %(k)s")
                              % {"rad": rec.rownum, "k": res.kommune})
        for f, raw in rec.raw.items():
            try:
                kind, value = layouts.parse_service(f, raw) if f in layouts.SERVICE else layouts.parse_value(raw)
            except ValueError as exc:
                res.errors.append(_("Rad %(rad)d, kolonne «%(kol)s»: %(feil)s")
                                  % {"rad": rec.rownum, "kol": rec.labels.get(f, f), "feil": exc})
                continue
            if f in layouts.PLAN_MONTH and kind not in (NUMBER, BLANK):
                res.errors.append(_("Rad %(rad)d, kolonne «%(kol)s»: «%(v)s» passer ikke i en plan (bare hele "
                                    "tall, eller tom celle når tallet er ukjent)")
                                  % {"rad": rec.rownum, "kol": rec.labels.get(f, f), "v": raw.strip()})
                continue
            if kind == PENDING and PENDING not in layouts.allowed_markers(f):
                res.errors.append(_("Rad %(rad)d, kolonne «%(kol)s»: «avventer vedtak» passer bare i vedtakskolonnen")
                                  % {"rad": rec.rownum, "kol": rec.labels.get(f, f)})
                continue
            if kind == SUPPRESSED and SUPPRESSED not in layouts.allowed_markers(f):
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
    if compare_rows:
        compare(preview, load_state(preview.pairs(), plan=preview.has_plan, tjenester=preview.has_service),
                kilde=kilde, blank_clears=blank_clears)
    return preview


def compare(preview, state, *, kilde=Kilde.IMPORT, blank_clears=False):
    """Compare the checked rows with the figures in `state` (load_state): each row's changes and
    status, and the counts. Import confirm calls it again under the kommune lock."""
    preview.state = state
    for res in preview.rows:
        if res.errors:
            res.status = "feil"
            preview.errors.extend(res.errors)
            continue
        sak = state.saker.get((res.kommune.pk, res.aar))
        plan = state.plan.get((res.kommune.pk, res.aar), {})
        for f, (kind, value) in res.values.items():
            if f in layouts.PLAN_MONTH or f in layouts.SERVICE:
                continue  # _compare_plan, _compare_service
            if kind == NUMBER and value == 0 and f == "anmodning" and kilde == Kilde.IMDI:
                kind = NOT_REQUESTED  # IMDi's tables: a request of 0 is a kommune IMDi did not ask
            if kind == NOT_REQUESTED or (kind == BLANK and not blank_clears):
                continue
            if kind == BLANK and f == "anmodning":
                continue  # a request cannot be unknown once sent; blanks never delete one
            old = figure_state(sak, f)
            new = None if kind == BLANK else _as_state(kind, value)
            if old != new:
                res.changes[f] = (old, new)
        vedtak_after = res.changes["vedtak"][1] if "vedtak" in res.changes else figure_state(sak, "vedtak")
        if vedtak_after == (PENDING, None) and res.changes.get("vedtak_ema", (None, None))[1] is not None:
            # A pending vedtak has no figures yet (the rules do not count them).
            res.errors.append(_("Rad %(rad)d, kolonne «%(kol)s»: et vedtak som avventer, har ingen tall ennå")
                              % {"rad": res.rownum, "kol": layouts.FIELD_LABELS["vedtak_ema"]})
            res.changes, res.status = {}, "feil"
            preview.errors.extend(res.errors)
            continue
        tjenester = state.tjenester.get((res.kommune.pk, res.aar))
        if _compare_plan(res, plan, blank_clears=blank_clears) or _compare_service(res, tjenester,
                                                                                   blank_clears=blank_clears):
            res.changes, res.status = {}, "feil"
            preview.errors.extend(res.errors)
            continue
        res.status = "uendret" if not res.changes else (
            "endret" if has_figures(sak) or plan or tjenester else "ny")
    for res in preview.rows:
        preview.counts[res.status] += 1
    return preview


def _compare_plan(res, plan, *, blank_clears=False):
    """Add the row's settlement-plan changes to res.changes, per column («plan mar»: (old, new),
    «boliger mar»: (old, new)), against `plan` in force ({month: (plasser, boliger)}). A blank cell
    leaves the month alone (unknown, never 0) unless blanks clear; a month's plan removed takes
    its housing units with it. Returns True when the row has an error (res.errors)."""
    for m in range(1, 13):
        p_col, b_col = layouts.PLAN_PLASSER[m], layouts.PLAN_BOLIGER[m]
        if p_col not in res.values and b_col not in res.values:
            continue
        old = plan.get(m)
        old_p, old_b = old if old else (None, None)
        new_p, new_b = old_p, old_b
        for col, current in ((p_col, old_p), (b_col, old_b)):
            if col not in res.values:
                continue
            kind, value = res.values[col]
            new = value if kind == NUMBER else (None if blank_clears else current)
            if col == p_col:
                new_p = new
            else:
                new_b = new
        if new_p is None and new_b is not None:
            if res.values.get(b_col, (BLANK,))[0] == NUMBER:
                res.errors.append(_("Rad %(rad)d, kolonne «%(kol)s»: boliger trenger plasser klare i samme måned "
                                    "(kolonnen «%(plan)s»)") % {"rad": res.rownum, "kol": res.labels.get(b_col, b_col),
                                                               "plan": res.labels.get(p_col, p_col)})
                return True
            new_b = None  # the month's plan is removed, and its housing units with it
        if new_p != old_p:
            res.changes[p_col] = (old_p, new_p)
        if new_b != old_b:
            res.changes[b_col] = (old_b, new_b)
    return False


def _compare_service(res, obj, *, blank_clears=False):
    """Add the row's service-pressure changes to res.changes («asylmottak»: (old, new) …) against
    the kommune-year's row `obj` (None: none yet). A blank cell leaves a value alone unless blanks
    clear. The result is checked by the model's own rules (e.g. reception places only with a
    reception centre). Returns True when the row has an error (res.errors)."""
    if not any(f in layouts.SERVICE for f in res.values):
        return False
    after = Tjenestekapasitet(kommune_id=res.kommune.pk, aar=res.aar)
    if obj is not None:
        for attr, _kind in layouts.SERVICE.values():
            setattr(after, attr, getattr(obj, attr))
    changed = False
    for f, (attr, kind) in layouts.SERVICE.items():
        if f not in res.values:
            continue
        cell_kind, value = res.values[f]
        old = getattr(after, attr)
        if cell_kind == BLANK:
            if not blank_clears:
                continue
            value = "" if kind == layouts.SERVICE_TEKST else None
        if value != old:
            res.changes[f] = (old, value)
            setattr(after, attr, value)
            changed = True
    if not changed:
        return False
    try:
        after.clean_fields(exclude=["kommune", "opprettet_av"])
        after.clean()
    except ValidationError as exc:
        heading = {attr: f for f, (attr, _k) in layouts.SERVICE.items()}
        for attr, messages in exc.message_dict.items():
            col = res.labels.get(heading.get(attr), heading.get(attr, attr))
            for message in messages:
                res.errors.append(_("Rad %(rad)d, kolonne «%(kol)s»: %(feil)s")
                                  % {"rad": res.rownum, "kol": col, "feil": message})
        return True
    return False


def plan_months(res, plan):
    """The row's plan changes as plan_register takes them: {month: (plasser, boliger)}, plasser
    None where the month's plan is removed."""
    out = {}
    for f in res.changes:
        m = layouts.PLAN_MONTH.get(f)
        if m is None or m in out:
            continue
        p_col, b_col = layouts.PLAN_PLASSER[m], layouts.PLAN_BOLIGER[m]
        old_p, old_b = plan.get(m) or (None, None)
        plasser = res.changes[p_col][1] if p_col in res.changes else old_p
        boliger = res.changes[b_col][1] if b_col in res.changes else old_b
        out[m] = (plasser, boliger if plasser is not None else None)
    return out


def _check_subtotals(table, preview):
    for sub in table.subtotals:
        for f, (raw, label) in sub.raw.items():
            if f in layouts.SERVICE:
                continue  # notes and yes/no are not summed
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

def import_create(data: bytes, *, filename, user=None, sheet="", year=None, blank_clears=False,
                  kilde=Kilde.IMPORT):
    """Store the upload and its preview counts; returns (Import, Preview)."""
    preview = import_preview(data, filename=filename, sheet=sheet or None, year=year, blank_clears=blank_clears,
                             user=user, kilde=kilde)
    imp = Import.objects.create(
        filnavn=filename[:255], sha256=hashlib.sha256(data).hexdigest(), data=data, ark=sheet or "", aar=year,
        blank_sletter=blank_clears, kilde=kilde,
        opprettet_av=user if getattr(user, "is_authenticated", False) else None,
        layout=preview.layout, antall_rader=len(preview.rows), antall_feil=preview.counts["feil"] + (
            0 if preview.rows or preview.ok else 1),
        antall_nye=preview.counts["ny"], antall_endret=preview.counts["endret"],
        antall_uendret=preview.counts["uendret"],
    )
    return imp, preview


class ImportAlreadyDone(ValidationError):
    """The import is written already, or is being written: confirming again does nothing."""


@transaction.atomic
def import_confirm(imp: Import, *, user=None, background=False):
    """Write everything or nothing, checked against the database as it is under the locks.

    Idempotent: the Import row is locked first and its status read under the lock (an import
    already written, or being written by the worker, raises ImportAlreadyDone and writes nothing);
    then the file's kommuner are locked and only then are its rows compared with the figures in
    force, so a second confirm of the same file (another upload of it, say) finds them unchanged.
    `background`: the worker's run of an import the confirm view marked as running."""
    imp = Import.objects.select_for_update().get(pk=imp.pk)
    if imp.status == ImportStatus.IMPORTERT:
        raise ImportAlreadyDone(_("Denne filen er allerede importert."), code="importert")
    if imp.status == ImportStatus.KJORER and not background:
        raise ImportAlreadyDone(_("Importen kjører allerede i bakgrunnen."), code="kjorer")
    if background and imp.status != ImportStatus.KJORER:
        raise ImportAlreadyDone(_("Importen er ikke satt til å kjøre."), code="ikke_kjorer")
    preview = import_preview(bytes(imp.data), filename=imp.filnavn, sheet=imp.ark or None, year=imp.aar,
                             blank_clears=imp.blank_sletter, user=user, kilde=imp.kilde, compare_rows=False)
    if not preview.ok:
        raise ValidationError(preview.errors[:50])
    # Lock every kommune of the file (in one order, against deadlocks) before reading the figures
    # the rows are compared with: a concurrent writer of the same kommuner has committed by now,
    # and what it wrote is what these rows are compared with.
    kommune_ids = sorted({k for k, _a in preview.pairs()})
    list(Kommune.objects.select_for_update().filter(pk__in=kommune_ids).order_by("pk").values_list("pk"))
    compare(preview, load_state(preview.pairs(), plan=preview.has_plan, tjenester=preview.has_service),
            kilde=imp.kilde, blank_clears=imp.blank_sletter)
    if not preview.ok:
        raise ValidationError(preview.errors[:50])
    changed = [r for r in preview.rows if r.changes]
    _write(changed, preview.state, user=user, ref=imp.ref, kilde=imp.kilde)
    imp.status, imp.importert, imp.melding = ImportStatus.IMPORTERT, timezone.now(), ""
    imp.importert_av = user if getattr(user, "is_authenticated", False) else None
    imp.antall_nye, imp.antall_endret = preview.counts["ny"], preview.counts["endret"]
    imp.antall_uendret, imp.antall_feil = preview.counts["uendret"], 0
    imp.save()
    return preview


# --- background runs ------------------------------------------------------------------------------

def _already_running():
    return ImportAlreadyDone(_("Importen kjører allerede i bakgrunnen."), code="kjorer")


def import_run_in_background(imp: Import, *, queue, user=None):
    """Mark the import as running and queue the worker's run after the commit: `queue(import id,
    user id)`, the task's delay (the view passes it: the tasks call this module, never the other
    way round). A preview or a failed run may be (re)started; one written or running raises
    ImportAlreadyDone."""
    with transaction.atomic():
        # skip_locked: a row locked is being written by import_confirm right now.
        status = (Import.objects.select_for_update(skip_locked=True).filter(pk=imp.pk)
                  .values_list("status", flat=True).first())
        if status is None or status == ImportStatus.KJORER:
            raise _already_running()
        if status == ImportStatus.IMPORTERT:
            raise ImportAlreadyDone(_("Denne filen er allerede importert."), code="importert")
        now = timezone.now()
        Import.objects.filter(pk=imp.pk).update(status=ImportStatus.KJORER, startet=now, sist_aktiv=now, melding="")
        user_id = user.pk if getattr(user, "is_authenticated", False) else None
        transaction.on_commit(lambda: queue(imp.pk, user_id))
    imp.status, imp.startet, imp.sist_aktiv, imp.melding = ImportStatus.KJORER, now, now, ""


def _fail(import_id, melding):
    """Mark a running import as failed (nothing was written: the write is one transaction)."""
    try:
        Import.objects.filter(pk=import_id, status=ImportStatus.KJORER).update(status=ImportStatus.FEILET,
                                                                               melding=melding)
    except Exception:  # noqa: BLE001 - e.g. the database gone; the run is then found stale
        logger.exception("Import %s: could not mark the failed run", import_id)


def import_run(import_id, user_id=None):
    """The worker's run of an import marked as running (imports.tasks). Idempotent: an import
    written, or not marked as running, does nothing. A failure marks the import failed with a
    Norwegian reason (the technical one is logged), so the page stops waiting and offers a retry."""
    imp = Import.objects.filter(pk=import_id).defer("data").first()
    if imp is None or imp.status != ImportStatus.KJORER:
        return "ingenting å gjøre"
    Import.objects.filter(pk=import_id, status=ImportStatus.KJORER).update(sist_aktiv=timezone.now())
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        import_confirm(imp, user=user, background=True)
    except ImportAlreadyDone:
        return "ingenting å gjøre"
    except ValidationError as exc:
        _fail(import_id, "\n".join(exc.messages[:50]))
        return "feilet"
    except Exception:  # noqa: BLE001 - any failure must end the run, never leave it «running»
        logger.exception("Import %s failed in the worker", import_id)
        _fail(import_id, _("Importen stoppet på grunn av en feil i systemet. Ingenting ble importert. "
                           "Prøv igjen, og kontakt brukerstøtten hvis det skjer igjen."))
        return "feilet"
    return "importert"


def import_mark_stale(imp: Import):
    """A background run without progress for settings.IMPORT_STALE_MINUTES (a worker killed, a
    task lost) is stopped: marked failed, so that the page stops polling and offers a retry.
    A run whose row is locked is being written right now, and is not stale. True when marked."""
    if imp.status != ImportStatus.KJORER:
        return False
    minutes = settings.IMPORT_STALE_MINUTES
    cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
    melding = _("Importen stoppet uten å bli ferdig (ingen fremdrift på %(min)d minutter). Ingenting ble "
                "importert. Prøv igjen.") % {"min": minutes}
    with transaction.atomic():
        stale = list(Import.objects.select_for_update(skip_locked=True)
                     .filter(Q(sist_aktiv__lt=cutoff) | Q(sist_aktiv__isnull=True, opprettet__lt=cutoff),
                             pk=imp.pk, status=ImportStatus.KJORER).values_list("pk", flat=True))
        if not stale:
            return False
        Import.objects.filter(pk=imp.pk).update(status=ImportStatus.FEILET, melding=melding)
    logger.warning("Import %s: no progress since %s, marked as stopped", imp.pk, imp.sist_aktiv)
    imp.status, imp.melding = ImportStatus.FEILET, melding
    return True


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


def _start_from(obj, mapping, sak):
    """A new row starts from the year's figures in force (what the preview compared with), so a
    row that changes one figure keeps the others."""
    prikket = []
    for f, attr in mapping.items():
        current = figure_state(sak, f)
        if isinstance(current, tuple):
            if current[0] == SUPPRESSED:
                prikket.append(attr)
        elif current is not None:
            setattr(obj, attr, current)
    obj.prikket = prikket


def _write(rows, state, *, user, ref, kilde=Kilde.IMPORT):
    by = user if getattr(user, "is_authenticated", False) else None
    now = timezone.now()
    today = timezone.localdate(now)
    new_anm, upd_anm, new_ved, upd_ved, new_bos, upd_bos = [], [], [], [], [], []
    superseding = []  # new vedtak that replace the one in force
    target = _targets(rows, state)
    for res in rows:
        key = (res.kommune.pk, res.aar)
        sak = state.saker.get(key)
        if any(f in res.changes for f in ANMODNING_FIELDS):
            a = target.anmodning.get(key)
            if a is None:
                # Letters count in the order they were sent, and an undated one before every dated
                # one: over dated letters, the import's letter is dated when imported (or with the
                # newest, if that is later) so that it is the request in force.
                sent = target.newest_sent.get(key)
                sent = max(sent, today) if sent else None
                a = Anmodning(kommune=res.kommune, aar=res.aar, antall=0, kilde=kilde, opprettet=now,
                              opprettet_av=by, dato_sendt=sent)
                _start_from(a, ANMODNING_FIELDS, sak)
                a.prikket = []  # a request is never suppressed
                new_anm.append(a)
            else:
                upd_anm.append(a)
            _apply(a, ANMODNING_FIELDS, res)
        if any(f in res.changes for f in VEDTAK_FIELDS):
            v = target.vedtak.get(key)
            if v is not None and v.kilde in OWN_KILDER and not v.aar_til:
                upd_ved.append(v)
            else:
                old = v
                v = Vedtak(kommune=res.kommune, aar=res.aar, kilde=kilde, opprettet=now, opprettet_av=by,
                           status=VedtakStatus.FATTET)
                if old is not None:
                    v.antall, v.herav_ema, v.prikket = old.antall, old.herav_ema, list(old.prikket or [])
                    v.status = old.status
                    superseding.append(v)
                new_ved.append(v)
            _apply(v, VEDTAK_FIELDS, res)
        if any(f in res.changes for f in BOSATT_FIELDS):
            b = target.bosatt.get(key)
            if b is None:
                b = Bosatt(kommune=res.kommune, aar=res.aar, maaned=Bosatt.HELE_AARET, kilde=kilde, opprettet=now,
                           opprettet_av=by)
                _start_from(b, BOSATT_FIELDS, sak)  # e.g. the sum of the months
                new_bos.append(b)
            else:
                upd_bos.append(b)
            _apply(b, BOSATT_FIELDS, res)
    bulk_insert(Anmodning, new_anm)
    Anmodning.objects.bulk_update(upd_anm, [*ANMODNING_FIELDS.values(), "prikket"], batch_size=1000)
    # Vedtak that supersede another need their keys (erstattet_av points at them); the rest go
    # through COPY. Supersession itself is the agreement's one implementation, which records it.
    Vedtak.objects.bulk_create(superseding, batch_size=1000)
    bulk_insert(Vedtak, [v for v in new_ved if v.pk is None])
    Vedtak.objects.bulk_update(upd_ved, [*VEDTAK_FIELDS.values(), "status", "prikket"], batch_size=1000)
    vedtak_supersede(superseding, by=by, import_ref=ref)
    bulk_insert(Bosatt, new_bos)
    Bosatt.objects.bulk_update(upd_bos, [*BOSATT_FIELDS.values(), "prikket"], batch_size=1000)
    # The settlement plan: one revision per kommune-year that changes, by its one service (which
    # records it in words, tagged with the import), under the locks import_confirm holds.
    for res in rows:
        if any(f in layouts.PLAN_MONTH for f in res.changes):
            plan_register(kommune=res.kommune, aar=res.aar, by=by, import_ref=ref,
                          maaneder=plan_months(res, state.plan.get((res.kommune.pk, res.aar), {})))
    _write_service(rows, state, by=by, ref=ref, kilde=kilde, now=now)
    # One history entry per row whose figures changed (kommune and year), tagged with the import,
    # in this transaction (its plan and service changes have their own entries above).
    import_type = ContentType.objects.get_for_model(Import)
    request_id = current_request_id.get()
    entries = [
        Endring(bruker=by, handling="import.rad", content_type=import_type, object_id=ref.split(":")[1],
                objekt=f"{res.kommune} {res.aar}"[:200], kommune=res.kommune, aar=res.aar,
                endringer=figures, import_ref=ref, request_id=request_id, tidspunkt=now)
        for res in rows
        if (figures := {f: [_json(old), _json(new)] for f, (old, new) in res.changes.items()
                        if f not in layouts.PLAN_MONTH and f not in layouts.SERVICE})
    ]
    _require_transaction()
    bulk_insert(Endring, entries)


def _write_service(rows, state, *, by, ref, kilde, now):
    """The rows' service-pressure changes in bulk: new Tjenestekapasitet rows created, the others
    updated, and each one's history entry as the kommune page's own form records it
    («tjenester.registrert»/«tjenester.endret»), tagged with the import."""
    new, updated, entries = [], [], []
    touched = set()
    for res in rows:
        changes = {layouts.SERVICE[f][0]: v for f, (_old, v) in res.changes.items() if f in layouts.SERVICE}
        if not changes:
            continue
        obj = state.tjenester.get((res.kommune.pk, res.aar))
        before = snapshot(obj) if obj is not None else None
        if obj is None:
            obj = Tjenestekapasitet(kommune=res.kommune, aar=res.aar, kilde=kilde, opprettet=now, opprettet_av=by)
            new.append((obj, before))
        else:
            updated.append((obj, before))
        for attr, value in changes.items():
            setattr(obj, attr, value)
        touched |= changes.keys()
    if not new and not updated:
        return
    Tjenestekapasitet.objects.bulk_create([o for o, _b in new], batch_size=1000)  # keys for the history
    Tjenestekapasitet.objects.bulk_update([o for o, _b in updated], sorted(touched), batch_size=1000)
    for obj, before in [*new, *updated]:
        entries.append(history_entry(obj=obj, handling="tjenester.endret" if before else "tjenester.registrert",
                                     by=by, before=before, import_ref=ref))
    history_record_bulk(entries)
