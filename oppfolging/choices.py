from django.db import models
from django.utils.translation import gettext_lazy as _


class DialogType(models.TextChoices):
    MOETE = "moete", _("Møte")
    TELEFON = "telefon", _("Telefon")
    EPOST = "epost", _("E-post")
    BREV = "brev", _("Brev")
    KONFERANSE = "konferanse", _("Konferanse / kurs")
    KOMMUNESTYRE = "kommunestyre", _("Presentasjon i kommunestyret")


class Organisasjon(models.TextChoices):
    KS = "ks", _("KS")
    STATSFORVALTER = "statsforvalter", _("Statsforvalteren")
    IMDI = "imdi", _("IMDi")
    HUSBANKEN = "husbanken", _("Husbanken")
    KOMMUNEN = "kommunen", _("Kommunen")


class PunktStatus(models.TextChoices):
    AAPEN = "aapen", _("Åpen")
    PAAGAAR = "paagaar", _("Pågår")
    FERDIG = "ferdig", _("Ferdig")
    AVBRUTT = "avbrutt", _("Avbrutt")


AKTIVE = (PunktStatus.AAPEN, PunktStatus.PAAGAAR)

# The moves a follow-up may make; anything else is refused with a message.
ALLOWED_TRANSITIONS = {
    PunktStatus.AAPEN: {PunktStatus.PAAGAAR, PunktStatus.FERDIG, PunktStatus.AVBRUTT},
    PunktStatus.PAAGAAR: {PunktStatus.AAPEN, PunktStatus.FERDIG, PunktStatus.AVBRUTT},
    PunktStatus.FERDIG: {PunktStatus.AAPEN},
    PunktStatus.AVBRUTT: {PunktStatus.AAPEN},
}


class Regel(models.TextChoices):
    """Early-warning rules (oppfolging/rules.py). The threshold's meaning is given per rule."""

    INGEN_VEDTAK = "ingen_vedtak", _("Ingen vedtak N uker etter anmodningen eller etter svarfristen")
    VEDTAK_UNDER = "vedtak_under", _("Vedtak under anmodningen")
    VEDTAK_NULL = "vedtak_null", _("Vedtak om å ikke bosette (0)")
    BOSETTING_BAK = "bosetting_bak", _("Bosettingen ligger mer enn X % bak jevn takt mot vedtaket")
    BOLIG_MANGLER = "bolig_mangler", _("Boligkapasiteten er lavere enn det som gjenstår å bosette")
    BAK_PLAN = "bak_plan", _("Bosettingen ligger mer enn X % bak kommunens bosettingsplan")


# Default threshold per rule and what it means (shown in admin).
REGEL_STANDARD = {
    Regel.INGEN_VEDTAK: (8, _("uker etter at anmodningen ble sendt")),
    Regel.VEDTAK_UNDER: (1, _("minste differanse (personer)")),
    Regel.VEDTAK_NULL: (None, ""),
    Regel.BOSETTING_BAK: (20, _("prosent bak jevn takt")),
    Regel.BOLIG_MANGLER: (0, _("margin (boliger)")),
    Regel.BAK_PLAN: (25, _("prosent bak planen (månedene planen dekker, til og med forrige måned)")),
}


class UtsendingType(models.TextChoices):
    DIGEST = "digest", _("Daglig oversikt over oppfølgingspunkter")
    FRIST_UTE = "frist_ute", _("Svarfristen for anmodningen er ute uten vedtak")
    UKESAMMENDRAG = "ukesammendrag", _("Ukesammendrag for embetet")


class UtsendingStatus(models.TextChoices):
    VENTER = "venter", _("Venter på sending")
    SENDER = "sender", _("Sending startet")
    SENDT = "sendt", _("Sendt")
    TOM = "tom", _("Ingenting å sende")
    UTGAATT = "utgaatt", _("Utgått (ikke sendt)")
