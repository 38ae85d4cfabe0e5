"""Year-end forecast of persons settled, from this year's pace and earlier years' monthly profiles.

Method (pure functions, no database):
- An earlier year's *profile* is the cumulative share of that year's total settled by the end of
  each month (profile[t-1] = settled in months 1..t / settled in the whole year).
- With S settled by the end of month t this year, each earlier year y gives an estimate S / p_y(t).
  The point forecast divides by the mean share over the earlier years; the range is the lowest and
  highest estimate, i.e. "if this year follows the slowest / fastest year we have seen".
- One national set of profiles is used for every kommune (a kommune's own months are too few and
  too noisy); because the estimate is linear in S, kommune forecasts add up to the county and the
  national forecast.
- The back-test repeats the method for each past year with full monthly data, using only the
  other years' profiles (leave-one-out) and the same cut-off month, and compares with the outcome.
"""

from dataclasses import dataclass


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


@dataclass(frozen=True)
class Prognose:
    hittil: int  # settled so far (through month `maaned`)
    maaned: int  # last month counted (0 = none yet)
    punkt: int | None  # expected total at year end
    lav: int | None
    hoy: int | None
    antall_profiler: int = 0

    @property
    def har_prognose(self):
        return self.punkt is not None


def prognose(hittil, maaned, profiler):
    """Expected year-end total from `hittil` settled through `maaned` (1–12) and earlier profiles.

    No profile, or no month yet, gives no forecast (None), never a guess. A profile whose share by
    `maaned` is 0 (nothing settled that early that year) cannot scale this year's figure and is
    left out.
    """
    if maaned >= 12:
        return Prognose(hittil, 12, hittil, hittil, hittil, len(profiler))
    shares = [p[maaned - 1] for p in profiler if p and maaned >= 1 and p[maaned - 1] > 0]
    if not shares or hittil is None:
        return Prognose(hittil or 0, maaned, None, None, None, 0)
    mean = sum(shares) / len(shares)
    estimates = [hittil / s for s in shares]
    return Prognose(hittil, maaned, round(hittil / mean), round(min(estimates)), round(max(estimates)), len(shares))


@dataclass(frozen=True)
class Tilbaketest:
    aar: int
    hittil: int
    faktisk: int
    punkt: int | None
    lav: int | None
    hoy: int | None

    @property
    def avvik(self):
        return None if self.punkt is None else self.punkt - self.faktisk

    @property
    def avvik_andel(self):
        return None if self.punkt is None or not self.faktisk else (self.punkt - self.faktisk) / self.faktisk

    @property
    def innenfor(self):
        return None if self.lav is None else self.lav <= self.faktisk <= self.hoy


def tilbaketest(aarsdata, maaned):
    """For each complete past year: forecast it from its own months 1..`maaned` and the other
    years' profiles, next to what was actually settled. `aarsdata` = {year: {month: settled}}."""
    complete = {y: m for y, m in aarsdata.items() if er_komplett(m) and profil(m)}
    rows = []
    for y in sorted(complete):
        others = [profil(m) for yy, m in complete.items() if yy != y]
        months = complete[y]
        hittil = sum(months[m] or 0 for m in range(1, maaned + 1))
        p = prognose(hittil, maaned, others)
        rows.append(Tilbaketest(y, hittil, sum(v or 0 for v in months.values()), p.punkt, p.lav, p.hoy))
    return rows


def ekstra_vedtaksplasser(behov, vedtatt):
    """Places still to be decided to reach the national need (0 when decisions already cover it)."""
    if behov is None or vedtatt is None:
        return None
    return max(behov - vedtatt, 0)


def forventet_mangel(behov, prognose_):
    """How far the expected settled total falls short of the need (negative: above it)."""
    if behov is None or not prognose_.har_prognose:
        return None
    return behov - prognose_.punkt
