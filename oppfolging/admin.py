from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.admin import ImportExportAdminMixin, ReadOnlyAdminMixin, ScopedAdminMixin

from . import services
from .models import Dialog, DialogplanSteg, Oppfolgingspunkt, RegelInnstilling, Utsending
from .resources import DialogplanStegResource, RegelInnstillingResource


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Dialogue and follow-ups change only through the services (pages), so history is kept."""


class ScopedReadOnlyAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Read-only, and only what the user may see (core.access)."""

    scope_action = "dialog"


@admin.register(Dialog)
class DialogAdmin(ScopedReadOnlyAdmin):
    list_display = ["dato", "type", "aar", "opprettet_av"]
    list_filter = ["type", "aar"]
    date_hierarchy = "dato"


@admin.register(Oppfolgingspunkt)
class OppfolgingspunktAdmin(ScopedReadOnlyAdmin):
    list_display = ["tittel", "kommune", "ansvarlig", "frist", "status", "regel"]
    list_filter = ["status", "regel"]
    list_select_related = ["kommune", "ansvarlig"]
    search_fields = ["tittel", "kommune__navn"]


class SettingsAdmin(ImportExportAdminMixin, admin.ModelAdmin):
    """The administrators' settings: the form, the list editing and the import all save through
    oppfolging.services, so every change is validated and kept in the history."""

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


@admin.register(RegelInnstilling)
class RegelInnstillingAdmin(SettingsAdmin):
    list_display = ["regel", "aktiv", "terskel", "frist_dager"]
    list_editable = ["aktiv", "terskel", "frist_dager"]
    resource_classes = [RegelInnstillingResource]

    def get_readonly_fields(self, request, obj=None):
        # The rule is the row's key: change its settings, not which rule it is.
        return ["regel"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = services.regel_innstilling_save(regel=obj.regel, aktiv=obj.aktiv, terskel=obj.terskel,
                                                frist_dager=obj.frist_dager, by=request.user,
                                                kommentar=str(_("Endret i administrasjonen")))
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.regel_innstilling_delete(innstilling=obj, by=request.user,
                                          kommentar=str(_("Slettet i administrasjonen")))


@admin.register(DialogplanSteg)
class DialogplanStegAdmin(SettingsAdmin):
    list_display = ["statsforvalter", "tittel", "dager_etter", "aktiv"]
    list_filter = ["statsforvalter"]
    list_select_related = ["statsforvalter"]
    resource_classes = [DialogplanStegResource]

    def save_model(self, request, obj, form, change):
        saved = services.dialogplan_steg_save(steg=obj if change else None, statsforvalter=obj.statsforvalter,
                                              tittel=obj.tittel, dager_etter=obj.dager_etter, aktiv=obj.aktiv,
                                              by=request.user, kommentar=str(_("Endret i administrasjonen")))
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.dialogplan_steg_delete(steg=obj, by=request.user, kommentar=str(_("Slettet i administrasjonen")))


@admin.register(Utsending)
class UtsendingAdmin(ReadOnlyAdmin):
    list_display = ["bruker", "type", "noekkel", "status", "forsok", "sendt"]
    list_filter = ["type", "status", "dag"]
    list_select_related = ["bruker"]
