from django import forms
from django.utils.translation import gettext_lazy as _

from vedtak.forms import aar_field, count

from .choices import Aarsak, Virkemiddel


class BosattForm(forms.Form):
    """Settled in a month (or the whole year, month 0). Blank = unknown, never 0."""

    aar = aar_field()
    maaned = forms.TypedChoiceField(
        label=_("Måned"), coerce=int,
        choices=[(0, _("Hele året"))] + [(m, n) for m, n in enumerate(
            [_("januar"), _("februar"), _("mars"), _("april"), _("mai"), _("juni"), _("juli"), _("august"),
             _("september"), _("oktober"), _("november"), _("desember")], start=1)],
    )
    antall = count(_("Bosatte"))
    herav_ema = count(_("Herav enslige mindreårige"))
    herav_kollektiv = count(_("Herav med kollektiv beskyttelse"))
    avtalt = count(_("Avtalt, ikke ankommet"))


class BoligForm(forms.Form):
    aar = aar_field()
    tilgjengelige = count(_("Boliger tilgjengelig for bosetting"))
    under_arbeid = count(_("Boliger under arbeid"))
    behov = count(_("Boliger som trengs"))
    virkemidler = forms.MultipleChoiceField(label=_("Husbankens virkemidler i bruk"), choices=Virkemiddel.choices,
                                            required=False, widget=forms.CheckboxSelectMultiple)
    merknad = forms.CharField(label=_("Merknad"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AarsakerForm(forms.Form):
    aar = aar_field()
    aarsaker = forms.MultipleChoiceField(label=_("Årsaker"), choices=Aarsak.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    fritekst = forms.CharField(label=_("Utdyping"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
