"""What the persons settled in a year bring in integration grant over five years, what they are
estimated to cost, and the difference: per kommune, summed per fylke and for the country. All of it
is an estimate («anslag»), and this module is its one home: the pages and exports only show it.

The settled count is the figures engine's (`Sak.bosatt` from bosetting.selectors.saker_for_aar), a
`Tall`: unknown stays unknown, and a count with cells IMDi suppressed makes every amount a bound
(«≥ N» for the grant and the cost; the difference is «≤ N» when each hidden person would lower it).

Which rates. The rates of the settlement year, or the newest earlier ones when that year has none
(each of grant, cost and KS' extra on its own; the page says «satser fra 2014; nyere satser er ikke
registrert»). A rate's five-year amount is its «år 1–5 samlet» row, or the sum of its rows for
years 1–5 when all five are registered; the sources found give only five-year totals, so no split
per year is invented. The whole five years are counted at the settlement year's rates (the state
pays later years at later years' rates; that is one reason this is an estimate).

The category assumption. The settled persons' breakdown by category (single adults, other adults,
children, unaccompanied minors, elderly) is not registered; only the total and, at times, how many
were unaccompanied minors. So every settled person is counted at the LOWEST five-year grant among
the person categories of the rate year (2014: «andre voksne og barn», 669 600 kr), and the page shows
an upper variant with the HIGHEST (2014: «enslige voksne», 717 600 kr); the true grant lies between.
Not counted: the special grant for unaccompanied minors (it runs until the year the person turns 20,
so it depends on ages we do not have), the elderly and kindergarten grants. The page says so.

KS' proposal (the scenario, off by default): an extra per person (the rate row «KS' forslag», 2014:
25 000 kr) for a kommune that settled at least as many as requested (`Sak.bosatt` ≥ `Sak.anmodet`).
A kommune without a known request, or whose count is hidden so that it cannot be told, gets no
extra, and the page counts them («ikke med i scenarioet»).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from bosetting.selectors import saker_for_aar, saker_for_aarene
from bosetting.status import Tall
from core.access import kommune_scope_q
from kommuner.models import Kommune

from .choices import SAMLET, Kategori
from .models import Kostnadsanslag, Tilskuddssats

PERSONKATEGORIER = (Kategori.ENSLIG_VOKSEN, Kategori.ANDRE, Kategori.VOKSEN, Kategori.BARN,
                    Kategori.ENSLIG_MINDREAARIG)


# --- the rates --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sats:
    """One amount the estimate uses, with where it comes from."""

    belop: int
    aar: int  # the year the rate is for (may be earlier than the settlement year)
    kategori: str
    kilde: str
    kilde_url: str = ""


@dataclass(frozen=True)
class Satser:
    """The amounts for one settlement year: the grant per person over five years (lower and upper
    variant), the estimated cost per person, and KS' extra; None where none is registered."""

    aar: int
    lav: Sats | None = None
    hoy: Sats | None = None
    kostnad: Sats | None = None
    ks_tillegg: Sats | None = None

    def brukte(self):
        return [s for s in (self.lav, self.hoy, self.kostnad, self.ks_tillegg) if s is not None]

    def merknader(self, *, ks=False):
        """What the page says about the rates: an older year's rates, or none at all."""
        out = []
        for navn, sats in ((_("Integreringstilskudd"), self.lav), (_("Kostnadsanslag"), self.kostnad)) + (
                ((_("KS' forslag"), self.ks_tillegg),) if ks else ()):
            if sats is None:
                out.append(_("%(navn)s: ingen satser er registrert for %(aar)s eller tidligere år, så beløpene "
                             "er ukjente.") % {"navn": navn, "aar": self.aar})
            elif sats.aar < self.aar:
                out.append(_("%(navn)s: satser fra %(fra)s; nyere satser er ikke registrert.") % {
                    "navn": navn, "fra": sats.aar})
        return out


def _femaarsbelop(rader):
    """A category-year's five-year amount: the «samlet» row, else years 1–5 when all are there."""
    per_aar = {r.bosettingsaar: r for r in rader}
    if SAMLET in per_aar:
        r = per_aar[SAMLET]
        return r.belop, r
    if all(n in per_aar for n in range(1, 6)):
        return sum(per_aar[n].belop for n in range(1, 6)), per_aar[1]
    return None, None


