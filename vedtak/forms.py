from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.params import MAX_AAR, MIN_AAR

from .models import MAX_DOKUMENT_BYTES, Anmodning, Bosettingsbehov, Vedtak
from .pdf import er_pdf


def aar_field():
    return forms.IntegerField(label=_("År"), min_value=MIN_AAR, max_value=MAX_AAR)


def count(label, required=False, help_text=""):
    return forms.IntegerField(label=label, min_value=0, required=required, help_text=help_text,
                              error_messages={"min_value": _("Tallet kan ikke være negativt."),
                                              "invalid": _("Skriv et helt tall.")})


def check_pdf(f):
    """Size limit and a structural check of the content (vedtak.pdf.er_pdf); neither the browser's
    content type nor the file name is trusted."""
    if not f or not hasattr(f, "read"):
        return f
    if f.size > MAX_DOKUMENT_BYTES:
        raise ValidationError(_("Dokumentet er større enn 10 MB."))
    f.seek(0)
    data = f.read(MAX_DOKUMENT_BYTES + 1)
    f.seek(0)
    if not er_pdf(data):
        raise ValidationError(_("Dokumentet er ikke en gyldig PDF-fil."))
    return f


class VedtakForm(forms.ModelForm):
    avventer = forms.BooleanField(label=_("Avventer vedtak (ikke politisk behandlet ennå)"), required=False)

    class Meta:
        model = Vedtak
        fields = ["aar", "aar_til", "avventer", "antall", "herav_ema", "ema_under_15", "ema_15_18", "dato", "organ",
                  "saksnummer", "vilkaar", "lenke", "dokument"]
        widgets = {"dato": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "vilkaar": forms.Textarea(attrs={"rows": 3}),
                   "dokument": forms.ClearableFileInput(attrs={"accept": "application/pdf"})}
        help_texts = {"vilkaar": _("IMDi godtar ikke forbehold, f.eks. «inkludert familiegjenforente».")}
        error_messages = {f: {"min_value": _("Tallet kan ikke være negativt."), "invalid": _("Skriv et helt tall.")}
                          for f in ["antall", "herav_ema", "ema_under_15", "ema_15_18"]}

    field_order = ["aar", "aar_til", "avventer", "antall"]

    def clean_dokument(self):
        return check_pdf(self.cleaned_data.get("dokument"))

    def clean(self):
        data = super().clean()
        # The model's own validation (run by the ModelForm) must see the chosen status.
        self.instance.status = "avventer" if data.get("avventer") else "fattet"
        return data

    def service_kwargs(self):
        d = dict(self.cleaned_data)
        d["status"] = "avventer" if d.pop("avventer") else "fattet"
        if not d.get("dokument"):
            d.pop("dokument", None)
        return d


class AnmodningForm(forms.ModelForm):
    class Meta:
        model = Anmodning
        fields = ["aar", "type", "antall", "herav_ema", "ema_under_15", "ema_15_18", "dato_sendt", "svarfrist",
                  "kommentar"]
        widgets = {"dato_sendt": forms.DateInput(attrs={"type": "date"}),
                   "svarfrist": forms.DateInput(attrs={"type": "date"}),
                   "kommentar": forms.Textarea(attrs={"rows": 2})}


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
