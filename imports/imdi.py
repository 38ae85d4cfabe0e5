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
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError

from bosetting.status import Tall
from vedtak.choices import Kilde

from .models import Import, ImportStatus
from .services import import_confirm, import_create

DATA = Path(__file__).resolve().parent / "data"
FILES = {
    # IMDi's figures of 13.11.2024 as compiled by Samarbeidsdesken (settled: a mid-November count,
    # not IMDi's final one); its own column names, read by the import's aliases.
    2024: DATA / "imdi_bosettingstall_kommune_2024_samarbeidsdesken.csv",
    2025: DATA / "imdi_bosettingstall_kommune_2025.csv",
    2026: DATA / "imdi_bosettingstall_kommune_2026.csv",
}
FYLKE_FILE = DATA / "imdi_bosettingstall_fylke_2024_2026.csv"
FYLKE_EMA_FILE = DATA / "imdi_anmodning_fylke_2026_enslige_mindreaarige.csv"
FYLKE_2016_2017_FILE = DATA / "imdi_anmodning_vedtak_fylke_2016_2017.csv"


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


@dataclass(frozen=True)
class Fylketall:
    """IMDi's own figures for one fylke and year, as its county table states them (not a sum of
    kommune rows): each a Tall, unknown where the table has no such column, hidden for `:`."""

    aar: int
    fylkesnummer: str  # the fylke numbering of that year (2016: the 19 fylker before 2018/2020)
    fylke: str
    stand: str
    anmodet: Tall
    anmodet_ema: Tall
    vedtatt: Tall
    vedtatt_ema: Tall
    bosatt: Tall


def _tall(raw):
    raw = (raw or "").strip()
    if raw == ":":
        return Tall(None, 1)
    return Tall(int(raw)) if raw.isdigit() else Tall()


def imdi_fylketall(aar):
    """{fylkesnummer: Fylketall} from IMDi's county tables (2016–2017 and 2024–2026); {} for
    other years. Reference tables read from imports/data, not case figures."""
    if aar in (2016, 2017):
        return {r["fylkesnummer_da"]: Fylketall(
            aar, r["fylkesnummer_da"], r["fylke"], "IMDi, anmodning og vedtak 2016–2017",
            _tall(r[f"anmodning_{aar}"]), _tall(r[f"anmodning_{aar}_herav_ema"]), _tall(r[f"vedtak_{aar}"]),
            _tall(r[f"vedtak_{aar}_herav_ema"]), Tall())
            for r in read_rows(FYLKE_2016_2017_FILE) if r["fylkesnummer_da"]}  # not the «Totalt» row
    ema = {r["fylkesnummer"]: r for r in read_rows(FYLKE_EMA_FILE) if int(r["aar"]) == aar}
    return {nr: Fylketall(aar, nr, r["fylke"], r["stand"], _tall(r["anmodet"]),
                          _tall(ema.get(nr, {}).get("herav_enslige_mindreaarige")), _tall(r["vedtatt"]), Tall(),
                          _tall(r["bosatte"]))
            for nr, r in imdi_fylke_tall(aar).items()}
