"""Year-end forecast of persons settled, and the back-test that states how far to trust it.

Pure functions, no database (rapporter.selectors feeds them the engine's figures).

- A year's *profile* is the cumulative share of the year's total settled by the end of each month
  (profile[t-1] = settled in months 1..t / settled in the whole year).
- *Point.* With S settled by the end of month t, the forecast is S / p(t), p the mean profile of
  earlier complete years: the kommune's own (*egen takt*) when it has at least EGEN_MIN_AAR complete
  earlier years with at least EGEN_MIN_BOSATT settled each, the national one otherwise (*nasjonal
  profil*). A county's, the selection's and the country's point is the sum of their kommuner's.
- *Unknown is not 0.* A suppressed (`:`) or missing settled count gives no number ("ukjent"); a sum
  with suppressed parts is a lower bound ("minst" the interval's lower end for the known parts).
- *Back-test.* Every complete earlier kommune-year is forecast from its own months 1..t and the
  profiles of the *other* years (leave one year out), as are the sums of those forecasts per fylke
  and for the country (the aggregate's own back-test, not a sum of kommune bounds).
- *Interval.* The ratio outcome / point of the back-tested forecasts, per size class of the point
  (kommuner: 0, 1–19, 20–99, 100–499, 500 and more, small classes merged; aggregates: one class of
  fylke and national sums). The stated interval is point × [10 %, 90 %] quantiles of the ratios;
  its coverage is measured leaving one year out (each year's outcomes against quantiles of the
  other years), and the interval is widened (quantile levels toward min/max, then scaled about
  the median) until that coverage is at least MAAL. The lower end is never below what is already
  settled, and the point always lies within (an error of 0 is within). A point of 0 has no ratio:
  its class states [0, the outcomes' upper quantile].
- *Plan (PLAN).* With the kommune's settlement plan (places ready per month), the point is what is
  settled through month t plus the planned places of months t+1..12; a month the plan leaves out
  counts what the profile expects of it (S / p(t) × (p(m) − p(m−1))), so a plan of some months
  only still gives a whole year. The back-test forecasts every kommune-year that had a plan at the
  cut-off (the plan as it stood at the end of month t, never a later revision) both ways
  (`Sammenligning`). The forecast follows the plan where one exists only when the back-test has
  at least MIN_ENHETER such kommune-years and the plan method's mean absolute error is no larger
  than the profile method's; with fewer it keeps the profile method and says so. The plan
  forecast's interval comes from its own back-tested rows (one class, calibrated as above); with
  too few it states none.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

MAAL = 0.8  # the stated interval should hold at least 80 % of back-tested outcomes
EGEN_MIN_AAR = 2  # complete earlier years a kommune needs for its own pace ...
EGEN_MIN_BOSATT = 24  # ... with at least this many settled in each (two a month)
KLASSER = (0, 1, 20, 100, 500)  # lower bounds of the kommune size classes (the point forecast)
MIN_ENHETER = 10  # back-tested forecasts a class needs; smaller classes join a neighbour
# Widening steps: (quantile level of the lower end, scale about the median).
STEG = ((0.10, 1.0), (0.075, 1.0), (0.05, 1.0), (0.025, 1.0), (0.0, 1.0), (0.0, 1.25), (0.0, 1.5), (0.0, 2.0),
        (0.0, 3.0), (0.0, 4.0))

EGEN, NASJONAL, BLANDET, PLAN = "egen", "nasjonal", "blandet", "plan"
KOMMUNE, FYLKE, LAND = "kommune", "fylke", "land"


def profil(maanedlig):
    """Cumulative share per month (12 floats) from {month: settled}; None if the year has no total."""
    total = sum(v or 0 for v in maanedlig.values())
    if not total:
        return None
    out, cum = [], 0
    for m in range(1, 13):
        cum += maanedlig.get(m) or 0
        out.append(cum / total)
    return out


def er_komplett(maanedlig):
    """A year can serve as a profile only when all twelve months are known."""
    return all(maanedlig.get(m) is not None for m in range(1, 13))


def snittprofil(profiler):
    """The month-by-month mean of profiles (None entries left out); None without any."""
    profiler = [p for p in profiler if p]
    if not profiler:
        return None
    return [sum(p[i] for p in profiler) / len(profiler) for i in range(12)]


def velg_profil(egne_aar, nasjonal, maaned, antall_nasjonale=0):
    """(profile, EGEN | NASJONAL, number of years) for a kommune: its own mean profile when it has
    EGEN_MIN_AAR complete earlier years with EGEN_MIN_BOSATT settled in each and had settled
    someone by `maaned` in them; otherwise the national profile."""
    egne = [m for m in egne_aar if er_komplett(m) and sum(m.values()) >= EGEN_MIN_BOSATT]
    if len(egne) >= EGEN_MIN_AAR:
        p = snittprofil([profil(m) for m in egne])
        if p and (not 1 <= maaned <= 11 or p[maaned - 1] > 0):
            return p, EGEN, len(egne)
    return nasjonal, NASJONAL, antall_nasjonale


def punktprognose(hittil, maaned, profil_):
    """S / p(t), rounded; None without a profile, a month, or a share above 0 by that month."""
    if hittil is None or profil_ is None or not 1 <= maaned <= 11 or profil_[maaned - 1] <= 0:
        return None
    return round(hittil / profil_[maaned - 1])


def planprognose(hittil, maaned, profil_, plan):
    """Settled through `maaned` plus the planned places of the months after it (`plan`: {month:
    plasser}); a month without a plan counts the profile's expectation for it. Rounded; None
    without a plan for a later month, or when an unplanned month needs a profile there is none of."""
    if hittil is None or not plan or not 1 <= maaned <= 11 or not any(m in plan for m in range(maaned + 1, 13)):
        return None
    rest = [m for m in range(maaned + 1, 13) if m not in plan]
    if rest and (profil_ is None or profil_[maaned - 1] <= 0):
        return None
    total = hittil / profil_[maaned - 1] if rest else 0
    forventet = sum(total * (profil_[m - 1] - profil_[m - 2]) for m in rest)
    return round(hittil + sum(plan[m] for m in range(maaned + 1, 13) if m in plan) + forventet)


# --- intervals ----------------------------------------------------------------------------------

def kvantil(verdier, q):
    """The q-quantile (0–1) of a non-empty list, linearly interpolated between order statistics."""
    v = sorted(verdier)
    pos = q * (len(v) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


@dataclass(frozen=True)
class Spenn:
    """How a point becomes a stated interval: factors of the point (`lav`, `hoy`), or for the
    class of point 0 (`additiv`) the numbers [0, hoy] themselves."""

    lav: float
    hoy: float
    additiv: bool = False

    def anvend(self, punkt, hittil):
        """(low, high) in whole persons: rounded outwards, never below `hittil`, the point within."""
        if self.additiv:
            lo, hi = 0, math.ceil(self.hoy - 1e-9)
        else:
            lo, hi = math.floor(punkt * self.lav + 1e-9), math.ceil(punkt * self.hoy - 1e-9)
        lo = max(min(lo, punkt), hittil or 0)
        return lo, max(hi, punkt, lo)


def _utfall(e, additiv):
    return e.faktisk if additiv else e.faktisk / e.punkt


def _tilpass(enheter, niva, skala, additiv):
    """The Spenn from back-tested forecasts: quantiles `niva` and 1 − `niva` of the outcome ratios
    (outcomes for the point-0 class), scaled by `skala` about the median."""
    v = [_utfall(e, additiv) for e in enheter]
    med, lo, hi = kvantil(v, 0.5), kvantil(v, niva), kvantil(v, 1 - niva)
    if additiv:
        return Spenn(0, hi * skala, additiv=True)
    return Spenn(max(med - skala * (med - lo), 0), med + skala * (hi - med))


def dekker(spenn, e):
    lo, hi = spenn.anvend(e.punkt, e.hittil)
    return lo <= e.faktisk <= hi


@dataclass
class Klasse:
    """One calibrated class: its bounds (`ovre` None: no upper bound), the stated Spenn (None:
    too few back-tested forecasts), the back-tested coverage leaving one year out, and errors."""

    nedre: int | None
    ovre: int | None
    niva: str = KOMMUNE  # KOMMUNE, or FYLKE for the aggregates' class (fylke and national sums)
    spenn: Spenn | None = None
    antall: int = 0  # back-tested forecasts
    dekket: int = 0  # ... whose outcome fell within the interval stated from the other years
    med_spenn: int = 0  # ... that had an interval stated (all of a calibrated class)
    aar: tuple = ()
    mae: float | None = None  # mean absolute error of the point, persons
    mape: float | None = None  # mean absolute error relative to the outcome (outcomes above 0)
    steg: int = 0  # how many widening steps it took (0: the plain 10–90 % quantiles)
    naadd: bool = False  # coverage reached MAAL

    @property
    def dekning(self):
        """The coverage of the stated interval: within / stated."""
        return self.dekket / self.med_spenn if self.med_spenn else None

    def inneholder(self, punkt):
        return (self.nedre is None or punkt >= self.nedre) and (self.ovre is None or punkt <= self.ovre)


def kalibrer_klasse(klasse, enheter, maal=MAAL):
    """Fill `klasse` from its back-tested forecasts (Tilbaketest rows) and set each row's stated
    interval (`lav`, `hoy`: from the other years' rows only). Returns the class."""
    additiv = klasse.ovre == 0
    enheter = [e for e in enheter if e.punkt is not None]
    aarene = sorted({e.aar for e in enheter})
    klasse.antall, klasse.aar = len(enheter), tuple(aarene)
    if enheter:
        klasse.mae = sum(abs(e.punkt - e.faktisk) for e in enheter) / len(enheter)
        rel = [abs(e.punkt - e.faktisk) / e.faktisk for e in enheter if e.faktisk]
        klasse.mape = sum(rel) / len(rel) if rel else None
    per_aar = defaultdict(list)
    for e in enheter:
        per_aar[e.aar].append(e)
    if len(enheter) < MIN_ENHETER or len(aarene) < 2:
        return klasse  # no interval: too little to say how wide it must be
    for i, (niva, skala) in enumerate(STEG):
        folds = {y: _tilpass([e for e in enheter if e.aar != y], niva, skala, additiv) for y in aarene}
        dekket = sum(dekker(folds[e.aar], e) for e in enheter)
        if dekket / len(enheter) >= maal or i == len(STEG) - 1:
            break
    klasse.dekket, klasse.med_spenn, klasse.steg = dekket, len(enheter), i
    klasse.naadd = dekket / len(enheter) >= maal
    klasse.spenn = _tilpass(enheter, niva, skala, additiv)
    for e in enheter:
        e.lav, e.hoy = folds[e.aar].anvend(e.punkt, e.hittil)
    return klasse


def _klasser(enheter):
    """The kommune size classes, each with enough back-tested forecasts: a class with fewer than
    MIN_ENHETER joins the next smaller one (the smallest, the next larger); the class of point 0
    stays on its own (its interval is of another kind)."""
    grenser = list(KLASSER[1:])
    ovre = [b - 1 for b in grenser[1:]] + [None]
    klasser = [Klasse(n, o) for n, o in zip(grenser, ovre, strict=True)]

    def antall(k):
        return sum(1 for e in enheter if e.punkt and k.inneholder(e.punkt))

    while len(klasser) > 1:
        liten = next((i for i in reversed(range(len(klasser))) if antall(klasser[i]) < MIN_ENHETER), None)
        if liten is None:
            break
        if liten > 0:
            klasser[liten - 1].ovre = klasser[liten].ovre
        else:
            klasser[1].nedre = klasser[0].nedre
        del klasser[liten]
    return [Klasse(0, 0), *klasser]


@dataclass
class Kalibrering:
    """The back-test at cut-off month `maaned`: its rows per level, the kommune classes and the
    aggregates' class, calibrated to MAAL. What the page and the README report."""

    maaned: int
    klasser: list
    samlet: Klasse
    rader: list  # every back-tested forecast (Tilbaketest), kommune, fylke and national
    maal: float = MAAL
    demo_aar: tuple = ()  # back-test years whose monthly rows are demo data
    min_samlet: int = 0  # the smallest back-tested aggregate's point
    egen_min_aar = EGEN_MIN_AAR  # for the page's method text
    egen_min_bosatt = EGEN_MIN_BOSATT
    plan: object = None  # Sammenligning: the plan method against the profile method

    @property
    def bruk_plan(self):
        return self.plan is not None and self.plan.bruk_plan

    def klasse_for(self, punkt, *, samlet=False):
        """The class a point forecast's interval comes from. An aggregate below the smallest
        back-tested aggregate takes the kommune class of its size (its errors are a kommune's
        more than a county's)."""
        if samlet and self.samlet.spenn is not None and punkt >= self.min_samlet:
            return self.samlet
        return next((k for k in self.klasser if k.inneholder(punkt)), None)

    @property
    def aar(self):
        return tuple(sorted({e.aar for e in self.rader}))

    def nivaa(self, niva):
        return [e for e in self.rader if e.niva == niva]

    def oppsummering(self, niva):
        """A Klasse summing the back-test of one level (KOMMUNE, FYLKE, LAND): every row counted,
        the coverage over those with a stated interval, the mean absolute error."""
        rows = self.nivaa(niva)
        stated = [e for e in rows if e.lav is not None]
        rel = [abs(e.avvik) / e.faktisk for e in rows if e.faktisk]
        return Klasse(None, None, niva=niva, antall=len(rows), med_spenn=len(stated),
                      dekket=sum(e.innenfor for e in stated), aar=self.aar,
                      mae=sum(abs(e.avvik) for e in rows) / len(rows) if rows else None,
                      mape=sum(rel) / len(rel) if rel else None)

    @property
    def kommuner(self):
        return self.oppsummering(KOMMUNE)

    @property
    def fylker(self):
        return self.oppsummering(FYLKE)

    @property
    def hele_landet(self):
        return self.oppsummering(LAND)

    @property
    def land(self):
        """The national back-tested years, oldest first."""
        return sorted(self.nivaa(LAND), key=lambda e: e.aar)


# --- back-test ----------------------------------------------------------------------------------

@dataclass
class Tilbaketest:
    """One back-tested forecast: a kommune-year (`navn` the kommune's id), a fylke-year (its number)
    or a national year (""), with the interval as it would have been stated (`lav`, `hoy`)."""

    aar: int
    hittil: int
    faktisk: int
    punkt: int | None
    niva: str = KOMMUNE
    navn: object = ""
    profil: str = NASJONAL
    lav: int | None = None
    hoy: int | None = None
    plan_punkt: int | None = None  # the plan method's point, for a kommune-year with a plan then

    @property
    def avvik(self):
        return None if self.punkt is None else self.punkt - self.faktisk

    @property
    def avvik_andel(self):
        return None if self.punkt is None or not self.faktisk else (self.punkt - self.faktisk) / self.faktisk

    @property
    def innenfor(self):
        return None if self.lav is None else self.lav <= self.faktisk <= self.hoy


def nasjonale_maaneder(maaneder):
    """{year: {month: settled}} for the country from {(kommune, year): {month: n | None}}."""
    out = defaultdict(dict)
    for (_k, y), months in maaneder.items():
        for m, v in months.items():
            out[y][m] = out[y].get(m, 0) + (v or 0)
    return dict(out)


def nasjonal_profil(nasjonal, unntatt=None):
    """(mean profile, number of years) of the complete national years, leaving out `unntatt`."""
    profiler = [profil(m) for y, m in sorted(nasjonal.items()) if y != unntatt and er_komplett(m)]
    profiler = [p for p in profiler if p]
    return snittprofil(profiler), len(profiler)


def tilbaketest(maaneder, fylke_av, maaned, planer=None):
    """Back-test the method at cut-off `maaned` on every complete kommune-year in `maaneder`
    ({(kommune id, year): {month: n | None}}), each from the other years' profiles only; plus
    the sums of those forecasts per fylke (`fylke_av`: kommune id → fylke number) and for the
    country. A kommune-year with a plan as it stood at the cut-off (`planer`: {(kommune id,
    year): {month: plasser}}) also gets the plan method's point (`plan_punkt`). Returns
    Tilbaketest rows, intervals not yet stated (see `kalibrer`)."""
    planer = planer or {}
    nasjonal = nasjonale_maaneder(maaneder)
    aarene = sorted(y for y, m in nasjonal.items() if er_komplett(m) and profil(m))
    per_kommune = defaultdict(dict)
    for (k, y), months in maaneder.items():
        if y in aarene:
            per_kommune[k][y] = months
    rows = []
    for y in aarene:
        nat, _n = nasjonal_profil({yy: nasjonal[yy] for yy in aarene}, unntatt=y)
        for k, years in sorted(per_kommune.items()):
            months = years.get(y)
            if months is None or not er_komplett(months):
                continue
            p, kilde, _ = velg_profil([m for yy, m in years.items() if yy != y], nat, maaned)
            hittil = sum(months[m] for m in range(1, maaned + 1))
            punkt = punktprognose(hittil, maaned, p)
            if punkt is not None:
                rows.append(Tilbaketest(y, hittil, sum(months.values()), punkt, KOMMUNE, k, kilde,
                                        plan_punkt=planprognose(hittil, maaned, p, planer.get((k, y)))))
    sums = defaultdict(lambda: [0, 0, 0, set()])
    for e in list(rows):
        for key in ((FYLKE, fylke_av.get(e.navn, ""), e.aar), (LAND, "", e.aar)):
            s = sums[key]
            s[0] += e.hittil
            s[1] += e.faktisk
            s[2] += e.punkt
            s[3].add(e.profil)
    for (niva, navn, y), (hittil, faktisk, punkt, kilder) in sorted(sums.items()):
        rows.append(Tilbaketest(y, hittil, faktisk, punkt, niva, navn, kilder.pop() if len(kilder) == 1 else BLANDET))
    return rows


@dataclass
class Sammenligning:
    """The back-test of the kommune-years that had a plan at the cut-off, forecast both ways:
    how many, each method's mean absolute error (persons) and mean absolute percentage error
    (outcomes above 0), the method the forecast uses, and the plan forecast's interval class."""

    antall: int = 0
    mae_profil: float | None = None
    mae_plan: float | None = None
    mape_profil: float | None = None
    mape_plan: float | None = None
    aar: tuple = ()
    klasse: Klasse | None = None  # the plan forecasts' own calibrated class
    min_antall: int = MIN_ENHETER

    @property
    def nok(self):
        """Enough plan years to say which method is better."""
        return self.antall >= self.min_antall

    @property
    def plan_bedre(self):
        """The plan method is at least as accurate (None: too few plan years to say)."""
        return self.mae_plan <= self.mae_profil if self.nok else None

    @property
    def bruk_plan(self):
        return bool(self.plan_bedre)


def _feil(par):
    """(mean absolute error, mean absolute percentage error) of (point, outcome) pairs."""
    if not par:
        return None, None
    rel = [abs(p - f) / f for p, f in par if f]
    return sum(abs(p - f) for p, f in par) / len(par), (sum(rel) / len(rel) if rel else None)


def sammenlign(rader, maal=MAAL):
    """Sammenligning of the back-tested kommune rows with a plan point, and the plan forecasts'
    interval class (calibrated on their own rows; no interval with too few)."""
    med_plan = [e for e in rader if e.niva == KOMMUNE and e.plan_punkt is not None]
    s = Sammenligning(antall=len(med_plan), aar=tuple(sorted({e.aar for e in med_plan})))
    s.mae_profil, s.mape_profil = _feil([(e.punkt, e.faktisk) for e in med_plan])
    s.mae_plan, s.mape_plan = _feil([(e.plan_punkt, e.faktisk) for e in med_plan])
    # The interval is a ratio outcome / point, so it is calibrated on (and stated for) points
    # above 0 only; a plan point of 0 gets no interval (a ratio to 0 has no meaning).
    kopier = [Tilbaketest(e.aar, e.hittil, e.faktisk, e.plan_punkt, KOMMUNE, e.navn, PLAN) for e in med_plan
              if e.plan_punkt > 0]
    s.klasse = kalibrer_klasse(Klasse(1, None), kopier, maal)
    return s


def kalibrer(rader, maaned, maal=MAAL, demo_aar=()):
    """Calibrate the kommune classes and the aggregates' class on back-test rows (`tilbaketest`),
    stating each row's interval from the other years, and compare the plan method (`sammenlign`)."""
    kommuner = [e for e in rader if e.niva == KOMMUNE]
    klasser = [kalibrer_klasse(k, [e for e in kommuner if k.inneholder(e.punkt)], maal) for k in _klasser(kommuner)]
    samlet = kalibrer_klasse(Klasse(None, None, niva=FYLKE), [e for e in rader if e.niva != KOMMUNE], maal)
    aar = {e.aar for e in rader}
    min_samlet = min((e.punkt for e in rader if e.niva != KOMMUNE), default=0)
    return Kalibrering(maaned, klasser, samlet, rader, maal, tuple(sorted(aar & set(demo_aar))), min_samlet,
                       plan=sammenlign(rader, maal))


# --- this year's forecast -------------------------------------------------------------------------

@dataclass(frozen=True)
class Prognose:
    hittil: int | None  # settled so far, the known part (None: unknown)
    maaned: int  # last month counted (0 = none yet)
    punkt: int | None  # expected total at year end
    lav: int | None
    hoy: int | None
    antall_profiler: int = 0
    nedre_grense: bool = False  # suppressed parts: only «minst `lav`» is honest
    profil: str = ""  # EGEN, NASJONAL, or BLANDET for a sum
    klasse: object = None  # the Klasse the interval comes from
    antall_skjulte: int = 0  # kommuner (or cells) whose settled count IMDi suppressed

    @property
    def har_prognose(self):
        return self.punkt is not None

    @property
    def ukjent(self):
        """Settled so far is unknown (suppressed or not reported): no number at all."""
        return self.hittil is None

    @property
    def har_spenn(self):
        return self.lav is not None


def prognose(hittil, maaned, profil_, kalibrering=None, *, skjulte=0, kilde=NASJONAL, antall_profiler=0):
    """One kommune's year-end forecast from `hittil` settled through `maaned` (the known part;
    None when unknown) and `skjulte` suppressed cells, with its profile and calibration.

    Unknown settled gives no number; no profile or month gives no forecast; no calibrated class
    gives a point without an interval. A finished year is its outcome."""
    if hittil is None:
        return Prognose(None, maaned, None, None, None, nedre_grense=skjulte > 0, antall_skjulte=skjulte)
    if maaned >= 12:
        return Prognose(hittil, 12, hittil, hittil, hittil, antall_profiler, skjulte > 0, kilde,
                        antall_skjulte=skjulte)
    punkt = punktprognose(hittil, maaned, profil_)
    if punkt is None:
        return Prognose(hittil, maaned, None, None, None, nedre_grense=skjulte > 0, antall_skjulte=skjulte)
    klasse = kalibrering.klasse_for(punkt) if kalibrering else None
    lav, hoy = klasse.spenn.anvend(punkt, hittil) if klasse and klasse.spenn else (None, None)
    return Prognose(hittil, maaned, punkt, lav, hoy, antall_profiler, skjulte > 0, kilde, klasse, skjulte)


def prognose_med_plan(hittil, maaned, profil_, plan, kalibrering, *, skjulte=0, kilde=NASJONAL,
                      antall_profiler=0):
    """A kommune's forecast: by its plan (`planprognose`, profil PLAN) when the back-test chose the
    plan method (`Kalibrering.bruk_plan`) and the kommune has a plan for a month still to come,
    with the plan forecasts' own interval; otherwise `prognose` (the profile method)."""
    punkt = planprognose(hittil, maaned, profil_, plan) if kalibrering and kalibrering.bruk_plan else None
    if punkt is None or maaned >= 12:
        return prognose(hittil, maaned, profil_, kalibrering, skjulte=skjulte, kilde=kilde,
                        antall_profiler=antall_profiler)
    klasse = kalibrering.plan.klasse if punkt > 0 else None
    lav, hoy = klasse.spenn.anvend(punkt, hittil) if klasse and klasse.spenn else (None, None)
    return Prognose(hittil, maaned, punkt, lav, hoy, antall_profiler, skjulte > 0, PLAN, klasse, skjulte)


def samlet_prognose(deler, maaned, kalibrering=None):
    """The forecast of a sum of kommuner (a fylke, a selection, the country) from theirs: settled
    so far and the point are the sums of the known parts; the interval is the aggregates' own
    back-tested one (not the sum of the kommuner's bounds); suppressed parts make it a lower bound.
    One kommune's sum is that kommune's forecast."""
    deler = list(deler)
    if len(deler) == 1:
        return deler[0]
    kjente = [p for p in deler if p.hittil is not None]
    skjulte = sum(p.antall_skjulte for p in deler)
    if not kjente:
        return Prognose(None, maaned, None, None, None, nedre_grense=skjulte > 0, antall_skjulte=skjulte)
    hittil = sum(p.hittil for p in kjente)
    kilder = {p.profil for p in kjente}
    kilde = kilder.pop() if len(kilder) == 1 else BLANDET
    n = max(p.antall_profiler for p in kjente)
    if maaned >= 12:
        return Prognose(hittil, 12, hittil, hittil, hittil, n, skjulte > 0, kilde, antall_skjulte=skjulte)
    if any(p.punkt is None for p in kjente):
        return Prognose(hittil, maaned, None, None, None, nedre_grense=skjulte > 0, antall_skjulte=skjulte)
    punkt = sum(p.punkt for p in kjente)
    klasse = kalibrering.klasse_for(punkt, samlet=True) if kalibrering else None
    lav, hoy = klasse.spenn.anvend(punkt, hittil) if klasse and klasse.spenn else (None, None)
    return Prognose(hittil, maaned, punkt, lav, hoy, n, skjulte > 0, kilde, klasse, skjulte)


def ekstra_vedtaksplasser(behov, vedtatt):
    """Places still to be decided to reach the national need (0 when decisions already cover it)."""
    if behov is None or vedtatt is None:
        return None
    return max(behov - vedtatt, 0)


def forventet_mangel(behov, prognose_):
    """How far the expected settled total falls short of the need (negative: above it); None
    when there is no forecast. With suppressed parts (`nedre_grense`) it is an upper bound."""
    if behov is None or not prognose_.har_prognose:
        return None
    return behov - prognose_.punkt
