"""The agreement on how many, per kommune and year: IMDi's requests (anmodning), the council's
decisions (vedtak) with supersession, the national need, and the year lock that guards every
figure of the case. `CaseModel` is the bookkeeping every case row shares (bosetting builds on it).

A blank figure is unknown (NULL), never 0. A figure IMDi suppressed for privacy (`:` in its
tables, a small number) is NULL with its field name listed in `prikket`: neither 0 nor blank.
"""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.params import MAX_AAR, MIN_AAR, dato_i_omraade
from kommuner.models import Kommune

from .choices import RESERVATION_MARKERS, AnmodningType, Kilde, Organ, Utfall, VedtakStatus
from .querysets import AnmodningQuerySet, CaseQuerySet, VedtakQuerySet

MAX_DOKUMENT_BYTES = 10 * 1024 * 1024

aar_validators = [MinValueValidator(MIN_AAR), MaxValueValidator(MAX_AAR)]


def aar_field(verbose=None):
    return models.PositiveSmallIntegerField(verbose or _("år"), validators=aar_validators, db_index=True)


def count_field(verbose, help_text=""):
    return models.PositiveIntegerField(verbose, null=True, blank=True, help_text=help_text)


class CaseModel(models.Model):
    """Common bookkeeping for case data: where it came from and who made it."""

    kilde = models.CharField(_("kilde"), max_length=20, choices=Kilde.choices, default=Kilde.MANUELL)
    prikket = models.JSONField(
        _("prikkede felt"), default=list, blank=True,
        help_text=_("Felt IMDi har skjult av personvernhensyn (lite tall, vist som «:»)."),
    )
    opprettet = models.DateTimeField(_("opprettet"), default=timezone.now)
    opprettet_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opprettet av"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        abstract = True

    def er_prikket(self, field):
        return field in (self.prikket or [])

    def clean_breakdown(self, total, parts):
        """Each part of a breakdown must be within its total (unknown totals check nothing)."""
        errors = {}
        total_value = getattr(self, total)
        for part in parts:
            value = getattr(self, part)
            if total_value is not None and value is not None and value > total_value:
                label = self._meta.get_field(part).verbose_name
                errors[part] = _("«%(felt)s» kan ikke være større enn totalen (%(total)s).") % {
                    "felt": label, "total": total_value}
        return errors


class Bosettingsbehov(models.Model):
    """The national settlement need for a year; every revision is kept, the newest counts."""

    aar = aar_field()
    antall = models.PositiveIntegerField(_("antall personer"))
    herav_ema = count_field(_("herav enslige mindreårige"))
    vedtatt_dato = models.DateField(_("dato"), null=True, blank=True, validators=[dato_i_omraade])
    kommentar = models.TextField(_("kommentar"), blank=True)
    opprettet = models.DateTimeField(_("registrert"), default=timezone.now)
    opprettet_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("registrert av"),
    )

    class Meta:
        verbose_name = _("nasjonalt bosettingsbehov")
        verbose_name_plural = _("nasjonalt bosettingsbehov")
        ordering = ["-aar", "-opprettet", "-id"]
        db_table = "bosetting_bosettingsbehov"

    def __str__(self):
        return f"{self.aar}: {self.antall}"

    def clean(self):
        if self.herav_ema is not None and self.antall is not None and self.herav_ema > self.antall:
            raise ValidationError({"herav_ema": _("Enslige mindreårige kan ikke være flere enn totalen.")})


