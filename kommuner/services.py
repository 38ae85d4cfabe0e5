"""Loading and reading the kommune register.

`register_load` refreshes the register from the CSV files in kommuner/data idempotently:
it compares with what is stored and writes only the differences, in one transaction.
"""

import csv
import datetime
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.access import require
from core.history import history_record, snapshot
from core.params import kommunenummer

from .choices import EndringType
from .models import Fylke, Kommune, KommuneEndring, KommuneOvergang, Statsforvalter

DATA_DIR = Path(__file__).resolve().parent / "data"
SAMI_LETTERS = set("áčđŋšŧžÁČĐŊŠŦŽ")
STATSFORVALTER_PREFIX = "Statsforvalteren i "


class KommuneIkkeFunnet(LookupError):
    pass


class FlertydigKommunenavn(LookupError):
    def __init__(self, message, kandidater):
        super().__init__(message)
        self.kandidater = kandidater


@dataclass
class LoadResult:
    created: dict = field(default_factory=lambda: defaultdict(int))
    updated: dict = field(default_factory=lambda: defaultdict(int))
    deleted: dict = field(default_factory=lambda: defaultdict(int))
    unchanged: dict = field(default_factory=lambda: defaultdict(int))

    @property
    def changed(self):
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.deleted.values())


def _read(name, data_dir):
    with open(Path(data_dir) / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def strip_disambiguator(name: str) -> str:
    """'Våler (Østfold)' -> 'Våler'."""
    return re.sub(r"\s*\(.*?\)\s*$", "", name).strip()


def normalise_name(name: str) -> str:
    return unicodedata.normalize("NFC", strip_disambiguator(name)).casefold().replace("–", "-").strip()


def _split_historic_name(full_name, known_norwegian):
    """Split an SSB name like 'Snåase - Snåsa' into (Norwegian part, other parts)."""
    base = strip_disambiguator(full_name)
    parts = [p.strip() for p in base.split(" - ")]
    if len(parts) == 1:
        return parts[0], []
    norsk = next((p for p in parts if p in known_norwegian), None)
    if norsk is None:
        norsk = next((p for p in parts if not SAMI_LETTERS & set(p)), parts[0])
    return norsk, [p for p in parts if p != norsk]


def _sync(model, key_fields, wanted, result, label, fields, delete=False):
    """Make the table match `wanted` ({key tuple: field values}) with bulk writes.

    Register rows referenced by case data are never deleted (`delete=False`); link tables are.
    """
    existing = {tuple(getattr(o, k) for k in key_fields): o for o in model.objects.all()}
    to_create, to_update = [], []
    for key, values in wanted.items():
        obj = existing.pop(key, None)
        if obj is None:
            to_create.append(model(**dict(zip(key_fields, key, strict=True)), **values))
        elif any(getattr(obj, f) != values[f] for f in fields):
            for f in fields:
                setattr(obj, f, values[f])
            to_update.append(obj)
        else:
            result.unchanged[label] += 1
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, fields)
    if delete and existing:
        model.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()
        result.deleted[label] += len(existing)
    result.created[label] += len(to_create)
    result.updated[label] += len(to_update)


