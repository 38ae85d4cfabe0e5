"""Exports in the long layout (one row per kommune and year), which import back unchanged.

Cells that a spreadsheet would run as a formula are neutralised (core.export.neutralise, the one
exporter every download uses). An export "for publication"
suppresses small counts as IMDi does (see `suppress_for_publication`).
"""

import tablib

from bosetting.selectors import saker_for_par
from bosetting.status import FIGURER, KOMMUNE_GAP
from core.export import neutralise
from kommuner.models import Kommune

from .layouts import PENDING, SUPPRESSED
from .services import figure_state, has_figures

HEADERS = ["kommunenummer", "kommune", "år", *(f.navn for f in FIGURER)]
# After the figures, the kommune-year's gaps by their names in bosetting.status.GAP (derived: an
# import of this file ignores them): a number, ':' when a figure in it is hidden, blank if unknown.
GAP_HEADERS = [g.navn for g in KOMMUNE_GAP]
SUPPRESS_BELOW = 5
# Sub-counts per total that publication hides when small.
SUBCOUNTS = {"bosatt": ["bosatt_ema", "bosatt_kollektiv"], "avtalt": ["avtalt_kollektiv"],
             "anmodning": ["anmodning_ema"], "vedtak": ["vedtak_ema"]}
MARKERS = {SUPPRESSED: ":", PENDING: "avventer vedtak"}  # as IMDi writes them, and as an import reads them



def long_rows(kommuner, years):
    """{(kommune id, år): {figure: value}} for the given kommuner: the engine's figures for each
    kommune's own case (bosetting.selectors.saker_for_par), the same as the overview shows, with
    ':' for suppressed and 'avventer vedtak' for a pending vedtak in force; only kommune-years with
    something registered."""
    saker = saker_for_par((k.pk, y) for k in kommuner for y in years)
    return {key: {**{f.navn: _cell(figure_state(sak, f.navn)) for f in FIGURER},
                  **{g.navn: _gap_cell(sak.gap(g.navn)) for g in KOMMUNE_GAP}}
            for key, sak in saker.items() if has_figures(sak)}


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
                out[p] = ":"
    return out


def export_dataset(user, years, *, publication=False, kommuner=None):
    """A tablib Dataset in the long layout for the kommuner the user may see."""
    qs = kommuner if kommuner is not None else Kommune.objects.for_user(user)
    kommuner = list(qs.order_by("nummer"))
    by_id = {k.pk: k for k in kommuner}
    rows = long_rows(kommuner, years)
    data = tablib.Dataset(headers=HEADERS + GAP_HEADERS)
    for (kid, aar), values in sorted(rows.items(), key=lambda kv: (by_id[kv[0][0]].nummer, kv[0][1])):
        if publication:
            values = suppress_for_publication(values)
        k = by_id[kid]
        data.append([neutralise(k.nummer), neutralise(k.navn), aar,
                     *[neutralise(values.get(n)) if values.get(n) is not None else ""
                       for n in HEADERS[3:] + GAP_HEADERS]])
    return data
