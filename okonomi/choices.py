from django.db import models
from django.utils.translation import gettext_lazy as _


class Kategori(models.TextChoices):
    """Who a rate is for. The state budget sets the integration grant per category; KS's proposal
    (an extra per person for kommuner that settle the full request) is kept as a rate row too, so
    administrators keep every figure of the estimate in one table."""

    ENSLIG_VOKSEN = "enslig_voksen", _("Enslige voksne")
    ANDRE = "andre", _("Andre voksne og barn")
    VOKSEN = "voksen", _("Voksne")
    BARN = "barn", _("Barn")
    ENSLIG_MINDREAARIG = "enslig_mindreaarig", _("Enslige mindreårige")
    ELDRE = "eldre", _("Eldre")
    KS_TILLEGG = "ks_tillegg", _("KS' forslag: tillegg per bosatt (ikke vedtatt)")


SAMLET = 0  # Tilskuddssats.bosettingsaar for a row that holds the whole five years
BOSETTINGSAAR = [(SAMLET, _("År 1–5 samlet")), (1, _("År 1 (bosettingsåret)")), (2, _("År 2")), (3, _("År 3")),
                 (4, _("År 4")), (5, _("År 5"))]
