from django import template

from bosetting.oversikt import _fmt
from bosetting.oversikt import tall_tekst as _tall_tekst

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
