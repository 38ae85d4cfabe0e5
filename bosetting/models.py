"""The settlement case per kommune and year: IMDi's request, what was settled, housing, reasons.

A blank figure is unknown (NULL), never 0. A figure IMDi suppressed for privacy (`:` in its
tables, a small number) is NULL with its field name listed in `prikket`: neither 0 nor blank.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommuner.models import Kommune

from .choices import MAX_AAR, MIN_AAR, Aarsak, AnmodningType, Kilde, Virkemiddel
from .querysets import CaseQuerySet

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
    vedtatt_dato = models.DateField(_("dato"), null=True, blank=True)
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
    dato_sendt = models.DateField(_("dato sendt"), null=True, blank=True)
    svarfrist = models.DateField(_("svarfrist"), null=True, blank=True)
    antall = models.PositiveIntegerField(_("antall personer"))
    herav_ema = count_field(_("herav enslige mindreårige"))
    ema_under_15 = count_field(_("EMA under 15 år"))
    ema_15_18 = count_field(_("EMA 15–18 år"))
    kommentar = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("anmodning")
        verbose_name_plural = _("anmodninger")
        ordering = ["kommune__nummer", "aar", "dato_sendt", "opprettet", "id"]
        indexes = [models.Index(fields=["aar", "kommune"])]

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


class Bosatt(CaseModel):
    """Persons settled in a kommune: per month (1–12), or for the whole year (`maaned` = 0)."""

    HELE_AARET = 0

    kommune = models.ForeignKey(Kommune, verbose_name=_("kommune"), on_delete=models.PROTECT,
                                related_name="bosatte")
    aar = aar_field()
    maaned = models.PositiveSmallIntegerField(
        _("måned"), default=0, validators=[MinValueValidator(0), MaxValueValidator(12)],
        help_text=_("0: tall for hele året (f.eks. IMDis årstall)."),
    )
    antall = count_field(_("bosatte"))
    herav_ema = count_field(_("herav enslige mindreårige"))
    herav_kollektiv = count_field(_("herav med kollektiv beskyttelse"))
    avtalt = count_field(_("avtalt, ikke ankommet"), _("Avtalt med IMDi, men ikke kommet ennå."))
    avtalt_kollektiv = count_field(_("avtalt med kollektiv beskyttelse"))

    class Meta:
        verbose_name = _("bosatte")
        verbose_name_plural = _("bosatte")
        ordering = ["kommune__nummer", "aar", "maaned"]
        constraints = [
            models.UniqueConstraint(fields=["kommune", "aar", "maaned"], name="unik_bosatt_maaned"),
        ]

    def __str__(self):
        periode = f"{self.maaned:02d}/{self.aar}" if self.maaned else str(self.aar)
        return f"{self.kommune.nummer} {periode}: {self.antall if self.antall is not None else '?'}"

    def clean(self):
        errors = self.clean_breakdown("antall", ["herav_ema", "herav_kollektiv"])
        errors.update(self.clean_breakdown("avtalt", ["avtalt_kollektiv"]))
        now = timezone.localdate()
        if self.maaned and self.aar and (self.aar, self.maaned) > (now.year, now.month):
            errors["maaned"] = _("Kan ikke registrere bosatte for en måned som ikke har begynt.")
        if errors:
            raise ValidationError(errors)


class Bolig(CaseModel):
    """Housing capacity for settlement in a kommune-year."""

    kommune = models.ForeignKey(Kommune, verbose_name=_("kommune"), on_delete=models.PROTECT,
                                related_name="boliger")
    aar = aar_field()
    tilgjengelige = count_field(_("boliger tilgjengelig for bosetting"))
    under_arbeid = count_field(_("boliger under arbeid"))
    behov = count_field(_("boliger som trengs"))
    virkemidler = models.JSONField(_("Husbankens virkemidler i bruk"), default=list, blank=True)
    merknad = models.TextField(_("merknad"), blank=True)

    class Meta:
        verbose_name = _("boligkapasitet")
        verbose_name_plural = _("boligkapasitet")
        constraints = [models.UniqueConstraint(fields=["kommune", "aar"], name="unik_bolig")]

    def __str__(self):
        return f"{self.kommune.nummer} {self.aar}: bolig"

    def clean(self):
        unknown = set(self.virkemidler or []) - set(Virkemiddel.values)
        if unknown:
            raise ValidationError({"virkemidler": _("Ukjent virkemiddel: %(v)s") % {"v": ", ".join(sorted(unknown))}})

    def get_virkemidler_display(self):
        labels = dict(Virkemiddel.choices)
        return [labels[v] for v in self.virkemidler if v in labels]


class Aarsaker(CaseModel):
    """The reasons a kommune gives for settling fewer than requested, in a kommune-year."""

    kommune = models.ForeignKey(Kommune, verbose_name=_("kommune"), on_delete=models.PROTECT,
                                related_name="aarsaker")
    aar = aar_field()
    aarsaker = models.JSONField(_("årsaker"), default=list, blank=True)
    fritekst = models.TextField(_("utdyping"), blank=True)

    class Meta:
        verbose_name = _("årsaker til avvik")
        verbose_name_plural = _("årsaker til avvik")
        constraints = [models.UniqueConstraint(fields=["kommune", "aar"], name="unik_aarsaker")]

    def __str__(self):
        return f"{self.kommune.nummer} {self.aar}: årsaker"

    def clean(self):
        unknown = set(self.aarsaker or []) - set(Aarsak.values)
        if unknown:
            raise ValidationError({"aarsaker": _("Ukjent årsak: %(v)s") % {"v": ", ".join(sorted(unknown))}})

    def get_aarsaker_display(self):
        labels = dict(Aarsak.choices)
        return [labels[v] for v in self.aarsaker if v in labels]


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

    def __str__(self):
        return f"{self.aar}: {'låst' if self.laast else 'åpen'}"


class Tallversjon(models.Model):
    """A counter bumped after every committed change to the settlement figures (or the kommune
    register). Cached national figures are keyed on it, so every process sees a change at once,
    whatever the cache backend. One row, `navn="tall"`."""

    navn = models.CharField(max_length=20, primary_key=True)
    versjon = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("tallversjon")
        verbose_name_plural = _("tallversjoner")

    def __str__(self):
        return f"{self.navn} {self.versjon}"
