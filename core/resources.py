"""django-import-export resources for what administrators manage in bulk, and their shared base.

`ServiceResource` makes every import behave the same way:
- one transaction; an invalid row rolls everything back (the admin passes
  `rollback_on_validation_errors`, see core.admin.ImportExportAdminMixin);
- every error names its row and column in Bokmål: "Rad 4, kolonne «kommuner»: …" (row 2 is the
  first data row, as in the spreadsheet; the same numbering as the imports app);
- an unknown column is an error, not ignored;
- a blank cell is None ("unknown"), never 0; unchanged rows are reported as unchanged and not written;
- rows are parsed and checked here, and written by the app's service (`service_save`), which
  validates, saves and records history in the import's transaction.

`BrukerResource`: users with their role and scope, one row per user.
"""

import re
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .models import Profil, Rolle
from .params import kommunenummer
from .services import access_snapshot, bruker_import, profil_check

User = get_user_model()
# The register's models, reached through the profile (this ground floor imports no app).
Kommune = Profil._meta.get_field("kommuner").related_model
Statsforvalter = Profil._meta.get_field("statsforvalter").related_model


# --- Widgets: Norwegian values and messages ---------------------------------------------------


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


class TekstWidget(widgets.Widget):
    """Text; a blank cell is the empty text (text fields hold no None)."""

    def clean(self, value, row=None, **kwargs):
        return "" if _blank(value) else str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class JaNeiWidget(widgets.Widget):
    """ja/nei (also 1/0, true/false, sann/usann, x). Blank → None: the field keeps its value."""

    JA = {"ja", "j", "1", "true", "sann", "x"}
    NEI = {"nei", "n", "0", "false", "usann"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        if _blank(value):
            return None
        text = str(value).strip().casefold()
        if text.endswith(".0"):
            text = text[:-2]
        if text in self.JA:
            return True
        if text in self.NEI:
            return False
        raise ValueError(_("«%(verdi)s» er verken «ja» eller «nei».") % {"verdi": value})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "ja" if value else "nei"


class HeltallWidget(widgets.Widget):
    """A whole number (Excel's 12.0 is 12). Blank → None, never 0."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if re.fullmatch(r"-?\d+(\.0+)?", text):
            return int(text.split(".")[0])
        raise ValueError(_("«%(verdi)s» er ikke et heltall.") % {"verdi": value})

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class EmbeteWidget(widgets.Widget):
    """A Statsforvalter office by its short name (`Statsforvalter.kortnavn`) or full name."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        text = str(value).strip().casefold()
        for office in Statsforvalter.objects.all():
            if text in (office.kortnavn.casefold(), office.navn.casefold()):
                return office
        raise ValueError(_("ukjent Statsforvalter-embete «%(verdi)s»") % {"verdi": value})

    def render(self, value, obj=None, **kwargs):
        return value.kortnavn if value else ""


class RolleWidget(widgets.Widget):
    """A role by its value ("Kommune") or its label in Bokmål or Nynorsk."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        text = str(value).strip().casefold()
        for rolle in Rolle:
            names = {rolle.value.casefold()}
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    names.add(str(rolle.label).casefold())
            if text in names:
                return rolle.value
        raise ValueError(_("ukjent rolle «%(verdi)s» (bruk en av: %(roller)s)") % {
            "verdi": value, "roller": ", ".join(Rolle.values)})

    def render(self, value, obj=None, **kwargs):
        return value or ""


class KommunerWidget(widgets.Widget):
    """Today's kommuner as numbers separated by commas (or semicolons/spaces). Blank → none."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return []
        kommuner = []
        for part in re.split(r"[,;\s]+", str(value).strip()):
            if not part:
                continue
            nummer = kommunenummer(part)
            if nummer is None:
                raise ValueError(_("«%(v)s» er ikke et kommunenummer") % {"v": part})
            kommune = Kommune.objects.filter(nummer=nummer).first()
            if kommune is None:
                raise ValueError(_("ukjent kommunenummer «%(nummer)s»") % {"nummer": part})
            if kommune.gyldig_til is not None:
                raise ValueError(_("kommunenummer «%(nummer)s» er historisk; bruk dagens kommune") % {
                    "nummer": nummer})
            kommuner.append(kommune)
        return kommuner

    def render(self, value, obj=None, **kwargs):
        return ", ".join(sorted(k.nummer for k in value or []))


# --- The base -----------------------------------------------------------------------------------


class ServiceResource(resources.ModelResource):
    class Meta:
        use_transactions = True
        skip_unchanged = True  # an unchanged row is reported as such and not written
        report_skipped = True
        clean_model_instances = True

    def before_import(self, dataset, **kwargs):
        known = {f.column_name for f in self.get_import_fields()}
        unknown = [h for h in dataset.headers or [] if h not in known]
        if unknown:
            raise ValidationError(_("Ukjent kolonne: %(kolonner)s. Kjente kolonner: %(kjente)s.") % {
                "kolonner": ", ".join(f"«{h}»" for h in unknown),
                "kjente": ", ".join(f"«{h}»" for h in sorted(known))})
        # Groups this import's history entries (Endring.import_ref).
        self.import_ref = f"admin-{self._meta.model._meta.model_name}-{uuid.uuid4().hex[:12]}"

    def before_import_row(self, row, **kwargs):
        self.rad = kwargs.get("row_number", 0) + 1  # the header is row 1

    def _columns(self):
        columns = {}
        for field in self.fields.values():
            if field.attribute:
                columns[field.attribute] = field.column_name
                columns[field.attribute.removeprefix("import_")] = field.column_name
            columns[field.column_name] = field.column_name
        return columns

    def row_error(self, exc):
        """The same errors, each as "Rad N, kolonne «x»: …", keyed by column."""
        columns = self._columns()
        errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        out = {}
        for key, messages in errors.items():
            column = columns.get(key)
            for message in messages:
                if column:
                    text = _("Rad %(rad)d, kolonne «%(kolonne)s»: %(feil)s") % {
                        "rad": self.rad, "kolonne": column, "feil": message}
                else:
                    text = _("Rad %(rad)d: %(feil)s") % {"rad": self.rad, "feil": message}
                out.setdefault(column or NON_FIELD_ERRORS, []).append(text)
        return ValidationError(out)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as exc:
            raise self.row_error(exc) from None

    def save_instance(self, instance, is_create, row, **kwargs):
        try:
            self.service_save(instance, is_create, row, by=kwargs.get("user"), import_ref=self.import_ref)
        except ValidationError as exc:
            raise self.row_error(exc) from None

    def service_save(self, instance, is_create, row, *, by, import_ref):
        raise NotImplementedError


# --- Users with role and scope ------------------------------------------------------------------

_UNSET = object()


class BrukerResource(ServiceResource):
    """One row per user: brukernavn, fornavn, etternavn, epost, aktiv, rolle, statsforvalter
    (the office's short name, Statsforvalter users only) and kommuner (today's kommunenumre,
    Kommune users only). There is no password column: new users get an unusable password and set
    one through the password reset."""

    brukernavn = fields.Field(attribute="username", column_name="brukernavn", widget=TekstWidget())
    fornavn = fields.Field(attribute="first_name", column_name="fornavn", widget=TekstWidget())
    etternavn = fields.Field(attribute="last_name", column_name="etternavn", widget=TekstWidget())
    epost = fields.Field(attribute="email", column_name="epost", widget=TekstWidget())
    aktiv = fields.Field(attribute="is_active", column_name="aktiv", widget=JaNeiWidget(), saves_null_values=False)
    rolle = fields.Field(attribute="import_rolle", column_name="rolle", widget=RolleWidget())
    statsforvalter = fields.Field(attribute="import_statsforvalter", column_name="statsforvalter",
                                  widget=EmbeteWidget())
    kommuner = fields.Field(attribute="import_kommuner", column_name="kommuner", widget=KommunerWidget())

    class Meta:
        model = User
        fields = ("brukernavn", "fornavn", "etternavn", "epost", "aktiv", "rolle", "statsforvalter", "kommuner")
        import_id_fields = ("brukernavn",)
        export_order = fields

    def get_queryset(self):
        return User.objects.all()

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("profil__statsforvalter").prefetch_related("profil__kommuner")

    def init_instance(self, row=None):
        user = super().init_instance(row)
        user.set_unusable_password()
        return user

    # What the row asks for; a column left out of the file keeps the user's current value.

    @staticmethod
    def _profil(user):
        try:
            return user.profil if user.pk else None
        except Profil.DoesNotExist:
            return None

    def _wanted(self, user):
        profil = self._profil(user) if user.pk else None
        rolle = getattr(user, "import_rolle", _UNSET)
        office = getattr(user, "import_statsforvalter", _UNSET)
        kommuner = getattr(user, "import_kommuner", _UNSET)
        if rolle is _UNSET:
            rolle = profil.rolle if profil else None
        if office is _UNSET:
            office = profil.statsforvalter if profil else None
        if kommuner is _UNSET:
            kommuner = list(profil.kommuner.all()) if profil else []
        return rolle, office, kommuner

    def dehydrate_rolle(self, user):
        return self._wanted(user)[0] or ""

    def dehydrate_statsforvalter(self, user):
        office = self._wanted(user)[1]
        return office.kortnavn if office else ""

    def dehydrate_kommuner(self, user):
        return ", ".join(sorted(k.nummer for k in self._wanted(user)[2]))

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or original is None or original.pk is None:
            return False
        if any(getattr(instance, f) != getattr(original, f)
               for f in ("username", "first_name", "last_name", "email", "is_active")):
            return False
        now = access_snapshot(original)
        rolle, office, kommuner = self._wanted(instance)
        return (rolle, office.kortnavn if office else None, sorted(k.nummer for k in kommuner)) == (
            now["rolle"], now["statsforvalter"], now["kommuner"])

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        rolle, office, kommuner = self._wanted(instance)
        if "import_rolle" not in errors and rolle is None:
            errors["import_rolle"] = [_("rollen mangler")]
        elif not {"import_rolle", "import_statsforvalter", "import_kommuner"} & set(errors):
            # The service checks again when it saves; asked here too so a row shows all its errors.
            try:
                profil_check(rolle=rolle, statsforvalter=office, kommuner=kommuner)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        super().validate_instance(instance, errors, validate_unique)

    def service_save(self, instance, is_create, row, *, by, import_ref):
        rolle, office, kommuner = self._wanted(instance)
        bruker_import(user=instance, rolle=rolle, statsforvalter=office, kommuner=kommuner, by=by,
                      import_ref=import_ref)
