"""The roles of the system, as Django groups. Scope per user comes with the access model."""

from django.utils.translation import gettext_lazy as _

ADMINISTRATOR = "Administrator"
KS = "KS"
STATSFORVALTER = "Statsforvalter"
KOMMUNE = "Kommune"
IMDI = "IMDi"

ROLES = {
    ADMINISTRATOR: _("Administrator: alt, også brukere og tidsplaner"),
    KS: _("KS: leser alt, skriver dialog og oppfølging"),
    STATSFORVALTER: _("Statsforvalter: dialog, oppfølging og bosettingsplan for embetets kommuner"),
    KOMMUNE: _("Kommune: registrerer vedtak, bosetting, bolig og bosettingsplan for egen kommune"),
    IMDI: _("IMDi: leser alt, registrerer anmodninger og bosettingsplaner og importerer"),
}
