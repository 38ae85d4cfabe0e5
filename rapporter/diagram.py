"""Geometry for the server-rendered SVG charts (the templates only draw what is computed here)."""

from django.utils.translation import gettext_lazy as _

from bosetting.oversikt import tall_tekst
from bosetting.status import Tall

SERIER = [("anmodet", _("Anmodet")), ("vedtatt", _("Vedtatt")), ("bosatt", _("Bosatt"))]


def _nice_max(v):
    """A round upper bound for the axis (1, 2 or 5 times a power of ten)."""
    if v <= 0:
        return 1
    p = 10 ** (len(str(int(v))) - 1)
    for m in (1, 2, 5, 10):
        if v <= m * p:
            return m * p
    return 10 * p


def stolper(verdier):
    """Horizontal bars for the headline: each value (a number or a Tall) as a percentage of the
    largest, labelled as the figure above it says it («≥ N (k skjult)» for a lower bound)."""
    tall = [v if isinstance(v, Tall) else Tall(v) for _k, _l, v in verdier]
    top = max([t.verdi for t in tall if t.verdi] or [1])
    return [{"klasse": k, "tekst": label, "verdi": t.verdi, "vis": tall_tekst(t) or "–",
             "prosent": 0 if not t.verdi else max(1, round(100 * t.verdi / top))}
            for (k, label, _v), t in zip(verdier, tall, strict=True)]


def trenddiagram(trend, width=640, height=260, *, med_behov=True):
    """Grouped bars per year (anmodet, vedtatt, bosatt) and, with `med_behov` (the whole country),
    the national need as a marker. The axis is the chart's own figures': a selection of a few
    kommuner is not drawn against the national need, which would flatten its bars."""
    left, bottom, top_pad = 56, 28, 12
    plot_h = height - bottom - top_pad
    values = [getattr(p, s).verdi or 0 for p in trend for s, _l in SERIER]
    if med_behov:
        values += [p.behov or 0 for p in trend]
    ymax = max(_nice_max(max(values or [0])), 4)  # at least 4: five distinct whole-number ticks
    group_w = (width - left - 8) / max(len(trend), 1)
    bar_w = group_w * 0.8 / len(SERIER)
    bars, labels, marks = [], [], []
    for i, p in enumerate(trend):
        gx = left + i * group_w + group_w * 0.1
        for j, (s, label) in enumerate(SERIER):
            v = getattr(p, s).verdi
            h = 0 if not v else plot_h * v / ymax
            bars.append({"x": round(gx + j * bar_w, 1), "y": round(top_pad + plot_h - h, 1), "w": round(bar_w - 2, 1),
                         "h": round(h, 1), "klasse": s, "tittel": f"{p.aar} {label}: {v if v is not None else '–'}"})
        labels.append({"x": round(gx + group_w * 0.4, 1), "y": height - 8, "tekst": p.aar})
        if med_behov and p.behov:
            y = round(top_pad + plot_h - plot_h * p.behov / ymax, 1)
            marks.append({"x1": round(gx - 2, 1), "x2": round(gx + group_w * 0.8 + 2, 1), "y": y,
                          "tittel": f"{p.aar} {_('Behov')}: {p.behov}"})
    ticks = [{"y": round(top_pad + plot_h - plot_h * f, 1), "tekst": f"{round(ymax * f):,}".replace(",", "\u00a0")}
             for f in (0, 0.25, 0.5, 0.75, 1)]
    return {"width": width, "height": height, "bars": bars, "labels": labels, "marks": marks, "ticks": ticks,
            "left": left, "base": top_pad + plot_h, "serier": SERIER, "med_behov": med_behov}
