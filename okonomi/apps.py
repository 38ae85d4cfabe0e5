from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OkonomiConfig(AppConfig):
    name = "okonomi"
    verbose_name = _("Tilskudd og kostnader")
