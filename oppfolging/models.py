"""Dialogue with the kommuner, the follow-ups promised in it, early-warning rules and the
delivery ledger of reminders."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bosetting.choices import Aarsak
from core.params import MAX_AAR, MIN_AAR, dato_i_omraade

from .choices import DialogType, Organisasjon, PunktStatus, Regel, UtsendingStatus, UtsendingType
from .querysets import DialogQuerySet, OppfolgingspunktQuerySet


class Dialog(models.Model):
    """One contact with one or several kommuner (e.g. a regional meeting)."""

    kommuner = models.ManyToManyField("kommuner.Kommune", verbose_name=_("kommuner"), related_name="dialoger")
    dato = models.DateField(_("dato"), validators=[dato_i_omraade])
    type = models.CharField(_("type kontakt"), max_length=20, choices=DialogType.choices)
    organisasjoner = models.JSONField(_("til stede"), default=list, blank=True)
    deltakere = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("deltakere (brukere)"), blank=True, related_name="dialoger",
    )
    deltakere_fritekst = models.CharField(_("andre deltakere"), max_length=500, blank=True)
    temaer = models.JSONField(_("temaer"), default=list, blank=True)
    stikkord = models.JSONField(_("stikkord"), default=list, blank=True)
    sammendrag = models.TextField(_("sammendrag"))
    aar = models.PositiveSmallIntegerField(
        _("gjelder år"), null=True, blank=True, validators=[MinValueValidator(MIN_AAR), MaxValueValidator(MAX_AAR)],
    )
    opprettet = models.DateTimeField(_("registrert"), default=timezone.now)
    opprettet_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registrert av"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = DialogQuerySet.as_manager()

    class Meta:
        verbose_name = _("dialog")
        verbose_name_plural = _("dialoger")
        ordering = ["-dato", "-id"]

    def __str__(self):
        return f"{self.dato:%d.%m.%Y} {self.get_type_display()}"

    def get_absolute_url(self):
        return reverse("oppfolging:dialog_detail", args=[self.pk])

    def clean(self):
        errors = {}
        unknown = set(self.organisasjoner or []) - set(Organisasjon.values)
        if unknown:
            errors["organisasjoner"] = _("Ukjent organisasjon: %(v)s") % {"v": ", ".join(sorted(unknown))}
        unknown = set(self.temaer or []) - set(Aarsak.values)
        if unknown:
            errors["temaer"] = _("Ukjent tema: %(v)s") % {"v": ", ".join(sorted(unknown))}
        if self.dato and self.dato > timezone.localdate():
            errors["dato"] = _("Datoen kan ikke være fram i tid.")
        if errors:
            raise ValidationError(errors)

    def get_organisasjoner_display(self):
        labels = dict(Organisasjon.choices)
        return [labels[v] for v in self.organisasjoner if v in labels]

    def get_temaer_display(self):
        labels = dict(Aarsak.choices)
        return [labels[v] for v in self.temaer if v in labels] + list(self.stikkord or [])


class Oppfolgingspunkt(models.Model):
    """A promised next step: what, who, by when. Rule-made ones carry the rule's key."""

    tittel = models.CharField(_("hva skal gjøres"), max_length=300)
    beskrivelse = models.TextField(_("beskrivelse"), blank=True)
    ansvarlig = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ansvarlig"), on_delete=models.PROTECT,
        related_name="oppfolgingspunkter",
    )
    frist = models.DateField(_("frist"), db_index=True, validators=[dato_i_omraade])
    status = models.CharField(_("status"), max_length=20, choices=PunktStatus.choices, default=PunktStatus.AAPEN)
    dialog = models.ForeignKey(
        Dialog, verbose_name=_("dialog"), null=True, blank=True, on_delete=models.SET_NULL, related_name="punkter",
    )
    kommune = models.ForeignKey(
        "kommuner.Kommune", verbose_name=_("kommune"), on_delete=models.PROTECT, related_name="oppfolgingspunkter",
    )
    regel = models.CharField(_("regel"), max_length=30, choices=Regel.choices, blank=True)
    regel_noekkel = models.CharField(
        _("regelnøkkel"), max_length=120, blank=True,
        help_text=_("Satt for punkter laget automatisk: regel, kommune og år. Hindrer duplikater."),
    )
    lukket_av_regel = models.BooleanField(_("lukket automatisk"), default=False)
    opprettet = models.DateTimeField(_("opprettet"), default=timezone.now)
    opprettet_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opprettet av"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    endret = models.DateTimeField(_("endret"), default=timezone.now)

    objects = OppfolgingspunktQuerySet.as_manager()

    class Meta:
        verbose_name = _("oppfølgingspunkt")
        verbose_name_plural = _("oppfølgingspunkter")
        ordering = ["frist", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ansvarlig", "regel_noekkel"], condition=~models.Q(regel_noekkel=""),
                name="oppfolging_unik_regelpunkt",
            ),
        ]
        indexes = [models.Index(fields=["ansvarlig", "status", "frist"]), models.Index(fields=["kommune", "status"])]

    def __str__(self):
        return self.tittel

    def get_absolute_url(self):
        return reverse("oppfolging:punkt_detail", args=[self.pk])

    @property
    def er_aktiv(self):
        return self.status in (PunktStatus.AAPEN, PunktStatus.PAAGAAR)

    def er_forfalt(self, today=None):
        return self.er_aktiv and self.frist < (today or timezone.localdate())


