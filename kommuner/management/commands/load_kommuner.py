from django.core.management.base import BaseCommand

from kommuner.services import DATA_DIR, register_load


class Command(BaseCommand):
    help = "Laster eller oppdaterer kommuneregisteret (SSB) fra kommuner/data. Trygt å kjøre flere ganger."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=str(DATA_DIR), help="Mappe med CSV-filene.")

    def handle(self, *args, **options):
        result = register_load(options["data_dir"])
        labels = sorted(set(result.created) | set(result.updated) | set(result.unchanged) | set(result.deleted))
        for label in labels:
            self.stdout.write(
                f"{label}: {result.created[label]} nye, {result.updated[label]} endret, "
                f"{result.deleted[label]} slettet, {result.unchanged[label]} uendret"
            )
        if result.changed:
            self.stdout.write(self.style.SUCCESS("Kommuneregisteret er oppdatert."))
        else:
            self.stdout.write(self.style.SUCCESS("Kommuneregisteret var allerede oppdatert; ingenting endret."))
