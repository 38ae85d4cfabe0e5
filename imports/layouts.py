"""Recognising the layout of a table and turning its rows into records.

Three layouts: *long* (one row per kommune and year), *wide* (column pairs per year, the year
either in the column name or in a header row above) and IMDi's published tables (names only,
grouped under fylke headings, with the markers `:`, `-` and «avventer vedtak»).
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bosetting.models import Tjenestekapasitet
from bosetting.services import MAANEDSNAVN
from bosetting.status import FIGURER, KOMMUNE_GAP
from core.export import unneutralise

# Figures an import can carry, in the order they are shown: the yearly figures themselves
# (bosetting.status.FIGURER); the headings files use for them are FIELD_ALIASES below.
FIELDS = [f.navn for f in FIGURER]
FIELD_LABELS = {f.navn: f.label for f in FIGURER}
# (whole of a breakdown, its parts)
BREAKDOWNS = [
    ("anmodning", ["anmodning_ema"]), ("anmodning_ema", ["anmodning_ema_under_15", "anmodning_ema_15_18"]),
    ("vedtak", ["vedtak_ema"]), ("bosatt", ["bosatt_ema", "bosatt_kollektiv"]), ("avtalt", ["avtalt_kollektiv"]),
]

KEY_ALIASES = {
    "nummer": ["kommunenummer", "kommunenr", "knr", "nummer", "nr", "kommune nr", "kode"],
    "navn": ["kommune", "kommunenavn", "navn", "name", "kommune imdi"],
    "aar": ["år", "aar", "year"],
    "fylke": ["fylke", "fylkesnavn"],
}
MARKER_SUFFIX = "merknad"  # as core.export.MERKNAD
IGNORED = {"merknad", "kommentar", "note", "notes", "fylkesnummer", "stand", "kilde"}
# The long export's gap columns (bosetting.status.GAP) are derived, not figures: read back, ignored.
IGNORED_DERIVED = {g.navn for g in KOMMUNE_GAP}
FIELD_ALIASES = {
    "anmodning": ["anmodning", "anmodet", "anmodninger"],
    "anmodning_ema": ["anmodning ema", "anmodet ema", "ema anmodet", "herav enslige mindreårige",
                      "hvorav enslige mindreårige", "herav ema", "herav enslige mindreaarige"],
    "anmodning_ema_under_15": ["ema under 15", "under 15 år", "anmodning ema under 15"],
    "anmodning_ema_15_18": ["ema 15 til 18", "ema 15 18", "mellom 15 og 18 år", "anmodning ema 15 18"],
    "vedtak": ["vedtak", "vedtatt", "vedtatte plasser"],
    "vedtak_ema": ["vedtak ema", "vedtatt ema", "ema vedtatt"],
    "bosatt": ["bosatt", "bosatte", "antall bosatte personer"],
    "bosatt_ema": ["bosatt ema", "bosatte ema"],
    "bosatt_kollektiv": ["bosatt kollektiv", "bosatte kollektiv beskyttelse", "bosatt kollektiv beskyttelse",
                         "bosatte ukraina", "bosatte med kollektiv beskyttelse"],
    "avtalt": ["avtalt"],
    "avtalt_kollektiv": ["avtalt kollektiv", "avtalt kollektiv beskyttelse", "avtalt ukraina"],
}
# The settlement plan (bosetting.models.Bosettingsplan) per month: places ready, «plan jan» …
# «plan des», and the housing units behind them, «boliger jan» … (optional). Only whole numbers or
# blank (no change; unknown, never 0); no markers. plan_register writes them.
PLAN_MONTHS = ("jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des")
_MONTH_NAMES = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
                "november", "desember")
PLAN_PLASSER = {m: f"plan {PLAN_MONTHS[m - 1]}" for m in range(1, 13)}
PLAN_BOLIGER = {m: f"boliger {PLAN_MONTHS[m - 1]}" for m in range(1, 13)}
PLAN_FIELDS = [*PLAN_PLASSER.values(), *PLAN_BOLIGER.values()]
PLAN_MONTH = {f: m for d in (PLAN_PLASSER, PLAN_BOLIGER) for m, f in d.items()}
PLAN_ALIASES = {
    **{f: [f"plan {_MONTH_NAMES[m - 1]}", f"plasser {_MONTH_NAMES[m - 1]}", f"plasser {PLAN_MONTHS[m - 1]}",
           f"plan {m:02d}", f"plan {m}", f"plasser klare {_MONTH_NAMES[m - 1]}"] for m, f in PLAN_PLASSER.items()},
    **{f: [f"boliger {_MONTH_NAMES[m - 1]}", f"boliger {m:02d}", f"boliger {m}", f"planboliger {PLAN_MONTHS[m - 1]}"]
       for m, f in PLAN_BOLIGER.items()},
}
# Service pressure (bosetting.models.Tjenestekapasitet) in the kommune-year, by heading: the model
# field and what its cell holds (parse_service). A blank cell is no change (unknown, never 0 or
# «nei»); no markers. Written in bulk by the import's confirm, with the model's history.
SERVICE_ANTALL, SERVICE_JANEI, SERVICE_DATO, SERVICE_TEKST = "antall", "janei", "dato", "tekst"
SERVICE = {
    "introduksjonsprogram plasser": ("introduksjonsprogram_plasser", SERVICE_ANTALL),
    "norskopplæring plasser": ("norskopplaering_plasser", SERVICE_ANTALL),
    "asylmottak": ("asylmottak", SERVICE_JANEI),
    "mottaksplasser": ("mottaksplasser", SERVICE_ANTALL),
    "mottak åpnet": ("mottak_aapnet", SERVICE_DATO),
    "press helse": ("press_helse", SERVICE_TEKST),
    "press barnevern": ("press_barnevern", SERVICE_TEKST),
    "press transport": ("press_transport", SERVICE_TEKST),
    "press annet": ("press_annet", SERVICE_TEKST),
}
SERVICE_FIELDS = list(SERVICE)
SERVICE_ALIASES = {
    "introduksjonsprogram plasser": ["plasser i introduksjonsprogrammet", "introduksjonsprogrammet plasser",
                                     "plasser introduksjonsprogram", "intro plasser", "introduksjonsprogram"],
    "norskopplæring plasser": ["plasser i norskopplæringen", "norskopplæringen plasser", "plasser norskopplæring",
                               "norskopplaering plasser", "norskopplæring", "norskopplaering"],
    "asylmottak": ["asylmottak i kommunen", "har asylmottak"],
    "mottaksplasser": ["plasser i asylmottak", "plasser i asylmottaket", "asylmottak plasser"],
    "mottak åpnet": ["asylmottaket åpnet", "asylmottak åpnet", "mottak aapnet"],
    "press helse": ["press på helsetjenester", "press helsetjenester"],
    "press barnevern": ["press på barnevernet", "press barnevernet"],
    "press transport": ["transport og bolig i distriktet", "press transport og bolig"],
    "press annet": ["annet press"],
}
JA, NEI = "ja", "nei"  # the long export's yes/no (not translated: the file imports back)
TOTAL_WORDS = ("totalt", "total", "sum", "i alt", "hele landet", "landet", "samlet")


_SEPARATORS = re.compile(r"[_\-–]+")
_SPACES = re.compile(r"\s+")
_THOUSANDS = re.compile(r"[\s\u00a0\u202f\u2009]")
_NEGATIVE = re.compile(r"-\d+")
_DECIMAL = re.compile(r"\d+[.,]\d+")
_DECIMAL_ZERO = re.compile(r"\d+\.0+")
_DIGITS = re.compile(r"\d+")
# The largest count the database's integer columns hold (PostgreSQL integer).
MAX_COUNT = 2_147_483_647


def norm(text) -> str:
    text = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ").replace("…", " ").replace("...", " ")
    text = _SEPARATORS.sub(" ", text.casefold())
    return _SPACES.sub(" ", text).strip(" .:")


# ... and so are their marker columns («<gap> merknad», core.export.with_marker_columns).
_IGNORED_DERIVED = {norm(m) for n in IGNORED_DERIVED for m in (n, f"{n} {MARKER_SUFFIX}")}
_KEY = {norm(a): k for k, aliases in KEY_ALIASES.items() for a in aliases}
# A figure's own name (the export's heading) always reads back as that figure.
_FIELD = {norm(a): f for f, aliases in [*FIELD_ALIASES.items(), *PLAN_ALIASES.items(), *SERVICE_ALIASES.items()]
          for a in [*aliases, f]}
FIELD_LABELS.update({f: format_lazy(gettext_lazy("Plan, plasser klare i {maaned}"), maaned=MAANEDSNAVN[m - 1])
                     for m, f in PLAN_PLASSER.items()})
FIELD_LABELS.update({f: format_lazy(gettext_lazy("Plan, boliger i {maaned}"), maaned=MAANEDSNAVN[m - 1])
                     for m, f in PLAN_BOLIGER.items()})

FIELD_LABELS.update({f: capfirst(Tjenestekapasitet._meta.get_field(attr).verbose_name)
                     for f, (attr, _kind) in SERVICE.items()})

def field_for(header: str):
    """Map a column heading to a figure, also IMDi's long sentences."""
    h = norm(header)
    if h in _FIELD:
        return _FIELD[h]
    if h.startswith("antall"):
        kollektiv = "kollektiv" in h
        if "anmodet" in h:
            return "anmodning"
        if "vedtatt" in h:
            return "vedtak"
        if "avtalt" in h:
            return "avtalt_kollektiv" if kollektiv else "avtalt"
        if "bosatt" in h:
            return "bosatt_kollektiv" if kollektiv else "bosatt"
    return None


