"""The rate tables in the admin: administrators keep them (others with admin access may only
look); every save and delete goes through okonomi.services with history."""

from django.contrib import admin
from django.db import models

from core.access import role_of
from core.models import Rolle

from . import services
from .models import Kostnadsanslag, Tilskuddssats


class SatsAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _administrator(self, request):
        return role_of(request.user) == Rolle.ADMINISTRATOR

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self._administrator(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._administrator(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._administrator(request)

    def save_model(self, request, obj, form, change):
        services.sats_lagre(obj=obj, by=request.user, change=change)

    def delete_model(self, request, obj):
        services.sats_slett(obj=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.sats_slett(obj=obj, by=request.user)


@admin.register(Tilskuddssats)
class TilskuddssatsAdmin(SatsAdmin):
    list_display = ["gyldig_aar", "kategori", "bosettingsaar", "belop", "kilde"]
    list_filter = ["gyldig_aar", "kategori"]
    search_fields = ["kilde", "merknad"]


@admin.register(Kostnadsanslag)
class KostnadsanslagAdmin(SatsAdmin):
    list_display = ["aar", "kroner_per_person", "kilde"]
    search_fields = ["kilde", "merknad"]
