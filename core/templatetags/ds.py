"""Render form widgets with Designsystemet classes and the ARIA links to help and errors."""

from django import template

register = template.Library()

INPUT_CLASS = {"checkbox": "ds-input", "radio": "ds-input"}


@register.filter
def ds_widget(bound_field):
    widget = bound_field.field.widget
    attrs = {"class": " ".join(filter(None, [INPUT_CLASS.get(bound_field.widget_type, "ds-input"),
                                             widget.attrs.get("class", "")]))}
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)