def satser_for(aar):
    """The Satser for a settlement year; two queries."""
    return _satser_for_aarene([aar])[aar]


# --- the amounts ------------------------------------------------------------------------------

def ganger(personer, sats):
    """persons × amount as a Tall: unknown if either is, hidden cells kept (a lower bound)."""
    if sats is None or (personer.verdi is None and not personer.skjulte):
        return Tall()
    return Tall(None if personer.verdi is None else personer.verdi * sats.belop, personer.skjulte)


def minus(a, b, per_person):
    """a − b for amounts that grow with the persons (grant − cost). With hidden persons the known
    difference is a bound: an upper one when each person lowers it (`per_person` < 0), a lower one
    when each raises it; `per_person` None (the sign is not one) leaves only «hidden»."""
    skjulte = max(a.skjulte, b.skjulte)
    if a.verdi is None or b.verdi is None:
        # A wholly hidden difference keeps its direction, so a sum it joins stays an upper bound
        # (shown «≤»), never a lower one («≥»: the Østfold sum of 2026 said «≥ −9 363 840»).
        return Tall(None, skjulte, ovre=per_person is not None and per_person < 0) if skjulte else Tall()
    if not skjulte:
        return Tall(a.verdi - b.verdi)
    if per_person is None:
        return Tall(None, skjulte)
    return Tall(a.verdi - b.verdi, skjulte, ovre=per_person < 0)


def summer(tall):
    """Sum of Talls, keeping «upper bound» when every hidden part is one (and «lower» when none is);
    mixed bounds leave the sum hidden."""
    verdi, skjulte, ovre, nedre = None, 0, False, False
    for t in tall:
        if t.verdi is not None:
            verdi = (verdi or 0) + t.verdi
        skjulte += t.skjulte
        if t.skjulte:
            ovre, nedre = ovre or t.ovre, nedre or not t.ovre
    if skjulte and ovre and nedre:
        return Tall(None, skjulte)
    return Tall(verdi, skjulte, ovre=ovre)


KS_OPPFYLT, KS_UNDER, KS_UKJENT = "oppfylt", "under", "ukjent"


@dataclass
class Anslag:
    """The estimate for one kommune-year, or the sum for a fylke, the country or the user's selection."""

    navn: str
    nummer: str = ""
    url: str | None = None
    merknad: str = ""
    personer: Tall = field(default_factory=Tall)
    ema: Tall = field(default_factory=Tall)
    anmodet: int | None = None
    tilskudd: Tall = field(default_factory=Tall)  # lower variant (+ KS' extra in the scenario)
    tilskudd_hoy: Tall = field(default_factory=Tall)  # upper variant (+ KS' extra in the scenario)
    kostnad: Tall = field(default_factory=Tall)
    differanse: Tall = field(default_factory=Tall)
    differanse_hoy: Tall = field(default_factory=Tall)
    ks_tillegg: Tall | None = None  # None: the scenario is off
    ks: str = ""  # KS_OPPFYLT, KS_UNDER or KS_UKJENT for a kommune in the scenario
    antall_kommuner: int = 1
    uten_bosatte: int = 0  # kommuner whose settled count is unknown (left out of a sum)
    ks_ukjent: int = 0  # kommuner the scenario cannot judge (no request, or hidden count)
    aar: int | None = None

    @property
    def ks_tekst(self):
        return {KS_OPPFYLT: _("Bosatt minst så mange som anmodet"), KS_UNDER: _("Bosatt færre enn anmodet"),
                KS_UKJENT: _("Kan ikke avgjøres (anmodning ukjent eller tall skjult)")}.get(self.ks, "")


def _ks_status(sak):
    b = sak.bosatt
    if not sak.anmodet or (b.verdi is None and not b.skjulte):
        return KS_UKJENT
    if b.verdi is not None and b.verdi >= sak.anmodet:
        return KS_OPPFYLT  # with hidden cells the known part alone reaches the request
    return KS_UKJENT if b.skjulte else KS_UNDER


