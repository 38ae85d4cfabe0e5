"""Rates that administrators keep: the integration grant per validity year, category and year of
settlement, and the estimated cost per settled person over five years (Beregningsutvalget). Every
row carries its source. Seeded from okonomi/data/satser.csv (`manage.py load_satser`); the
estimate that reads them is okonomi.beregning."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.params import MAX_AAR

from .choices import BOSETTINGSAAR, SAMLET, Kategori

MIN_SATS_AAR = 2000  # rates from before the project's years may still be cited


class Tilskuddssats(models.Model):
    gyldig_aar = models.PositiveSmallIntegerField(
        _("gjelder for år"), validators=[MinValueValidator(MIN_SATS_AAR), MaxValueValidator(MAX_AAR)],
        help_text=_("Året satsen gjelder for (bosettingsåret den brukes for)."))
    kategori = models.CharField(_("kategori"), max_length=30, choices=Kategori.choices)
    bosettingsaar = models.PositiveSmallIntegerField(
        _("år etter bosetting"), choices=BOSETTINGSAAR, default=SAMLET,
        help_text=_("År 1 er bosettingsåret. «År 1–5 samlet» når kilden bare gir summen over fem år."))
    belop = models.PositiveIntegerField(_("beløp (kroner)"))
    kilde = models.CharField(_("kilde"), max_length=300)
    kilde_url = models.URLField(_("lenke til kilden"), max_length=400, blank=True)
    merknad = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tilskuddssats")
        verbose_name_plural = _("tilskuddssatser")
        ordering = ["-gyldig_aar", "kategori", "bosettingsaar"]
        constraints = [models.UniqueConstraint(fields=["gyldig_aar", "kategori", "bosettingsaar"],
                                               name="tilskuddssats_unik")]

    def __str__(self):
        return f"{self.gyldig_aar} {self.get_kategori_display()} ({self.get_bosettingsaar_display()})"


class Kostnadsanslag(models.Model):
    aar = models.PositiveSmallIntegerField(
        _("år"), unique=True, validators=[MinValueValidator(MIN_SATS_AAR), MaxValueValidator(MAX_AAR)])
    kroner_per_person = models.PositiveIntegerField(_("kroner per person over fem år"))
    kilde = models.CharField(_("kilde"), max_length=300)
    kilde_url = models.URLField(_("lenke til kilden"), max_length=400, blank=True)
    merknad = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kostnadsanslag")
        verbose_name_plural = _("kostnadsanslag")
        ordering = ["-aar"]

    def __str__(self):
        return f"{self.aar}: {self.kroner_per_person} kr"