def marker_for(header: str):
    """'bosatt_kollektiv merknad' → 'bosatt_kollektiv': the column the long export writes after
    each figure, with «skjult» or «avventer vedtak» where the figure's cell is blank."""
    h = norm(header)
    if not h.endswith(" " + MARKER_SUFFIX):
        return None
    f = _FIELD.get(h.removesuffix(" " + MARKER_SUFFIX).strip())
    return f if f in FIELDS else None  # plan and service columns have no markers


def key_for(header: str):
    return _KEY.get(norm(header))


YEAR_RE = re.compile(r"^(?:19|20)\d\d$")


def wide_column(header: str):
    """'2014 Anmodning', 'Vedtak 2015', 'anmodning_2014' → (year, field)."""
    h = norm(header)
    m = re.match(r"^((?:19|20)\d\d) (.+)$", h) or re.match(r"^(.+?) ((?:19|20)\d\d)$", h)
    if not m:
        return None
    year, rest = (m.group(1), m.group(2)) if m.group(1).isdigit() else (m.group(2), m.group(1))
    f = field_for(rest)
    return (int(year), f) if f else None


@dataclass(eq=False)
class Column:
    index: int
    label: str
    key: str | None = None  # nummer / navn / aar / fylke
    field: str | None = None
    year: int | None = None
    ignored: bool = False
    marker_for: str | None = None  # «<figure> merknad»: the marker of that figure (the long export's)


