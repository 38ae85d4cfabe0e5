"""Admin for what was settled. Saves and deletes go through the services (vedtak.admin.CaseAdmin)."""

from django.contrib import admin

from vedtak.admin import CaseAdmin

from . import services
from .models import Aarsaker, Bolig, Bosatt, Tjenestekapasitet


@admin.register(Bosatt)
class BosattAdmin(CaseAdmin):
    list_display = ["kommune", "aar", "maaned", "antall", "herav_ema", "herav_kollektiv", "avtalt", "kilde"]
    list_filter = ["aar", "maaned", "kilde", "kommune__fylke"]

    def register(self, request, obj):
        return services.bosatt_register(kommune=obj.kommune, aar=obj.aar, maaned=obj.maaned, by=request.user,
                                        **self.fields_of(obj, "maaned"))


@admin.register(Bolig)
class BoligAdmin(CaseAdmin):
    list_display = ["kommune", "aar", "tilgjengelige", "under_arbeid", "behov", "kilde"]

    def register(self, request, obj):
        return services.bolig_save(kommune=obj.kommune, aar=obj.aar, by=request.user, **self.fields_of(obj))


@admin.register(Aarsaker)
class AarsakerAdmin(CaseAdmin):
    list_display = ["kommune", "aar", "kilde"]

    def register(self, request, obj):
        return services.aarsaker_save(kommune=obj.kommune, aar=obj.aar, aarsaker=obj.aarsaker,
                                      fritekst=obj.fritekst, by=request.user)


@admin.register(Tjenestekapasitet)
class TjenestekapasitetAdmin(CaseAdmin):
    list_display = ["kommune", "aar", "introduksjonsprogram_plasser", "norskopplaering_plasser", "asylmottak",
                    "mottaksplasser", "kilde"]
    list_filter = ["aar", "asylmottak", "kilde", "kommune__fylke"]

    def register(self, request, obj):
        return services.tjenester_save(kommune=obj.kommune, aar=obj.aar, by=request.user, **self.fields_of(obj))
