"""Exports in the long layout (one row per kommune and year), which import back unchanged.

Cells that a spreadsheet would run as a formula are neutralised. An export "for publication"
suppresses small counts as IMDi does (see `suppress_for_publication`).
"""

from collections import defaultdict

import tablib
from django.db.models import Q

from bosetting.models import Bosatt
from kommuner.models import Kommune
from vedtak.choices import VedtakStatus
from vedtak.models import Anmodning, Vedtak
from vedtak.rules import request_in_force

from .layouts import FIELDS

HEADERS = ["kommunenummer", "kommune", "år", *FIELDS]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SUPPRESS_BELOW = 5
# Sub-counts per total that publication hides when small.
SUBCOUNTS = {"bosatt": ["bosatt_ema", "bosatt_kollektiv"], "avtalt": ["avtalt_kollektiv"],
             "anmodning": ["anmodning_ema"], "vedtak": ["vedtak_ema"]}


def neutralise(value):
    """Prefix text a spreadsheet would treat as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and value not in (":", "-"):
        return "'" + value
    return value


def long_rows(kommuner, years):
    """{(kommune, år): {field: value or ':' or 'avventer vedtak'}} for the given kommuner, in 4 queries."""
    ids = [k.pk for k in kommuner]
    rows = defaultdict(dict)
    anm = defaultdict(list)
    for a in Anmodning.objects.filter(kommune_id__in=ids, aar__in=years):
        anm[(a.kommune_id, a.aar)].append(a)
    for key, letters in anm.items():
        total, ema = request_in_force(letters)
        last = max(letters, key=lambda a: (a.opprettet, a.pk))
        rows[key].update(anmodning=total, anmodning_ema=ema, anmodning_ema_under_15=last.ema_under_15,
                         anmodning_ema_15_18=last.ema_15_18)
    q = Q()
    for y in years:
        q |= Q(aar=y, aar_til__isnull=True) | Q(aar__lte=y, aar_til__gte=y)
    for v in Vedtak.objects.filter(q, kommune_id__in=ids, erstattet_av__isnull=True):
        for y in years:
            if v.gjelder_aar(y):
                value = "avventer vedtak" if v.status == VedtakStatus.AVVENTER else (
                    ":" if v.er_prikket("antall") else v.antall)
                rows[(v.kommune_id, y)].update(vedtak=value, vedtak_ema=":" if v.er_prikket("herav_ema")
                                               else v.herav_ema)
    for b in Bosatt.objects.filter(kommune_id__in=ids, aar__in=years, maaned=0):
        rows[(b.kommune_id, b.aar)].update({
            f: (":" if b.er_prikket(attr) else getattr(b, attr))
            for f, attr in (("bosatt", "antall"), ("bosatt_ema", "herav_ema"), ("bosatt_kollektiv", "herav_kollektiv"),
                            ("avtalt", "avtalt"), ("avtalt_kollektiv", "avtalt_kollektiv"))
        })
    return rows


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
    data = tablib.Dataset(headers=HEADERS)
    for (kid, aar), values in sorted(rows.items(), key=lambda kv: (by_id[kv[0][0]].nummer, kv[0][1])):
        if publication:
            values = suppress_for_publication(values)
        k = by_id[kid]
        data.append([neutralise(k.nummer), neutralise(k.navn), aar,
                     *[neutralise(values.get(f)) if values.get(f) is not None else "" for f in FIELDS]])
    return data