@transaction.atomic
def register_load(data_dir=DATA_DIR) -> LoadResult:
    result = LoadResult()
    fylker_rows = _read("fylker.csv", data_dir)
    historikk = {r["fylkesnummer"]: r for r in _read("fylker_historikk.csv", data_dir)}
    kommuner_rows = _read("kommuner.csv", data_dir)
    changes = _read("kommune_changes.csv", data_dir)
    til_gjeldende = _read("kommune_til_gjeldende.csv", data_dir)

    # Statsforvalter offices, from today's fylker.
    office_names = {r["statsforvalter"] for r in fylker_rows}
    office_names |= {r["statsforvalter"] for r in historikk.values() if r["statsforvalter"]}
    wanted = {(n,): {"kortnavn": n.removeprefix(STATSFORVALTER_PREFIX)} for n in sorted(office_names)}
    _sync(Statsforvalter, ("navn",), wanted, result, "statsforvalter", ["kortnavn"])
    offices = {o.navn: o for o in Statsforvalter.objects.all()}

    # Fylker: today's 15 and the historic ones since 2014.
    wanted = {}
    for r in fylker_rows:
        h = historikk.get(r["fylkesnummer"], {})
        wanted[(r["fylkesnummer"],)] = {
            "navn": r["navn"],
            "navn_offisielt": r["navn_offisielt"],
            "statsforvalter_id": offices[r["statsforvalter"]].pk,
            "gyldig_fra": _date(h.get("gyldig_fra")),
            "gyldig_til": None,
        }
    for nummer, h in historikk.items():
        if (nummer,) in wanted:
            continue
        wanted[(nummer,)] = {
            "navn": h["navn"],
            "navn_offisielt": h["navn"],
            "statsforvalter_id": offices[h["statsforvalter"]].pk,
            "gyldig_fra": _date(h["gyldig_fra"]),
            "gyldig_til": _date(h["gyldig_til"]),
        }
    fields = ["navn", "navn_offisielt", "statsforvalter_id", "gyldig_fra", "gyldig_til"]
    _sync(Fylke, ("nummer",), wanted, result, "fylke", fields)
    fylker = {f.nummer: f for f in Fylke.objects.all()}

    # Validity and renumbering from the change list.
    born = {}
    born_from = defaultdict(set)  # new code -> old codes on the date it was born
    died_into = defaultdict(set)  # old code -> new codes
    # A code that kept its number while others merged into it (a self-row that day) is not new then.
    kept_on = {(c["ny_kode"], c["endringsdato"]) for c in changes if c["gammel_kode"] == c["ny_kode"]}
    for c in changes:
        if c["type"] == EndringType.NAVNEENDRING or c["gammel_kode"] == c["ny_kode"]:
            continue
        d = _date(c["endringsdato"])
        died_into[c["gammel_kode"]].add(c["ny_kode"])
        if (c["ny_kode"], c["endringsdato"]) in kept_on:
            continue
        if c["ny_kode"] not in born or d < born[c["ny_kode"]]:
            born[c["ny_kode"]] = d
    for c in changes:
        real_change = c["gammel_kode"] != c["ny_kode"] and c["type"] != EndringType.NAVNEENDRING
        if real_change and born.get(c["ny_kode"]) == _date(c["endringsdato"]):
            born_from[c["ny_kode"]].add(c["gammel_kode"])
    # A code whose only merge partner was itself kept its identity (e.g. 0704 Tønsberg 2017).
    kept_code_and_merged = {
        c["ny_kode"] for c in changes if c["type"] == EndringType.SAMMENSLAAING_BEHOLDER_KODE
    }

    def only_renumbered(code):
        """True when every step from `code` to today is one old number to one new number."""
        seen = set()
        while code in died_into and code not in seen:
            seen.add(code)
            successors = died_into[code]
            if len(successors) != 1:
                return False
            (nxt,) = successors
            if born_from[nxt] != {code} or nxt in kept_code_and_merged:
                return False
            code = nxt
        return bool(seen)

    current = {r["kommunenummer"]: r for r in kommuner_rows}
    known_norwegian = {r["navn_norsk"] for r in kommuner_rows}
    known_norwegian |= {strip_disambiguator(c[k]) for c in changes for k in ("gammelt_navn", "nytt_navn")
                        if " - " not in c[k]}

    wanted = {}
    for nummer, r in current.items():
        wanted[(nummer,)] = {
            "navn": r["navn"],
            "navn_norsk": r["navn_norsk"],
            "andre_navn": r["andre_navn"],
            "fylke_id": fylker[r["fylkesnummer"]].pk,
            "gyldig_fra": born.get(nummer),
            "gyldig_til": None,
            "kun_omnummerert": False,
        }
    for r in til_gjeldende:
        nummer = r["kode"]
        if nummer in current or (nummer,) in wanted:
            continue
        norsk, andre = _split_historic_name(r["navn_ved_endring"], known_norwegian)
        wanted[(nummer,)] = {
            "navn": r["navn_ved_endring"],
            "navn_norsk": norsk,
            "andre_navn": "|".join(andre),
            "fylke_id": fylker[nummer[:2]].pk,
            "gyldig_fra": born.get(nummer),
            "gyldig_til": _date(r["siste_gyldige_dato"]),
            "kun_omnummerert": only_renumbered(nummer),
        }
    fields = ["navn", "navn_norsk", "andre_navn", "fylke_id", "gyldig_fra", "gyldig_til", "kun_omnummerert"]
    _sync(Kommune, ("nummer",), wanted, result, "kommune", fields)
    kommuner = dict(Kommune.objects.values_list("nummer", "pk"))

    # Historic number -> today's kommune(s).
    wanted = {}
    for r in til_gjeldende:
        if r["kode"] == r["gjeldende_kode"]:
            continue
        wanted[(kommuner[r["kode"]], kommuner[r["gjeldende_kode"]])] = {
            "delt": r["delt"] == "ja",
            "merknad": r["merknad"],
        }
    _sync(KommuneOvergang, ("historisk_id", "gjeldende_id"), wanted, result, "overgang", ["delt", "merknad"],
          delete=True)

    # The change list itself, for the kommune pages' history.
    wanted = {
        (_date(c["endringsdato"]), c["gammel_kode"], c["ny_kode"]): {
            "gammelt_navn": c["gammelt_navn"],
            "nytt_navn": c["nytt_navn"],
            "type": c["type"],
        }
        for c in changes
    }
    _sync(KommuneEndring, ("endringsdato", "gammel_kode", "ny_kode"), wanted, result, "endring",
          ["gammelt_navn", "nytt_navn", "type"], delete=True)
    return result


