"""Rule settings with their defaults, and the hourly sweep schedule (then edited in admin)."""

from django.db import migrations

RULES = {"ingen_vedtak": 8, "vedtak_under": 1, "vedtak_null": None, "bosetting_bak": 20, "bolig_mangler": 0}


def forwards(apps, schema_editor):
    RegelInnstilling = apps.get_model("oppfolging", "RegelInnstilling")
    for regel, terskel in RULES.items():
        RegelInnstilling.objects.get_or_create(regel=regel, defaults={"terskel": terskel})
    from oppfolging.schedules import setup_schedules

    setup_schedules(apps.get_model("django_celery_beat", "CrontabSchedule"),
                    apps.get_model("django_celery_beat", "PeriodicTask"))


class Migration(migrations.Migration):
    dependencies = [
        ("oppfolging", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
