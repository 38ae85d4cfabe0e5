from django import template

register = template.Library()


@register.inclusion_tag("rapporter/_kommune_header.html", takes_context=True)
def rapport_kommune_header(context, kommune, aar=None, sak=None, aapne_punkter=None):
    """The compact status header on the kommune page: `{% rapport_kommune_header object %}`.
    A fixed number of queries (rapporter.selectors.kommune_header_context)."""
    from rapporter.selectors import kommune_header_context

    request = context.get("request")
    return kommune_header_context(kommune, getattr(request, "user", None), aar=aar, sak=sak,
                                  aapne_punkter=aapne_punkter)