def normalise_kommunenummer(value) -> str:
    """Accept '0101', '101' (Excel dropped the zero) or 101; return four digits."""
    nummer = kommunenummer(value)
    if nummer is None:
        raise KommuneIkkeFunnet(_("«%(verdi)s» er ikke et kommunenummer.") % {"verdi": value})
    return nummer


@dataclass
class Oppslag:
    """The kommune a number names, and today's kommune(s) it has become."""

    kommune: Kommune
    gjeldende: list

    @property
    def delt(self):
        return len(self.gjeldende) > 1

    @property
    def er_gjeldende(self):
        return self.kommune.er_gjeldende


def kommune_resolve(nummer) -> Oppslag:
    """Resolve any kommunenummer used since 2011 to today's kommune(s)."""
    code = normalise_kommunenummer(nummer)
    try:
        kommune = Kommune.objects.with_register().get(nummer=code)
    except Kommune.DoesNotExist:
        raise KommuneIkkeFunnet(_("Ukjent kommunenummer %(nummer)s.") % {"nummer": code}) from None
    if kommune.er_gjeldende:
        return Oppslag(kommune, [kommune])
    gjeldende = list(kommune.gjeldende.with_register().order_by("nummer"))
    return Oppslag(kommune, gjeldende)


def kommune_find_by_name(navn, fylke=None, aar=None):
    """Find a kommune by name within a fylke (names repeat: Våler, Herøy, Os …).

    `fylke` is a Fylke, a fylkesnummer or a fylke name; `aar` picks kommuner valid that
    year (default: today's). Raises FlertydigKommunenavn when the fylke is needed.
    """
    wanted = normalise_name(navn)
    qs = Kommune.objects.with_register()
    qs = qs.gyldige_i_aar(aar) if aar else qs.gjeldende()
    if fylke is not None:
        if isinstance(fylke, Fylke):
            qs = qs.filter(fylke=fylke)
        elif str(fylke).isdigit():
            qs = qs.filter(fylke__nummer=str(fylke).zfill(2))
        else:
            qs = qs.filter(fylke__navn__iexact=strip_disambiguator(str(fylke)))
    candidates = [
        k for k in qs
        if wanted in {normalise_name(n) for n in (k.navn, *k.alle_navn)}
    ]
    if not candidates:
        raise KommuneIkkeFunnet(_("Fant ingen kommune med navnet «%(navn)s».") % {"navn": navn})
    if len(candidates) > 1:
        fylkenavn = ", ".join(sorted({k.fylke.navn for k in candidates}))
        raise FlertydigKommunenavn(
            _("«%(navn)s» finnes i flere fylker (%(fylker)s): oppgi fylke.") % {"navn": navn, "fylker": fylkenavn},
            candidates,
        )
    return candidates[0]


# --- Transitions edited in the admin (the register load keeps its own bulk path above) ----------
# The register is the administrators' ("brukere" in core.access.WRITE is the administrators' action).
OVERGANG_ACTION = "brukere"


def kommune_overgang_check(historisk, gjeldende):
    """Today's kommune, not the kommune itself (also asked by the admin's inline form)."""
    errors = {}
    if gjeldende.gyldig_til is not None:
        errors["gjeldende"] = _("Velg en av dagens kommuner, ikke en historisk.")
    elif historisk.pk == gjeldende.pk:
        errors["gjeldende"] = _("En kommune kan ikke ha overgang til seg selv.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def kommune_overgang_save(*, historisk, gjeldende, delt=False, merknad="", overgang=None, by=None, kommentar=""):
    """Create (`overgang=None`) or change the link from a historic kommunenummer to today's kommune.
    History is filed under today's kommune, so its users see how their old numbers are followed."""
    if by is not None:
        require(by, OVERGANG_ACTION)
    kommune_overgang_check(historisk, gjeldende)
    before = None
    if overgang is not None and overgang.pk:
        overgang = KommuneOvergang.objects.select_for_update().get(pk=overgang.pk)
        before = snapshot(overgang)
    else:
        overgang = KommuneOvergang()
    overgang.historisk, overgang.gjeldende, overgang.delt, overgang.merknad = historisk, gjeldende, delt, merknad
    overgang.full_clean()
    if before is not None and snapshot(overgang) == before:
        return overgang
    overgang.save()
    history_record(obj=overgang, handling="kommuneovergang.endret" if before else "kommuneovergang.registrert",
                   by=by, before=before, kommune=gjeldende, aar=None, kommentar=kommentar)
    return overgang


@transaction.atomic
def kommune_overgang_delete(*, overgang, by=None, kommentar=""):
    if by is not None:
        require(by, OVERGANG_ACTION)
    overgang = KommuneOvergang.objects.select_related("gjeldende").select_for_update(of=("self",)).get(
        pk=overgang.pk)
    history_record(obj=overgang, handling="kommuneovergang.slettet", by=by, before=snapshot(overgang), after={},
                   kommune=overgang.gjeldende, aar=None, kommentar=kommentar)
    overgang.delete()
