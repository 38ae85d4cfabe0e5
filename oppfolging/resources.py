"""Import and export in the admin for the administrators' settings: the offices' dialogue plans and
the early-warning rules. Parsing and row errors come from core.resources.ServiceResource; the
writes go through oppfolging.services (validated, saved, history in the import's transaction)."""

from django.utils.translation import gettext as _
from import_export import fields

from core.resources import EmbeteWidget, HeltallWidget, JaNeiWidget, ServiceResource, TekstWidget

from . import services
from .models import DialogplanSteg, RegelInnstilling


class DialogplanStegResource(ServiceResource):
    """One row per step: id (blank for a new step), statsforvalter (the office's short name),
    tittel, dager_etter, aktiv."""

    id = fields.Field(attribute="id", column_name="id", widget=HeltallWidget())
    statsforvalter = fields.Field(attribute="statsforvalter", column_name="statsforvalter", widget=EmbeteWidget())
    tittel = fields.Field(attribute="tittel", column_name="tittel", widget=TekstWidget())
    dager_etter = fields.Field(attribute="dager_etter", column_name="dager_etter", widget=HeltallWidget())
    aktiv = fields.Field(attribute="aktiv", column_name="aktiv", widget=JaNeiWidget(), saves_null_values=False)

    class Meta:
        model = DialogplanSteg
        fields = ("id", "statsforvalter", "tittel", "dager_etter", "aktiv")
        export_order = fields
        import_id_fields = ("id",)

    def get_queryset(self):
        return DialogplanSteg.objects.select_related("statsforvalter")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("statsforvalter")

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._ny = new

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if getattr(instance, "_ny", False) and instance.id is not None and "id" not in errors:
            errors["id"] = [_("det finnes ikke noe steg med id %(id)s; la cellen stå tom for et nytt steg") % {
                "id": instance.id}]
        super().validate_instance(instance, errors, validate_unique)

    def service_save(self, instance, is_create, row, *, by, import_ref):
        saved = services.dialogplan_steg_save(
            steg=None if is_create else instance, statsforvalter=instance.statsforvalter, tittel=instance.tittel,
            dager_etter=instance.dager_etter, aktiv=instance.aktiv, by=by, import_ref=import_ref)
        instance.pk = saved.pk


class RegelInnstillingResource(ServiceResource):
    """One row per rule: regel (its key), aktiv, terskel (blank: the rule's default), frist_dager."""

    regel = fields.Field(attribute="regel", column_name="regel", widget=TekstWidget())
    aktiv = fields.Field(attribute="aktiv", column_name="aktiv", widget=JaNeiWidget(), saves_null_values=False)
    terskel = fields.Field(attribute="terskel", column_name="terskel", widget=HeltallWidget())
    frist_dager = fields.Field(attribute="frist_dager", column_name="frist_dager", widget=HeltallWidget())

    class Meta:
        model = RegelInnstilling
        fields = ("regel", "aktiv", "terskel", "frist_dager")
        export_order = fields
        import_id_fields = ("regel",)

    def service_save(self, instance, is_create, row, *, by, import_ref):
        saved = services.regel_innstilling_save(regel=instance.regel, aktiv=instance.aktiv, terskel=instance.terskel,
                                                frist_dager=instance.frist_dager, by=by, import_ref=import_ref)
        instance.pk = saved.pk
