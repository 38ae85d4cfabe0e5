from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bosetting.choices import Aarsak
from core.access import users_who_see_q
from core.models import Profil
from core.params import dato_i_omraade
from core.widgets import SokbarFlervalg
from kommuner.models import Kommune

from .choices import DialogType, Organisasjon, PunktStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, **kwargs):
        super().__init__(attrs={"class": "app-input-dato", **(attrs or {})}, format="%Y-%m-%d", **kwargs)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class KommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.nummer} {obj.navn_norsk}"


class KommuneMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.nummer} {obj.navn_norsk}"


def user_choices():
    """People who can take part in a dialogue: active users with a role."""
    return get_user_model().objects.filter(is_active=True, pk__in=Profil.objects.values("user_id")).order_by(
        "first_name", "last_name", "username")


def owner_choices(kommune):
    """People who can own a follow-up for this kommune: those who may see it (the service checks
    it again)."""
    return get_user_model().objects.filter(users_who_see_q(kommune)).order_by("first_name", "last_name", "username")


def kommune_choices(user):
    return Kommune.objects.for_user(user).gjeldende().order_by("navn_norsk")


class DialogForm(forms.Form):
    kommuner = KommuneMultipleChoiceField(
        label=_("Kommune(r)"), queryset=Kommune.objects.none(), widget=SokbarFlervalg,
        help_text=_("Skriv for å søke. Velg flere for et regionalt møte."),
    )
    dato = forms.DateField(label=_("Dato"), widget=DateInput(), validators=[dato_i_omraade])
    type = forms.ChoiceField(label=_("Type kontakt"), choices=DialogType.choices)
    organisasjoner = forms.MultipleChoiceField(
        label=_("Til stede"), choices=Organisasjon.choices, required=False, widget=forms.CheckboxSelectMultiple,
    )
    deltakere = UserMultipleChoiceField(label=_("Deltakere (brukere)"), queryset=get_user_model().objects.none(),
                                        required=False, widget=SokbarFlervalg,
                                        help_text=_("Skriv for å søke etter navn."))
    deltakere_fritekst = forms.CharField(label=_("Andre deltakere"), required=False, max_length=500,
                                         help_text=_("Navn og rolle, skilt med komma."))
    temaer = forms.MultipleChoiceField(label=_("Temaer"), choices=Aarsak.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    stikkord = forms.CharField(label=_("Andre stikkord"), required=False, max_length=300,
                               help_text=_("Skilt med komma."))
    sammendrag = forms.CharField(label=_("Sammendrag"), widget=forms.Textarea(attrs={"rows": 5}))
    aar = forms.IntegerField(label=_("Gjelder år"), required=False, min_value=2010, max_value=2040,
                             widget=forms.NumberInput(attrs={"class": "app-input-kort"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommuner"].queryset = kommune_choices(user)
        self.fields["deltakere"].queryset = user_choices()
        self.fields["aar"].initial = timezone.localdate().year
        self.fields["dato"].initial = timezone.localdate()

    @classmethod
    def initial_from(cls, dialog):
        """The form's initial values from a stored dialogue (for editing it)."""
        return {
            "kommuner": list(dialog.kommuner.all()), "dato": dialog.dato, "type": dialog.type,
            "organisasjoner": dialog.organisasjoner, "deltakere": list(dialog.deltakere.all()),
            "deltakere_fritekst": dialog.deltakere_fritekst, "temaer": dialog.temaer,
            "stikkord": ", ".join(dialog.stikkord or []), "sammendrag": dialog.sammendrag, "aar": dialog.aar,
        }

    def clean_stikkord(self):
        return [s.strip() for s in self.cleaned_data["stikkord"].split(",") if s.strip()]


class PunktForm(forms.Form):
    tittel = forms.CharField(label=_("Hva skal gjøres"), max_length=300, required=False)
    ansvarlig = UserChoiceField(label=_("Ansvarlig"), queryset=get_user_model().objects.none(), required=False)
    frist = forms.DateField(label=_("Frist"), widget=DateInput(), required=False, validators=[dato_i_omraade])
    kommune = KommuneChoiceField(label=_("Kommune"), queryset=Kommune.objects.none(), required=False,
                                 help_text=_("Trengs bare når dialogen gjelder flere kommuner."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ansvarlig"].queryset = user_choices()
        self.fields["kommune"].queryset = kommune_choices(user)

    def clean(self):
        data = super().clean()
        if not data.get("tittel"):
            return data  # an empty row is skipped
        if not data.get("ansvarlig"):
            self.add_error("ansvarlig", _("Velg hvem som er ansvarlig."))
        if not data.get("frist"):
            self.add_error("frist", _("Oppgi en frist."))
        return data


class BasePunktFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), **self.form_kwargs}

    def punkter(self):
        return [f.cleaned_data for f in self.forms if f.cleaned_data.get("tittel")]


PunktFormSet = forms.formset_factory(PunktForm, formset=BasePunktFormSet, extra=2, max_num=10)


class PunktEndreForm(forms.Form):
    """Change a follow-up: what, who and by when (its status has its own form)."""

    tittel = forms.CharField(label=_("Hva skal gjøres"), max_length=300)
    beskrivelse = forms.CharField(label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    ansvarlig = UserChoiceField(label=_("Ansvarlig"), queryset=get_user_model().objects.none(),
                                help_text=_("Bare personer som har tilgang til kommunen."))
    frist = forms.DateField(label=_("Frist"), widget=DateInput(), validators=[dato_i_omraade])
    kommentar = forms.CharField(label=_("Kommentar til endringen"), required=False, max_length=500)

    def __init__(self, *args, punkt, **kwargs):
        kwargs["initial"] = {"tittel": punkt.tittel, "beskrivelse": punkt.beskrivelse, "ansvarlig": punkt.ansvarlig_id,
                             "frist": punkt.frist, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["ansvarlig"].queryset = owner_choices(punkt.kommune)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Ny status"), choices=PunktStatus.choices)
    kommentar = forms.CharField(label=_("Kommentar"), required=False, max_length=500)


class ProfilForm(forms.Form):
    """The user's own e-mail address and reminder switch; the service (core.services.bruker_epost_set)
    checks the address again and that no other user has it."""

    email = forms.EmailField(label=_("E-postadresse"), required=False, max_length=254,
                             help_text=_("Påminnelsene sendes hit."))
    varsler_paa = forms.BooleanField(label=_("Send meg påminnelser på e-post"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if user is not None and not user.email:
            # Why the switch does nothing yet: reminders go only to users with an address.
            self.fields["varsler_paa"].help_text = _(
                "Du har ingen e-postadresse, så du får ingen påminnelser selv om dette er slått på. "
                "Skriv inn adressen din over.")
