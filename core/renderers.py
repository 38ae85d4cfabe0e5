"""The form renderer: Django's own, except that a select is built in Python. The template
includes one sub-template per option, which made a list of the 357 kommuner cost ~30 ms a page;
the HTML is the same (tests/core/test_renderers.py compares it with Django's)."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs):
    # As django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name only.
    return "".join(f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
                   for name, value in attrs.items() if value is not False)


def render_select(widget):
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            parts.append(f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                         f'{conditional_escape(option["label"])}</option>')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 (every value is escaped above)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget is not None and all(o["template_name"] == OPTION for _g, opts, _i in widget["optgroups"]
                                      for o in opts):
            return render_select(widget)
        return super().render(template_name, context, request)