@dataclass
class Record:
    rownum: int
    nummer: str
    navn: str
    fylke: str
    aar: int | None
    raw: dict = field(default_factory=dict)  # field -> raw text
    labels: dict = field(default_factory=dict)  # field -> column heading (for messages)


@dataclass
class Subtotal:
    rownum: int
    label: str
    aar: int | None
    raw: dict
    covers: list  # indexes into records


@dataclass
class Table:
    layout: str
    records: list
    subtotals: list
    errors: list
    fylke_headings: int = 0
    header_row: int = 0


def _classify_header(cells):
    cols = []
    for i, cell in enumerate(cells):
        if not str(cell).strip():
            continue
        col = Column(i, str(cell).strip())
        if (k := key_for(cell)) is not None:
            col.key = k
        elif (m := marker_for(cell)) is not None:
            col.marker_for = m
        elif (f := field_for(cell)) is not None:
            col.field = f
        elif (w := wide_column(cell)) is not None:
            col.year, col.field = w
        elif norm(cell) in IGNORED or norm(cell) in _IGNORED_DERIVED:
            col.ignored = True
        cols.append(col)
    return cols


def _score(cols):
    return sum(1 for c in cols if c.key or c.field)


def _two_row_header(years_row, names_row):
    """A row of years above a row of field names (merged cells leave blanks: carry the year right)."""
    years, current = {}, None
    for i in range(max(len(years_row), len(names_row))):
        cell = years_row[i].strip() if i < len(years_row) else ""
        if YEAR_RE.match(cell):
            current = int(cell)
        elif cell:
            current = None
        years[i] = current
    cols = _classify_header(names_row)
    if not any(c.field and years.get(c.index) for c in cols):
        return None
    for c in cols:
        if c.field and years.get(c.index):
            c.year = years[c.index]
    return cols


