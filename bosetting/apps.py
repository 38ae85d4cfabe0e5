from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BosettingConfig(AppConfig):
    name = "bosetting"
    verbose_name = _("Bosetting")
