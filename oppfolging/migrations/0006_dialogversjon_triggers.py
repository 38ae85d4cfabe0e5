from django.db import migrations

from core.tallcache import DIALOG, trigger_operation


class Migration(migrations.Migration):
    """Every write to dialogues, their kommuner and follow-ups bumps the dialogue counter in the
    same transaction (core.tallcache), which keys the overview's cached contact columns."""

    dependencies = [
        ("oppfolging", "0005_regel_bak_plan"),
        ("core", "0003_tallversjon"),
    ]

    operations = [trigger_operation("oppfolging_dialog", "oppfolging_dialog_kommuner", "oppfolging_oppfolgingspunkt",
                                    teller=DIALOG)]
