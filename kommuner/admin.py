from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Fylke, Kommune, KommuneEndring, KommuneOvergang, Statsforvalter


class GjeldendeFilter(admin.SimpleListFilter):
    title = _("gyldighet")
    parameter_name = "gyldighet"

    def lookups(self, request, model_admin):
        return [("gjeldende", _("Gjeldende")), ("historisk", _("Historisk"))]

    def queryset(self, request, queryset):
        if self.value() == "gjeldende":
            return queryset.filter(gyldig_til__isnull=True)
        if self.value() == "historisk":
            return queryset.filter(gyldig_til__isnull=False)
        return queryset


@admin.register(Statsforvalter)
class StatsforvalterAdmin(admin.ModelAdmin):
    list_display = ["navn", "kortnavn"]
    search_fields = ["navn", "kortnavn"]


@admin.register(Fylke)
class FylkeAdmin(admin.ModelAdmin):
    list_display = ["nummer", "navn", "statsforvalter", "gyldig_fra", "gyldig_til"]
    list_filter = [GjeldendeFilter, "statsforvalter"]
    search_fields = ["nummer", "navn", "navn_offisielt"]
    list_select_related = ["statsforvalter"]


class OvergangInline(admin.TabularInline):
    model = KommuneOvergang
    fk_name = "historisk"
    extra = 0
    autocomplete_fields = ["gjeldende"]
    verbose_name = _("dagens kommune")
    verbose_name_plural = _("dagens kommuner")


@admin.register(Kommune)
class KommuneAdmin(admin.ModelAdmin):
    list_display = ["nummer", "navn", "fylke", "statsforvalter", "gyldig_fra", "gyldig_til", "kun_omnummerert"]
    list_filter = [GjeldendeFilter, "fylke__statsforvalter", "fylke"]
    search_fields = ["nummer", "navn", "navn_norsk", "andre_navn"]
    list_select_related = ["fylke", "fylke__statsforvalter"]
    inlines = [OvergangInline]

    @admin.display(description=_("Statsforvalter"), ordering="fylke__statsforvalter__kortnavn")
    def statsforvalter(self, obj):
        return obj.fylke.statsforvalter.kortnavn


@admin.register(KommuneEndring)
class KommuneEndringAdmin(admin.ModelAdmin):
    list_display = ["endringsdato", "gammel_kode", "gammelt_navn", "ny_kode", "nytt_navn", "type"]
    list_filter = ["type", "endringsdato"]
    search_fields = ["gammel_kode", "gammelt_navn", "ny_kode", "nytt_navn"]