def anslag_for_sak(sak, satser, *, ks=False, navn=None, url=None):
    """The Anslag of one kommune-year (a Sak of bosetting.selectors)."""
    p = sak.bosatt
    tilskudd, tilskudd_hoy, kostnad = ganger(p, satser.lav), ganger(p, satser.hoy), ganger(p, satser.kostnad)
    tillegg, status, ekstra = None, "", 0
    if ks:
        status = _ks_status(sak) if satser.ks_tillegg else KS_UKJENT
        if status == KS_OPPFYLT:
            tillegg, ekstra = ganger(p, satser.ks_tillegg), satser.ks_tillegg.belop
            tilskudd, tilskudd_hoy = tilskudd + tillegg, tilskudd_hoy + tillegg
        else:
            tillegg = Tall(0) if status == KS_UNDER else Tall()
    kost = satser.kostnad.belop if satser.kostnad else 0
    lav = satser.lav.belop + ekstra - kost if satser.lav else None
    hoy = satser.hoy.belop + ekstra - kost if satser.hoy else None
    return Anslag(
        navn=navn or sak.kommune.navn, nummer=sak.kommune.nummer, url=url, merknad=sak.merknad, personer=p,
        ema=sak.tall.get("bosatt_ema", Tall()), anmodet=sak.anmodet, tilskudd=tilskudd, tilskudd_hoy=tilskudd_hoy,
        kostnad=kostnad, differanse=minus(tilskudd, kostnad, lav), differanse_hoy=minus(tilskudd_hoy, kostnad, hoy),
        ks_tillegg=tillegg, ks=status, uten_bosatte=int(p.verdi is None and not p.skjulte),
        ks_ukjent=int(status == KS_UKJENT), aar=sak.aar)


def samlet(rader, *, navn, nummer="", url=None, ks=False):
    """The sum of kommune (or group) Anslag: every amount summed over the rows that have it."""
    rader = list(rader)

    def s(attr):
        return summer(getattr(r, attr) for r in rader)
    return Anslag(
        navn=navn, nummer=nummer, url=url, personer=s("personer"), ema=s("ema"), tilskudd=s("tilskudd"),
        tilskudd_hoy=s("tilskudd_hoy"), kostnad=s("kostnad"), differanse=s("differanse"),
        differanse_hoy=s("differanse_hoy"), ks_tillegg=summer(r.ks_tillegg for r in rader) if ks else None,
        antall_kommuner=sum(r.antall_kommuner for r in rader), uten_bosatte=sum(r.uten_bosatte for r in rader),
        ks_ukjent=sum(r.ks_ukjent for r in rader) if ks else 0)


# --- the pages' reads ---------------------------------------------------------------------------

@dataclass
class Oversikt:
    """One page's table: rows, their sum, the rates and what the page must say about them."""

    aar: int
    satser: Satser
    ks: bool
    rader: list
    sum: Anslag | None
    hele_landet: bool  # the sum is the whole country's (else: the kommuner the user may read)
    merknader: list = field(default_factory=list)


def _kommuner_for(user):
    """None (the whole country, the engine's fast path) for roles that read every kommune; else
    the user's kommuner, so no sum holds a figure of a kommune outside the user's scope."""
    return None if not kommune_scope_q(user) else Kommune.objects.for_user(user)


def _kommune_rader(saker, satser, ks, *, lenker=False):
    """The kommune rows; `lenker`: each today's kommune linked to its own estimate page."""
    from django.urls import reverse

    def url(k):
        return reverse("okonomi:kommune", kwargs={"nummer": k.nummer}) if lenker and k.er_gjeldende else None
    return [anslag_for_sak(s, satser, ks=ks, url=url(s.kommune)) for s in saker]


def nasjonal(user, aar, *, ks=False):
    """Per fylke, from the per-kommune estimates, and their sum: the whole country for roles that
    read every kommune, the user's own kommuner for the others."""
    from django.urls import reverse

    satser = satser_for(aar)
    kommuner = _kommuner_for(user)
    saker = saker_for_aar(aar, kommuner)
    per_fylke, fylker = defaultdict(list), {}
    for s, a in zip(saker, _kommune_rader(saker, satser, ks), strict=True):
        per_fylke[s.fylke.nummer].append(a)
        fylker[s.fylke.nummer] = s.fylke
    rader = [samlet(per_fylke[nr], navn=fylker[nr].navn, nummer=nr, ks=ks,
                    url=reverse("okonomi:fylke", kwargs={"nummer": nr}) if fylker[nr].er_gjeldende else None)
             for nr in sorted(per_fylke)]
    hele = kommuner is None
    navn = _("Hele landet") if hele else _("Kommunene du har tilgang til")
    return Oversikt(aar=aar, satser=satser, ks=ks, rader=rader, sum=samlet(rader, navn=navn, ks=ks) if rader else None,
                    hele_landet=hele, merknader=satser.merknader(ks=ks))


