"""IMDi's published settlement figures ("Nøkkeltall bosetting YYYY", imports/data/): the tables per
kommune load through the same pipeline as an upload (recognise the layout, match the kommuner,
validate every row, preview, then write everything in one transaction with bulk writes and
history), by the system (`by=None`) and marked `Kilde.IMDI`.

IMDi's markers: `:` suppressed for privacy (NULL with the field in `prikket`), `-` not requested
(nothing stored), «avventer vedtak» pending (a Vedtak with status avventer). A request of 0 means
IMDi did not ask the kommune, so no Anmodning is stored for it.

Idempotent: a second load finds every row unchanged and writes no case row and no history; a
changed figure corrects IMDi's own rows (history keeps old → new) and supersedes a vedtak the
kommune registered itself.
"""

import csv
from pathlib import Path

from django.core.exceptions import ValidationError

from vedtak.choices import Kilde

from .models import Import, ImportStatus
from .services import import_confirm, import_create

DATA = Path(__file__).resolve().parent / "data"
FILES = {2025: DATA / "imdi_bosettingstall_kommune_2025.csv", 2026: DATA / "imdi_bosettingstall_kommune_2026.csv"}
FYLKE_FILE = DATA / "imdi_bosettingstall_fylke_2024_2026.csv"


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def imdi_tall_load(aar, *, path=None, by=None):
    """Load one year's IMDi table per kommune through the import pipeline. Returns the Import
    (its counts of new, changed and unchanged kommune-years); raises ValidationError, with
    nothing written but the failed Import kept, if any row is bad."""
    path = Path(path or FILES[aar])
    imp, preview = import_create(path.read_bytes(), filename=path.name, year=aar, user=by, kilde=Kilde.IMDI)
    if not preview.ok:
        Import.objects.filter(pk=imp.pk).update(status=ImportStatus.FEILET, melding="\n".join(preview.errors[:50]))
        raise ValidationError(preview.errors[:50])
    import_confirm(imp, user=by)
    imp.refresh_from_db()
    return imp


def imdi_fylke_tall(aar):
    """IMDi's own county table for a year: {fylkesnummer: row dict}."""
    return {r["fylkesnummer"]: r for r in read_rows(FYLKE_FILE) if int(r["aar"]) == aar}
