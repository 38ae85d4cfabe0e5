import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Oppfolgingspunkt


class VelgColumn(tables.Column):
    """A labelled checkbox per row for the bulk action (CheckBoxColumn has no accessible name)."""

    def __init__(self, **kwargs):
        super().__init__(accessor="pk", verbose_name=_("Velg"), orderable=False, exclude_from_export=True, **kwargs)

    def render(self, value, record):
        return format_html('<input type="checkbox" class="ds-input" name="velg" value="{}" aria-label="{} {}">',
                           value, _("Velg"), record.tittel)


class OppfolgingspunktTable(tables.Table):
    caption = _("Oppfølgingspunkter")
    velg = VelgColumn()
    tittel = tables.Column(verbose_name=_("Hva"), linkify=True)
    kommune = tables.Column(verbose_name=_("Kommune"), accessor="kommune__navn_norsk",
                            order_by=("kommune__navn_norsk",))
    ansvarlig = tables.Column(verbose_name=_("Ansvarlig"), order_by=("ansvarlig__last_name", "ansvarlig__first_name"))
    frist = tables.DateColumn(verbose_name=_("Frist"), format="d.m.Y")
    status = tables.Column(verbose_name=_("Status"))
    dialog = tables.DateColumn(verbose_name=_("Fra dialog"), accessor="dialog__dato", format="d.m.Y", default="")

    class Meta:
        model = Oppfolgingspunkt
        fields = ["velg", "tittel", "kommune", "ansvarlig", "frist", "status", "dialog"]
        order_by = ["frist"]
        empty_text = _("Ingen oppfølgingspunkter passer med filteret.")

    def render_ansvarlig(self, value):
        return value.get_full_name() or value.get_username()

    def value_ansvarlig(self, value):
        return value.get_full_name() or value.get_username()

    def render_frist(self, value, record):
        # Overdue said in words, not only shown by colour (issue 15).
        if record.er_forfalt():
            return format_html("{} <strong>({})</strong>", value.strftime("%d.%m.%Y"), _("forfalt"))
        return value.strftime("%d.%m.%Y")

    def value_frist(self, value):
        return value
