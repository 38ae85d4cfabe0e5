"""The kommune register: Statsforvalter offices, fylker and kommuner, today's and historic.

Loaded from SSB's register and change list (see kommuner/data and README, "Kilder").
A kommunenummer is never reused for another kommune in the data since 2011, so it is the
natural key; historic kommuner keep their own row with a validity period and successors.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import EndringType
from .querysets import FylkeQuerySet, KommuneQuerySet

kommunenummer_validator = RegexValidator(r"^\d{4}$", _("Kommunenummer har fire siffer."))
fylkesnummer_validator = RegexValidator(r"^\d{2}$", _("Fylkesnummer har to siffer."))


class Statsforvalter(models.Model):
    """A Statsforvalter office (embete); ten since 2019."""

    navn = models.CharField(_("navn"), max_length=120, unique=True)
    kortnavn = models.CharField(_("kortnavn"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("Statsforvalter")
        verbose_name_plural = _("Statsforvaltere")
        ordering = ["kortnavn"]

    def __str__(self):
        return self.navn


class Fylke(models.Model):
    nummer = models.CharField(_("fylkesnummer"), max_length=2, unique=True, validators=[fylkesnummer_validator])
    navn = models.CharField(_("navn"), max_length=80)
    navn_offisielt = models.CharField(_("offisielt navn"), max_length=120, blank=True)
    statsforvalter = models.ForeignKey(
        Statsforvalter,
        verbose_name=_("Statsforvalter"),
        on_delete=models.PROTECT,
        related_name="fylker",
        help_text=_("For historiske fylker: embetet som dekker området i dag."),
    )
    gyldig_fra = models.DateField(_("gyldig fra"), null=True, blank=True)
    gyldig_til = models.DateField(_("gyldig til"), null=True, blank=True)

    objects = FylkeQuerySet.as_manager()

    class Meta:
        verbose_name = _("fylke")
        verbose_name_plural = _("fylker")
        ordering = ["nummer"]

    def __str__(self):
        return f"{self.nummer} {self.navn}"

    @property
    def er_gjeldende(self):
        return self.gyldig_til is None


class Kommune(models.Model):
    nummer = models.CharField(
        _("kommunenummer"), max_length=4, unique=True, validators=[kommunenummer_validator]
    )
    navn = models.CharField(_("navn"), max_length=120, help_text=_("Offisielt navn, med samiske/kvenske former."))
    navn_norsk = models.CharField(_("norsk navn"), max_length=80, db_index=True)
    andre_navn = models.CharField(
        _("andre navn"), max_length=200, blank=True, help_text=_("Samiske og kvenske navn, skilt med |.")
    )
    fylke = models.ForeignKey(Fylke, verbose_name=_("fylke"), on_delete=models.PROTECT, related_name="kommuner")
    gyldig_fra = models.DateField(
        _("gyldig fra"), null=True, blank=True, help_text=_("Tomt: fantes før 2011 (før endringslisten).")
    )
    gyldig_til = models.DateField(_("gyldig til"), null=True, blank=True, help_text=_("Tomt: gjeldende kommune."))
    kun_omnummerert = models.BooleanField(
        _("kun omnummerert"),
        default=False,
        help_text=_("Samme kommune som i dag under et eldre nummer (ingen sammenslåing eller deling)."),
    )
    gjeldende = models.ManyToManyField(
        "self",
        through="KommuneOvergang",
        through_fields=("historisk", "gjeldende"),
        symmetrical=False,
        related_name="historiske",
        verbose_name=_("dagens kommune(r)"),
    )

    objects = KommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["nummer"]
        indexes = [models.Index(fields=["gyldig_til", "nummer"])]

    def __str__(self):
        return f"{self.nummer} {self.navn}"

    def get_absolute_url(self):
        return reverse("rapporter:kommune_detail", args=[self.nummer])

    @property
    def er_gjeldende(self):
        return self.gyldig_til is None

    @property
    def andre_navn_liste(self):
        return [n for n in self.andre_navn.split("|") if n]

    @property
    def alle_navn(self):
        return [self.navn_norsk, *self.andre_navn_liste]


class KommuneOvergang(models.Model):
    """A historic kommunenummer followed to today's kommune(r) (kommune_til_gjeldende.csv)."""

    historisk = models.ForeignKey(Kommune, on_delete=models.CASCADE, related_name="overganger")
    gjeldende = models.ForeignKey(Kommune, on_delete=models.CASCADE, related_name="overganger_inn")
    delt = models.BooleanField(_("delt"), default=False, help_text=_("Det gamle nummeret fører til flere kommuner."))
    merknad = models.TextField(_("merknad"), blank=True)

    class Meta:
        verbose_name = _("overgang til dagens kommune")
        verbose_name_plural = _("overganger til dagens kommuner")
        constraints = [models.UniqueConstraint(fields=["historisk", "gjeldende"], name="unik_kommuneovergang")]

    def __str__(self):
        return f"{self.historisk.nummer} → {self.gjeldende.nummer}"


class KommuneEndring(models.Model):
    """One row of SSB's change list: on a date, an old number became a new one."""

    endringsdato = models.DateField(_("endringsdato"))
    gammel_kode = models.CharField(_("gammelt nummer"), max_length=4)
    gammelt_navn = models.CharField(_("gammelt navn"), max_length=120)
    ny_kode = models.CharField(_("nytt nummer"), max_length=4)
    nytt_navn = models.CharField(_("nytt navn"), max_length=120)
    type = models.CharField(_("type"), max_length=40, choices=EndringType.choices)

    class Meta:
        verbose_name = _("kommuneendring")
        verbose_name_plural = _("kommuneendringer")
        ordering = ["endringsdato", "gammel_kode", "ny_kode"]
        constraints = [
            models.UniqueConstraint(fields=["endringsdato", "gammel_kode", "ny_kode"], name="unik_kommuneendring")
        ]

    def __str__(self):
        return f"{self.endringsdato}: {self.gammel_kode} {self.gammelt_navn} → {self.ny_kode} {self.nytt_navn}"
