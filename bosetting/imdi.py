"""Load IMDi's published per-kommune settlement figures ("Nøkkeltall bosetting YYYY").

IMDi's markers: `:` suppressed for privacy (stored as NULL with the field in `prikket`), `-` no
decision because not requested (nothing stored), `avventer vedtak` pending (a Vedtak with status
avventer). A request of 0 means IMDi did not ask the kommune, so no Anmodning is stored for it.

Idempotent: running it again changes nothing; a changed figure updates IMDi's own rows (an
IMDi vedtak is superseded by a new one, so the old figure stays visible). All rows of a file are
validated first and written in one transaction with bulk history.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.history import history_entry, history_record_bulk, snapshot
from kommuner.models import Kommune
from vedtak.choices import Kilde, VedtakStatus
from vedtak.models import Anmodning, Vedtak
from vedtak.services import assert_year_open

from .models import Bosatt

DATA = Path(__file__).resolve().parent / "data"
FILES = {2025: DATA / "imdi_bosettingstall_kommune_2025.csv", 2026: DATA / "imdi_bosettingstall_kommune_2026.csv"}
PRIKKET, IKKE_ANMODET, AVVENTER = ":", "-", "avventer vedtak"
BOSATT_FIELDS = {"bosatte": "antall", "bosatte_kollektiv_beskyttelse": "herav_kollektiv", "avtalt": "avtalt",
                 "avtalt_kollektiv_beskyttelse": "avtalt_kollektiv"}


@dataclass
class LoadResult:
    aar: int
    opprettet: int = 0
    endret: int = 0
    uendret: int = 0
    feil: list = field(default_factory=list)


def parse_cell(value):
    """(value, suppressed): `:` → (None, True); blank/`-` → (None, False); digits → int."""
    value = (value or "").strip()
    if value == PRIKKET:
        return None, True
    if value in ("", IKKE_ANMODET):
        return None, False
    if not value.isdigit():
        raise ValueError(value)
    return int(value), False


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _fields_equal(obj, values):
    return all(getattr(obj, k) == v for k, v in values.items())


@transaction.atomic
def imdi_tall_load(aar, *, path=None, by=None, import_ref=None):
    """Load one year's IMDi per-kommune table. Returns a LoadResult; raises ValidationError
    (nothing written) if any row is bad."""
    path = Path(path or FILES[aar])
    import_ref = import_ref or f"imdi-{aar}"
    assert_year_open(aar)
    rows = read_rows(path)
    kommuner = {k.nummer: k for k in Kommune.objects.filter(nummer__in=[r["kommunenummer"] for r in rows])}
    anm = {a.kommune_id: a for a in Anmodning.objects.filter(aar=aar, kilde=Kilde.IMDI)}
    ved = {v.kommune_id: v for v in Vedtak.objects.filter(aar=aar, aar_til__isnull=True, kilde=Kilde.IMDI,
                                                          erstattet_av__isnull=True)}
    bos = {b.kommune_id: b for b in Bosatt.objects.filter(aar=aar, maaned=Bosatt.HELE_AARET)}
    result, errors = LoadResult(aar), []
    new, changed, entries, supersede = [], [], [], []

    for n, row in enumerate(rows, start=2):
        k = kommuner.get(row["kommunenummer"])
        if k is None or int(row["aar"]) != aar:
            errors.append(_("Rad %(n)s: ukjent kommunenummer «%(nr)s» eller feil år.")
                          % {"n": n, "nr": row["kommunenummer"]})
            continue
        try:
            anmodet, _p = parse_cell(row["anmodet"])
            raw_vedtatt = row["vedtatt"].strip()
            vedtatt, vedtatt_prikket = (None, False) if raw_vedtatt == AVVENTER else parse_cell(raw_vedtatt)
            bosatt_values, bosatt_prikket = {}, []
            for col, name in BOSATT_FIELDS.items():
                if col in row:
                    value, hidden = parse_cell(row[col])
                    bosatt_values[name] = value
                    if hidden:
                        bosatt_prikket.append(name)
        except ValueError as exc:
            errors.append(_("Rad %(n)s: ugyldig verdi «%(v)s».") % {"n": n, "v": exc})
            continue

        a = anm.get(k.pk)
        if anmodet:  # 0 and '-': IMDi did not ask this kommune
            values = {"antall": anmodet}
            if a is None:
                a = Anmodning(kommune=k, aar=aar, kilde=Kilde.IMDI, **values)
                new.append(a)
            elif not _fields_equal(a, values):
                before = snapshot(a)
                a.antall = anmodet
                changed.append((a, before, ["antall"]))
            else:
                result.uendret += 1

        if raw_vedtatt == AVVENTER or vedtatt is not None or vedtatt_prikket:
            values = {"antall": vedtatt, "status": VedtakStatus.AVVENTER if raw_vedtatt == AVVENTER
                      else VedtakStatus.FATTET, "prikket": ["antall"] if vedtatt_prikket else []}
            v = ved.get(k.pk)
            if v is not None and _fields_equal(v, values):
                result.uendret += 1
            else:
                obj = Vedtak(kommune=k, aar=aar, kilde=Kilde.IMDI, anmodning=a if anmodet else None, **values)
                new.append(obj)
                if v is not None:
                    supersede.append((v, obj))

        if any(v is not None for v in bosatt_values.values()) or bosatt_prikket:
            values = {**bosatt_values, "prikket": bosatt_prikket}
            b = bos.get(k.pk)
            if b is None:
                new.append(Bosatt(kommune=k, aar=aar, maaned=Bosatt.HELE_AARET, kilde=Kilde.IMDI, **values))
            elif b.kilde != Kilde.IMDI:
                errors.append(_("Rad %(n)s: %(k)s har egne årstall for bosatte i %(aar)s; de overskrives ikke.")
                              % {"n": n, "k": k, "aar": aar})
            elif not _fields_equal(b, values):
                before = snapshot(b)
                for name, value in values.items():
                    setattr(b, name, value)
                changed.append((b, before, list(values)))
            else:
                result.uendret += 1

    for obj in new + [c[0] for c in changed]:
        try:
            obj.clean_fields(exclude=["kommune", "anmodning", "erstattet_av", "opprettet_av"])
            obj.clean()
        except ValidationError as exc:
            errors.append(f"{obj}: {'; '.join(m for ms in exc.message_dict.values() for m in ms)}")
    if errors:
        raise ValidationError(errors)

    # Anmodninger first so the vedtak can point at them.
    for model in (Anmodning, Vedtak, Bosatt):
        objs = [o for o in new if isinstance(o, model)]
        if model is Vedtak:
            for o in objs:
                o.anmodning_id = o.anmodning.pk if o.anmodning else None
        model.objects.bulk_create(objs, batch_size=500)
    for model in (Anmodning, Bosatt):
        objs = [c for c in changed if isinstance(c[0], model)]
        if objs:
            fields = sorted({f for c in objs for f in c[2]})
            model.objects.bulk_update([c[0] for c in objs], fields, batch_size=500)
    for old, newer in supersede:
        before = snapshot(old)
        old.erstattet_av = newer
        changed.append((old, before, ["erstattet_av"]))
    if supersede:
        Vedtak.objects.bulk_update([o for o, _n in supersede], ["erstattet_av"], batch_size=500)

    for obj in new:
        entries.append(history_entry(obj=obj, handling=f"{obj._meta.model_name}.importert", by=by,
                                     import_ref=import_ref))
    for obj, before, _f in changed:
        entries.append(history_entry(obj=obj, handling=f"{obj._meta.model_name}.importert_endret", by=by,
                                     before=before, import_ref=import_ref))
    history_record_bulk(entries)
    result.opprettet, result.endret = len(new), len(changed)
    return result


def imdi_fylke_tall(aar):
    """IMDi's own county table for a year: {fylkesnummer: row dict}."""
    return {r["fylkesnummer"]: r for r in read_rows(DATA / "imdi_bosettingstall_fylke_2024_2026.csv")
            if int(r["aar"]) == aar}
