"""The map of Norway as inline SVG, drawn on the server from Kartverket's kommune boundaries.

The TopoJSON file (bosetting/data/kommuner_2024_S.topojson, Kartverket, CC BY 4.0) has no
transform: arcs are absolute lon/lat. Each arc is projected and simplified once (Douglas–Peucker),
so neighbouring kommuner still share exactly the same border; the result is cached in-process.
County borders are the arcs whose two sides lie in different fylker, so no second file is needed.
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy

DATA = Path(__file__).resolve().parent / "data" / "kommuner_2024_S.topojson"
KILDE = "Kartverket, CC BY 4.0"

LON0 = 15.0
COS_LAT = math.cos(math.radians(65))
SCALE = 100  # map units per degree of latitude; integer coordinates are ~1 km apart
TOLERANCE = 0.9  # Douglas–Peucker tolerance in map units


def project(lon, lat):
    return ((lon - LON0) * COS_LAT * SCALE, -lat * SCALE)


def _perp_dist(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def douglas_peucker(points, tolerance):
    """Keep the first and last point and every point farther than `tolerance` from the
    simplified line (iterative, so long coastlines do not hit the recursion limit)."""
    n = len(points)
    if n < 3:
        return list(points)
    if points[0] == points[-1]:
        # A closed arc (an island): split at the point farthest from the start so the ring
        # keeps an area instead of collapsing to its two identical end points.
        far = max(range(1, n - 1), key=lambda i: math.dist(points[0], points[i]))
        first = douglas_peucker(points[: far + 1], tolerance)
        second = douglas_peucker(points[far:], tolerance)
        return first + second[1:]
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        lo, hi = stack.pop()
        best, idx = 0.0, None
        for i in range(lo + 1, hi):
            d = _perp_dist(points[i], points[lo], points[hi])
            if d > best:
                best, idx = d, i
        if idx is not None and best > tolerance:
            keep[idx] = True
            stack += [(lo, idx), (idx, hi)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _rings(geometry):
    if geometry["type"] == "Polygon":
        return list(geometry["arcs"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["arcs"] for ring in polygon]
    return []


def _ring_points(ring, arcs):
    pts = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        pts += arc if not pts else arc[1:]
    return pts


def _path(rings_pts):
    parts = []
    for pts in rings_pts:
        # Drop repeated points after rounding; a ring needs three distinct corners to show.
        out = []
        for x, y in pts:
            p = (round(x), round(y))
            if not out or out[-1] != p:
                out.append(p)
        if len(out) < 4:
            continue
        (x0, y0), rest = out[0], out[1:]
        seg = [f"M{x0} {y0}"]
        px, py = x0, y0
        for x, y in rest:  # relative coordinates are shorter
            seg.append(f"l{x - px} {y - py}")
            px, py = x, y
        parts.append("".join(seg) + "z")
    return "".join(parts)


@dataclass(frozen=True)
class Kart:
    viewbox: str
    kommuner: tuple  # (kommunenummer, navn, path d) sorted by number
    bbox: dict  # kommunenummer → (xmin, ymin, xmax, ymax) in map units
    fylkesgrenser: str  # one path with the borders between fylker


@lru_cache(maxsize=2)
def kart(tolerance=TOLERANCE):
    topo = json.loads(DATA.read_text(encoding="utf-8"))
    obj = topo["objects"]["Kommuner"]
    arcs = [douglas_peucker([project(lon, lat) for lon, lat in arc], tolerance) for arc in topo["arcs"]]
    # Which fylker use each arc (the first two digits of the kommunenummer).
    arc_fylker = {}
    kommuner, bbox = [], {}
    for g in obj["geometries"]:
        nr = g["properties"]["kommunenummer"]
        rings = _rings(g)
        for ring in rings:
            for i in ring:
                arc_fylker.setdefault(i if i >= 0 else ~i, []).append(nr[:2])
        pts = [_ring_points(r, arcs) for r in rings]
        flat = [p for ring in pts for p in ring]
        bbox[nr] = (min(x for x, _ in flat), min(y for _, y in flat), max(x for x, _ in flat), max(y for _, y in flat))
        kommuner.append((nr, g["properties"]["kommunenavn"], _path(pts)))
    grenser = [arcs[i] for i, f in arc_fylker.items() if len(f) == 2 and f[0] != f[1]]
    fylkesgrenser = "".join(_line(pts) for pts in grenser)
    xs = [x for a in arcs for x, _ in a]
    ys = [y for a in arcs for _, y in a]
    pad = 5
    x0, y0 = math.floor(min(xs)) - pad, math.floor(min(ys)) - pad
    w, h = math.ceil(max(xs)) - x0 + pad, math.ceil(max(ys)) - y0 + pad
    return Kart(f"{x0} {y0} {w} {h}", tuple(sorted(kommuner)), bbox, fylkesgrenser)


def _line(pts):
    out = []
    for x, y in pts:
        p = (round(x), round(y))
        if not out or out[-1] != p:
            out.append(p)
    if len(out) < 2:
        return ""
    (x0, y0), rest = out[0], out[1:]
    seg, px, py = [f"M{x0} {y0}"], x0, y0
    for x, y in rest:
        seg.append(f"l{x - px} {y - py}")
        px, py = x, y
    return "".join(seg)


# --- colouring by a measure --------------------------------------------------------------------

MAAL = {
    "vedtak": gettext_lazy("Vedtak som andel av anmodning"),
    "bosatt": gettext_lazy("Bosatt som andel av vedtak"),
    "status": gettext_lazy("Status"),
}
# Share classes: (key, lower bound inclusive, label). Each has its own colour AND pattern.
ANDEL_KLASSER = [("a0", 0.0, gettext_lazy("under 50 %")), ("a1", 0.5, gettext_lazy("50–89 %")),
                 ("a2", 0.9, gettext_lazy("90–99 %")), ("a3", 1.0, gettext_lazy("100 % eller mer"))]
INGEN = "ingen"


def _andel_klasse(verdi):
    if verdi is None:
        return INGEN
    key = ANDEL_KLASSER[0][0]
    for k, lower, _label in ANDEL_KLASSER:
        if verdi >= lower:
            key = k
    return key


def maal_verdi(rad, maal):
    """The measure for one overview row (bosetting.oversikt.Rad): a share, a status or None."""
    if maal == "status":
        return rad.status_kode or None
    if maal == "bosatt":
        v, b = rad.vedtatt, rad.bosatt
        if not v.verdi or v.skjulte or b.verdi is None or b.skjulte:
            return None
        return b.verdi / v.verdi
    a, v = rad.anmodet, rad.vedtatt
    if not a.verdi or v.verdi is None or v.skjulte:
        return None
    return v.verdi / a.verdi


def kart_data(rader, maal="vedtak", prognoser=None):
    """Everything the map template needs: one entry per kommune in the boundary file (kommuner
    without a row are drawn neutral and not linked), the legend with counts, and the measure."""
    from django.utils.translation import gettext as _

    from .choices import SakStatus
    from .oversikt import tall_tekst

    if maal not in MAAL:
        maal = "vedtak"
    geo = kart()
    by_nr = {r.kommunenummer: r for r in rader if not r.er_sum}
    counts = {}
    kommuner = []
    # Translated once, not per kommune.
    utenfor = _("%(nr)s %(navn)s: ikke i utvalget")
    mal = _("%(nr)s %(navn)s. Anmodet %(a)s, vedtatt %(v)s, bosatt %(b)s. Status: %(s)s.")
    andel_mal, maal_tekst = _("%(maal)s: %(andel)s."), str(MAAL[maal])
    prognoser = prognoser or {}
    for nr, navn, d in geo.kommuner:
        r = by_nr.get(nr)
        if r is None:
            kommuner.append({"nr": nr, "d": d, "klasse": "utenfor", "url": None,
                             "tekst": utenfor % {"nr": nr, "navn": navn}})
            continue
        verdi = maal_verdi(r, maal)
        klasse = (verdi or INGEN) if maal == "status" else _andel_klasse(verdi)
        counts[klasse] = counts.get(klasse, 0) + 1
        andel = "" if verdi is None or maal == "status" else f"{round(verdi * 100)} %"
        tekst = mal % {
            "nr": nr, "navn": r.kommune, "a": tall_tekst(r.anmodet) or "–", "v": tall_tekst(r.vedtatt) or "–",
            "b": tall_tekst(r.bosatt) or "–", "s": r.status or "–"}
        if andel:
            tekst += " " + andel_mal % {"maal": maal_tekst, "andel": andel}
        kommuner.append({"nr": nr, "d": d, "klasse": klasse, "url": r.url, "tekst": tekst, "rad": r,
                         "verdi": verdi, "andel": andel, "prognose": prognoser.get(nr)})
    if maal == "status":
        legend = [{"klasse": s.value, "tekst": s.label, "antall": counts.get(s.value, 0)} for s in SakStatus]
    else:
        legend = [{"klasse": k, "tekst": label, "antall": counts.get(k, 0)} for k, _lo, label in ANDEL_KLASSER]
    legend.append({"klasse": INGEN, "tekst": _("Kan ikke beregnes (mangler eller skjult)"),
                   "antall": counts.get(INGEN, 0)})
    # Status classes nobody has are left out; the share classes and "none" always show.
    legend = [x for x in legend if x["antall"] or maal != "status"]
    return {"viewbox": _zoom(geo, by_nr) or geo.viewbox, "kommuner": kommuner, "fylkesgrenser": geo.fylkesgrenser,
            "stier": _stier(kommuner), "tabellrader": None if prognoser else _tabellrader(kommuner),
            "legend": legend, "maal": maal, "prognose": bool(prognoser), "maal_tekst": MAAL[maal], "valg": MAAL,
            "kilde": KILDE}


def _stier(kommuner):
    """The SVG shapes, one per kommune (a link where the user may open it), built here rather than
    in the template: 357 shapes with long paths were a third of the overview's rendering."""
    import html

    from django.utils.safestring import mark_safe

    out = []
    for k in kommuner:
        klasse, tekst = html.escape(k["klasse"]), html.escape(str(k["tekst"]))
        if k["url"]:
            out.append(f'<a href="{html.escape(k["url"])}" class="kart__k k-{klasse}" data-nr="{k["nr"]}">'
                       f'<title>{tekst}</title><path d="{k["d"]}"/></a>\n')
        else:
            out.append(f'<path class="kart__k k-{klasse}" d="{k["d"]}"><title>{tekst}</title></path>\n')
    return mark_safe("".join(out))  # noqa: S308 (text escaped; nr and d are digits and path commands)


