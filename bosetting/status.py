"""The derived state of a kommune-year, written once: the yearly figures (FIGURER), the year's
settled count, status and gaps. Every reader gets them from a `Sak` (bosetting.selectors builds
them; the agreement's own rules are vedtak.rules).

Pure functions over already-fetched rows, so pages can compute it for every kommune from a
constant number of queries.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .choices import SakStatus


@dataclass(frozen=True)
class Figur:
    """One yearly figure of a kommune-year: its name in imports and exports, its label, the row
    it is read from (anmodning: the request in force; vedtak: the vedtak in force; bosatt: the
    year's settled rows) and the model field."""

    navn: str
    label: str
    kilde: str
    felt: str


FIGURER = (
    Figur("anmodning", _("Anmodning"), "anmodning", "antall"),
    Figur("anmodning_ema", _("Anmodning EMA"), "anmodning", "herav_ema"),
    Figur("anmodning_ema_under_15", _("Anmodning EMA under 15"), "anmodning", "ema_under_15"),
    Figur("anmodning_ema_15_18", _("Anmodning EMA 15–18"), "anmodning", "ema_15_18"),
    Figur("vedtak", _("Vedtak"), "vedtak", "antall"),
    Figur("vedtak_ema", _("Vedtak EMA"), "vedtak", "herav_ema"),
    Figur("bosatt", _("Bosatt"), "bosatt", "antall"),
    Figur("bosatt_ema", _("Bosatt EMA"), "bosatt", "herav_ema"),
    Figur("bosatt_kollektiv", _("Bosatt kollektiv beskyttelse"), "bosatt", "herav_kollektiv"),
    Figur("avtalt", _("Avtalt"), "bosatt", "avtalt"),
    Figur("avtalt_kollektiv", _("Avtalt kollektiv beskyttelse"), "bosatt", "avtalt_kollektiv"),
)
FIGUR = {f.navn: f for f in FIGURER}
HELE_AARET = 0  # Bosatt.maaned of a whole-year row


@dataclass
class Tall:
    """A figure that may be unknown (None), exact, or a lower bound because cells were suppressed.
    `ovre`: the hidden cells make it an upper bound instead (a gap with a lower-bound figure
    subtracted: «behov − vedtak» when some vedtak are hidden)."""

    verdi: int | None = None
    skjulte: int = 0  # suppressed cells summed in as unknown
    ovre: bool = False

    @property
    def er_nedre_grense(self):
        return self.skjulte > 0 and not self.ovre

    @property
    def eksakt(self):
        """The value when it is known exactly, else None."""
        return None if self.skjulte else self.verdi

    def __add__(self, other):
        if not isinstance(other, Tall):
            other = Tall(other)
        if self.verdi is None and other.verdi is None:
            return Tall(None, self.skjulte + other.skjulte)
        return Tall((self.verdi or 0) + (other.verdi or 0), self.skjulte + other.skjulte)

    __radd__ = __add__


def aaret_er_over(aar, today):
    """The kommune-year is over: today is after 31 December of that year."""
    return today > datetime.date(aar, 12, 31)


def _fmt(n):
    return f"{n:,}".replace(",", "\u00a0")


# --- the gaps --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Gap:
    """One gap between two figures, defined once: its name in exports (`navn`, also the Sak's and
    the overview row's attribute `gap_<navn>`), the name a reader sees (`tittel`), the formula, the
    definition (shown on «Slik regner vi»), and the two exactly known figures of a Sak it subtracts
    (`fra` − `minus`; None for the national need, which is not a kommune's figure).

    For one kommune the gap is `fra − minus` (negative: the kommune is above). For a group of
    kommuner (a fylke, an office, the country) it is the sum over the kommuner that are below,
    so a kommune above does not hide another's shortfall. A kommune whose figure is unknown is
    left out; one whose figure IMDi has hidden makes the sum a lower bound («≥ N (k skjult)»)."""

    navn: str
    tittel: str
    formel: str
    definisjon: str
    fra: str | None
    minus: str
    kun_nasjonal: bool = False

    @property
    def attr(self):
        return f"gap_{self.navn}"

    def for_sak(self, sak):
        """The kommune-year's gap as a Tall: exact (may be negative), hidden (a figure is
        suppressed: one hidden cell) or unknown."""
        if self.kun_nasjonal:
            raise ValueError(f"{self.navn} is a national gap, not a kommune's")
        a, b = _EKSAKT[self.fra](sak), _EKSAKT[self.minus](sak)
        if a is not None and b is not None:
            return Tall(a - b)
        # Both figures exist but one (at least) is hidden: the gap is hidden, not unknown.
        if (a is not None or _SKJULT[self.fra](sak)) and (b is not None or _SKJULT[self.minus](sak)):
            return Tall(None, 1)
        return Tall()

    def samlet(self, verdier):
        """The gap of a group from its kommuner's gaps (Tall): the sum of those that are below."""
        sum_, skjulte, kjent = 0, 0, False
        for t in verdier:
            skjulte += t.skjulte
            if t.verdi is not None and not t.skjulte:
                kjent = True
                sum_ += max(t.verdi, 0)
        return Tall(sum_ if kjent else None, skjulte)


_EKSAKT = {"anmodet": lambda s: s.anmodet, "vedtatt": lambda s: s.vedtatt_eksakt,
           "bosatt": lambda s: s.bosatt_eksakt}
_SKJULT = {"anmodet": lambda s: False, "vedtatt": lambda s: s.vedtatt_prikket,
           "bosatt": lambda s: bool(s.bosatt.skjulte)}

GAP = (
    Gap("behov_vedtak", _("Behov, ikke vedtatt"), _("Nasjonalt behov − vedtak"),
        _("Det nasjonale bosettingsbehovet for året minus summen av vedtakene i alle kommuner. Finnes bare "
          "for hele landet. Et negativt tall betyr at kommunene har vedtatt flere plasser enn behovet. Er "
          "noen vedtak skjult, er tallet en øvre grense («≤ N»)."),
        None, "vedtatt", kun_nasjonal=True),
    Gap("anmodning_vedtak", _("Anmodet, ikke vedtatt"), _("Anmodning − vedtak"),
        _("For én kommune: anmodningen minus vedtaket (negativt: kommunen har vedtatt flere enn anmodet). "
          "For et fylke, et embete eller hele landet: summen over kommunene som har vedtatt færre enn "
          "anmodet; kommuner som har vedtatt flere, trekkes ikke fra. Kommuner uten vedtak er ikke med "
          "(de har status «Anmodet», «Avventer vedtak» eller «Vedtak mangler»)."),
        "anmodet", "vedtatt"),
    Gap("vedtak_bosatt", _("Vedtatt, ikke bosatt"), _("Vedtak − bosatt"),
        _("For én kommune: vedtaket minus antall bosatte i året (negativt: kommunen har bosatt flere enn "
          "vedtatt). For et fylke, et embete eller hele landet: summen over kommunene som har bosatt færre "
          "enn vedtatt. Kommuner uten vedtak eller uten registrerte bosatte er ikke med."),
        "vedtatt", "bosatt"),
    Gap("anmodning_bosatt", _("Anmodet, ikke bosatt"), _("Anmodning − bosatt"),
        _("For én kommune: anmodningen minus antall bosatte i året (negativt: kommunen har bosatt flere enn "
          "anmodet). For et fylke, et embete eller hele landet: summen over kommunene som har bosatt færre "
          "enn anmodet. Kommuner uten anmodning eller uten registrerte bosatte er ikke med."),
        "anmodet", "bosatt"),
)
GAP_FOR = {g.navn: g for g in GAP}
KOMMUNE_GAP = tuple(g for g in GAP if not g.kun_nasjonal)
GAP_FELLES = _("Er et tall skjult av IMDi, står det «skjult», og gapet for kommunen er skjult. En sum der det "
               "inngår, er en nedre grense («≥ N (k skjult)»): N er summen av det som er kjent, og de skjulte kan "
               "bare legge til, fordi et fylkes eller landets gap bare summerer kommuner som ligger under (ingen "
               "kommune trekker fra). Et ukjent tall regnes aldri som 0.")


def behov_vedtak(behov, vedtatt):
    """The national need minus the country's vedtak (a Tall, summed over every kommune): unknown
    if either is; an upper bound when some vedtak are hidden (the sum is then a lower bound)."""
    if behov is None or vedtatt.verdi is None:
        return Tall()
    return Tall(behov - vedtatt.verdi, vedtatt.skjulte, ovre=bool(vedtatt.skjulte))


# --- the statuses ----------------------------------------------------------------------------

FOER_AARSSLUTT = _("Før året er over")
ETTER_AARSSLUTT = _("Når året er over")
HELE_TIDEN = _("Hele tiden")


@dataclass(frozen=True)
class Statusregel:
    """One status and when it holds. Sak.status() takes the first rule that holds, in the order of
    STATUSREGLER; «Slik regner vi» lists the same rules in the same order."""

    status: SakStatus
    naar: str  # HELE_TIDEN, FOER_AARSSLUTT or ETTER_AARSSLUTT
    regel: str
    gjelder: object  # (sak, today) -> bool, with the year-phase already checked

    def holder(self, sak, today, over):
        if (self.naar is FOER_AARSSLUTT and over) or (self.naar is ETTER_AARSSLUTT and not over):
            return False
        return self.gjelder(sak, today)


def _dekket(s, today):
    return bool(s.anmodet) and s.bosatt_eksakt is not None and s.bosatt_eksakt >= s.anmodet


def _etter_vedtak(s, today):
    v = s.vedtatt_eksakt
    return bool(v) and s.bosatt_eksakt is not None and s.bosatt_eksakt >= v


STATUSREGLER = (
    Statusregel(SakStatus.IKKE_ANMODET, HELE_TIDEN, _("Ingen anmodning og ingen vedtak for året."),
                lambda s, t: s.anmodet is None and s.uten_vedtak and not s.avventer),
    Statusregel(SakStatus.AVSLAATT, HELE_TIDEN, _("Vedtaket er 0: kommunen har sagt nei."),
                lambda s, t: s.vedtatt_eksakt == 0),
    Statusregel(SakStatus.VEDTAK_MANGLER, ETTER_AARSSLUTT,
                _("Året er over uten at et vedtak med antall er registrert (også når vedtaket var meldt "
                  "som «avventer»)."),
                lambda s, t: s.uten_vedtak),
    Statusregel(SakStatus.AVVENTER, FOER_AARSSLUTT, _("Kommunen har meldt at vedtaket avventer."),
                lambda s, t: s.uten_vedtak and s.avventer),
    Statusregel(SakStatus.VEDTAK_MANGLER, FOER_AARSSLUTT,
                _("Svarfristen i anmodningen er ute, og ingen vedtak er registrert."),
                lambda s, t: s.frist_ute(t)),
    Statusregel(SakStatus.ANMODET, FOER_AARSSLUTT,
                _("Anmodet, men ikke vedtatt ennå, og svarfristen er ikke ute (eller ikke registrert)."),
                lambda s, t: s.uten_vedtak),
    Statusregel(SakStatus.ANMODNING_DEKKET, HELE_TIDEN,
                _("Vedtak fattet, og kommunen har bosatt minst så mange som anmodet. Et antall bosatte med "
                  "skjulte tall regnes aldri som nådd."),
                _dekket),
    Statusregel(SakStatus.BOSATT_ETTER_VEDTAK, HELE_TIDEN,
                _("Kommunen har bosatt minst så mange som vedtatt, men vedtaket var lavere enn anmodningen "
                  "(eller det finnes ingen anmodning), så anmodningen er ikke dekket. Et antall bosatte med "
                  "skjulte tall regnes aldri som nådd."),
                _etter_vedtak),
    Statusregel(SakStatus.IKKE_NAADD, ETTER_AARSSLUTT,
                _("Året er over, og kommunen bosatte færre enn vedtatt (for eksempel «Ikke nådd: 12 av 20 "
                  "bosatt»)."),
                lambda s, t: bool(s.vedtatt_eksakt) and s.bosatt_eksakt is not None),
    Statusregel(SakStatus.UAVKLART, ETTER_AARSSLUTT,
                _("Året er over, men vedtaket eller antall bosatte er skjult av IMDi eller ikke registrert, så "
                  "vi kan ikke si om vedtaket ble nådd."),
                lambda s, t: True),
    Statusregel(SakStatus.BOSETTING_PAAGAAR, FOER_AARSSLUTT,
                _("Vedtak fattet og minst én bosatt, men færre enn vedtatt."),
                lambda s, t: bool(s.bosatt.verdi)),
    Statusregel(SakStatus.VEDTAK_FATTET, FOER_AARSSLUTT,
                _("Vedtak fattet, ingen bosatt ennå, og vedtaket kan ikke sammenlignes med anmodningen: "
                  "antallet er skjult, eller det finnes ingen anmodning."),
                lambda s, t: s.vedtatt_eksakt is None or s.anmodet is None),
    Statusregel(SakStatus.VEDTAK_DELVIS, FOER_AARSSLUTT,
                _("Vedtaket er lavere enn anmodningen, og ingen er bosatt ennå."),
                lambda s, t: s.vedtatt_eksakt < s.anmodet),
    Statusregel(SakStatus.VEDTAK_FULLT, FOER_AARSSLUTT,
                _("Vedtaket er minst like stort som anmodningen, og ingen er bosatt ennå."),
                lambda s, t: True),
)


@dataclass
class Sak:
    """Everything the overview and the kommune page show about one kommune-year."""

    kommune: object
    aar: int
    anmodet: int | None = None
    anmodet_ema: int | None = None
    svarfrist: datetime.date | None = None
    vedtak: object | None = None
    vedtatt: int | None = None  # summed over source kommuner; a lower bound if vedtatt_prikket
    vedtatt_prikket: bool = False
    bosatt: Tall = field(default_factory=Tall)
    avventer: bool = False
    bosatt_kollektiv: Tall = field(default_factory=Tall)
    avtalt: Tall = field(default_factory=Tall)
    fylke: object | None = None  # the fylke the row is grouped under (today's for rolled-up rows)
    merknad: str = ""
    kilder: list = field(default_factory=list)  # the kommuner whose figures make up this row
    tall: dict = field(default_factory=dict)  # every FIGURER name -> Tall (suppressed and unknown kept)

    @property
    def uten_vedtak(self):
        """No decided number: no vedtak, or only a pending one (a suppressed number is a decision)."""
        return self.vedtatt is None and not self.vedtatt_prikket

    @property
    def vedtatt_eksakt(self):
        return None if self.vedtatt_prikket else self.vedtatt

    @property
    def bosatt_eksakt(self):
        return self.bosatt.eksakt

    def statusregel(self, today=None):
        today = today or datetime.date.today()
        over = aaret_er_over(self.aar, today)
        for r in STATUSREGLER:
            if r.holder(self, today, over):
                return r
        raise AssertionError("the last rule before and after the year's end always holds")

    def status(self, today=None):
        return self.statusregel(today).status

    def status_tekst(self, today=None):
        """The status as a reader sees it, with the figures where they tell the story
        («Ikke nådd: 12 av 20 bosatt»)."""
        status = self.status(today)
        b, v = self.bosatt.verdi, self.vedtatt
        if status == SakStatus.IKKE_NAADD:
            return _("Ikke nådd: %(b)s av %(v)s bosatt") % {"b": _fmt(b), "v": _fmt(v)}
        if status == SakStatus.BOSATT_ETTER_VEDTAK:
            if self.anmodet is None:
                return _("Bosatt etter vedtak: %(b)s av %(v)s") % {"b": _fmt(b), "v": _fmt(v)}
            return _("Bosatt etter vedtak: %(b)s av %(v)s (anmodet %(a)s)") % {
                "b": _fmt(b), "v": _fmt(v), "a": _fmt(self.anmodet)}
        if status == SakStatus.UAVKLART:
            if self.vedtatt_prikket:
                return _("Uavklart: vedtaket er skjult")
            if self.bosatt.skjulte:
                return _("Uavklart: minst %(b)s av %(v)s bosatt (skjulte tall)") % {"b": _fmt(b or 0), "v": _fmt(v)}
            return _("Uavklart: antall bosatte er ikke registrert (vedtak %(v)s)") % {"v": _fmt(v)}
        return str(status.label)

    def frist_ute(self, today):
        """The request's deadline (the latest one) has passed and no decided number is known: no
        vedtak, or only a pending one. A suppressed number is a decision. (The status shows a
        pending vedtak as AVVENTER; the reminders remind it too.)"""
        return self.svarfrist is not None and today > self.svarfrist and self.uten_vedtak

    def gap(self, navn):
        """The kommune-year's gap (GAP_FOR[navn]) as a Tall: exact, hidden or unknown."""
        return GAP_FOR[navn].for_sak(self)

    @property
    def gap_anmodning_vedtak(self):
        return self.gap("anmodning_vedtak").eksakt

    @property
    def gap_vedtak_bosatt(self):
        return self.gap("vedtak_bosatt").eksakt

    @property
    def gap_anmodning_bosatt(self):
        return self.gap("anmodning_bosatt").eksakt

    @property
    def andel_bosatt(self):
        """Settled as a share of vedtak (0–1+), None when it cannot be computed."""
        v = self.vedtatt_eksakt
        if not v or self.bosatt.verdi is None:
            return None
        return self.bosatt.verdi / v


def celle(row, felt):
    """One cell as a Tall: suppressed (`:`) counts as one hidden cell, blank is unknown."""
    if row.er_prikket(felt):
        return Tall(None, 1)
    return Tall(getattr(row, felt))


def bosatt_aarstall(rows, felt="antall"):
    """The year's settled figure from a kommune-year's Bosatt rows: the whole-year row (maaned 0)
    if there is one, else the sum of the monthly rows (a suppressed month is a hidden cell)."""
    rows = list(rows)
    for r in rows:
        if r.maaned == HELE_AARET:
            return celle(r, felt)
    # Summed by hand (not Tall + Tall): the overview does this ~15 000 times per page.
    verdi, skjulte = None, 0
    for r in rows:
        if r.er_prikket(felt):
            skjulte += 1
        else:
            v = getattr(r, felt)
            if v is not None:
                verdi = (verdi or 0) + v
    return Tall(verdi, skjulte)


# --- the plan against what was settled -------------------------------------------------------

@dataclass(frozen=True)
class PlanMotBosatt:
    """Settled against the settlement plan over the plan's months up to a month: `planlagt` the
    places planned, `bosatt` the persons settled in those same months (a month the plan does not
    cover counts on neither side, so a plan made in May is not held against January)."""

    til_maaned: int
    planlagt: int
    bosatt: int

    @property
    def etter(self):
        """Persons behind the plan (negative: ahead of it)."""
        return self.planlagt - self.bosatt

    @property
    def andel_bak(self):
        """The share behind the plan (0.25: a quarter behind); None when nothing was planned."""
        return self.etter / self.planlagt if self.planlagt else None


def plan_til_maaned(aar, today):
    """The last month of `aar` a plan is held against on `today`: the months that are over (the
    whole year once it is past, none in a year not begun)."""
    return 12 if aar < today.year else today.month - 1 if aar == today.year else 0


def plan_mot_bosatt(plan, bosatt, til_maaned):
    """Settled against the plan through `til_maaned` (`plan`: {month: places}; `bosatt`: {month:
    settled, None when unknown or suppressed}). None when the plan covers none of those months, or
    a month it covers has no settled figure or a hidden one: an unknown month is not 0."""
    maaneder = [m for m in sorted(plan) if 1 <= m <= til_maaned and plan[m] is not None]
    if not maaneder or any(bosatt.get(m) is None for m in maaneder):
        return None
    return PlanMotBosatt(til_maaned, sum(plan[m] for m in maaneder), sum(bosatt[m] for m in maaneder))
