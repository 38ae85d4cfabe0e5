import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from kommuner.models import Fylke, Kommune, Statsforvalter

from .choices import SakStatus


class _ListeIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.valg():
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.valg()) + (self.field.empty_label is not None)


class EnLesingModelChoiceField(forms.ModelChoiceField):
    """A model choice whose choices are read once per form: checking the chosen value and drawing
    the select share that one query (the overview is at its query budget)."""

    iterator = _ListeIterator

    def valg(self):
        if getattr(self, "_valg_for", None) is not self.queryset:
            self._valg_for, self._valg = self.queryset, list(self.queryset)
        return self._valg

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, self.queryset.model):
            value = value.pk
        for obj in self.valg():
            if str(obj.pk) == str(value):
                return obj
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class EnLesingModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = EnLesingModelChoiceField


class OversiktFilter(django_filters.FilterSet):
    """Filters the kommuner (SQL) and, through `sak_filter`, the derived rows (Python)."""

    aar = django_filters.NumberFilter(label=_("År"), method="noop")
    q = django_filters.CharFilter(label=_("Søk (navn eller nummer)"), method="filter_q")
    fylke = EnLesingModelChoiceFilter(
        label=_("Fylke"), queryset=Fylke.objects.order_by("gyldig_til", "nummer"), empty_label=_("Alle fylker"),
        method="filter_fylke",
    )
    statsforvalter = EnLesingModelChoiceFilter(
        label=_("Statsforvalter"), queryset=Statsforvalter.objects.all(), empty_label=_("Alle embeter"),
        method="filter_statsforvalter",
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SakStatus.choices, empty_label=_("Alle"),
                                         method="noop")
    under = django_filters.BooleanFilter(label=_("Bare vedtak under anmodning"), method="noop",
                                         widget=forms.CheckboxInput)
    historisk = django_filters.BooleanFilter(label=_("Vis kommunene slik de var det året"), method="noop",
                                             widget=forms.CheckboxInput)
    forrige = django_filters.BooleanFilter(label=_("Vis også året før (anmodning og vedtak)"), method="noop",
                                           widget=forms.CheckboxInput)
    hele_landet = django_filters.BooleanFilter(label=_("Vis hele landet"), method="noop", widget=forms.CheckboxInput)

    class Meta:
        model = Kommune
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Today's fylker; the former ones only with «Vis kommunene slik de var det året» (a former
        # fylke has no kommuner today, so offering it would only give an empty list).
        if not (data and data.get("historisk") in ("true", "True", "1", "on")):
            self.filters["fylke"].queryset = Fylke.objects.filter(gyldig_til__isnull=True).order_by("nummer")

    def noop(self, queryset, name, value):
        return queryset

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_fylke(self, queryset, name, value):
        return queryset.filter(fylke=value) if value else queryset

    def filter_statsforvalter(self, queryset, name, value):
        return queryset.filter(fylke__statsforvalter=value) if value else queryset

    def _flag(self, name):
        return self.form.is_valid() and bool(self.form.cleaned_data.get(name))

    @property
    def vis_historisk(self):
        return self._flag("historisk")

    @property
    def vis_forrige(self):
        return self._flag("forrige")

    @property
    def vis_hele_landet(self):
        return self._flag("hele_landet")

    def sak_filter(self, rader):
        data = self.form.cleaned_data if self.form.is_valid() else {}
        if data.get("status"):
            rader = [r for r in rader if r.status_kode == data["status"]]
        if data.get("under"):
            rader = [r for r in rader if (r.gap_anmodning_vedtak.eksakt or 0) > 0]
        return rader
