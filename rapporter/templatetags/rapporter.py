from django import template

from rapporter.kart import kart_data

register = template.Library()


@register.inclusion_tag("rapporter/_kart.html", takes_context=True)
def rapport_kart(context, rader, maal=None):
    """The map for any list of overview rows (bosetting.oversikt.Rad), e.g. on /oversikt/:
    `{% load rapporter %}{% rapport_kart view.rader request.GET.maal %}`. No queries."""
    return {"kart": kart_data(rader, maal or "vedtak"), "request": context.get("request")}


@register.inclusion_tag("rapporter/_kommune_header.html", takes_context=True)
def rapport_kommune_header(context, kommune, aar=None, sak=None, aapne_punkter=None):
    """The compact status header on the kommune page: `{% rapport_kommune_header object %}`.
    A fixed number of queries (rapporter.selectors.kommune_header_context)."""
    from rapporter.selectors import kommune_header_context

    request = context.get("request")
    return kommune_header_context(kommune, getattr(request, "user", None), aar=aar, sak=sak,
                                  aapne_punkter=aapne_punkter)