def fylke(user, fylke, aar, *, ks=False):
    """Per kommune of a (today's) fylke that the user may read, and their sum."""
    satser = satser_for(aar)
    qs = Kommune.objects.filter(fylke=fylke)
    if kommune_scope_q(user):
        qs = qs.filter(pk__in=Kommune.objects.for_user(user).values("pk"))
    saker = [s for s in saker_for_aar(aar, qs) if s.fylke.pk == fylke.pk]
    rader = _kommune_rader(saker, satser, ks, lenker=True)
    hele = not kommune_scope_q(user)
    navn = (_("Sum %(fylke)s") % {"fylke": fylke.navn}) if hele else _("Sum for kommunene du har tilgang til")
    return Oversikt(aar=aar, satser=satser, ks=ks, rader=rader, sum=samlet(rader, navn=navn, ks=ks) if rader else None,
                    hele_landet=hele, merknader=satser.merknader(ks=ks))


def kommune(kommune, aarene, *, ks=False):
    """One kommune's estimate for each of the years (newest first) that have a request or a settled
    count: [(Anslag, Satser)]. The engine's queries for the figures and one read of each rate
    table for every year, whatever the number of years."""
    aarene = sorted(aarene)
    saker = saker_for_aarene(aarene, Kommune.objects.filter(pk=kommune.pk))
    alle = _satser_for_aarene(aarene)
    out = []
    for aar in reversed(aarene):
        for s in saker[aar]:
            if s.kommune.pk != kommune.pk or (s.anmodet is None and s.bosatt.verdi is None and not s.bosatt.skjulte):
                continue
            a = anslag_for_sak(s, alle[aar], ks=ks, navn=str(aar))
            a.nummer = ""  # a row per year of the one kommune
            out.append((a, alle[aar]))
    return out


def _satser_for_aarene(aarene):
    """{year: Satser} for many years from one read of each rate table (satser_for's rule)."""
    sats_rader = list(Tilskuddssats.objects.filter(gyldig_aar__lte=max(aarene)))
    kostnader = list(Kostnadsanslag.objects.filter(aar__lte=max(aarene)))
    return {aar: _satser_fra(aar, [r for r in sats_rader if r.gyldig_aar <= aar],
                             [k for k in kostnader if k.aar <= aar]) for aar in aarene}


def _satser_fra(aar, sats_rader, kostnader):
    """The rule: per category the newest year's five-year amount; the variants from the newest year
    that has a person category; the newest cost estimate and KS' extra, each on its own."""
    grupper = defaultdict(list)
    for r in sats_rader:
        grupper[r.gyldig_aar, r.kategori].append(r)
    belop = {}
    for (gyldig, kategori), rader in grupper.items():
        total, rad = _femaarsbelop(rader)
        if total is not None:
            belop[gyldig, kategori] = Sats(total, gyldig, Kategori(kategori).label, rad.kilde, rad.kilde_url)
    aarene = sorted({g for g, _k in belop}, reverse=True)
    lav = hoy = None
    for g in aarene:
        person = [s for (y, k), s in belop.items() if y == g and k in PERSONKATEGORIER]
        if person:
            lav, hoy = min(person, key=lambda s: s.belop), max(person, key=lambda s: s.belop)
            break
    ks = next((belop[g, Kategori.KS_TILLEGG] for g in aarene if (g, Kategori.KS_TILLEGG) in belop), None)
    k = max(kostnader, key=lambda k: k.aar, default=None)
    kostnad = Sats(k.kroner_per_person, k.aar, _("Kostnad per person over fem år"), k.kilde, k.kilde_url) if k else None
    return Satser(aar=aar, lav=lav, hoy=hoy, kostnad=kostnad, ks_tillegg=ks)
