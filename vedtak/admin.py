"""Admin for the agreement (requests, vedtak, national need, year lock) and `CaseAdmin`, the base
of every case admin (bosetting's too). Every save and delete goes through the services, so
scope, the year lock, supersession and the change history apply here too."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.admin import ScopedAdminMixin

from . import services
from .forms import check_pdf
from .models import Aarslaas, Anmodning, Bosettingsbehov, Vedtak


class YearOpenForm(forms.ModelForm):
    """Refuse a locked year as a form error instead of a failed save."""

    def clean(self):
        data = super().clean()
        years = {y for y in (data.get("aar"), getattr(self.instance, "aar", None) if self.instance.pk else None,
                             data.get("aar_til")) if y}
        if years:
            try:
                services.assert_year_open(*years)
            except ValidationError as exc:
                raise ValidationError(exc.messages) from exc
        return data


class CaseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = YearOpenForm
    list_filter = ["aar", "kilde", "kommune__fylke"]
    search_fields = ["kommune__nummer", "kommune__navn"]
    autocomplete_fields = ["kommune"]
    readonly_fields = ["opprettet", "opprettet_av"]
    list_select_related = ["kommune"]
    date_hierarchy = None

    def register(self, request, obj):
        raise NotImplementedError

    # The mixin checks scope; the services write, validate, honour the year lock and record history.
    def service_save(self, request, obj, form, change):
        if change:
            services.case_update(obj=obj, by=request.user)
        else:
            saved = self.register(request, obj)
            obj.pk = saved.pk

    def service_delete(self, request, obj):
        services.case_delete(obj=obj, by=request.user)

    @staticmethod
    def fields_of(obj, *exclude):
        skip = {"id", "kommune", "aar", "opprettet", "opprettet_av", *exclude}
        return {f.name: getattr(obj, f.name) for f in obj._meta.concrete_fields if f.name not in skip}


@admin.register(Anmodning)
class AnmodningAdmin(CaseAdmin):
    scope_action = "anmodning"
    list_display = ["kommune", "aar", "type", "antall", "herav_ema", "dato_sendt", "svarfrist", "kilde"]
    list_filter = ["aar", "type", "kilde", "kommune__fylke"]

    def register(self, request, obj):
        return services.anmodning_register(kommune=obj.kommune, aar=obj.aar, by=request.user,
                                           **self.fields_of(obj))


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
        return services.vedtak_register(kommune=obj.kommune, aar=obj.aar, aar_til=obj.aar_til, by=request.user,
                               **self.fields_of(obj, "aar_til", "erstattet_av"))


@admin.register(Bosettingsbehov)
class BosettingsbehovAdmin(admin.ModelAdmin):
    """Revisions are kept: a change is saved as a new revision."""

    list_display = ["aar", "antall", "herav_ema", "vedtatt_dato", "opprettet", "opprettet_av"]
    list_filter = ["aar"]
    readonly_fields = ["opprettet", "opprettet_av"]
    form = YearOpenForm

    def save_model(self, request, obj, form, change):
        saved = services.behov_register(aar=obj.aar, antall=obj.antall, herav_ema=obj.herav_ema,
                                        vedtatt_dato=obj.vedtatt_dato, kommentar=obj.kommentar, by=request.user)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Aarslaas)
class AarslaasAdmin(admin.ModelAdmin):
    list_display = ["aar", "laast", "endret", "endret_av"]
    list_filter = ["laast"]
    fields = ["aar", "laast", "kommentar"]

    def save_model(self, request, obj, form, change):
        saved = services.aar_set_lock(aar=obj.aar, laast=obj.laast, kommentar=obj.kommentar, by=request.user)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False
