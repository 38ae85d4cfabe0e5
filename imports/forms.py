from django import forms
from django.utils.translation import gettext_lazy as _

from core.params import MAX_AAR, MIN_AAR

from .parsing import MAX_UPLOAD_BYTES


class ImportForm(forms.Form):
    fil = forms.FileField(label=_("Fil (CSV eller XLSX)"),
                          help_text=_("Langt oppsett (én rad per kommune og år), bredt oppsett (kolonner per år) "
                                      "eller IMDis publiserte tabeller. Maks 20 MB."))
    aar = forms.IntegerField(label=_("År"), required=False, min_value=MIN_AAR, max_value=MAX_AAR,
                             help_text=_("Bare for filer uten årskolonne, som IMDis tabeller."))
    ark = forms.CharField(label=_("Ark"), required=False, max_length=100,
                          help_text=_("Navnet på arket i arbeidsboken. Tomt: det første."))
    blank_sletter = forms.BooleanField(label=_("Tomme celler sletter kjente tall"), required=False)

    def clean_fil(self):
        f = self.cleaned_data["fil"]
        if f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Filen er større enn 20 MB."))
        return f
