"""Admin for users (with their role and scope), the change history, and `ScopedAdminMixin`,
which every admin for case data uses so that the admin obeys the same scope as the pages."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice
from import_export.admin import ImportExportMixin

from .access import NATIONAL_READ, can, check_kommune_writable, log_refusal, profil_of, role_of, scope_label
from .history import history_record, snapshot
from .models import Endring, Profil, Rolle
from .resources import BrukerResource
from .roles import ROLES
from .services import access_changed, access_snapshot

User = get_user_model()


class ScopedAdminMixin:
    """Put first in the bases of a ModelAdmin for case data (anything with a kommune).

    - the changelist and the change view only see `Model.objects.for_user(user)` (or the rows whose
      `scope_field` kommune is visible): another kommune's object is "not found";
    - foreign-key choices are limited to visible kommuner and visible case rows;
    - saves and deletes re-check scope inside the admin's transaction and record history.
      Override `service_save(request, obj, form, change)` to call the app's service instead
      (e.g. `vedtak_update(vedtak=obj, by=request.user, **form.cleaned_data)`), and
      `service_delete(request, obj)` likewise;
    - "Historikk" on the change form lists the object's Endring entries.
    """

    scope_field = "kommune"  # path from the model to its Kommune
    scope_action = "sak"  # core.access.WRITE action needed to change it

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if hasattr(qs, "for_user"):
            return qs.for_user(request.user)
        return qs.filter(**{f"{self.scope_field}__in": self.kommune_model()._default_manager.for_user(request.user)})

    def kommune_model(self):
        """The model at the end of `scope_field` (the register's Kommune; not imported here)."""
        model = self.model
        for part in self.scope_field.split("__"):
            model = model._meta.get_field(part).related_model
        return model

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if hasattr(related._default_manager.all(), "for_user"):
            kwargs["queryset"] = related._default_manager.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def scope_kommune(self, obj):
        value = obj
        for part in self.scope_field.split("__"):
            value = getattr(value, part)
        return value

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can(request.user, self.scope_action)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and can(request.user, self.scope_action)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and can(request.user, self.scope_action)

    def _check(self, request, obj):
        # The form limited the choices; this re-check holds inside the admin's transaction
        # whatever was posted.
        check_kommune_writable(request.user, self.scope_kommune(obj), self.scope_action)

    def save_model(self, request, obj, form, change):
        self._check(request, obj)
        if change:
            old = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            self._check(request, old)  # the kommune it belonged to must be in scope too
        self.service_save(request, obj, form, change)

    def service_save(self, request, obj, form, change):
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else None
        obj.save()
        label = obj._meta.model_name
        history_record(obj=obj, handling=f"{label}.endret" if change else f"{label}.registrert",
                       by=request.user, before=before, kommentar=str(_("Endret i administrasjonen")))

    def delete_model(self, request, obj):
        self._check(request, obj)
        self.service_delete(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def service_delete(self, request, obj):
        before = snapshot(obj)
        history_record(obj=obj, handling=f"{obj._meta.model_name}.slettet", by=request.user, before=before,
                       after={}, kommentar=str(_("Slettet i administrasjonen")))
        obj.delete()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Out of scope looks like "does not exist"; a tampered id is still worth a log line.
            log_refusal(request.user, "admin", model=self.model._meta.label, id=str(object_id)[:20])
        return obj

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        ct = ContentType.objects.get_for_model(self.model)
        query = urlencode({"content_type__id__exact": ct.pk, "object_id": obj.pk})
        return HttpResponseRedirect(f"{reverse('admin:core_endring_changelist')}?{query}")


class ImportExportAdminMixin(ImportExportMixin):
    """django-import-export's import (with its preview and confirm) and export, for administrators.

    Put first in the bases. The resources (core.resources.ServiceResource) write through the
    services, so history is kept; here: who may, and that a failed row rolls everything back also
    at the confirm step and is shown, never reported as a success.
    """

    import_export_action = "brukere"  # core.access.WRITE: the administrators'

    def has_import_permission(self, request):
        return (can(request.user, self.import_export_action) and self.has_add_permission(request)
                and self.has_change_permission(request))

    def has_export_permission(self, request):
        return can(request.user, self.import_export_action) and self.has_view_permission(request)

    def get_export_queryset(self, request):
        """The changelist's filters from the address; one that names no field (a typo, or the export
        form's own fields in the query string) is a bad request (400), as on the changelist, never a
        500, and never an export of every row in its place."""
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as exc:
            raise BadRequest("invalid changelist filter in the export address") from exc

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result, request):
        # The confirm step imports again; if the data changed since the preview, say what failed.
        if result.has_errors() or result.has_validation_errors():
            for error in result.base_errors:
                messages.error(request, str(error.error))
            for row in result.invalid_rows:
                for errors in row.error_dict.values():
                    for message in errors:
                        messages.error(request, message)
            for number, errors in result.row_errors():
                for error in errors:
                    messages.error(request, _("Rad %(rad)d: %(feil)s") % {"rad": number + 1, "feil": error.error})
            messages.error(request, _("Ingenting ble importert."))
            info = self.get_model_info()
            return HttpResponseRedirect(reverse(f"admin:{info[0]}_{info[1]}_import"))
        return super().process_result(result, request)


class ProfilForm(forms.ModelForm):
    class Meta:
        model = Profil
        fields = ["rolle", "statsforvalter", "kommuner", "varsler_paa"]

    def clean(self):
        data = super().clean()
        rolle, kommuner = data.get("rolle"), list(data.get("kommuner") or [])
        if rolle == Rolle.KOMMUNE and not kommuner:
            self.add_error("kommuner", _("En kommunebruker må knyttes til minst én kommune."))
        if rolle and rolle != Rolle.KOMMUNE and kommuner:
            self.add_error("kommuner", _("Bare kommunebrukere knyttes til kommuner."))
        return data


class ProfilInline(admin.StackedInline):
    model = Profil
    form = ProfilForm
    can_delete = False
    min_num = 1
    max_num = 1
    autocomplete_fields = ["kommuner"]
    verbose_name = _("rolle og tilgang")
    verbose_name_plural = _("rolle og tilgang")


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(ImportExportAdminMixin, DjangoUserAdmin):
    """Users with role and scope. Import/export: one row per user (core.resources.BrukerResource);
    onboarding many kommune users from a spreadsheet goes that way."""

    inlines = [ProfilInline]
    resource_classes = [BrukerResource]
    list_display = ["username", "first_name", "last_name", "rolle", "is_active", "is_superuser", "last_login"]
    list_filter = ["profil__rolle", "profil__statsforvalter", "is_active", "is_superuser"]
    list_select_related = ["profil"]

    readonly_fields = ["tilgang_i_ord"]

    def get_fieldsets(self, request, obj=None):
        # On a user's page, who the user is and what they may see come first.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [(_("Rolle og tilgang"), {"fields": ["tilgang_i_ord"]}), *fieldsets]

    @admin.display(description=_("rolle og tilgang"))
    def tilgang_i_ord(self, obj):
        return format_html_join("", "<p>{}</p>", ((line,) for line in tilgang_linjer(obj)))

    @admin.display(description=_("rolle"), ordering="profil__rolle")
    def rolle(self, obj):
        profil = getattr(obj, "profil", None)
        return profil.get_rolle_display() if profil else "–"

    def _may(self, request):
        return can(request.user, "brukere")

    def has_view_permission(self, request, obj=None):
        return self._may(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may(request) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return self._may(request) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self._may(request) and super().has_delete_permission(request, obj)

    def get_inline_instances(self, request, obj=None):
        # The add form only asks for username and password first (Django's two-step add).
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_model(self, request, obj, form, change):
        if not self._may(request):
            raise PermissionDenied
        request._access_before = access_snapshot(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Runs inside the admin's transaction, after the profile inline is saved.
        super().save_related(request, form, formsets, change)
        access_changed(user=form.instance, before=getattr(request, "_access_before", None), by=request.user)


def tilgang_linjer(user):
    """The user's role and scope in words (core.access decides them): the role and what it is bound
    to, what the role may do, and which kommuner or fylker that covers."""
    role = role_of(user)
    if role is None:
        return [str(_("Ingen rolle: brukeren ser ingen kommuner og kan ikke registrere noe."))]
    lines = [str(scope_label(user)), str(ROLES[role.value])]
    profil = profil_of(user)
    if role in NATIONAL_READ:
        lines.append(str(_("Ser alle kommuner i hele landet.")))
    elif role == Rolle.STATSFORVALTER:
        if profil and profil.statsforvalter_id:
            office = profil.statsforvalter
            fylker = ", ".join(f.navn for f in office.fylker.filter(gyldig_til__isnull=True).order_by("nummer"))
            lines.append(str(_("Embete: %(embete)s. Fylker: %(fylker)s.") % {"embete": office.navn, "fylker": fylker}))
        else:
            lines.append(str(_("Ikke knyttet til et embete: ser ingen kommuner.")))
    elif role == Rolle.KOMMUNE:
        kommuner = list(profil.kommuner.select_related("fylke").order_by("nummer")) if profil else []
        if kommuner:
            lines.append(str(_("Kommuner: %(kommuner)s. Fylke: %(fylker)s.") % {
                "kommuner": ", ".join(f"{k.navn_norsk} ({k.nummer})" for k in kommuner),
                "fylker": ", ".join(sorted({k.fylke.navn for k in kommuner}))}))
        else:
            lines.append(str(_("Ikke knyttet til noen kommune: ser ingen kommuner.")))
    return lines


class ReadOnlyAdminMixin:
    """For data that changes only through the services (so its history is kept): view, never edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Endring)
class EndringAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The change history: read only, scoped like the history pages."""

    list_display = ["tidspunkt", "handling", "objekt", "kommune", "aar", "bruker", "import_ref"]
    list_filter = ["handling", "tidspunkt", "content_type"]
    search_fields = ["objekt", "handling", "import_ref", "kommune__nummer", "kommune__navn"]
    list_select_related = ["kommune", "bruker"]
    date_hierarchy = "tidspunkt"
    readonly_fields = ["tidspunkt", "bruker", "handling", "content_type", "object_id", "objekt", "kommune", "aar",
                       "endringer_tabell", "kommentar", "request_id", "import_ref"]
    exclude = ["endringer"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def lookup_allowed(self, lookup, value, request=None):
        # Per-object history links (ScopedAdminMixin.history_view) filter on these.
        return lookup in {"content_type__id__exact", "object_id"} or super().lookup_allowed(lookup, value, request)


    @admin.display(description=_("endringer (gammel → ny)"))
    def endringer_tabell(self, obj):
        rows = format_html_join("", "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>", obj.felter)
        return format_html(
            "<table><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>"
            "<th scope=\"col\">{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Felt for felt"), _("Felt"), _("Gammel verdi"), _("Ny verdi"),
            rows,
        )


class TOTPDeviceAdmin(otp_totp_admin.TOTPDeviceAdmin):
    """django-otp's admin for authenticator apps; its QR code and key pages look the device up with
    `.get()`, so an id that names no device was a 500: here it is "not found" (404)."""

    def config_view(self, request, pk):
        return self._existing(super().config_view, request, pk)

    def qrcode_view(self, request, pk):
        return self._existing(super().qrcode_view, request, pk)

    @staticmethod
    def _existing(view, request, pk):
        try:
            return view(request, pk)
        except TOTPDevice.DoesNotExist as exc:
            raise Http404 from exc


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)


# --- the admin in Bokmål -------------------------------------------------------------------
# The third-party apps ship no Norwegian: their apps and models get Norwegian names here (the
# model's _meta only, not its declared Meta, so no migration sees it).
TREDJEPART_APPER = {
    "django_celery_beat": _("Planlagte oppgaver"),
    "axes": _("Innloggingsvern"),
    "otp_totp": _("Tofaktorinnlogging"),
}
TREDJEPART_MODELLER = {
    ("django_celery_beat", "periodictask"): (_("periodisk oppgave"), _("periodiske oppgaver")),
    ("django_celery_beat", "intervalschedule"): (_("intervall"), _("intervaller")),
    ("django_celery_beat", "crontabschedule"): (_("crontab-plan"), _("crontab-planer")),
    ("django_celery_beat", "solarschedule"): (_("soltidspunkt"), _("soltidspunkter")),
    ("django_celery_beat", "clockedschedule"): (_("fast tidspunkt"), _("faste tidspunkter")),
    ("axes", "accessattempt"): (_("innloggingsforsøk"), _("innloggingsforsøk")),
    ("axes", "accesslog"): (_("innloggingslogg"), _("innloggingslogger")),
    ("axes", "accessfailurelog"): (_("mislykket innlogging"), _("mislykkede innlogginger")),
    ("axes", "accessattemptexpiration"): (_("utløp av innloggingsforsøk"), _("utløp av innloggingsforsøk")),
    ("otp_totp", "totpdevice"): (_("TOTP-enhet"), _("TOTP-enheter")),
}
# Texts of Django's admin templates that Django's own nb and nn catalogues lack; translated in
# ours (locale/*/django.po), marked here so makemessages keeps them.
DJANGO_ADMIN_TEKSTER = (
    gettext_noop("Skip to main content"), gettext_noop("Model name"), gettext_noop("Add link"),
    gettext_noop("Change or view list link"), gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: dark)"), gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Breadcrumbs"), gettext_noop("Sidebar"), gettext_noop("Filter navigation items"),
    gettext_noop("Start typing to filter…"), gettext_noop("Show counts"), gettext_noop("Hide counts"),
    gettext_noop("Added:"), gettext_noop("Changed:"), gettext_noop("Deleted:"), gettext_noop("Error:"),
    gettext_noop("Set password"), gettext_noop("Enable password-based authentication"),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Forgotten your login credentials?"), gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("Thanks for spending some quality time with the web site today."),
    gettext_noop("Export"),  # django-import-export's button («Import» is Norwegian already)
)


def _norske_navn():
    from django.apps import apps

    for label, navn in TREDJEPART_APPER.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = navn
    for (label, model), (entall, flertall) in TREDJEPART_MODELLER.items():
        try:
            meta = apps.get_model(label, model)._meta
        except LookupError:
            continue
        meta.verbose_name, meta.verbose_name_plural = entall, flertall


_norske_navn()