def find_header(rows):
    """The first row (in the first 20) that names at least two known columns."""
    best = None
    for i, row in enumerate(rows[:20]):
        cols = _classify_header(row)
        if i + 1 < len(rows) and any(YEAR_RE.match(c.strip()) for c in row):
            two = _two_row_header(row, rows[i + 1])
            if two and _score(two) >= 2:
                return i + 1, two
        if _score(cols) >= 2:
            return i, cols
        if best is None and _score(cols) == 1 and any(c.key == "navn" for c in cols):
            best = (i, cols)
    return best or (None, None)


def title_year(rows, upto):
    """A year in a title above the header ('Nøkkeltall bosetting 2025')."""
    for row in rows[:upto]:
        for cell in row:
            m = re.search(r"\b((?:19|20)\d\d)\b", str(cell))
            if m:
                return int(m.group(1))
    return None


_HEADING_SEPARATOR = re.compile(r"\s+[-–—:]\s+")


def heading_fylke(label, fylke_names):
    """The fylke a heading row names: 'Agder', or IMDi's 'Agder - oversikt over bosettingen i 2025'.
    A heading that names no known fylke is returned as written (the kommune lookup reports it)."""
    label = str(label).strip()
    first = _HEADING_SEPARATOR.split(label, maxsplit=1)[0]
    return first if norm(first) in fylke_names and norm(label) not in fylke_names else label


def is_subtotal(text, fylke_names, current_fylke, rows_in_group, kommune_names=frozenset()):
    """'Totalt', 'Sum …', or a fylke's name after its kommuner. Oslo is both a fylke and a kommune:
    the row 'Oslo' first under the heading 'Oslo' is the kommune, and without any heading a name
    that is also a kommune's (`kommune_names`) is the kommune, not a sum."""
    t = norm(text)
    if t.startswith(TOTAL_WORDS):
        return True
    if t not in fylke_names or rows_in_group == 0:
        return False
    if current_fylke:
        return norm(current_fylke) == t
    return t not in kommune_names


def _check_columns(cols, header_row):
    """The errors of one header row's columns (every table of a file has its own header row)."""
    errors = []
    for c in cols:
        if not (c.key or c.field or c.ignored or c.marker_for):
            errors.append(_("Rad %(rad)d, kolonne «%(kol)s»: ukjent kolonne.") % {"rad": header_row, "kol": c.label})
    for c in cols:
        if c.marker_for and not any(v.field == c.marker_for and not v.year for v in cols):
            errors.append(_("Kolonnen «%(kol)s» hører ikke til noen tallkolonne.") % {"kol": c.label})
    keys = {c.key for c in cols if c.key}
    if "nummer" not in keys and "navn" not in keys:
        errors.append(_("Filen mangler kolonne for kommunenummer eller kommunenavn."))
    if not any(c.field for c in cols):
        errors.append(_("Filen har ingen kolonner med tall (anmodning, vedtak, bosatt …)."))
    seen_fields = {}
    for c in cols:
        if c.field:
            k = (c.year, c.field)
            if k in seen_fields:
                errors.append(_("Kolonnene «%(a)s» og «%(b)s» betyr det samme.") % {"a": seen_fields[k], "b": c.label})
            seen_fields[k] = c.label
    return errors


def _is_repeated_header(row):
    """A header row further down (IMDi: one table per fylke, each with its own header row)."""
    cols = _classify_header(row)
    return cols if _score(cols) >= 2 and any(c.key in ("nummer", "navn") for c in cols) else None


def _label_only(row):
    """The one text of a row that has nothing but it in its first filled cell, else None."""
    filled = [str(c).strip() for c in row if str(c).strip()]
    return filled[0] if len(filled) == 1 else None


