from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import MAX_AAR, MIN_AAR, Aarsak, Virkemiddel
from .models import Anmodning, Bosettingsbehov


def aar_field():
    return forms.IntegerField(label=_("År"), min_value=MIN_AAR, max_value=MAX_AAR)


def count(label, required=False, help_text=""):
    return forms.IntegerField(label=label, min_value=0, required=required, help_text=help_text,
                              error_messages={"min_value": _("Tallet kan ikke være negativt."),
                                              "invalid": _("Skriv et helt tall.")})


class BehovForm(forms.ModelForm):
    class Meta:
        model = Bosettingsbehov
        fields = ["aar", "antall", "herav_ema", "vedtatt_dato", "kommentar"]
        widgets = {"vedtatt_dato": forms.DateInput(attrs={"type": "date"}),
                   "kommentar": forms.Textarea(attrs={"rows": 3})}


class AarslaasForm(forms.Form):
    aar = aar_field()
    handling = forms.ChoiceField(label=_("Handling"), choices=[("laas", _("Lås året")), ("aapne", _("Lås opp året"))],
                                 widget=forms.RadioSelect)
    kommentar = forms.CharField(label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


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


class AnmodningForm(forms.ModelForm):
    class Meta:
        model = Anmodning
        fields = ["aar", "type", "antall", "herav_ema", "ema_under_15", "ema_15_18", "dato_sendt", "svarfrist",
                  "kommentar"]
        widgets = {"dato_sendt": forms.DateInput(attrs={"type": "date"}),
                   "svarfrist": forms.DateInput(attrs={"type": "date"}),
                   "kommentar": forms.Textarea(attrs={"rows": 2})}
