from django.db import migrations

from core.tallcache import trigger_operation


class Migration(migrations.Migration):
    """Every write to these tables bumps the figures version in the same transaction (core.tallcache)."""

    dependencies = [
        ("vedtak", "0002_move_from_bosetting"),
        ("core", "0003_tallversjon"),
    ]

    operations = [trigger_operation("bosetting_anmodning", "vedtak_vedtak", "bosetting_aarslaas", "bosetting_bosettingsbehov")]