class Anmodning(CaseModel):
    """One request letter from IMDi; a kommune-year keeps all of them."""

    kommune = models.ForeignKey(Kommune, verbose_name=_("kommune"), on_delete=models.PROTECT,
                                related_name="anmodninger")
    aar = aar_field()
    type = models.CharField(_("type"), max_length=20, choices=AnmodningType.choices, default=AnmodningType.ORDINAER)
    dato_sendt = models.DateField(_("dato sendt"), null=True, blank=True, validators=[dato_i_omraade])
    svarfrist = models.DateField(_("svarfrist"), null=True, blank=True, validators=[dato_i_omraade])
    antall = models.PositiveIntegerField(_("antall personer"))
    herav_ema = count_field(_("herav enslige mindreårige"))
    ema_under_15 = count_field(_("EMA under 15 år"))
    ema_15_18 = count_field(_("EMA 15–18 år"))
    kommentar = models.TextField(_("kommentar"), blank=True)

    objects = AnmodningQuerySet.as_manager()

    class Meta:
        verbose_name = _("anmodning")
        verbose_name_plural = _("anmodninger")
        ordering = ["kommune__nummer", "aar", "dato_sendt", "opprettet", "id"]
        indexes = [models.Index(fields=["aar", "kommune"], name="bosetting_a_aar_c521b2_idx")]
        db_table = "bosetting_anmodning"  # moved from bosetting (issue 13); the table kept its name

    def __str__(self):
        return f"{self.kommune.nummer} {self.aar} {self.get_type_display()}: {self.antall}"

    def clean(self):
        errors = self.clean_breakdown("antall", ["herav_ema"])
        errors.update(self.clean_breakdown("herav_ema", ["ema_under_15", "ema_15_18"]))
        if (self.herav_ema is not None and self.ema_under_15 is not None and self.ema_15_18 is not None
                and self.ema_under_15 + self.ema_15_18 > self.herav_ema):
            errors["ema_15_18"] = _("Under 15 og 15–18 år kan til sammen ikke være flere enn enslige mindreårige.")
        if self.dato_sendt and self.svarfrist and self.svarfrist < self.dato_sendt:
            errors["svarfrist"] = _("Svarfristen kan ikke være før anmodningen ble sendt.")
        if errors:
            raise ValidationError(errors)


class Aarslaas(models.Model):
    """A year whose figures are validated and locked against change."""

    aar = models.PositiveSmallIntegerField(_("år"), unique=True, validators=aar_validators)
    laast = models.BooleanField(_("låst"), default=True)
    endret = models.DateTimeField(_("endret"), default=timezone.now)
    endret_av = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("endret av"))
    kommentar = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("årslås")
        verbose_name_plural = _("årslåser")
        ordering = ["-aar"]
        db_table = "bosetting_aarslaas"

    def __str__(self):
        return f"{self.aar}: {'låst' if self.laast else 'åpen'}"


def vedtak_upload_to(instance, filename):
    """An unguessable name; the uploaded name is kept in `dokument_navn` (display and download)."""
    return f"vedtak/{uuid.uuid4().hex}.pdf"


def dokument_navn_of(filename):
    """The uploaded file's own name, without folders or control characters, for the download."""
    name = os.path.basename(str(filename or "").replace("\\", "/"))
    name = "".join(c for c in name if c.isprintable()).strip()
    return name[:255]


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
        Anmodning, verbose_name=_("svarer på anmodning"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="vedtak",
    )
    status = models.CharField(_("status"), max_length=20, choices=VedtakStatus.choices, default=VedtakStatus.FATTET)
    dato = models.DateField(_("vedtaksdato"), null=True, blank=True, validators=[dato_i_omraade])
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
    dokument_navn = models.CharField(_("dokumentets filnavn"), max_length=255, blank=True, editable=False)
    erstattet_av = models.ForeignKey(
        "self", verbose_name=_("erstattet av"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="erstatter",
    )

    objects = VedtakQuerySet.as_manager()

    class Meta:
        verbose_name = _("vedtak")
        verbose_name_plural = _("vedtak")
        ordering = ["kommune__nummer", "aar", "dato", "opprettet", "id"]
        indexes = [models.Index(fields=["aar", "kommune"], condition=models.Q(erstattet_av__isnull=True),
                                name="vedtak_gjeldende_idx")]

    def __str__(self):
        return f"{self.kommune.nummer} {self.aar_tekst}: {self.antall if self.antall is not None else '–'}"

    def save(self, *args, **kwargs):
        # A new upload (not yet stored): keep its own name before storage gives it a random one.
        if self.dokument and not self.dokument._committed:
            self.dokument_navn = dokument_navn_of(self.dokument.name)
        elif not self.dokument:
            self.dokument_navn = ""
        super().save(*args, **kwargs)

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
