"""The derived state of a kommune-year: current request, current vedtak, settled, status and gaps.

Pure functions over already-fetched rows, so pages can compute it for every kommune from a
constant number of queries.
"""

import datetime
from dataclasses import dataclass, field

from vedtak.choices import AnmodningType

from .choices import SakStatus


def request_in_force(anmodninger):
    """IMDi's current number for a kommune-year: adjusted replaces, supplementary adds.

    `anmodninger` in the order they were sent. Returns (total, ema) — None where unknown.
    """
    total = ema = None
    for a in sorted(anmodninger, key=lambda a: (a.dato_sendt or datetime.date.min, a.opprettet, a.pk or 0)):
        if a.type == AnmodningType.TILLEGG:
            total = (total or 0) + a.antall
            if a.herav_ema is not None:
                ema = (ema or 0) + a.herav_ema
        else:
            total, ema = a.antall, a.herav_ema
    return total, ema


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

    def status(self, today=None):
        today = today or datetime.date.today()
        if self.anmodet is None and self.vedtak is None:
            return SakStatus.IKKE_ANMODET
        if self.vedtatt is None and not self.vedtatt_prikket:
            if self.avventer:
                return SakStatus.AVVENTER
            if self.svarfrist and today > self.svarfrist:
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
    def andel_bosatt(self):
        """Settled as a share of vedtak (0–1+), None when it cannot be computed."""
        if not self.vedtatt or self.bosatt.verdi is None:
            return None
        return self.bosatt.verdi / self.vedtatt
