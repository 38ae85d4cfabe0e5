import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Endring


def _show(value):
    if value is None or value == "" or value == []:
        return "–"
    if value is True:
        return _("Ja")
    if value is False:
        return _("Nei")
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _field_label(model, attname):
    if model is None:
        return attname
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return str(field.verbose_name)
    return attname


class EndringTable(tables.Table):
    tidspunkt = tables.DateTimeColumn(verbose_name=gettext_lazy("Tidspunkt"), format="d.m.Y H:i")
    kommune = tables.Column(verbose_name=gettext_lazy("Kommune"), accessor="kommune", order_by=("kommune__nummer",),
                            default="–")
    handling = tables.Column(verbose_name=gettext_lazy("Handling"))
    objekt = tables.Column(verbose_name=gettext_lazy("Gjelder"))
    bruker = tables.Column(verbose_name=gettext_lazy("Endret av"), accessor="bruker", order_by=("bruker__username",),
                           default=gettext_lazy("Systemet"))
    endringer = tables.Column(verbose_name=gettext_lazy("Endringer (gammel → ny)"), orderable=False, empty_values=())

    class Meta:
        model = Endring
        fields = ["tidspunkt", "kommune", "handling", "objekt", "bruker", "endringer"]
        order_by = ["-tidspunkt"]
        empty_text = gettext_lazy("Ingen endringer passer med filteret.")

    def render_kommune(self, value):
        return f"{value.nummer} {value.navn_norsk}"

    def render_bruker(self, value):
        return value.get_full_name() or value.get_username()

    def value_bruker(self, value):
        return self.render_bruker(value) if value else _("Systemet")

    def value_endringer(self, record):
        model = record.content_type.model_class()
        parts = [f"{_field_label(model, name)}: {_show(old)} → {_show(new)}" for name, old, new in record.felter]
        return "; ".join(parts + ([record.kommentar] if record.kommentar else []))

    def render_endringer(self, record):
        # content_type is select_related by the view: no query here.
        model = record.content_type.model_class()
        items = format_html_join(
            "", "<li><strong>{}</strong>: {} → {}</li>",
            ((_field_label(model, name), _show(old), _show(new)) for name, old, new in record.felter),
        )
        comment = format_html("<li>{}</li>", record.kommentar) if record.kommentar else ""
        if not items and not comment:
            return "–"
        return format_html('<ul class="app-changes">{}{}</ul>', items, comment)
