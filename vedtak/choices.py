from django.db import models
from django.utils.translation import gettext_lazy as _


class AnmodningType(models.TextChoices):
    ORDINAER = "ordinaer", _("Ordinær anmodning")
    JUSTERT = "justert", _("Justert anmodning (erstatter)")
    TILLEGG = "tillegg", _("Tilleggsanmodning (legges til)")


class Kilde(models.TextChoices):
    MANUELL = "manuell", _("Registrert i systemet")
    IMPORT = "import", _("Importert")
    IMDI = "imdi", _("IMDis publiserte tall")
    DEMO = "demo", _("Demodata")



class Organ(models.TextChoices):
    KOMMUNESTYRE = "kommunestyre", _("Kommunestyret")
    FORMANNSKAP = "formannskap", _("Formannskapet")
    DELEGERT = "delegert", _("Delegert (administrasjonen)")
    UKJENT = "ukjent", _("Ukjent")


class VedtakStatus(models.TextChoices):
    FATTET = "fattet", _("Vedtak fattet")
    AVVENTER = "avventer", _("Avventer vedtak")


class Utfall(models.TextChoices):
    """Derived from the number decided against the request."""

    FLERE = "flere", _("Flere enn anmodet")
    SOM_ANMODET = "som_anmodet", _("Som anmodet")
    FAERRE = "faerre", _("Færre enn anmodet")
    AVSLAATT = "avslaatt", _("Avslått (0)")
    AVVENTER = "avventer", _("Avventer vedtak")
    UKJENT = "ukjent", _("Ukjent (ingen anmodning å sammenligne med)")


# Reservations IMDi does not accept in a vedtak (DOMAIN.md §1.4).
RESERVATION_MARKERS = ("inkludert familiegjenforen", "inkl. familiegjenforen", "medregnet familiegjenforen",
                       "forutsatt", "på vilkår", "forbehold", "kun familier", "ikke enslige")
