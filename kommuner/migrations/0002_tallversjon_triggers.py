from django.db import migrations

from core.tallcache import trigger_operation


class Migration(migrations.Migration):
    """Every write to these tables bumps the figures version in the same transaction (core.tallcache)."""

    dependencies = [
        ("kommuner", "0001_initial"),
        ("core", "0003_tallversjon"),
    ]

    operations = [trigger_operation("kommuner_kommune", "kommuner_kommuneovergang", "kommuner_fylke", "kommuner_statsforvalter")]
