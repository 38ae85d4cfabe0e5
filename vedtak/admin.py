from django.contrib import admin

from bosetting.admin import CaseAdmin, YearOpenForm

from .forms import check_pdf
from .models import Vedtak
from .services import vedtak_register


class VedtakAdminForm(YearOpenForm):
    def clean_dokument(self):
        return check_pdf(self.cleaned_data.get("dokument"))


@admin.register(Vedtak)
class VedtakAdmin(CaseAdmin):
    form = VedtakAdminForm
    list_display = ["kommune", "aar", "aar_til", "status", "antall", "herav_ema", "dato", "organ", "kilde",
                    "erstattet_av"]
    list_filter = ["aar", "status", "organ", "kilde", ("erstattet_av", admin.EmptyFieldListFilter), "kommune__fylke"]
    raw_id_fields = ["anmodning", "erstattet_av"]

    def register(self, request, obj):
        return vedtak_register(kommune=obj.kommune, aar=obj.aar, aar_til=obj.aar_til, by=request.user,
                               **self.fields_of(obj, "aar_til", "erstattet_av"))
