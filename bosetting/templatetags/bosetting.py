from django import template

from bosetting.kart import kart_data
from bosetting.oversikt import _fmt
from bosetting.oversikt import tall_tekst as _tall_tekst
from bosetting.status import GAP, behov_vedtak

register = template.Library()


@register.filter
def tall_tekst(value):
    return _tall_tekst(value)


@register.filter
def tall(value):
    return "" if value is None else _fmt(value)


@register.filter
def prosent(value):
    return "" if value is None else f"{round(value * 100)}\u00a0%"


@register.filter
def without_aar(form):
    """The filter form without its year field (the page renders the year as a select)."""
    form.fields.pop("aar", None)
    return form


@register.inclusion_tag("bosetting/_kart.html", takes_context=True)
def rapport_kart(context, rader, maal=None):
    """The map for any list of overview rows (bosetting.oversikt.Rad), e.g. on /oversikt/:
    `{% load bosetting %}{% rapport_kart view.rader request.GET.maal %}`. No queries."""
    return {"kart": kart_data(rader, maal or "vedtak"), "request": context.get("request")}


@register.inclusion_tag("bosetting/_gap.html")
def gap_liste(rad, behov=None, gruppert=False):
    """The gaps of an overview row (bosetting.oversikt.Rad) by their names and formulas, each
    linked to its definition: `{% gap_liste rad behov %}` inside a <dl>. With `behov` (the
    national need: a number or a Bosettingsbehov; only for the whole country) also «behov − vedtak»."""
    out = []
    for g in GAP:
        if g.kun_nasjonal:
            if behov is None:
                continue
            verdi = behov_vedtak(getattr(behov, "antall", behov), rad.vedtatt)
        else:
            verdi = getattr(rad, g.attr)
        out.append({"gap": g, "verdi": verdi})
    return {"gaps": out, "gruppert": gruppert}
