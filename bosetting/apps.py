from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BosettingConfig(AppConfig):
    name = "bosetting"
    verbose_name = _("Bosetting")

    def ready(self):
        from core.history import history_written

        from . import tallcache

        history_written.connect(tallcache.on_history, dispatch_uid="bosetting.tallcache")
