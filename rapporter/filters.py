import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.models import Endring
from kommuner.models import Kommune

from .endringstekst import handling_valg


def _visible_kommuner(request):
    if request is None:
        return Kommune.objects.none()
    return Kommune.objects.for_user(request.user).order_by("gyldig_til", "nummer")


def _authors(request):
    if request is None:
        return get_user_model().objects.none()
    authors = Endring.objects.for_user(request.user).values("bruker")
    return get_user_model().objects.filter(pk__in=authors).order_by("first_name", "last_name", "username")


class EndringFilter(django_filters.FilterSet):
    """Runs on the already scoped history; the choices are scoped too, so a tampered kommune id
    is an invalid choice and shows nothing."""

    kommune = django_filters.ModelChoiceFilter(label=_("Kommune"), queryset=_visible_kommuner,
                                               empty_label=_("Alle kommuner"))
    handling = django_filters.ChoiceFilter(label=_("Hendelse"), empty_label=_("Alle hendelser"))
    bruker = django_filters.ModelChoiceFilter(label=_("Endret av"), queryset=_authors, empty_label=_("Alle brukere"))
    fra = django_filters.DateFilter(label=_("Fra dato"), field_name="tidspunkt", lookup_expr="date__gte",
                                    widget=forms.DateInput(attrs={"type": "date"}))
    til = django_filters.DateFilter(label=_("Til dato"), field_name="tidspunkt", lookup_expr="date__lte",
                                    widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Endring
        fields = ["kommune", "handling", "bruker", "fra", "til"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        codes = [] if queryset is None else queryset.order_by("handling").values_list("handling", flat=True).distinct()
        self.filters["handling"].extra["choices"] = handling_valg(codes)
