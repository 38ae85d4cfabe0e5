from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Felles")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import sprak
        from .security import SessionRefreshMiddleware

        user_logged_in.connect(SessionRefreshMiddleware.at_login, dispatch_uid="core.security.at_login")
        user_logged_in.connect(sprak.at_login, dispatch_uid="core.sprak.at_login")