class RegelInnstilling(models.Model):
    """Each early-warning rule switchable, with its threshold, edited by administrators."""

    regel = models.CharField(_("regel"), max_length=30, choices=Regel.choices, unique=True)
    aktiv = models.BooleanField(_("aktiv"), default=True)
    terskel = models.IntegerField(_("terskel"), null=True, blank=True)
    frist_dager = models.PositiveSmallIntegerField(
        _("frist for punktet (dager)"), default=14, help_text=_("Fristen for oppfølgingspunktet regelen lager."),
    )

    class Meta:
        verbose_name = _("varslingsregel")
        verbose_name_plural = _("varslingsregler")
        ordering = ["regel"]

    def __str__(self):
        return self.get_regel_display()


class DialogplanSteg(models.Model):
    """A Statsforvalter office's standard step, created as a follow-up when a request is registered."""

    statsforvalter = models.ForeignKey(
        "kommuner.Statsforvalter", verbose_name=_("embete"), on_delete=models.CASCADE, related_name="dialogplan",
    )
    tittel = models.CharField(_("steg"), max_length=200)
    dager_etter = models.PositiveSmallIntegerField(_("dager etter anmodningen"))
    aktiv = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("steg i dialogplan")
        verbose_name_plural = _("dialogplan (per embete)")
        ordering = ["statsforvalter", "dager_etter", "id"]

    def __str__(self):
        return f"{self.tittel} (+{self.dager_etter} d)"


class Utsending(models.Model):
    """Delivery ledger: one row per (user, kind, day or item), written in the same transaction as
    the decision to send. The unique key makes a second beat, worker or retry harmless."""

    bruker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="utsendinger")
    type = models.CharField(_("type"), max_length=20, choices=UtsendingType.choices)
    noekkel = models.CharField(_("nøkkel"), max_length=60, help_text=_("Dagen (ÅÅÅÅ-MM-DD), uken eller saken."))
    dag = models.DateField(_("dag (Oslo)"))
    status = models.CharField(_("status"), max_length=10, choices=UtsendingStatus.choices,
                              default=UtsendingStatus.VENTER)
    data = models.JSONField(_("data"), default=dict, blank=True)
    forsok = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    feil = models.TextField(_("siste feil"), blank=True)
    opprettet = models.DateTimeField(_("opprettet"), default=timezone.now)
    sendt = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("utsending")
        verbose_name_plural = _("utsendinger")
        ordering = ["-opprettet"]
        constraints = [
            models.UniqueConstraint(fields=["bruker", "type", "noekkel"], name="oppfolging_unik_utsending"),
        ]
        indexes = [models.Index(fields=["status", "dag"])]

    def __str__(self):
        return f"{self.bruker} {self.type} {self.noekkel}"
