import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Kommune


class KommuneTable(tables.Table):
    nummer = tables.Column(verbose_name=_("Nummer"))
    navn = tables.Column(verbose_name=_("Kommune"))
    fylke = tables.Column(verbose_name=_("Fylke"), accessor="fylke__navn", order_by=("fylke__nummer", "nummer"))
    statsforvalter = tables.Column(
        verbose_name=_("Statsforvalter"), accessor="fylke__statsforvalter__kortnavn"
    )
    gyldig_til = tables.DateColumn(verbose_name=_("Gyldig til"), format="d.m.Y", default="")

    class Meta:
        model = Kommune
        fields = ["nummer", "navn", "fylke", "statsforvalter", "gyldig_til"]
        order_by = ["nummer"]
        empty_text = _("Ingen kommuner passer med filteret.")

    def __init__(self, *args, lenke_til=None, **kwargs):
        """`lenke_til`: the pks whose page the user may open (None: every row's)."""
        super().__init__(*args, **kwargs)
        self.lenke_til = lenke_til

    def _lenke(self, record, value):
        if self.lenke_til is not None and record.pk not in self.lenke_til:
            return value  # outside the user's scope: its page would be a 404, so no link
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def render_nummer(self, record, value):
        return self._lenke(record, value)

    def render_navn(self, record, value):
        return self._lenke(record, value)

    def value_nummer(self, value):
        return value

    def value_navn(self, value):
        return value
