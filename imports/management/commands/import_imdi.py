from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from imports.services import import_confirm, import_create


class Command(BaseCommand):
    help = ("Importerer tall fra IMDi/KS (CSV eller XLSX; langt, bredt eller IMDis publiserte oppsett). "
            "Skriver ut forhåndsvisningen og feilene. Avslutter med kode 0 bare når importen var uten feil.")

    def add_arguments(self, parser):
        parser.add_argument("fil")
        parser.add_argument("--dry-run", action="store_true", help="Bare forhåndsvis; skriv ingenting.")
        parser.add_argument("--sheet", default="", help="Arket i arbeidsboken (standard: det første).")
        parser.add_argument("--aar", type=int, default=None, help="Året tallene gjelder, for filer uten årskolonne.")
        parser.add_argument("--blank-sletter", action="store_true", help="Tomme celler sletter kjente tall.")

    def handle(self, *args, **opts):
        path = Path(opts["fil"])
        if not path.is_file():
            raise CommandError(f"Finner ikke filen {path}")
        imp, preview = import_create(path.read_bytes(), filename=path.name, sheet=opts["sheet"], year=opts["aar"],
                                     blank_clears=opts["blank_sletter"])
        c = preview.counts
        self.stdout.write(f"Oppsett: {preview.layout or 'ukjent'}; rader: {len(preview.rows)}; nye: {c['ny']}, "
                          f"endret: {c['endret']}, uendret: {c['uendret']}, feil: {c['feil']}")
        for w in preview.warnings:
            self.stdout.write(self.style.WARNING(f"Advarsel: {w}"))
        for e in preview.errors:
            self.stderr.write(f"Feil: {e}")
        if not preview.ok:
            raise CommandError("Importen har feil; ingenting er skrevet.")
        if opts["dry_run"]:
            self.stdout.write(self.style.SUCCESS("Tørrkjøring uten feil; ingenting er skrevet."))
            return
        try:
            import_confirm(imp)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Importert ({imp.ref})."))
