from django import template

register = template.Library()


@register.inclusion_tag("rapporter/_kommune_header.html", takes_context=True)
def rapport_kommune_header(context, kommune, aar=None, sak=None, plan=None):
    """The compact status header on the kommune page: `{% rapport_kommune_header object %}`.
    A fixed number of queries (rapporter.selectors.kommune_header_context)."""
    from rapporter.selectors import kommune_header_context

    request = context.get("request")
    return kommune_header_context(kommune, getattr(request, "user", None), aar=aar, sak=sak, plan=plan)


@register.inclusion_tag("rapporter/_fylkesrapporter.html", takes_context=True)
def fylkesrapport_lenker(context, aar=None, rader=None):
    """A link to the county report of each fylke the user may see: on the overview, the fylker of
    its rows whose kommune the user may open (`rader`, no query: the report's rule is a kommune of
    the fylke in the user's scope); without rows, fylker_for_user (one query)."""
    from rapporter.selectors import fylker_for_user

    if rader is not None:
        fylker = sorted({(r.fylke_nr, r.fylke) for r in rader if not r.niva and r.url and r.fylke_nr})
        return {"fylker": [{"nummer": nr, "navn": navn} for nr, navn in fylker], "aar": aar}
    request = context.get("request")
    return {"fylker": list(fylker_for_user(getattr(request, "user", None))), "aar": aar}


@register.filter
def desimal(value):
    """A number with one decimal, Norwegian style (1 234,5); empty for None."""
    if value is None:
        return ""
    return f"{value:,.1f}".replace(",", "\u00a0").replace(".", ",")


@register.filter
def prosent_presis(value):
    """A share as a percentage with one decimal (0,1 %), so a small error is not shown as 0 %."""
    if value is None:
        return ""
    return f"{value * 100:.1f}".replace(".", ",") + "\u00a0%"


@register.simple_tag
def kommune_gap(rad=None):
    """The kommune-year gaps (bosetting.status.KOMMUNE_GAP) of an overview row, as
    [{"gap": Gap, "verdi": Tall}]; without a row, the gaps alone (for column headings)."""
    from bosetting.status import KOMMUNE_GAP

    if rad is None:
        return list(KOMMUNE_GAP)
    return [{"gap": g, "verdi": getattr(rad, g.attr)} for g in KOMMUNE_GAP]
