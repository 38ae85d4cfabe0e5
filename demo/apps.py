from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo and benchmark data (`seed_demo`, `seed_scale`). Nothing in the product imports it."""

    name = "demo"
    verbose_name = _("Demodata")
