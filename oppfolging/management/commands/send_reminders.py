import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from oppfolging.reminders import OSLO, oslo_now, sweep_and_deliver


class Command(BaseCommand):
    help = (
        "Kjører påminnelsene én gang (samme kode som Celery-sveipet), og sender i denne prosessen. "
        "Trygt å kjøre flere ganger: hver påminnelse går ut høyst én gang per bruker, type og dag."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Kjør som om det var denne dagen (ÅÅÅÅ-MM-DD), kl. digest-tidspunktet.")
        parser.add_argument("--dry-run", action="store_true", help="Vis hva som ville blitt sendt, uten å sende.")

    def handle(self, *args, date=None, dry_run=False, **options):
        now = None
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError("Ugyldig dato, bruk ÅÅÅÅ-MM-DD.") from exc
            now = datetime.datetime.combine(day, datetime.time(settings.OPPFOLGING_DIGEST_TIME, 30), tzinfo=OSLO)
        result = sweep_and_deliver(now=now, dry_run=dry_run)
        prefix = "Tørrkjøring – ville laget" if dry_run else "Nye"
        self.stdout.write(f"Dag {result['dag']}. {prefix}: {result['nye'] or 'ingen'}. "
                          f"Venter på sending: {len(result['venter'])}.")
        if not dry_run:
            self.stdout.write(f"Levert: {result.get('levert') or 'ingenting'}")
        if now is None and oslo_now().hour < settings.OPPFOLGING_DIGEST_TIME:
            self.stdout.write(f"Den daglige oversikten sendes fra kl. {settings.OPPFOLGING_DIGEST_TIME}; "
                              f"med --date {oslo_now().date().isoformat()} sendes dagens nå.")
