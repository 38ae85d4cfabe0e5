import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Kommune


class KommuneTable(tables.Table):
    nummer = tables.Column(verbose_name=_("Nummer"), linkify=True)
    navn = tables.Column(verbose_name=_("Kommune"), linkify=True)
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
