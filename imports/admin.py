from django.contrib import admin

from .models import Import


@admin.register(Import)
class ImportAdmin(admin.ModelAdmin):
    """Imports are made through the import pages; the admin only shows the log."""

    list_display = ["filnavn", "opprettet", "opprettet_av", "status", "layout", "antall_rader", "antall_nye",
                    "antall_endret", "antall_feil"]
    list_filter = ["status", "layout"]
    search_fields = ["filnavn", "sha256"]
    exclude = ["data"]
    readonly_fields = [f.name for f in Import._meta.fields if f.name != "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