def parse_table(rows, *, default_year=None, fylke_names=frozenset(), kommune_names=frozenset()):
    """Recognise the layout and return records, subtotal rows and header-level errors.

    IMDi's published tables come as one table per fylke: a heading row naming the fylke, its own
    column header row, the kommune rows, blank rows between. The heading above the first header
    row counts too, and each later header row sets the columns for the rows below it."""
    header_idx, cols = find_header(rows)
    if header_idx is None:
        return Table("ukjent", [], [], [_("Fant ingen overskriftsrad med kjente kolonner (kommunenummer, "
                                           "kommune, år, anmodning, vedtak, bosatt …).")])
    fylke_names = {norm(n) for n in fylke_names}
    kommune_names = {norm(n) for n in kommune_names}
    errors = _check_columns(cols, header_idx + 1)
    keys = {c.key: c for c in cols if c.key}
    markers = {c.marker_for: c for c in cols if c.marker_for}
    wide = any(c.year for c in cols if c.field)
    year = default_year or title_year(rows, header_idx)
    if not wide and "aar" not in keys and year is None:
        errors.append(_("Filen har ingen årskolonne. Oppgi året den gjelder."))
    if errors:
        return Table("ukjent", [], [], errors, header_row=header_idx + 1)

    def cell(row, c):
        return row[c.index].strip() if c and c.index < len(row) else ""

    def figure(row, c):
        """The figure's cell, or its marker when the cell is blank (both: shown together, an error)."""
        value, marker = cell(row, c), cell(row, markers.get(c.field)) if not c.year else ""
        if marker and value:
            return f"{value} ({marker})"
        return value or marker

    records, subtotals, headings = [], [], 0
    current_fylke, group_start = "", 0
    # The fylke heading right above the first header row (blank rows between allowed).
    for i in range(header_idx - 1, -1, -1):
        if not any(str(c).strip() for c in rows[i]):
            continue
        label = _label_only(rows[i])
        if label and norm(heading := heading_fylke(label, fylke_names)) in fylke_names:
            current_fylke, headings = heading, 1
        break
    imdi = "nummer" not in keys
    value_cols = [c for c in cols if c.field]
    for i in range(header_idx + 1, len(rows)):
        row, rownum = rows[i], i + 1
        if not any(str(c).strip() for c in row):
            continue
        if not wide and (again := _is_repeated_header(row)) is not None:
            if errs := _check_columns(again, rownum):
                return Table("ukjent", [], [], errs, header_row=rownum)
            new_keys = {c.key: c for c in again if c.key}
            if ("nummer" in new_keys) != ("nummer" in keys) or ("aar" in new_keys) != ("aar" in keys):
                return Table("ukjent", [], [], [_("Rad %(rad)d: overskriftsraden har andre nøkkelkolonner enn "
                                                  "den første (rad %(forste)d).") % {"rad": rownum,
                                                                                     "forste": header_idx + 1}],
                             header_row=rownum)
            cols, keys, value_cols = again, new_keys, [c for c in again if c.field]
            markers = {c.marker_for: c for c in again if c.marker_for}
            group_start = len(records)
            continue
        nummer = cell(row, keys.get("nummer"))
        navn = cell(row, keys.get("navn"))
        label = navn or nummer or (_label_only(row) or "")
        values = {c: figure(row, c) for c in value_cols}
        has_values = any(values.values())
        if not nummer and not has_values and label:
            # A fylke heading (IMDi's tables): the kommuner below belong to it.
            current_fylke, group_start = heading_fylke(label, fylke_names), len(records)
            headings += 1
            continue
        if not nummer and label and is_subtotal(label, fylke_names, current_fylke, len(records) - group_start,
                                                kommune_names):
            by_year = {}
            for c, v in values.items():
                by_year.setdefault(c.year or year, {})[c.field] = (v, c.label)
            for y, raw in by_year.items():
                covers = [j for j in range(group_start, len(records)) if records[j].aar == y]
                subtotals.append(Subtotal(rownum, label, y, raw, covers))
            group_start = len(records)
            continue
        if not wide:
            raw_year = cell(row, keys.get("aar"))
            rec_year = year
            if raw_year:
                rec_year = int(raw_year) if YEAR_RE.match(raw_year) else raw_year
            records.append(Record(rownum, nummer, navn, cell(row, keys.get("fylke")) or current_fylke, rec_year,
                                  {c.field: v for c, v in values.items()}, {c.field: c.label for c in value_cols}))
        else:
            by_year = {}
            for c, v in values.items():
                by_year.setdefault(c.year or year, ({}, {}))
                by_year[c.year or year][0][c.field] = v
                by_year[c.year or year][1][c.field] = c.label
            for y, (raw, labels) in sorted(by_year.items(), key=lambda kv: kv[0] or 0):
                records.append(Record(rownum, nummer, navn, cell(row, keys.get("fylke")) or current_fylke, y,
                                      raw, labels))
    layout = "bred" if wide else ("imdi" if imdi else "lang")
    return Table(layout, records, subtotals, [], headings, header_idx + 1)


# --- cell values -------------------------------------------------------------------------------

