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
    """A figure that may be unknown (None), exact, or a lower bound because cells were suppressed."""

    verdi: int | None = None
    skjulte: int = 0  # suppressed cells summed in as unknown

    @property
    def er_nedre_grense(self):
        return self.skjulte > 0

    def __add__(self, other):
        if not isinstance(other, Tall):
            other = Tall(other)
        if self.verdi is None and other.verdi is None:
            return Tall(None, self.skjulte + other.skjulte)
        return Tall((self.verdi or 0) + (other.verdi or 0), self.skjulte + other.skjulte)

    __radd__ = __add__


@dataclass
class Sak:
    """Everything the overview and the kommune page show about one kommune-year."""

    kommune: object
    aar: int
    anmodet: int | None = None
    anmodet_ema: int | None = None
    svarfrist: datetime.date | None = None
    vedtak: object | None = None
    vedtatt: int | None = None
    vedtatt_prikket: bool = False
    bosatt: Tall = field(default_factory=Tall)
    avventer: bool = False
    bosatt_kollektiv: Tall = field(default_factory=Tall)
    avtalt: Tall = field(default_factory=Tall)
    fylke: object | None = None  # the fylke the row is grouped under (today's for rolled-up rows)
    merknad: str = ""
    kilder: list = field(default_factory=list)  # the kommuner whose figures make up this row
    tall: dict = field(default_factory=dict)  # every FIGURER name -> Tall (suppressed and unknown kept)

    def status(self, today=None):
        today = today or datetime.date.today()
        if self.anmodet is None and self.vedtak is None:
            return SakStatus.IKKE_ANMODET
        if self.vedtatt is None and not self.vedtatt_prikket:
            if self.avventer:
                return SakStatus.AVVENTER
            if self.frist_ute(today):
                return SakStatus.VEDTAK_MANGLER
            return SakStatus.ANMODET
        if self.vedtatt == 0:
            return SakStatus.AVSLAATT
        bosatt = self.bosatt.verdi
        if self.vedtatt is not None and bosatt is not None and bosatt >= self.vedtatt and not self.bosatt.skjulte:
            return SakStatus.FULLFOERT
        if bosatt:
            return SakStatus.BOSETTING_PAAGAAR
        if self.anmodet is not None and self.vedtatt is not None and self.vedtatt < self.anmodet:
            return SakStatus.VEDTAK_DELVIS
        return SakStatus.VEDTAK_FULLT

    def frist_ute(self, today):
        """The request's deadline (the latest one) has passed and no decided number is known: no
        vedtak, or only a pending one. A suppressed number is a decision. (The status shows a
        pending vedtak as AVVENTER; the reminders remind it too.)"""
        return (self.svarfrist is not None and today > self.svarfrist
                and self.vedtatt is None and not self.vedtatt_prikket)

    @property
    def gap_anmodning_vedtak(self):
        if self.anmodet is None or self.vedtatt is None:
            return None
        return self.anmodet - self.vedtatt

    @property
    def gap_vedtak_bosatt(self):
        if self.vedtatt is None or self.bosatt.verdi is None:
            return None
        return self.vedtatt - self.bosatt.verdi

    @property
    def gap_anmodning_bosatt(self):
        if self.anmodet is None or self.bosatt.verdi is None:
            return None
        return self.anmodet - self.bosatt.verdi

    @property
    def andel_bosatt(self):
        """Settled as a share of vedtak (0–1+), None when it cannot be computed."""
        if not self.vedtatt or self.bosatt.verdi is None:
            return None
        return self.bosatt.verdi / self.vedtatt


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
