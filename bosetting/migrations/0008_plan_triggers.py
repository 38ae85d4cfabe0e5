from django.db import migrations

from core.tallcache import trigger_operation


class Migration(migrations.Migration):
    """Settlement plans feed the forecast (and the pages cached with it), so a plan revision moves
    the figures version like any other figure (core.tallcache)."""

    dependencies = [
        ("bosetting", "0007_tjenestekapasitet"),
        ("core", "0003_tallversjon"),
    ]

    operations = [trigger_operation("bosetting_bosettingsplan", "bosetting_planrevisjon")]
