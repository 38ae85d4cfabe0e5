"""The municipal council's decision (vedtak) on how many refugees to settle."""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bosetting.models import CaseModel, aar_field, aar_validators, count_field
from kommuner.models import Kommune

from .choices import RESERVATION_MARKERS, Organ, Utfall, VedtakStatus

MAX_DOKUMENT_BYTES = 10 * 1024 * 1024


def vedtak_upload_to(instance, filename):
    return f"vedtak/{instance.kommune.nummer}/{instance.aar}/{filename}"


class Vedtak(CaseModel):
    """A decision for a kommune and a year (or span). A later one for the same kommune-year
    supersedes the earlier, which stays visible (`erstattet_av`)."""

    kommune = models.ForeignKey(Kommune, verbose_name=_("kommune"), on_delete=models.PROTECT, related_name="vedtak")
    aar = aar_field()
    aar_til = models.PositiveSmallIntegerField(
        _("til og med år"), null=True, blank=True, validators=aar_validators,
        help_text=_("For vedtak som gjelder flere år. Antallet gjelder hvert år."),
    )
    anmodning = models.ForeignKey(
        "bosetting.Anmodning", verbose_name=_("svarer på anmodning"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="vedtak",
    )
    status = models.CharField(_("status"), max_length=20, choices=VedtakStatus.choices, default=VedtakStatus.FATTET)
    dato = models.DateField(_("vedtaksdato"), null=True, blank=True)
    organ = models.CharField(_("vedtatt av"), max_length=20, choices=Organ.choices, default=Organ.KOMMUNESTYRE)
    saksnummer = models.CharField(_("saksnummer"), max_length=60, blank=True)
    antall = count_field(_("antall personer"))
    herav_ema = count_field(_("herav enslige mindreårige"))
    ema_under_15 = count_field(_("EMA under 15 år"))
    ema_15_18 = count_field(_("EMA 15–18 år"))
    vilkaar = models.TextField(_("vilkår og merknader"), blank=True)
    lenke = models.URLField(_("lenke til vedtaket"), blank=True)
    dokument = models.FileField(
        _("vedtaksdokument (PDF)"), upload_to=vedtak_upload_to, blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    erstattet_av = models.ForeignKey(
        "self", verbose_name=_("erstattet av"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="erstatter",
    )

    class Meta:
        verbose_name = _("vedtak")
        verbose_name_plural = _("vedtak")
        ordering = ["kommune__nummer", "aar", "dato", "opprettet", "id"]
        indexes = [models.Index(fields=["aar", "kommune"], condition=models.Q(erstattet_av__isnull=True),
                                name="vedtak_gjeldende_idx")]

    def __str__(self):
        return f"{self.kommune.nummer} {self.aar_tekst}: {self.antall if self.antall is not None else '–'}"

    @property
    def aar_tekst(self):
        return f"{self.aar}–{self.aar_til}" if self.aar_til and self.aar_til != self.aar else str(self.aar)

    @property
    def er_gjeldende(self):
        return self.erstattet_av_id is None

    def gjelder_aar(self, aar):
        return self.aar <= aar <= (self.aar_til or self.aar)

    @property
    def forbehold(self):
        """Reservations IMDi does not accept, found in the conditions text."""
        text = (self.vilkaar or "").lower()
        return [m for m in RESERVATION_MARKERS if m in text]

    def utfall_mot(self, anmodet):
        if self.status == VedtakStatus.AVVENTER:
            return Utfall.AVVENTER
        if self.antall is None or anmodet is None:
            return Utfall.UKJENT
        if self.antall == 0:
            return Utfall.AVSLAATT
        if self.antall > anmodet:
            return Utfall.FLERE
        if self.antall == anmodet:
            return Utfall.SOM_ANMODET
        return Utfall.FAERRE

    def clean(self):
        errors = self.clean_breakdown("antall", ["herav_ema"])
        errors.update(self.clean_breakdown("herav_ema", ["ema_under_15", "ema_15_18"]))
        if self.dato and self.dato > timezone.localdate():
            errors["dato"] = _("Vedtaksdatoen kan ikke være fram i tid.")
        if self.aar_til is not None and self.aar is not None and self.aar_til < self.aar:
            errors["aar_til"] = _("«Til og med år» kan ikke være før året vedtaket gjelder fra.")
        if self.status == VedtakStatus.FATTET and self.antall is None and self.kilde == "manuell":
            errors["antall"] = _("Oppgi antall personer i vedtaket, eller velg «Avventer vedtak».")
        if self.status == VedtakStatus.AVVENTER and self.antall is not None:
            errors["antall"] = _("Et vedtak som avventes har ikke noe antall ennå.")
        if self.anmodning_id and self.kommune_id and self.anmodning.kommune_id != self.kommune_id:
            errors["anmodning"] = _("Anmodningen gjelder en annen kommune.")
        if self.dokument and getattr(self.dokument, "size", 0) > MAX_DOKUMENT_BYTES:
            errors["dokument"] = _("Dokumentet er større enn 10 MB.")
        if errors:
            raise ValidationError(errors)
