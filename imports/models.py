from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vedtak.choices import Kilde

from .layouts import LAYOUT_NAVN


class ImportStatus(models.TextChoices):
    FORHANDSVIST = "forhandsvist", _("Forhåndsvist")
    KJORER = "kjorer", _("Importeres")
    IMPORTERT = "importert", _("Importert")
    FEILET = "feilet", _("Feilet")


class Import(models.Model):
    """One uploaded file: kept in the database (so preview and confirm work across web processes),
    with its checksum, options, preview counts and outcome."""

    filnavn = models.CharField(_("filnavn"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    data = models.BinaryField(_("fil"))
    ark = models.CharField(_("ark"), max_length=100, blank=True)
    aar = models.PositiveSmallIntegerField(_("år (for filer uten årskolonne)"), null=True, blank=True)
    blank_sletter = models.BooleanField(_("tomme celler sletter kjente tall"), default=False)
    kilde = models.CharField(_("kilde"), max_length=20, choices=Kilde.choices, default=Kilde.IMPORT)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices,
                              default=ImportStatus.FORHANDSVIST)
    layout = models.CharField(_("oppsett"), max_length=20, blank=True)
    antall_rader = models.PositiveIntegerField(_("rader"), default=0)
    antall_nye = models.PositiveIntegerField(_("nye"), default=0)
    antall_endret = models.PositiveIntegerField(_("endret"), default=0)
    antall_uendret = models.PositiveIntegerField(_("uendret"), default=0)
    antall_feil = models.PositiveIntegerField(_("feil"), default=0)
    melding = models.TextField(_("melding"), blank=True)
    opprettet = models.DateTimeField(_("lastet opp"), default=timezone.now)
    opprettet_av = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("lastet opp av"))
    importert = models.DateTimeField(_("importert"), null=True, blank=True)
    # A background run: when it was queued (or retried), and its last sign of life. A run with no
    # progress for settings.IMPORT_STALE_MINUTES is stopped (imports.services.import_mark_stale).
    startet = models.DateTimeField(_("kjøring startet"), null=True, blank=True)
    sist_aktiv = models.DateTimeField(_("siste fremdrift"), null=True, blank=True)
    importert_av = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("importert av"))

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("importer")
        ordering = ["-opprettet", "-id"]

    def __str__(self):
        return f"{self.filnavn} ({self.opprettet:%d.%m.%Y %H:%M})"

    @property
    def layout_navn(self):
        """The layout as a person reads it («Langt oppsett»), not its code."""
        return LAYOUT_NAVN.get(self.layout, self.layout)

    @property
    def ref(self):
        return f"import:{self.pk}"
