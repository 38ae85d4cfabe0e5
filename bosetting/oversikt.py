"""Rows of the overview: one per kommune, a subtotal per fylke and a national total (the KS
table layout). Built from Sak objects, so no queries here."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .status import KOMMUNE_GAP, Tall


def tall_tekst(t):
    """«skjult» for a suppressed cell (IMDi's «:», which a reader cannot be expected to know), «≥ N
    (k skjult)» for a sum with hidden cells, «» unknown."""
    if t is None:
        return ""
    if t.skjulte and t.verdi is None:
        return _("skjult") if t.skjulte == 1 else _("skjult (%(k)s celler)") % {"k": t.skjulte}
    if t.skjulte and t.ovre:
        return _("≤ %(n)s (%(k)s skjult)") % {"n": _fmt(t.verdi), "k": t.skjulte}
    if t.skjulte:
        return _("≥ %(n)s (%(k)s skjult)") % {"n": _fmt(t.verdi), "k": t.skjulte}
    return "" if t.verdi is None else _fmt(t.verdi)


def tall_merknad(t):
    """What an export's marker column says about a figure that is not an exact number: «skjult»
    for a cell IMDi suppressed, «minst N (k skjult)» for a sum with hidden cells; «» for an exact
    or unknown figure (the number, or a blank, says it)."""
    if t is None or not t.skjulte:
        return ""
    if t.verdi is None:
        return _("skjult") if t.skjulte == 1 else _("skjult (%(k)s celler)") % {"k": t.skjulte}
    return _("minst %(n)s (%(k)s skjult)") % {"n": t.verdi, "k": t.skjulte}


def _fmt(n):
    return f"{n:,}".replace(",", "\u00a0")


@dataclass
class Rad:
    kommunenummer: str
    kommune: str
    fylke: str
    fylke_nr: str
    anmodet: Tall
    vedtatt: Tall
    bosatt: Tall
    kollektiv: Tall = field(default_factory=Tall)
    status: str = ""
    status_kode: str = ""
    merknad: str = ""
    url: str | None = None
    kommune_id: int | None = None
    niva: int = 0  # 0 kommune, 1 fylke sum, 2 national total
    anmodet_forrige: Tall = field(default_factory=Tall)  # the year before (KS layout: two years side by side)
    vedtatt_forrige: Tall = field(default_factory=Tall)
    # The gaps (bosetting.status.GAP): a kommune's own, a sum row's summed over its kommuner below.
    gap_anmodning_vedtak: Tall = field(default_factory=Tall)
    gap_vedtak_bosatt: Tall = field(default_factory=Tall)
    gap_anmodning_bosatt: Tall = field(default_factory=Tall)

    @property
    def er_sum(self):
        return self.niva > 0

    @property
    def gruppe(self):
        """Keeps kommuner under their fylke, the fylke's sum last, the national total at the end."""
        return ("~" if self.niva == 2 else self.fylke_nr, self.niva)

    @property
    def andel_bosatt(self):
        if not self.vedtatt.verdi or self.bosatt.verdi is None or self.vedtatt.skjulte:
            return None
        return self.bosatt.verdi / self.vedtatt.verdi

    # numeric sort keys (unknown sorts first)
    @property
    def anmodet_forrige_n(self):
        return -1 if self.anmodet_forrige.verdi is None else self.anmodet_forrige.verdi

    @property
    def vedtatt_forrige_n(self):
        return -1 if self.vedtatt_forrige.verdi is None else self.vedtatt_forrige.verdi

    @property
    def anmodet_n(self):
        return -1 if self.anmodet.verdi is None else self.anmodet.verdi

    @property
    def vedtatt_n(self):
        return -1 if self.vedtatt.verdi is None else self.vedtatt.verdi

    @property
    def bosatt_n(self):
        return -1 if self.bosatt.verdi is None else self.bosatt.verdi

    @property
    def gap_av_n(self):
        return _sortkey(self.gap_anmodning_vedtak)

    @property
    def gap_vb_n(self):
        return _sortkey(self.gap_vedtak_bosatt)

    @property
    def gap_ab_n(self):
        return _sortkey(self.gap_anmodning_bosatt)

    @property
    def andel_n(self):
        a = self.andel_bosatt
        return -1.0 if a is None else a


def _sortkey(t):
    """Unknown and hidden sort first."""
    return -10**9 if t.verdi is None else t.verdi


# The figures of a Sak that rad_fra_sak reads (besides status()'s): the national rows are built
# from Saks with only these computed (bosetting.selectors._sak's `figurer`).
RAD_FIGURER = ("anmodning", "vedtak", "bosatt", "bosatt_kollektiv")


def rad_fra_sak(sak, *, today=None, url=None):
    status = sak.status(today)
    return Rad(
        kommunenummer=sak.kommune.nummer, kommune=sak.kommune.navn, kommune_id=sak.kommune.pk, fylke=sak.fylke.navn,
        fylke_nr=sak.fylke.nummer, anmodet=Tall(sak.anmodet),
        vedtatt=sak.tall["vedtak"], bosatt=sak.bosatt,  # hidden cells counted, as summed over predecessors
        # The status as text, with its figures (the rows are cached per language).
        kollektiv=sak.bosatt_kollektiv, status=sak.status_tekst(today), status_kode=status.value, merknad=sak.merknad,
        url=url, **{g.attr: sak.gap(g.navn) for g in KOMMUNE_GAP},
    )


def sum_rad(rader, *, niva, kommune, fylke="", fylke_nr=""):
    """A fylke's, an office's or the country's row: figures summed, gaps as bosetting.status.GAP
    defines them for a group (summed over the kommuner below). `rader` are kommune rows."""
    return Rad(
        kommunenummer="", kommune=kommune, fylke=fylke, fylke_nr=fylke_nr, niva=niva,
        anmodet=sum((r.anmodet for r in rader), Tall()), vedtatt=sum((r.vedtatt for r in rader), Tall()),
        bosatt=sum((r.bosatt for r in rader), Tall()), kollektiv=sum((r.kollektiv for r in rader), Tall()),
        anmodet_forrige=sum((r.anmodet_forrige for r in rader), Tall()),
        vedtatt_forrige=sum((r.vedtatt_forrige for r in rader), Tall()),
        **{g.attr: g.samlet(getattr(r, g.attr) for r in rader) for g in KOMMUNE_GAP},
    )


def med_forrige_aar(rader, rader_forrige):
    """Attach the previous year's request and decision (from its rows) to each kommune row."""
    by_nr = {r.kommunenummer: r for r in rader_forrige}
    for r in rader:
        f = by_nr.get(r.kommunenummer)
        if f is not None:
            r.anmodet_forrige, r.vedtatt_forrige = f.anmodet, f.vedtatt
    return rader


def med_summer(rader):
    """Kommune rows followed, per fylke, by the fylke's sum, and the national total last."""
    out, groups = [], {}
    for r in rader:
        groups.setdefault((r.fylke_nr, r.fylke), []).append(r)
    for (nr, navn), rows in sorted(groups.items()):
        out += rows
        out.append(sum_rad(rows, niva=1, kommune=_("Sum %(fylke)s") % {"fylke": navn}, fylke=navn, fylke_nr=nr))
    if rader:
        out.append(sum_rad(rader, niva=2, kommune=_("Hele utvalget")))
    return out


# The service-pressure facts of a kommune-year (bosetting.models.Tjenestekapasitet) as the
# overview, the county report and its files show them: one column each, the same words everywhere.
TJENESTE_KOLONNER = (
    ("intro_plasser", gettext_lazy("Plasser i introduksjonsprogrammet")),
    ("norsk_plasser", gettext_lazy("Plasser i norskopplæringen")),
    ("asylmottak", gettext_lazy("Asylmottak")),
    ("meldt_press", gettext_lazy("Meldt press")),
)


def tjeneste_verdier(t):
    """The four facts of a Tjenestekapasitet (None: nothing registered): a known number of places
    as int, an unknown one «ukjent» (never 0); the reception centre «Ja (N plasser)», «Ja»,
    «Nei» or «ukjent» (unknown is not «Nei»); reported pressure «Ja» when any note is written."""
    def antall(v):
        return _("ukjent") if v is None else v

    if t is None or t.asylmottak is None:
        mottak = _("ukjent")
    elif not t.asylmottak:
        mottak = _("Nei")
    elif t.mottaksplasser is None:
        mottak = _("Ja")
    else:
        mottak = ngettext("Ja (%(n)s plass)", "Ja (%(n)s plasser)", t.mottaksplasser) % {"n": t.mottaksplasser}
    return [antall(t and t.introduksjonsprogram_plasser), antall(t and t.norskopplaering_plasser), mottak,
            _("Ja") if t is not None and t.har_press else _("Nei")]
