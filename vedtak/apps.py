from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VedtakConfig(AppConfig):
    name = "vedtak"
    verbose_name = _("Vedtak")
