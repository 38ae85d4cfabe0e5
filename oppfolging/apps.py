from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OppfolgingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oppfolging"
    verbose_name = _("Dialog og oppfølging")

    def ready(self):
        from vedtak.signals import anmodning_registered

        from .services import on_anmodning_registered

        anmodning_registered.connect(on_anmodning_registered, dispatch_uid="oppfolging.dialogplan")
