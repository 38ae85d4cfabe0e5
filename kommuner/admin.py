from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
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


class OvergangForm(forms.ModelForm):
    class Meta:
        model = KommuneOvergang
        fields = ["gjeldende", "delt", "merknad"]
        help_texts = {"gjeldende": _("Dagens kommune det gamle kommunenummeret er blitt til.")}

    def clean(self):
        data = super().clean()
        gjeldende = data.get("gjeldende")
        historisk = self.instance.historisk if self.instance.historisk_id else None
        if gjeldende is not None and historisk is not None:
            try:
                services.kommune_overgang_check(historisk, gjeldende)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        self.add_error(field, error)
        return data


class OvergangInline(admin.TabularInline):
    """Saved through kommuner.services (KommuneAdmin.save_formset), so each change is in the history."""

    model = KommuneOvergang
    form = OvergangForm
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

    def save_formset(self, request, form, formset, change):
        if formset.model is not KommuneOvergang:
            return super().save_formset(request, form, formset, change)
        # Instead of formset.save(): each transition through the service (inside the admin's
        # transaction), with the lists the admin's change message reads.
        kommentar = str(_("Endret i administrasjonen"))
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for f in formset.initial_forms:
            if f in formset.deleted_forms and f.instance.pk:
                services.kommune_overgang_delete(overgang=f.instance, by=request.user,
                                                 kommentar=str(_("Slettet i administrasjonen")))
                formset.deleted_objects.append(f.instance)
        for f in formset.forms:
            if f in formset.deleted_forms or not f.has_changed():
                continue
            data = f.cleaned_data
            existing = f.instance if f.instance.pk else None
            saved = services.kommune_overgang_save(
                overgang=existing, historisk=form.instance, gjeldende=data["gjeldende"],
                delt=data.get("delt", False), merknad=data.get("merknad", ""), by=request.user, kommentar=kommentar)
            if existing is None:
                f.instance.pk = saved.pk
                formset.new_objects.append(saved)
            else:
                formset.changed_objects.append((saved, f.changed_data))
        return None


@admin.register(KommuneEndring)
class KommuneEndringAdmin(admin.ModelAdmin):
    list_display = ["endringsdato", "gammel_kode", "gammelt_navn", "ny_kode", "nytt_navn", "type"]
    list_filter = ["type", "endringsdato"]
    search_fields = ["gammel_kode", "gammelt_navn", "ny_kode", "nytt_navn"]
