from django.db import migrations

from core.tallcache import trigger_operation


class Migration(migrations.Migration):
    """Every write to these tables bumps the figures version in the same transaction (core.tallcache)."""

    dependencies = [
        ("bosetting", "0003_moved_to_vedtak_and_core"),
        ("core", "0003_tallversjon"),
    ]

    operations = [trigger_operation("bosetting_bosatt", "bosetting_bolig", "bosetting_aarsaker")]
