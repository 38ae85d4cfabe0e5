from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RapporterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rapporter"
    verbose_name = _("Rapporter")
