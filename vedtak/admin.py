from django.contrib import admin

from bosetting.admin import CaseAdmin

from .models import Vedtak
from .services import vedtak_register


@admin.register(Vedtak)
class VedtakAdmin(CaseAdmin):
    list_display = ["kommune", "aar", "aar_til", "status", "antall", "herav_ema", "dato", "organ", "kilde",
                    "erstattet_av"]
    list_filter = ["aar", "status", "organ", "kilde", ("erstattet_av", admin.EmptyFieldListFilter), "kommune__fylke"]
    raw_id_fields = ["anmodning", "erstattet_av"]

    def register(self, request, obj):
        return vedtak_register(kommune=obj.kommune, aar=obj.aar, aar_til=obj.aar_til, by=request.user,
                               **self.fields_of(obj, "aar_til", "erstattet_av"))
