"""Users' roles and scope, and the change history (Endring) written by every service."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import roles
from .querysets import EndringQuerySet


class Rolle(models.TextChoices):
    ADMINISTRATOR = roles.ADMINISTRATOR, _("Administrator")
    KS = roles.KS, _("KS")
    STATSFORVALTER = roles.STATSFORVALTER, _("Statsforvalter")
    KOMMUNE = roles.KOMMUNE, _("Kommune")
    IMDI = roles.IMDI, _("IMDi")


class Profil(models.Model):
    """A user's role and the scope it is bound to (an office, or one or more kommuner)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profil")
    rolle = models.CharField(_("rolle"), max_length=20, choices=Rolle.choices)
    statsforvalter = models.ForeignKey(
        "kommuner.Statsforvalter", verbose_name=_("Statsforvalter-embete"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="brukere",
    )
    kommuner = models.ManyToManyField(
        "kommuner.Kommune", verbose_name=_("kommuner"), blank=True, related_name="brukere",
        limit_choices_to={"gyldig_til__isnull": True},
    )
    varsler_paa = models.BooleanField(_("få påminnelser på e-post"), default=True)
    # The written standard the user chose (header or /profil/): applied at login in every browser,
    # and used where there is no request, such as the reminder e-mails (core.sprak).
    sprak = models.CharField(_("målform"), max_length=5, choices=settings.LANGUAGES, default="nb")

    class Meta:
        verbose_name = _("brukerprofil")
        verbose_name_plural = _("brukerprofiler")

    def __str__(self):
        return f"{self.user} ({self.get_rolle_display()})"

    def clean(self):
        # The kommuner (many-to-many) are checked by the form and by core.services.profil_save.
        if self.rolle == Rolle.STATSFORVALTER and not self.statsforvalter_id:
            raise ValidationError({"statsforvalter": _("En statsforvalterbruker må knyttes til ett embete.")})
        if self.rolle != Rolle.STATSFORVALTER and self.statsforvalter_id:
            raise ValidationError({"statsforvalter": _("Bare statsforvalterbrukere knyttes til et embete.")})


class Endring(models.Model):
    """One recorded change to case data: who, when, what, field by field (old → new)."""

    tidspunkt = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    bruker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("bruker"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    handling = models.CharField(_("handling"), max_length=60, help_text=_("F.eks. vedtak.registrert"))
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    objekt = models.CharField(_("objekt"), max_length=200)
    kommune = models.ForeignKey(
        "kommuner.Kommune", verbose_name=_("kommune"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="endringer",
    )
    aar = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)
    endringer = models.JSONField(_("endringer"), default=dict, help_text=_("{felt: [gammel, ny]}"))
    kommentar = models.TextField(_("kommentar"), blank=True)
    request_id = models.UUIDField(null=True, blank=True)
    import_ref = models.CharField(_("import"), max_length=64, blank=True, db_index=True)

    objects = EndringQuerySet.as_manager()

    class Meta:
        verbose_name = _("endring")
        verbose_name_plural = _("endringslogg")
        ordering = ["-tidspunkt", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["kommune", "-tidspunkt"]),
        ]

    def __str__(self):
        return f"{self.tidspunkt:%d.%m.%Y %H:%M} {self.handling} {self.objekt}"

    @property
    def felter(self):
        """[(field, old, new)] for display, in field order."""
        return [(name, old, new) for name, (old, new) in self.endringer.items()]


def new_request_id():
    return uuid.uuid4()


class Tallversjon(models.Model):
    """A counter that moves with every change to the settlement figures or the kommune register:
    database triggers on those tables bump it in the writing transaction (core.tallcache), so it
    moves whatever the write path (service, admin, bulk import, COPY, raw SQL). Cached figures are
    keyed on it. One row, `navn="tall"`."""

    navn = models.CharField(max_length=20, primary_key=True)
    versjon = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("tallversjon")
        verbose_name_plural = _("tallversjoner")
        db_table = "bosetting_tallversjon"  # moved from bosetting (issue 13); the table kept its name

    def __str__(self):
        return f"{self.navn} {self.versjon}"


class Skjemanokkel(models.Model):
    """A create form's one-time token (core/skjema.py), consumed by the first successful POST: a
    second POST with the same token writes nothing and goes to the same result (`url`)."""

    nokkel = models.CharField(max_length=64, unique=True)
    url = models.CharField(max_length=500, blank=True)
    opprettet = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "skjemanøkkel"
        verbose_name_plural = "skjemanøkler"

    def __str__(self):
        return self.nokkel[:8]
