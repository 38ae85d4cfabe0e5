from django.db import models
from django.utils.translation import gettext_lazy as _


class EndringType(models.TextChoices):
    """How SSB's change list (KLASS 131) moved a kommunenummer."""

    NYTT_NUMMER = "nytt_nummer", _("Nytt nummer")
    SAMMENSLAAING = "sammenslaaing", _("Sammenslåing")
    SAMMENSLAAING_BEHOLDER_KODE = "sammenslaaing_beholder_kode", _("Sammenslåing, beholder nummer")
    DELING = "deling", _("Deling")
    NAVNEENDRING = "navneendring", _("Navneendring")
