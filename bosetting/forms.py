from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from core.params import MAX_AAR, MIN_AAR
from vedtak.forms import aar_field, count

from .choices import Aarsak, Virkemiddel
from .services import MAANEDSNAVN, MAKS_TALL


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


class JaNeiUkjent(forms.NullBooleanSelect):
    """Yes / no / unknown, in Norwegian; unknown is not "no"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("Ukjent")), ("true", _("Ja")), ("false", _("Nei"))]


def notat(label, help_text=""):
    return forms.CharField(label=label, required=False, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": 3}))


class TjenesterForm(forms.Form):
    """Service capacity and pressure in a kommune-year. Blank figures are unknown, never 0."""

    aar = aar_field()
    introduksjonsprogram_plasser = count(_("Plasser i introduksjonsprogrammet"))
    norskopplaering_plasser = count(_("Plasser i norskopplæringen"))
    asylmottak = forms.NullBooleanField(label=_("Har kommunen et asylmottak?"), required=False, widget=JaNeiUkjent)
    mottaksplasser = count(_("Plasser i asylmottaket"))
    mottak_aapnet = forms.DateField(label=_("Asylmottaket åpnet"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                    error_messages={"invalid": _("Skriv en gyldig dato.")})
    press_helse = notat(_("Press på helsetjenester"))
    press_barnevern = notat(_("Press på barnevernet"))
    press_transport = notat(_("Transport og bolig i distriktet"))
    press_annet = notat(_("Annet press"))


class AarsakerForm(forms.Form):
    aar = aar_field()
    aarsaker = forms.MultipleChoiceField(label=_("Årsaker"), choices=Aarsak.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    fritekst = forms.CharField(label=_("Utdyping"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PlanForm(forms.Form):
    """A kommune-year's settlement plan: places ready (and optionally housing units) per month.
    A blank month has no plan (unknown, never 0)."""

    aar = forms.IntegerField(label=_("År"), min_value=MIN_AAR, max_value=MAX_AAR, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for m, navn in enumerate(MAANEDSNAVN, start=1):
            for felt, label in (("plasser", _("Plasser klare i %(maaned)s")), ("boliger", _("Boliger i %(maaned)s"))):
                field = count(label % {"maaned": navn})
                field.validators.append(MaxValueValidator(MAKS_TALL, message=_("Tallet er for stort.")))
                field.widget.attrs.update({"inputmode": "numeric", "class": "app-plan-tall"})
                self.fields[f"{felt}_{m}"] = field

    def maaned_felt(self):
        """[(month number, name, plasser field, boliger field)] for the template's table."""
        return [(m, navn, self[f"plasser_{m}"], self[f"boliger_{m}"]) for m, navn in enumerate(MAANEDSNAVN, start=1)]

    def clean(self):
        data = super().clean()
        for m in range(1, 13):
            if data.get(f"plasser_{m}") is None and data.get(f"boliger_{m}") is not None:
                self.add_error(f"plasser_{m}", _("Oppgi plasser for en måned med boliger."))
        return data

    def service_kwargs(self):
        d = self.cleaned_data
        return {"aar": d["aar"], "maaneder": {m: (d.get(f"plasser_{m}"), d.get(f"boliger_{m}")) for m in range(1, 13)}}
