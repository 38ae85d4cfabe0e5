from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from imports.imdi import FILES, imdi_tall_load


class Command(BaseCommand):
    help = ("Laster IMDis publiserte bosettingstall per kommune (2025 og 2026) gjennom importen, som systemet. "
            "Trygt å kjøre flere ganger.")

    def add_arguments(self, parser):
        parser.add_argument("aar", nargs="*", type=int, help="År (standard: alle tilgjengelige).")

    def handle(self, *args, **options):
        for aar in options["aar"] or sorted(FILES):
            if aar not in FILES:
                raise CommandError(f"Ingen IMDi-fil for {aar}.")
            try:
                imp = imdi_tall_load(aar)
            except ValidationError as exc:
                raise CommandError("\n".join(exc.messages)) from exc
            self.stdout.write(f"IMDi {aar} ({imp.ref}): {imp.antall_nye} nye, {imp.antall_endret} endret, "
                              f"{imp.antall_uendret} uendret.")
