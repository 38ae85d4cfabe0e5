from django.core.management.base import BaseCommand

from oppfolging.schedules import setup_schedules


class Command(BaseCommand):
    help = "Oppretter beat-tidsplanen for påminnelser (hvis den mangler). Endres senere i admin."

    def handle(self, *args, **options):
        task, created = setup_schedules()
        self.stdout.write(f"{'Opprettet' if created else 'Finnes allerede'}: {task.name} ({task.task})")
