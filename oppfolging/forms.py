from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bosetting.choices import Aarsak
from core.models import Profil
from core.params import dato_i_omraade
from kommuner.models import Kommune

from .choices import DialogType, Organisasjon, PunktStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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
    """People who can own a follow-up: active users with a role."""
    return get_user_model().objects.filter(is_active=True, pk__in=Profil.objects.values("user_id")).order_by(
        "first_name", "last_name", "username")


def kommune_choices(user):
    return Kommune.objects.for_user(user).gjeldende().order_by("navn_norsk")


class DialogForm(forms.Form):
    kommuner = KommuneMultipleChoiceField(
        label=_("Kommune(r)"), queryset=Kommune.objects.none(),
        help_text=_("Velg flere for et regionalt møte (Ctrl/Cmd + klikk)."),
    )
    dato = forms.DateField(label=_("Dato"), widget=DateInput(), validators=[dato_i_omraade])
    type = forms.ChoiceField(label=_("Type kontakt"), choices=DialogType.choices)
    organisasjoner = forms.MultipleChoiceField(
        label=_("Til stede"), choices=Organisasjon.choices, required=False, widget=forms.CheckboxSelectMultiple,
    )
    deltakere = UserMultipleChoiceField(label=_("Deltakere (brukere)"), queryset=get_user_model().objects.none(),
                                        required=False)
    deltakere_fritekst = forms.CharField(label=_("Andre deltakere"), required=False, max_length=500,
                                         help_text=_("Navn og rolle, skilt med komma."))
    temaer = forms.MultipleChoiceField(label=_("Temaer"), choices=Aarsak.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    stikkord = forms.CharField(label=_("Andre stikkord"), required=False, max_length=300,
                               help_text=_("Skilt med komma."))
    sammendrag = forms.CharField(label=_("Sammendrag"), widget=forms.Textarea(attrs={"rows": 5}))
    aar = forms.IntegerField(label=_("Gjelder år"), required=False, min_value=2010, max_value=2040)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommuner"].queryset = kommune_choices(user)
        self.fields["deltakere"].queryset = user_choices()
        self.fields["aar"].initial = timezone.localdate().year
        self.fields["dato"].initial = timezone.localdate()

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
