"""Reads for the dashboard, the map, the county report and the kommune header.

Every figure of the case comes from the figures engine's `Sak`s (bosetting.selectors:
`saker_for_aar`, `saker_for_aarene`), so the dashboard, its trend, the county report and its
exports show what the overview and the kommune page show; a fixed number of extra queries read
what the Sak does not carry (the national need, the monthly shape of earlier years for the
forecast, the reasons). So each page runs a constant number of queries whatever the number of
kommuner or rows. The kommune rows are bosetting.oversikt `Rad`s, the same as the overview's.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from bosetting.choices import Aarsak, SakStatus
from bosetting.models import Aarsaker
from bosetting.oversikt import rad_fra_sak, sum_rad, tjeneste_verdier
from bosetting.selectors import (
    maaneder_for_kilder,
    maanedstall,
    plan_for_kilder,
    planer_ved,
    saker_for_aar,
    saker_for_aarene,
    syntetiske_aar,
    tjenester_for_kommuner,
)
from bosetting.status import Tall
from core.access import kommune_scope_q
from imports.imdi import imdi_fylketall
from kommuner.models import Kommune
from vedtak.models import Bosettingsbehov

from . import forecast

UTEN_VEDTAK = {SakStatus.ANMODET.value, SakStatus.AVVENTER.value, SakStatus.VEDTAK_MANGLER.value}
TREND_AAR = 6  # years in the trend chart, ending with the chosen year
MIN_ANTALL = 3  # reason counts below this are shown as «færre enn 3» to a scoped viewer


def andel(teller, nevner):
    """teller/nevner for two Tall or ints; None when it cannot be computed honestly."""
    t = teller.verdi if isinstance(teller, Tall) else teller
    n = nevner.verdi if isinstance(nevner, Tall) else nevner
    if t is None or not n or (isinstance(nevner, Tall) and nevner.skjulte):
        return None
    return t / n


@dataclass
class Gruppe:
    """Sums for a Statsforvalter office or a fylke (or the whole selection)."""

    navn: str
    sum: object  # a Rad with niva > 0
    antall_kommuner: int
    nummer: str = ""
    prognose: object = None

    @property
    def dekning(self):
        """The share of the request covered by decisions."""
        return andel(self.sum.vedtatt, self.sum.anmodet)


@dataclass
class Trendpunkt:
    aar: int
    anmodet: Tall
    vedtatt: Tall
    bosatt: Tall
    behov: int | None = None


@dataclass
class Dashboard:
    aar: int
    behov: object
    nasjonalt: object  # Rad for the whole country
    utvalg: object  # Rad for the selection (the user's scope, or the country)
    rader: list  # kommune Rad in the selection
    statsforvaltere: list
    fylker: list
    storst_gap: list
    trend: list
    scoped: bool
    widened: bool
    prognose: object = None  # the selection's
    nasjonal_prognose: object = None
    tilbaketest: list = field(default_factory=list)  # the national back-tested years
    tilbaketest_maaned: int = 6
    kalibrering: object = None  # forecast.Kalibrering: the back-test behind every interval
    prognose_aktiv: bool = False  # a running year with a profile
    kommune_prognose: dict = field(default_factory=dict)  # kommunenummer → Prognose
    prognose_antatt_maaned: bool = False
    ekstra_vedtak: int | None = None
    uten_vedtak: int = 0  # kommuner in the selection with a request and no decided number
    uten_vedtak_anmodet: object = field(default_factory=Tall)  # their request, summed
    forventet_mangel: int | None = None


def _rader(saker, visible):
    return [rad_fra_sak(s, url=s.kommune.get_absolute_url() if visible is None or s.kommune.pk in visible else None)
            for s in saker]


def grupper(rader, key, name):
    groups = defaultdict(list)
    for r, s in rader:
        groups[key(s)].append(r)
    out = []
    for k, rows in sorted(groups.items(), key=lambda kv: kv[0]):
        out.append(Gruppe(navn=name(k), nummer=k if isinstance(k, str) else "", antall_kommuner=len(rows),
                          sum=sum_rad(rows, niva=1, kommune=name(k))))
    return out


def behov_per_aar(aarene):
    """Newest revision of the national need per year, in one query."""
    out = {}
    for b in Bosettingsbehov.objects.filter(aar__in=list(aarene)).order_by("aar", "-opprettet", "-id"):
        out.setdefault(b.aar, b)
    return out


def trend_summer(saker_per_aar, in_selection=None):
    """{year: (anmodet, vedtatt, bosatt) as Tall}: the sums of the engine's rows (the overview's
    rows of bosetting.selectors.saker_for_aarene) for the kommuner in the selection, None = all."""
    out = {}
    for y, saker in saker_per_aar.items():
        total = sum_rad([rad_fra_sak(s) for s in saker if in_selection is None or in_selection(s)], niva=2, kommune="")
        out[y] = (total.anmodet, total.vedtatt, total.bosatt)
    return out


_UNSET = object()


def dashboard_cached(user, aar, *, hele_landet=False):
    """(dashboard(), its cache key): cached per figures version (bosetting.tallcache), per year and
    per scope, so the users of one office or kommune share an entry. Fresh objects on every call."""
    from core import tallcache

    visible = Kommune.objects.ids_for_user(user)
    widened = visible is None or hele_landet
    cache_key = tallcache.key("dashboard", aar, widened, tallcache.omfang(visible))
    return tallcache.get_or_compute(
        cache_key, lambda: dashboard(user, aar, hele_landet=hele_landet, visible=visible)), cache_key


def dashboard(user, aar, *, hele_landet=False, today=None, visible=_UNSET):
    today = today or datetime.date.today()
    if visible is _UNSET:
        visible = Kommune.objects.ids_for_user(user)
    scoped = visible is not None
    widened = not scoped or hele_landet
    aarene = list(range(aar - TREND_AAR + 1, aar + 1))
    behov = behov_per_aar(aarene)

    def in_selection(s):
        return widened or s.kommune.pk in visible

    per_aar = saker_for_aarene(aarene)  # this year's rows and the trend's, together
    saker = per_aar[aar]
    rader_alle = _rader(saker, visible)
    par = [(r, s) for r, s in zip(rader_alle, saker, strict=True) if in_selection(s)]
    rader = [r for r, _s in par]

    statsforvaltere = grupper(par, lambda s: s.fylke.statsforvalter.kortnavn, lambda k: k)
    fylke_navn = {s.fylke.nummer: s.fylke.navn for s in saker}
    fylker = grupper(par, lambda s: s.fylke.nummer, lambda k: f"{k} {fylke_navn[k]}")
    for g in fylker:
        g.nummer = g.navn[:2]

    # «Anmodet, ikke vedtatt» as bosetting.status.GAP defines it: kommuner without a vedtak are
    # not in it (they are counted apart below), hidden vedtak neither.
    med_gap = [(r.gap_anmodning_vedtak.eksakt, r) for r in rader if r.niva == 0]
    storst = sorted(((g, r) for g, r in med_gap if g and g > 0), key=lambda gr: (-gr[0], gr[1].kommunenummer))[:10]
    uten = [r for r in rader if r.status_kode in UTEN_VEDTAK]

    summer = trend_summer(per_aar, in_selection)
    trend = [Trendpunkt(y, *summer[y], behov[y].antall if y in behov else None) for y in aarene]

    nasjonalt = sum_rad(rader_alle, niva=2, kommune=_("Hele landet"))
    utvalg = sum_rad(rader, niva=2, kommune=_("Hele landet") if widened else _("Mine kommuner"))
    d = Dashboard(aar=aar, behov=behov.get(aar), nasjonalt=nasjonalt, utvalg=utvalg, rader=rader,
                  statsforvaltere=statsforvaltere, fylker=fylker,
                  storst_gap=[{"gap": g, "rad": r} for g, r in storst], trend=trend, scoped=scoped, widened=widened,
                  uten_vedtak=len(uten), uten_vedtak_anmodet=sum((r.anmodet for r in uten), Tall()))
    _add_forecast(d, saker, aarene, par, today)
    for g in d.storst_gap:
        g["prognose"] = d.kommune_prognose.get(g["rad"].kommunenummer)
    return d


# --- forecast --------------------------------------------------------------------------------

@dataclass
class Prognosegrunnlag:
    """What every forecast of a year needs, from one read of the monthly rows: this year's pace
    month, the earlier years' months per kommune (own pace), the national profile, and the
    back-test with its calibrated intervals (rapporter.forecast)."""

    aar: int
    maaned: int  # the last month this year's count covers
    antatt: bool  # ... taken as last month (IMDi gives year-to-date totals, no months)
    tidligere_aar: tuple
    maaneder: dict  # {(kommune id, year): {month: n | None}} of the earlier years
    nasjonal: list | None  # the national mean profile of the complete earlier years
    antall_nasjonale: int
    kalibrering: forecast.Kalibrering
    planer: dict = field(default_factory=dict)  # {(kommune id, aar): {month: plasser}}: the plans in force

    @property
    def aktiv(self):
        """A running year with a profile to forecast from."""
        return 1 <= self.maaned < 12 and self.nasjonal is not None

    def for_sak(self, s):
        """A Sak's forecast: its settled so far (the Sak's figure; suppressed or missing is
        unknown, not 0), at the kommune's own pace (its source kommuner's months summed) when it
        has enough earlier years, the national profile otherwise; by its plan in force (its
        source kommuner' plans summed) when the back-test chose the plan method."""
        egne = [maaneder_for_kilder(self.maaneder, s.kilder, y) for y in self.tidligere_aar]
        p, kilde, n = forecast.velg_profil(egne, self.nasjonal, self.maaned, self.antall_nasjonale)
        plan = plan_for_kilder(self.planer, s.kilder, self.aar)
        return forecast.prognose_med_plan(s.bosatt.verdi, self.maaned, p, plan, self.kalibrering,
                                          skjulte=s.bosatt.skjulte, kilde=kilde, antall_profiler=n)

    def samlet(self, prognoser):
        return forecast.samlet_prognose(prognoser, self.maaned, self.kalibrering)


def pace_month(months_this_year, aar, today):
    """The last month this year's count covers. Past years are complete; with no monthly rows
    this year (IMDi publishes year-to-date totals) the count is taken as of last month."""
    if aar < today.year:
        return 12, False
    if months_this_year:
        return max(months_this_year), False
    if aar == today.year:
        return max(today.month - 1, 0), True
    return 0, False


def prognosegrunnlag(aar, today):
    """The forecast's basis for `aar` from the monthly rows of it and the TREND_AAR − 1 years
    before and their plan revisions (bosetting.selectors.maanedstall, one query; planer_ved: the
    earlier years' plans as they stood at the back-test's cut-off, this year's in force). The
    back-test runs at this year's pace month, or June for a year that is over or not begun."""
    aarene = range(aar - TREND_AAR + 1, aar + 1)
    maaneder, fylke_av, demo, revisjoner = maanedstall(aarene, planer=True)
    this_year = {m for (_k, y), months in maaneder.items() if y == aar for m in months}
    maaned, antatt = pace_month(this_year, aar, today)
    tidligere = {key: m for key, m in maaneder.items() if key[1] < aar}
    nasjonal, n = forecast.nasjonal_profil(forecast.nasjonale_maaneder(tidligere))
    tb_maaned = maaned if 1 <= maaned < 12 else 6
    planer = planer_ved(revisjoner, aarene, tb_maaned, i_kraft=(aar,))
    kal = forecast.kalibrer(forecast.tilbaketest(tidligere, fylke_av, tb_maaned, planer), tb_maaned, demo_aar=demo)
    return Prognosegrunnlag(aar, maaned, antatt, tuple(y for y in aarene if y < aar), tidligere, nasjonal, n, kal,
                            {key: v for key, v in planer.items() if key[1] == aar})


def _add_forecast(d, saker, aarene, par, today):
    g = prognosegrunnlag(d.aar, today)
    d.prognose_aktiv = g.aktiv
    d.kalibrering = g.kalibrering
    egne = {s.kommune.pk: g.for_sak(s) for s in saker}
    d.prognose = g.samlet(egne[s.kommune.pk] for _r, s in par)
    d.nasjonal_prognose = g.samlet(egne.values())
    d.prognose_antatt_maaned = g.antatt
    by_fylke = defaultdict(list)
    for _r, s in par:
        by_fylke[s.fylke.nummer].append(egne[s.kommune.pk])
    for f in d.fylker:
        f.prognose = g.samlet(by_fylke[f.nummer])
    d.kommune_prognose = {s.kommune.nummer: egne[s.kommune.pk] for _r, s in par}
    # A finished year has nothing to forecast; its back-test shows how the method does mid-year.
    d.tilbaketest_maaned = g.kalibrering.maaned
    d.tilbaketest = g.kalibrering.land
    need = d.behov.antall if d.behov else None
    d.ekstra_vedtak = forecast.ekstra_vedtaksplasser(need, d.nasjonalt.vedtatt.verdi)
    d.forventet_mangel = forecast.forventet_mangel(need, d.nasjonal_prognose)


# --- county report ---------------------------------------------------------------------------

@dataclass
class Fylkesrapport:
    fylke: object
    aar: int
    rader: list  # dicts: nummer, navn, url, rad (this year), neste (next year's Rad), merknad,
    # tjenester (bosetting.oversikt.tjeneste_verdier; None when hidden from the user)
    sum: object
    sum_neste: object
    aarsaker: list  # (label, count) most frequent first; count «færre enn 3» for a scoped viewer
    antall_med_aarsaker: int | None  # None: fewer than 3, suppressed for a scoped viewer
    fritekster: list
    historisk: bool
    sum_prognose: object = None
    vis_prognose: bool = False  # only while the year is running and earlier profiles exist
    imdi: object = None  # IMDi's own county table for the fylke and year (imports.imdi.Fylketall)
    syntetisk: str = ""  # the notice when the report's years hold generated demo figures
    kalibrering: object = None  # the back-test behind the intervals

    @property
    def har_tjenester(self):
        """Whether any kommune the user may read has service facts shown (the page's and the PDF's table)."""
        return any(r.get("tjenester_registrert") for r in self.rader)


def fylker_for_user(user):
    """Today's fylker whose county report the user may open (rapporter.views.fylke_for_user's
    rule: a kommune of the fylke in the user's scope), in number order. One query."""
    from kommuner.models import Fylke

    qs = Fylke.objects.filter(gyldig_til__isnull=True)
    if user is None or not user.is_authenticated:
        return qs.none()
    if kommune_scope_q(user):
        qs = qs.filter(pk__in=Kommune.objects.for_user(user).values("fylke_id"))
    return qs.order_by("nummer")


def fylkesrapport(fylke, aar, user=None, today=None):
    """The KS slide: per kommune anmodning and vedtak this year and next, the county sum and the
    reasons for shortfall. A historic fylke (Østfold 01 in 2014) shows its kommuner as they were;
    today's fylke shows today's kommuner with merged kommuners' figures rolled up."""
    historisk = not fylke.er_gjeldende
    qs = Kommune.objects.filter(fylke=fylke)
    visible = Kommune.objects.ids_for_user(user) if user is not None else None
    begge = saker_for_aarene([aar, aar + 1], qs, historisk=historisk)
    naa = begge[aar]
    neste = {s.kommune.pk: s for s in begge[aar + 1]}
    rader, kilder = [], {}
    for s in naa:
        n = neste.get(s.kommune.pk)
        url = s.kommune.get_absolute_url() if visible is None or s.kommune.pk in visible else None
        rader.append({"nummer": s.kommune.nummer, "navn": s.kommune.navn, "url": url, "rad": rad_fra_sak(s),
                      "neste": rad_fra_sak(n) if n else None, "merknad": s.merknad, "sak": s})
        for k in s.kilder:
            kilder[k.pk] = s.kommune
    naa_pks = {s.kommune.pk for s in naa}
    for pk, s in neste.items():  # a kommune that only exists next year
        if pk not in naa_pks:
            rader.append({"nummer": s.kommune.nummer, "navn": s.kommune.navn, "url": None, "rad": None,
                          "neste": rad_fra_sak(s), "merknad": s.merknad})
            for k in s.kilder:
                kilder[k.pk] = s.kommune
    rader.sort(key=lambda r: r["nummer"])
    # The year's service facts (one query): case data, so only for the kommuner the user may read.
    tjenester = tjenester_for_kommuner(user, aar, [s.kommune.pk for s in naa])
    for r in rader:
        pk = r["sak"].kommune.pk if r.get("sak") is not None else None
        synlig = pk is not None and (visible is None or pk in visible)
        r["tjenester"] = tjeneste_verdier(tjenester.get(pk)) if synlig else None
        r["tjenester_registrert"] = synlig and pk in tjenester
    g = prognosegrunnlag(aar, today or datetime.date.today())
    for r in rader:
        if r.get("sak") is not None:
            r["prognose"] = g.for_sak(r["sak"])  # from the year's settled figure, as on the row
    sum_prognose = g.samlet(r["prognose"] for r in rader if "prognose" in r)
    aarsaker, antall_med_aarsaker, fritekster = _aarsaker(kilder, aar, visible)
    return Fylkesrapport(
        fylke=fylke, aar=aar, rader=rader,
        sum=sum_rad([r["rad"] for r in rader if r["rad"]], niva=1, kommune=fylke.navn),
        sum_neste=sum_rad([r["neste"] for r in rader if r["neste"]], niva=1, kommune=fylke.navn),
        aarsaker=aarsaker, antall_med_aarsaker=antall_med_aarsaker, fritekster=fritekster, historisk=historisk,
        sum_prognose=sum_prognose, vis_prognose=g.aktiv, kalibrering=g.kalibrering,
        imdi=imdi_fylketall(aar).get(fylke.nummer), syntetisk=syntetiske_aar().tekst({aar, aar + 1}),
    )


def _aarsaker(kilder, aar, visible):
    """The reasons table: (label, count) most frequent first, the number of kommuner that
    answered, and the free texts as (kommune, text).

    For a viewer who may not see every kommune in the fylke (`visible` is the set of pks they
    may see; None is everyone) a count below MIN_ANTALL is replaced by the text «færre enn 3»
    (so Halden cannot read Moss's answer off a 1), the number that answered likewise (None),
    and only the free texts of kommuner the viewer may see are kept. No suppressed number
    leaves this function, so the page, the XLSX and the PDF cannot show one.
    """
    counts, fritekster, reporting = Counter(), [], set()
    labels = dict(Aarsak.choices)
    for a in Aarsaker.objects.filter(Q(kommune_id__in=list(kilder)), aar=aar).order_by("kommune__nummer"):
        k = kilder[a.kommune_id]
        reporting.add(k.pk)
        counts.update(v for v in a.aarsaker if v in labels)
        if a.fritekst and (visible is None or k.pk in visible):
            fritekster.append((k, a.fritekst))
    begrenset = visible is not None and not {k.pk for k in kilder.values()} <= visible
    if not begrenset:
        rows = sorted(counts.items(), key=lambda kv: (-kv[1], str(labels[kv[0]])))
        return [(labels[v], n) for v, n in rows], len(reporting), fritekster
    # Suppressed counts after the exact ones, by label: their order would tell a 2 from a 1.
    rows = sorted(counts.items(), key=lambda kv: (-kv[1] if kv[1] >= MIN_ANTALL else 0, str(labels[kv[0]])))
    faerre = _("færre enn %(n)s") % {"n": MIN_ANTALL}
    aarsaker = [(labels[v], n if n >= MIN_ANTALL else faerre) for v, n in rows]
    return aarsaker, len(reporting) if len(reporting) >= MIN_ANTALL else None, fritekster


# --- kommune header --------------------------------------------------------------------------

def kommune_header_context(kommune, user, aar=None, *, sak=None, plan=None):
    """Context for templates/rapporter/_kommune_header.html: this year's status, three figures and
    the gaps (the row's, bosetting.status.GAP). On the kommune page it reuses this year's `sak`,
    which the page has read, so it costs no queries there; alone, five (one saker_for_aar on one
    kommune). `plan`: the year's bosetting.plan.PlanStatus, when the page has it. The open
    follow-ups stand beside it on the page (KommuneView)."""
    aar = aar or datetime.date.today().year
    if sak is None:
        saker = saker_for_aar(aar, Kommune.objects.filter(pk=kommune.pk), historisk=not kommune.er_gjeldende)
        sak = next((s for s in saker if s.kommune.pk == kommune.pk), None)
    rad = rad_fra_sak(sak) if sak else None
    return {"rapport_header": {"aar": aar, "rad": rad, "plan": plan, "nummer": kommune.nummer}}
