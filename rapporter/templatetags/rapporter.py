from django import template

from rapporter.kart import kart_data

register = template.Library()


@register.inclusion_tag("rapporter/_kart.html", takes_context=True)
def rapport_kart(context, rader, maal=None):
    """The map for any list of overview rows (bosetting.oversikt.Rad), e.g. on /oversikt/:
    `{% load rapporter %}{% rapport_kart view.rader request.GET.maal %}`. No queries."""
    return {"kart": kart_data(rader, maal or "vedtak"), "request": context.get("request")}
