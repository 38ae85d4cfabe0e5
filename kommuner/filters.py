import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Fylke, Kommune, Statsforvalter


class KommuneFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Søk (navn eller nummer)"), method="filter_q")
    fylke = django_filters.ModelChoiceFilter(
        label=_("Fylke"), queryset=Fylke.objects.order_by("gyldig_til", "nummer"), empty_label=_("Alle fylker")
    )
    statsforvalter = django_filters.ModelChoiceFilter(
        label=_("Statsforvalter"),
        field_name="fylke__statsforvalter",
        queryset=Statsforvalter.objects.all(),
        empty_label=_("Alle embeter"),
    )
    historiske = django_filters.BooleanFilter(
        label=_("Vis historiske kommuner"),
        method="filter_historiske",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Kommune
        fields = ["q", "fylke", "statsforvalter", "historiske"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.show_historic = bool(data and data.get("historiske") in ("true", "True", "1", "on"))

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_historiske(self, queryset, name, value):
        return queryset  # applied in `qs` so the default (today's only) holds without the parameter

    @property
    def qs(self):
        qs = super().qs
        return qs if self.show_historic else qs.filter(gyldig_til__isnull=True)