BLANK, NUMBER, SUPPRESSED, NOT_REQUESTED, PENDING = "blank", "tall", "prikket", "ikke_anmodet", "avventer"
# The long export's marker texts (fixed, not translated), read back here.
MARKER_TEXT = {SUPPRESSED: "skjult", PENDING: "avventer vedtak"}


def parse_value(raw: str):
    """Return (kind, int|None) or raise ValueError with a Bokmål message."""
    text = unicodedata.normalize("NFC", str(raw)).strip()
    if text == "":
        return BLANK, None
    if text == ":" or norm(text) == MARKER_TEXT[SUPPRESSED]:
        return SUPPRESSED, None
    if text in ("-", "–", "—"):
        return NOT_REQUESTED, None
    if norm(text) in ("avventer vedtak", "avventer"):
        return PENDING, None
    compact = _THOUSANDS.sub("", text)
    if _NEGATIVE.fullmatch(compact):
        raise ValueError(_("negativt tall «%(v)s» (må være 0 eller mer)") % {"v": text})
    if _DECIMAL.fullmatch(compact):
        if _DECIMAL_ZERO.fullmatch(compact):
            return NUMBER, _in_range(compact.split(".")[0], text)
        raise ValueError(_("desimaltall «%(v)s» (antall personer er hele tall)") % {"v": text})
    if _DIGITS.fullmatch(compact):
        return NUMBER, _in_range(compact, text)
    raise ValueError(_("«%(v)s» er ikke et tall") % {"v": text})


_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")  # also a spreadsheet's date cell
_DATE_NO = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def parse_service(field, raw: str):
    """A service-pressure cell (SERVICE): (BLANK, None) or (NUMBER, value), the value a count, True
    or False («ja»/«nei»), a date (dd.mm.åååå or åååå-mm-dd) or a text; else ValueError with a
    Bokmål message. No markers: IMDi does not suppress these."""
    kind = SERVICE[field][1]
    text = unicodedata.normalize("NFC", str(raw)).strip()
    if text == "":
        return BLANK, None
    if kind == SERVICE_TEKST:
        return NUMBER, unneutralise(text)  # the long export's «'=…» reads back as «=…»
    if kind == SERVICE_JANEI:
        if norm(text) in (JA, "j", "yes"):
            return NUMBER, True
        if norm(text) in (NEI, "n", "no"):
            return NUMBER, False
        raise ValueError(_("«%(v)s» er verken «ja» eller «nei»") % {"v": text})
    if kind == SERVICE_DATO:
        iso, no = _DATE_ISO.fullmatch(text), _DATE_NO.fullmatch(text)
        try:
            if iso:
                return NUMBER, datetime.date(*map(int, iso.groups()))
            if no:
                d, m, y = map(int, no.groups())
                return NUMBER, datetime.date(y, m, d)
        except ValueError:
            pass
        raise ValueError(_("«%(v)s» er ikke en dato (skriv dd.mm.åååå)") % {"v": text})
    kind_value = parse_value(text)
    if kind_value[0] != NUMBER:
        raise ValueError(_("«%(v)s» passer ikke her (bare hele tall, eller tom celle når tallet er ukjent)")
                         % {"v": text})
    return kind_value

def _in_range(digits, text):
    """A count the database can hold (its integer columns), read without ever handing Python a
    number too long to convert."""
    stripped = digits.lstrip("0") or "0"
    if len(stripped) > len(str(MAX_COUNT)) or int(stripped) > MAX_COUNT:
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise ValueError(_("tallet «%(v)s» er for stort (høyst %(max)s)") % {"v": shown, "max": MAX_COUNT})
    return int(stripped)


# What each layout is called where a person reads it (the import's page).
LAYOUT_NAVN = {"lang": gettext_lazy("Langt oppsett"), "bred": gettext_lazy("Bredt oppsett"),
               "imdi": gettext_lazy("IMDis publiserte tabeller")}


def allowed_markers(field):
    """The markers a figure's cell may hold besides a whole number and a blank (the preview
    refuses the others; /import/'s column help shows these): «-» everywhere; «:»/«skjult» except
    in anmodning; «avventer vedtak» only in vedtak. A plan or service column holds none."""
    if field in PLAN_MONTH or field in SERVICE:
        return []
    markers = [NOT_REQUESTED]
    if field != "anmodning":
        markers.append(SUPPRESSED)
    if field == "vedtak":
        markers.append(PENDING)
    return markers
