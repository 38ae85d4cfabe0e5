"""Writes of the rate tables: the loader of okonomi/data/satser.csv and the admin's saves, each in
one transaction with history (core.history)."""

from collections import Counter
from csv import DictReader
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.history import history_entry, history_record, history_record_bulk, snapshot

from .choices import SAMLET
from .models import Kostnadsanslag, Tilskuddssats

SATSER_CSV = Path(__file__).resolve().parent / "data" / "satser.csv"
FELTER = ("belop", "kilde", "kilde_url", "merknad")


@dataclass
class LastResultat:
    nye: Counter = field(default_factory=Counter)
    uendret: Counter = field(default_factory=Counter)
    oppdatert: Counter = field(default_factory=Counter)
    avviker: list = field(default_factory=list)  # rows an administrator has changed, left as they are


def _rader(path):
    with open(path, encoding="utf-8", newline="") as f:
        rader = list(DictReader(f))
    for i, r in enumerate(rader, start=2):
        if not r.get("kilde", "").strip():
            raise ValidationError(_("Rad %(rad)s i %(fil)s mangler kilde.") % {"rad": i, "fil": Path(path).name})
        if r["tabell"] not in ("tilskudd", "kostnad"):
            raise ValidationError(_("Rad %(rad)s: ukjent tabell «%(t)s».") % {"rad": i, "t": r["tabell"]})
    return rader


def satser_load(path=SATSER_CSV, *, oppdater=False, by=None):
    """Create the rows of the data file that are missing. A row an administrator has changed is
    left as it is and reported (`avviker`), unless `oppdater`: the file then wins, and the change
    goes in the history. Running it twice changes nothing the second time."""
    result = LastResultat()
    rader = _rader(path)
    with transaction.atomic():
        eksisterende = {(s.gyldig_aar, s.kategori, s.bosettingsaar): s for s in Tilskuddssats.objects.all()}
        kostnader = {k.aar: k for k in Kostnadsanslag.objects.all()}
        entries = []
        for r in rader:
            verdier = {"kilde": r["kilde"].strip(), "kilde_url": r["kilde_url"].strip(),
                       "merknad": r["merknad"].strip()}
            if r["tabell"] == "tilskudd":
                nokkel = (int(r["aar"]), r["kategori"], int(r["bosettingsaar"] or SAMLET))
                verdier["belop"] = int(r["belop"])
                obj, label = eksisterende.get(nokkel), "tilskuddssats"
                ny = Tilskuddssats(gyldig_aar=nokkel[0], kategori=nokkel[1], bosettingsaar=nokkel[2])
            else:
                nokkel = int(r["aar"])
                verdier["kroner_per_person"] = int(r["belop"])
                obj, label = kostnader.get(nokkel), "kostnadsanslag"
                ny = Kostnadsanslag(aar=nokkel)
            if obj is None:
                for k, v in verdier.items():
                    setattr(ny, k, v)
                ny.full_clean()
                ny.save()  # the data file is the record of a seeded row (as for the kommune register)
                result.nye[label] += 1
                continue
            if all(getattr(obj, k) == v for k, v in verdier.items()):
                result.uendret[label] += 1
            elif oppdater:
                before = snapshot(obj)
                for k, v in verdier.items():
                    setattr(obj, k, v)
                obj.full_clean()
                obj.save()
                entries.append(history_entry(obj=obj, handling=f"{label}.endret", by=by, before=before,
                                             kommune=None, aar=_aar(obj), kommentar=_("Oppdatert fra satser.csv")))
                result.oppdatert[label] += 1
            else:
                result.avviker.append(str(obj))
        history_record_bulk(entries)
    return result


def _aar(obj):
    return getattr(obj, "gyldig_aar", None) or getattr(obj, "aar", None)


def sats_lagre(*, obj, by, change):
    """The admin's save of a rate row, with history, in one transaction."""
    with transaction.atomic():
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else None
        obj.save()
        label = obj._meta.model_name
        history_record(obj=obj, handling=f"{label}.endret" if change else f"{label}.registrert", by=by,
                       before=before, kommune=None, aar=_aar(obj), kommentar=_("Endret i administrasjonen"))
    return obj


def sats_slett(*, obj, by):
    with transaction.atomic():
        history_record(obj=obj, handling=f"{obj._meta.model_name}.slettet", by=by, before=snapshot(obj), after={},
                       kommune=None, aar=_aar(obj), kommentar=_("Slettet i administrasjonen"))
        obj.delete()
