from django.contrib import admin

from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import Dialog, DialogplanSteg, Oppfolgingspunkt, RegelInnstilling, Utsending


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


@admin.register(RegelInnstilling)
class RegelInnstillingAdmin(admin.ModelAdmin):
    list_display = ["regel", "aktiv", "terskel", "frist_dager"]
    list_editable = ["aktiv", "terskel", "frist_dager"]


@admin.register(DialogplanSteg)
class DialogplanStegAdmin(admin.ModelAdmin):
    list_display = ["statsforvalter", "tittel", "dager_etter", "aktiv"]
    list_filter = ["statsforvalter"]


@admin.register(Utsending)
class UtsendingAdmin(ReadOnlyAdmin):
    list_display = ["bruker", "type", "noekkel", "status", "forsok", "sendt"]
    list_filter = ["type", "status", "dag"]
    list_select_related = ["bruker"]
