"""The columns an import reads, explained: the help on /import/ and the downloadable template.

Built from the parser's own definitions (imports.layouts: KEY_ALIASES, FIELDS, FIELD_ALIASES,
MARKER_SUFFIX, MARKER_TEXT, IGNORED, IGNORED_DERIVED), so a column the parser learns shows up
here; only its meaning is written here (KEY_HELP, FIELD_HELP; tests/imports/test_columns.py fails
when one is missing). Which markers a figure may hold is layouts.allowed_markers, the rule the
preview checks; the same test runs every marker through the real preview.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.export import Merknad, sheet_title, with_marker_columns
from core.params import MAX_AAR, MIN_AAR

from .layouts import (
    FIELD_ALIASES,
    FIELDS,
    IGNORED,
    IGNORED_DERIVED,
    KEY_ALIASES,
    MARKER_SUFFIX,
    MARKER_TEXT,
    NOT_REQUESTED,
    PENDING,
    PLAN_ALIASES,
    PLAN_BOLIGER,
    PLAN_FIELDS,
    PLAN_PLASSER,
    SERVICE,
    SERVICE_ALIASES,
    SERVICE_ANTALL,
    SERVICE_DATO,
    SERVICE_FIELDS,
    SERVICE_JANEI,
    SUPPRESSED,
    allowed_markers,
)

# The heading the template (and the long export) writes for each key column: its first alias.
KEY_HEADINGS = {k: aliases[0] for k, aliases in KEY_ALIASES.items()}
KEY_HELP = {
    "nummer": _("Kommunenummeret, fire sifre (3101). Et nummer som gjaldt det året, føres på kommunen slik "
                "den er i dag."),
    "navn": _("Kommunens navn. Står kommunenummeret også, må navnet høre til det. Uten kommunenummer finnes "
              "kommunen på navnet; et navn som finnes i flere fylker, trenger fylket."),
    "aar": _("Året tallene gjelder, fire sifre."),
    "fylke": _("Fylket kommunen ligger i. Brukes bare til å skille kommuner med samme navn."),
}
KEY_REQUIRED = {
    "nummer": _("Ja: kommunenummer eller kommune"),
    "navn": _("Ja: kommunenummer eller kommune"),
    "aar": _("Ja, hvis året ikke er oppgitt ved opplasting eller i tittelen over tabellen"),
    "fylke": _("Nei"),
}
# What a key column's cell holds (the year: the range the preview accepts, core.params).
KEY_VALUES = {"nummer": _("Fire sifre"), "aar": f"{MIN_AAR}–{MAX_AAR}"}
FIELD_HELP = {
    "anmodning": _("Antall personer IMDi har anmodet kommunen om å bosette i året."),
    "anmodning_ema": _("Herav enslige mindreårige (EMA) i anmodningen."),
    "anmodning_ema_under_15": _("Herav EMA under 15 år (bosettes av Bufetat)."),
    "anmodning_ema_15_18": _("Herav EMA mellom 15 og 18 år."),
    "vedtak": _("Antall personer kommunen har vedtatt å bosette i året."),
    "vedtak_ema": _("Herav enslige mindreårige i vedtaket."),
    "bosatt": _("Antall personer bosatt i kommunen i året."),
    "bosatt_ema": _("Herav enslige mindreårige blant de bosatte."),
    "bosatt_kollektiv": _("Herav personer med kollektiv beskyttelse (fra Ukraina) blant de bosatte."),
    "avtalt": _("Antall personer kommunen har avtalt å bosette, men som ikke er kommet ennå."),
    "avtalt_kollektiv": _("Herav personer med kollektiv beskyttelse i det avtalte."),
}
MARKER_MEANING = {
    SUPPRESSED: _("skjult av IMDi av personvernhensyn"),
    PENDING: _("kommunen har ikke gjort vedtak ennå"),
    NOT_REQUESTED: _("ikke anmodet: ingenting lagres"),
}


MARKER_CELLS = {SUPPRESSED: ("«:»", f"«{MARKER_TEXT[SUPPRESSED]}»"), PENDING: (f"«{MARKER_TEXT[PENDING]}»",),
                NOT_REQUESTED: ("«-»",)}


@dataclass(frozen=True)
class Kolonne:
    """One column of the long layout as the help shows it."""

    navn: str  # the heading the template writes
    betydning: str
    paakrevd: str
    verdier: list  # (cell texts, meaning)
    ogsaa: tuple = ()  # other headings read as this column
    merknad: str = ""  # the figure's marker column
    verdi: str = ""  # what a key column's cell holds


def key_columns():
    return [Kolonne(KEY_HEADINGS[k], KEY_HELP.get(k, ""), KEY_REQUIRED.get(k, ""), [],
                    tuple(a for a in KEY_ALIASES[k] if a != KEY_HEADINGS[k]), verdi=KEY_VALUES.get(k, ""))
            for k in KEY_ALIASES]


def figure_columns():
    out = []
    for f in FIELDS:
        values = [(", ".join(MARKER_CELLS[m]), MARKER_MEANING[m]) for m in allowed_markers(f)]
        out.append(Kolonne(f, FIELD_HELP.get(f, ""), _("Nei, men filen må ha minst én tallkolonne"), values,
                           tuple(a for a in FIELD_ALIASES.get(f, ()) if a != f), f"{f} {MARKER_SUFFIX}"))
    return out


def columns():
    """Every column of the long layout, key columns first, then the figures in their order."""
    return key_columns() + figure_columns()


# The settlement plan's columns (layouts.PLAN_FIELDS), one row of help for each kind: the twelve
# months read alike. Aliases are shown for January («plan januar», «plan 01» …).
PLAN_HELP = {
    "plasser": _("Plasser klare i måneden i kommunens bosettingsplan: hvor mange personer kommunen kan ta imot. "
                 "Endrer filen planen for et år, lagres det som en ny revisjon av planen, med deg som den som "
                 "endret."),
    "boliger": _("Boligene bak plassene i måneden (valgfritt). Krever plasser klare i samme måned."),
}
PLAN_VALUES = _("Hele tall fra 0; tom celle: ingen endring (ukjent, aldri 0). Ingen merknader.")


def plan_columns():
    """The plan's two kinds of column as the help shows them: «plan jan» … «plan des» and
    «boliger jan» … «boliger des»."""
    return [Kolonne(f"{cols[1]} … {cols[12]}", PLAN_HELP[kind], _("Nei"), [], tuple(PLAN_ALIASES[cols[1]]),
                    verdi=PLAN_VALUES)
            for kind, cols in (("plasser", PLAN_PLASSER), ("boliger", PLAN_BOLIGER))]


# The service-pressure columns (layouts.SERVICE), one row of help each.
SERVICE_HELP = {
    "introduksjonsprogram plasser": _("Plasser kommunen har i introduksjonsprogrammet i året."),
    "norskopplæring plasser": _("Plasser kommunen har i opplæringen i norsk og samfunnskunnskap i året."),
    "asylmottak": _("Om det er et asylmottak i kommunen i året."),
    "mottaksplasser": _("Plasser i asylmottaket. Bare når kommunen har et asylmottak."),
    "mottak åpnet": _("Datoen asylmottaket åpnet (ikke etter i dag). Bare når kommunen har et asylmottak."),
    "press helse": _("Fritekst: press på helsetjenestene (for eksempel fastlege, helsestasjon)."),
    "press barnevern": _("Fritekst: press på barnevernet."),
    "press transport": _("Fritekst: transport og bolig i distriktet."),
    "press annet": _("Fritekst: annet press på tjenestene."),
}
SERVICE_VALUES = {
    SERVICE_ANTALL: _("Hele tall fra 0; tom celle: ingen endring (ukjent, aldri 0). Ingen merknader."),
    SERVICE_JANEI: _("«ja» eller «nei»; tom celle: ingen endring (ukjent)."),
    SERVICE_DATO: _("Dato, dd.mm.åååå (eller åååå-mm-dd); tom celle: ingen endring."),
}
SERVICE_TEXT_VALUE = _("Tekst; tom celle: ingen endring. Står ikke i eksport for publisering.")


def service_columns():
    """The service-pressure columns as the help shows them."""
    return [Kolonne(f, SERVICE_HELP[f], _("Nei"), [], tuple(SERVICE_ALIASES.get(f, ())),
                    verdi=SERVICE_VALUES.get(kind, SERVICE_TEXT_VALUE))
            for f, (_attr, kind) in SERVICE.items()]


def ignored_columns():
    """Headings that are read but not imported: notes, and the long export's gaps (derived figures)
    with their marker columns."""
    return sorted(IGNORED), sorted(IGNORED_DERIVED)


def marker_texts():
    """The texts a marker column may hold (the long export's, read back)."""
    return [MARKER_TEXT[SUPPRESSED], MARKER_TEXT[PENDING]]


# --- the template --------------------------------------------------------------------------------

EXAMPLE_KOMMUNE = ("3101", "Halden")
# One row that imports as it stands: a breakdown never exceeds its whole; bosatt_kollektiv shows a marker.
EXAMPLE_FIGURES = {
    "anmodning": 40, "anmodning_ema": 4, "anmodning_ema_under_15": 1, "anmodning_ema_15_18": 3,
    "vedtak": 30, "vedtak_ema": 3, "bosatt": 12, "bosatt_ema": 2, "bosatt_kollektiv": Merknad(MARKER_TEXT[SUPPRESSED]),
    "avtalt": 20, "avtalt_kollektiv": 10,
}
# The example's plan: places ready in March and April, housing units behind March's.
EXAMPLE_PLAN = {PLAN_PLASSER[3]: 5, PLAN_BOLIGER[3]: 2, PLAN_PLASSER[4]: 4}
# The example's service pressure (its reception centre opened on 1 March the year before).
EXAMPLE_SERVICE = {"introduksjonsprogram plasser": 25, "norskopplæring plasser": 40, "asylmottak": "ja",
                   "mottaksplasser": 150, "press helse": "Fastlegelistene er fulle."}


def template_rows(year=None):
    """Headers and the example row of the template, as the long export writes them: key columns,
    then each figure followed by its «<figure> merknad» column (core.export.with_marker_columns),
    then the settlement plan's columns and last the service pressure's (no marker columns)."""
    year = year or timezone.localdate().year
    service = {**EXAMPLE_SERVICE, "mottak åpnet": datetime.date(year - 1, 3, 1)}
    headers = [KEY_HEADINGS["nummer"], KEY_HEADINGS["navn"], KEY_HEADINGS["aar"], *FIELDS, *PLAN_FIELDS,
               *SERVICE_FIELDS]
    row = [*EXAMPLE_KOMMUNE, year, *(EXAMPLE_FIGURES.get(f) for f in FIELDS),
           *(EXAMPLE_PLAN.get(f) for f in PLAN_FIELDS), *(service.get(f) for f in SERVICE_FIELDS)]
    return with_marker_columns(headers, [row], range(3, 3 + len(FIELDS)))


def template_title():
    return sheet_title("Importmal")
