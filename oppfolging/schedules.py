"""The beat schedules, created once and then edited in admin (django-celery-beat).

The sweep runs at minute 5 every hour in Europe/Oslo. Hourly (not one daily 07:00 run) means a
missed or doubled fire — DST's repeated or skipped hour, a restart, a second beat — costs
nothing: the next sweep catches up, and the ledger makes repeats harmless. Minute 5 keeps it
clear of 02:00–03:00 edge effects on the hour.
"""

SWEEP_TASK = "oppfolging.sweep"
SWEEP_NAME = "Oppfølging: påminnelser og varslingsregler (hver time)"


def setup_schedules(CrontabSchedule=None, PeriodicTask=None):
    if CrontabSchedule is None:
        from django_celery_beat.models import CrontabSchedule, PeriodicTask
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="5", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Oslo",
    )
    task, created = PeriodicTask.objects.get_or_create(
        name=SWEEP_NAME, defaults={"task": SWEEP_TASK, "crontab": crontab, "enabled": True},
    )
    return task, created
