from django.core.management.base import BaseCommand

from okonomi.services import SATSER_CSV, satser_load


class Command(BaseCommand):
    help = ("Laster tilskuddssatser og kostnadsanslag fra okonomi/data/satser.csv. Trygt å kjøre flere ganger: "
            "rader som finnes, blir stående (bruk --oppdater for å la filen vinne).")

    def add_arguments(self, parser):
        parser.add_argument("--fil", default=str(SATSER_CSV), help="CSV-filen med satsene.")
        parser.add_argument("--oppdater", action="store_true", help="Overskriv rader som avviker fra filen.")

    def handle(self, *args, **options):
        r = satser_load(options["fil"], oppdater=options["oppdater"])
        for label in sorted(set(r.nye) | set(r.uendret) | set(r.oppdatert)):
            self.stdout.write(f"{label}: {r.nye[label]} nye, {r.oppdatert[label]} oppdatert, "
                              f"{r.uendret[label]} uendret")
        for navn in r.avviker:
            self.stdout.write(self.style.WARNING(f"Endret av en administrator, ikke overskrevet: {navn}"))
        self.stdout.write(self.style.SUCCESS("Satsene er lastet."))