def _tabellrader(kommuner):
    """The rows of the map's table («Kartet som tabell»), as _kart.html's loop makes them (that
    loop is kept for the table with forecasts): 357 rows of template lookups were a fifth of
    the overview's rendering."""
    import html

    from django.utils.safestring import mark_safe

    from .oversikt import tall_tekst

    def tall(t):
        return html.escape(tall_tekst(t))

    out = []
    for k in kommuner:
        r = k.get("rad")
        if not r:
            continue
        navn = f'{html.escape(k["nr"])} {html.escape(str(r.kommune))}'
        if k["url"]:
            navn = f'<a class="ds-link" href="{html.escape(k["url"])}">{navn}</a>'
        out.append(f'\n          <tr><th scope="row">{navn}</th><td class="app-num">{tall(r.anmodet)}</td>'
                   f'<td class="app-num">{tall(r.vedtatt)}</td><td class="app-num">{tall(r.bosatt)}</td>'
                   f'<td>{html.escape(str(r.status))}</td><td class="app-num">{html.escape(str(k["andel"]))}</td></tr>')
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


def _zoom(geo, by_nr):
    """A selection of a few kommuner (a Statsforvalter's, a fylke) is shown close up: the view box
    is their bounding box with a margin. The whole country keeps the full view."""
    boxes = [geo.bbox[nr] for nr in by_nr if nr in geo.bbox]
    if not boxes or len(boxes) > len(geo.bbox) * 0.8:
        return None
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    pad = max(x1 - x0, y1 - y0, 20) * 0.08
    x, y = math.floor(x0 - pad), math.floor(y0 - pad)
    return f"{x} {y} {math.ceil(x1 + pad) - x} {math.ceil(y1 + pad) - y}"
