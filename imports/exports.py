"""Exports in the long layout (one row per kommune and year), which import back unchanged.

Written by the one exporter (core.export): cells that a spreadsheet would run as a formula are
neutralised, figures are numbers, and a figure that is not a number has a blank cell and its
marker in the column after it, «<figure> merknad»: «skjult» (suppressed) or «avventer vedtak»
(a pending vedtak). The import reads those columns back (imports.layouts). An export "for
publication" suppresses small counts as IMDi does (see `suppress_for_publication`).
"""

import tablib
from django.utils import timezone

from bosetting.selectors import saker_for_par
from bosetting.status import FIGURER, KOMMUNE_GAP
from core.export import Merknad, neutralise, sheet_title, with_marker_columns
from kommuner.models import Kommune

from .layouts import (
    JA,
    MARKER_TEXT,
    NEI,
    PENDING,
    PLAN_BOLIGER,
    PLAN_FIELDS,
    PLAN_PLASSER,
    SERVICE,
    SERVICE_FIELDS,
    SERVICE_TEKST,
    SUPPRESSED,
)
from .services import figure_state, has_figures, load_plan, load_tjenester

HEADERS = ["kommunenummer", "kommune", "år", *(f.navn for f in FIGURER)]
# After the figures, the kommune-year's gaps by their names in bosetting.status.GAP (derived: an
# import of this file ignores them): a number, ':' when a figure in it is hidden, blank if unknown.
GAP_HEADERS = [g.navn for g in KOMMUNE_GAP]
# Last, the settlement plan in force (imports.layouts.PLAN_FIELDS: «plan jan» … «plan des»,
# «boliger jan» … «boliger des»), blank where a month has none; an import of the file revises it.
PLAN_HEADERS = list(PLAN_FIELDS)
# Then the service pressure (imports.layouts.SERVICE): places, «ja»/«nei», the date the reception
# centre opened, the notes; blank where unknown. An export for publication leaves the notes out
# (free text written for advisers, not for publishing).
SERVICE_HEADERS = list(SERVICE_FIELDS)
# Every column after the key columns, in order.
TAIL = HEADERS[3:] + GAP_HEADERS + PLAN_HEADERS + SERVICE_HEADERS
SUPPRESS_BELOW = 5
# Sub-counts per total that publication hides when small.
SUBCOUNTS = {"bosatt": ["bosatt_ema", "bosatt_kollektiv"], "avtalt": ["avtalt_kollektiv"],
             "anmodning": ["anmodning_ema"], "vedtak": ["vedtak_ema"]}
# The fixed marker texts (not translated: the file imports back), as the import reads them.
MARKERS = {SUPPRESSED: Merknad(MARKER_TEXT[SUPPRESSED]), PENDING: Merknad(MARKER_TEXT[PENDING])}



def long_rows(kommuner, years):
    """{(kommune id, år): {figure: value}} for the given kommuner: the engine's figures for each
    kommune's own case (bosetting.selectors.saker_for_par), the same as the overview shows, with
    ':' for suppressed and 'avventer vedtak' for a pending vedtak in force; only kommune-years with
    something registered. Suppressed and pending figures are `Merknad`s («skjult», «avventer
    vedtak»)."""
    pairs = [(k.pk, y) for k in kommuner for y in years]
    saker = saker_for_par(pairs)
    out = {key: {**{f.navn: _cell(figure_state(sak, f.navn)) for f in FIGURER},
                 **{g.navn: _gap_cell(sak.gap(g.navn)) for g in KOMMUNE_GAP}}
           for key, sak in saker.items() if has_figures(sak)}
    # The plan in force (one query); a kommune-year with a plan and no figures gets a row too.
    for key, plan in load_plan(pairs).items():
        values = out.setdefault(key, {})
        for m, (plasser, boliger) in plan.items():
            values[PLAN_PLASSER[m]], values[PLAN_BOLIGER[m]] = plasser, boliger
    for key, t in load_tjenester(pairs).items():
        values = out.setdefault(key, {})
        for f, (attr, _kind) in SERVICE.items():
            values[f] = _service_cell(getattr(t, attr))
    return out


def _service_cell(value):
    if value is True or value is False:
        return JA if value else NEI
    return value if value != "" else None


def _gap_cell(t):
    if t.skjulte:
        return MARKERS[SUPPRESSED]
    return t.verdi


def _cell(state):
    return MARKERS[state[0]] if isinstance(state, tuple) else state


def suppress_for_publication(values: dict) -> dict:
    """IMDi's rule: a sub-count below 5 is hidden, and so is a sub-count whose complement
    (total minus the sub-count) is below 5, since publishing it would reveal that small number."""
    out = dict(values)
    for total, parts in SUBCOUNTS.items():
        whole = values.get(total)
        for p in parts:
            part = values.get(p)
            if not isinstance(part, int):
                continue
            complement = whole - part if isinstance(whole, int) else None
            if 0 < part < SUPPRESS_BELOW or (complement is not None and 0 < complement < SUPPRESS_BELOW):
                out[p] = MARKERS[SUPPRESSED]
    return out


def export_rows(user, years, *, publication=False, kommuner=None):
    """Headers and rows in the long layout for the kommuner the user may see, with a marker column
    after each figure (core.export.with_marker_columns)."""
    qs = kommuner if kommuner is not None else Kommune.objects.for_user(user)
    kommuner = list(qs.order_by("nummer"))
    by_id = {k.pk: k for k in kommuner}
    rows = []
    for (kid, aar), values in sorted(long_rows(kommuner, years).items(),
                                     key=lambda kv: (by_id[kv[0][0]].nummer, kv[0][1])):
        if publication:
            values = suppress_for_publication(values)
            values.update({f: None for f, (_a, kind) in SERVICE.items() if kind == SERVICE_TEKST})
        k = by_id[kid]
        rows.append([k.nummer, k.navn, aar, *[values.get(n) for n in TAIL]])
    return with_marker_columns(HEADERS + GAP_HEADERS + PLAN_HEADERS + SERVICE_HEADERS, rows,
                               range(3, len(HEADERS) + len(GAP_HEADERS)))


def export_title(years):
    years = sorted(set(years)) or [timezone.localdate().year]
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return sheet_title(f"Bosetting {span}")


def export_dataset(user, years, *, publication=False, kommuner=None):
    """The long layout as a tablib Dataset (every text cell neutralised)."""
    headers, rows = export_rows(user, years, publication=publication, kommuner=kommuner)
    data = tablib.Dataset(headers=headers, title=export_title(years))
    for row in rows:
        data.append([neutralise(v) for v in row])
    return data
