"""What was settled against the agreement, per kommune and year: settled persons, housing, reasons.

A blank figure is unknown (NULL), never 0. A figure IMDi suppressed for privacy (`:` in its
tables, a small number) is NULL with its field name listed in `prikket`: neither 0 nor blank.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.params import dato_i_omraade
from kommuner.models import Kommune
from vedtak.choices import Kilde
from vedtak.models import CaseModel, aar_field, count_field

from .choices import Aarsak, Virkemiddel


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




class Bosettingsplan(models.Model):
    """The plan in force for one month of a kommune-year: how many persons the kommune can
    receive (places ready), optionally with the housing units behind them. Every save is a
    revision (`Planrevisjon`, the whole year's plan as it stood, who and when); these rows hold the
    newest revision's months (`revisjon`: the one that last set the month), so reading the plan in
    force is one plain query, while a separate revision row keeps each whole plan with its author
    (a revision number per month row would scatter one save over twelve rows)."""

    kommune = models.ForeignKey(Kommune, verbose_name=_("kommune"), on_delete=models.PROTECT,
                                related_name="bosettingsplaner")
    aar = aar_field()
    maaned = models.PositiveSmallIntegerField(_("måned"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    plasser = models.PositiveIntegerField(_("plasser klare"))
    boliger = count_field(_("boliger"))
    revisjon = models.ForeignKey("Planrevisjon", verbose_name=_("revisjon"), on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        verbose_name = _("bosettingsplan")
        verbose_name_plural = _("bosettingsplaner")
        ordering = ["kommune__nummer", "aar", "maaned"]
        constraints = [
            models.UniqueConstraint(fields=["kommune", "aar", "maaned"], name="unik_plan_maaned"),
        ]
        indexes = [models.Index(fields=["aar", "maaned"])]

    def __str__(self):
        return f"{self.kommune.nummer} {self.maaned:02d}/{self.aar}: {self.plasser}"


class Planrevisjon(models.Model):
    """One revision of a kommune-year's settlement plan, kept for good: the whole plan after the
    revision (`plan`: {"1": [plasser, boliger], …}, months without a plan left out), its number
    (1, 2, … per kommune-year; the highest is in force), who and when."""

    kommune = models.ForeignKey(Kommune, verbose_name=_("kommune"), on_delete=models.PROTECT,
                                related_name="planrevisjoner")
    aar = aar_field()
    nummer = models.PositiveIntegerField(_("revisjon"))
    plan = models.JSONField(_("plan"), default=dict)
    tidspunkt = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    av = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registrert av"), null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    kilde = models.CharField(_("kilde"), max_length=20, choices=Kilde.choices, default=Kilde.MANUELL)

    class Meta:
        verbose_name = _("planrevisjon")
        verbose_name_plural = _("planrevisjoner")
        ordering = ["kommune__nummer", "aar", "-nummer"]
        constraints = [
            models.UniqueConstraint(fields=["kommune", "aar", "nummer"], name="unik_planrevisjon"),
        ]

    def __str__(self):
        return f"{self.kommune.nummer} {self.aar}: plan {self.nummer}"

    def maaneder(self):
        """{month: (plasser, boliger)} of this revision."""
        return {int(m): (p, b) for m, (p, b) in self.plan.items()}


class Tjenestekapasitet(CaseModel):
    """The service pressure the kommune's statements name, in a kommune-year: places in the
    introduction programme and in Norwegian training, an asylum reception centre in the kommune,
    and notes on pressure per area. A blank figure is unknown; `asylmottak` None is unknown, not
    "no"."""

    NOTATFELT = ("press_helse", "press_barnevern", "press_transport", "press_annet")

    kommune = models.ForeignKey(Kommune, verbose_name=_("kommune"), on_delete=models.PROTECT,
                                related_name="tjenestekapasiteter")
    aar = aar_field()
    introduksjonsprogram_plasser = count_field(_("plasser i introduksjonsprogrammet"))
    norskopplaering_plasser = count_field(_("plasser i norskopplæringen"))
    asylmottak = models.BooleanField(_("asylmottak i kommunen"), null=True, blank=True)
    mottaksplasser = count_field(_("plasser i asylmottak"))
    mottak_aapnet = models.DateField(_("asylmottaket åpnet"), null=True, blank=True, validators=[dato_i_omraade])
    press_helse = models.TextField(_("press på helsetjenester"), blank=True)
    press_barnevern = models.TextField(_("press på barnevernet"), blank=True)
    press_transport = models.TextField(_("transport og bolig i distriktet"), blank=True)
    press_annet = models.TextField(_("annet press"), blank=True)

    class Meta:
        verbose_name = _("tjenester og press")
        verbose_name_plural = _("tjenester og press")
        constraints = [models.UniqueConstraint(fields=["kommune", "aar"], name="unik_tjenestekapasitet")]

    def __str__(self):
        return f"{self.kommune.nummer} {self.aar}: tjenester"

    @property
    def har_press(self):
        return any(getattr(self, f).strip() for f in self.NOTATFELT)

    def clean(self):
        errors = {}
        if self.asylmottak is not True:
            if self.mottaksplasser is not None:
                errors["mottaksplasser"] = _("Oppgi plasser i asylmottak bare når kommunen har et asylmottak.")
            if self.mottak_aapnet is not None:
                errors["mottak_aapnet"] = _("Oppgi når asylmottaket åpnet bare når kommunen har et asylmottak.")
        if self.mottak_aapnet and self.mottak_aapnet > timezone.localdate():
            errors["mottak_aapnet"] = _("Datoen for når asylmottaket åpnet kan ikke være etter i dag.")
        if errors:
            raise ValidationError(errors)
