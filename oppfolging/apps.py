from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OppfolgingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oppfolging"
    verbose_name = _("Dialog og oppfølging")
