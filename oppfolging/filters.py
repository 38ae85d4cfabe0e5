import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import role_of
from core.models import Rolle
from kommuner.models import Kommune

from .choices import PunktStatus
from .forms import KommuneChoiceField
from .models import Oppfolgingspunkt


class KommuneFilterField(django_filters.ModelChoiceFilter):
    field_class = KommuneChoiceField


class OppfolgingspunktFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Søk"), method="filter_q")
    visning = django_filters.ChoiceFilter(
        label=_("Vis"), method="filter_visning", empty_label=_("Alle jeg kan se"),
        choices=[("mine", _("Mine")), ("kontor", _("Mitt embete"))],
    )
    frist = django_filters.ChoiceFilter(
        label=_("Frist"), method="filter_frist", empty_label=_("Alle"),
        choices=[("forfalt", _("Forfalt")), ("uke", _("Denne uken"))],
    )
    kommune = KommuneFilterField(label=_("Kommune"), queryset=Kommune.objects.none(), empty_label=_("Alle kommuner"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PunktStatus.choices, empty_label=_("Alle"))

    class Meta:
        model = Oppfolgingspunkt
        fields = ["q", "visning", "frist", "kommune", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["kommune"].queryset = Kommune.objects.for_user(request.user).gjeldende().order_by("navn_norsk")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(tittel__icontains=value) | Q(kommune__navn__icontains=value)
                               | Q(kommune__nummer=value))

    def filter_visning(self, queryset, name, value):
        user = self.request.user
        if value == "mine":
            return queryset.filter(ansvarlig=user)
        if value == "kontor" and role_of(user) == Rolle.STATSFORVALTER:
            return queryset.filter(kommune__fylke__statsforvalter_id=user.profil.statsforvalter_id)
        return queryset

    def filter_frist(self, queryset, name, value):
        today = timezone.localdate()
        if value == "forfalt":
            return queryset.forfalt(today)
        if value == "uke":
            monday = today - datetime.timedelta(days=today.weekday())
            return queryset.aktive().filter(frist__range=(monday, monday + datetime.timedelta(days=6)))
        return queryset
