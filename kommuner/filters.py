import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.access import kommune_scope_q

from .models import Fylke, Kommune, Statsforvalter

TRUE = ("true", "True", "1", "on")


class KommuneFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Søk (navn eller nummer)"), method="filter_q")
    # Today's fylker; the former ones too only with «Vis historiske kommuner» (see __init__).
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
    hele_landet = django_filters.BooleanFilter(
        label=_("Vis hele landet"),
        method="filter_historiske",  # applied in `qs`, like the historic switch
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Kommune
        fields = ["q", "fylke", "statsforvalter", "historiske", "hele_landet"]

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        self.show_historic = bool(data and data.get("historiske") in TRUE)
        if not self.show_historic:
            self.filters["fylke"].queryset = Fylke.objects.filter(gyldig_til__isnull=True).order_by("nummer")
        # A user bound to an office or kommuner starts on their own; the switch widens to the country.
        user = getattr(request, "user", None)
        self.egne = Kommune.objects.for_user(user) if user is not None and kommune_scope_q(user) else None
        self.widened = bool(data and data.get("hele_landet") in TRUE)
        if self.egne is None:
            del self.filters["hele_landet"]

    @property
    def scoped(self):
        """The list shows only the user's own kommuner (not widened)."""
        return self.egne is not None and not self.widened

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_historiske(self, queryset, name, value):
        return queryset  # applied in `qs` so the default (today's only) holds without the parameter

    @property
    def qs(self):
        qs = super().qs
        if self.scoped:
            qs = qs.filter(pk__in=self.egne.values("pk"))
        return qs if self.show_historic else qs.filter(gyldig_til__isnull=True)
