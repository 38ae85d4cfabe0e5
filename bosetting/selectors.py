"""The figures engine: the case of whole years for many kommuner, or all years for one kommune,
each in a constant number of queries. Every reader of the case's figures (overview, kommune page,
dashboard, county report, forecast, rules, reminders, imports and their exports) gets its `Sak`s
from here; the rules themselves are vedtak.rules and bosetting.status."""

import datetime
import json
from collections import defaultdict, namedtuple
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import CharField, IntegerField, Q, TextField, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from core.access import kommune_gate
from kommuner.models import Fylke, Kommune, KommuneOvergang
from vedtak.choices import Utfall
from vedtak.models import Anmodning, Bosettingsbehov, Vedtak
from vedtak.rules import (
    covers,
    is_pending,
    letter_order,
    request_in_force,
    vedtak_in_force,
    vedtak_in_force_q,
    vedtak_order,
)

from .models import Aarsaker, Bolig, Bosatt, Planrevisjon, Tjenestekapasitet
from .status import FIGURER, Sak, Tall, bosatt_aarstall, celle


def _sum(values):
    """Sum of optional ints; None when every value is unknown."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


# What Sak.status() reads: computed whatever subset a reader asks for.
STATUS_FIGURER = ("anmodning", "vedtak", "bosatt")
_ANMODNING_NYESTE = {"anmodning_ema_under_15": "ema_under_15", "anmodning_ema_15_18": "ema_15_18"}


@lru_cache(maxsize=8)
def _plan(navn):
    """For a tuple of figure names (None: all of FIGURER): the names, those read from the newest
    letter, and the vedtak and settled figures, in FIGURER's order."""
    valgt = [f for f in FIGURER if navn is None or f.navn in navn or f.navn in STATUS_FIGURER]
    return (tuple(f.navn for f in valgt), tuple((n, felt) for n, felt in _ANMODNING_NYESTE.items()
                                                if any(f.navn == n for f in valgt)),
            tuple(f for f in valgt if f.kilde == "vedtak"), tuple(f for f in valgt if f.kilde == "bosatt"))


def _sak(kommune, aar, anmodninger, vedtak_list, bosatte, *, fylke=None, merknad="", kilder=None, figurer=None):
    """The Sak of one kommune-year, or several source kommuner rolled up (lists per source): the
    one place where the rules (vedtak.rules, bosatt_aarstall) turn rows into the year's figures.

    `figurer`: the names of the figures a reader needs (default: every one of FIGURER). Those of
    STATUS_FIGURER are always computed, so status() holds; `tall` then has only these, and the
    Sak's other fields (anmodet_ema, bosatt_kollektiv, avtalt) are unknown unless asked for.
    For readers that throw the Sak away at once (the overview's rows: oversikt.RAD_FIGURER)."""
    navn, nyeste_felt, vedtak_figurer, bosatt_figurer = _plan(figurer)
    tall = {n: Tall() for n in navn}
    frister, chosen, avventer, decided = [], [], False, False
    for a_rows, v_rows, b_rows in zip(anmodninger, vedtak_list, bosatte, strict=True):
        if a_rows:
            total, ema = request_in_force(a_rows)
            verdier = [("anmodning", total), ("anmodning_ema", ema)]
            if nyeste_felt:
                newest = max(a_rows, key=letter_order)
                verdier += [(n, getattr(newest, felt)) for n, felt in nyeste_felt]
            for n, verdi in verdier:
                if verdi is not None and n in tall:
                    tall[n] = tall[n] + verdi
            frister += [a.svarfrist for a in a_rows if a.svarfrist]
        v = vedtak_in_force(v_rows, aar)
        if v is not None:
            chosen.append(v)
            if is_pending(v):
                avventer = True
            else:
                decided = True
                for f in vedtak_figurer:
                    tall[f.navn] = tall[f.navn] + celle(v, f.felt)
        if b_rows:
            for f in bosatt_figurer:
                tall[f.navn] = tall[f.navn] + bosatt_aarstall(b_rows, f.felt)
    vedtatt = tall["vedtak"]

    def figur(n):
        return tall[n] if n in tall else Tall()
    return Sak(
        kommune=kommune, aar=aar, anmodet=tall["anmodning"].verdi, anmodet_ema=figur("anmodning_ema").verdi,
        svarfrist=max(frister) if frister else None,
        vedtak=chosen[0] if len(chosen) == 1 else None,
        vedtatt=vedtatt.verdi, vedtatt_prikket=bool(vedtatt.skjulte),
        avventer=avventer and not decided,
        bosatt=tall["bosatt"], bosatt_kollektiv=figur("bosatt_kollektiv"), avtalt=figur("avtalt"),
        fylke=fylke or kommune.fylke, merknad=merknad, kilder=kilder or [kommune], tall=tall,
    )


ANMODNING_FIELDS = ("pk", "kommune_id", "aar", "type", "dato_sendt", "svarfrist", "antall", "herav_ema", "ema_under_15",
                    "ema_15_18", "opprettet")


@lru_cache(maxsize=256)
def _prikket(text):
    """A `prikket` JSON text as a tuple of field names (the few distinct texts recur)."""
    return tuple(json.loads(text) or ())


class _Rad:
    """Just the columns the yearly figures need, without a model instance: there are thousands of
    rows per year, and building model instances was most of the overview's time. A tuple with named
    fields (`_rad_class`): built in C from the database row, read in C."""

    __slots__ = ()

    def er_prikket(self, field):
        p = self.prikket
        if not p or p == "[]":  # nearly every row: nothing suppressed
            return False
        if isinstance(p, str):  # the JSON text (saker_for_aar reads it so, to skip decoding "[]")
            p = _prikket(p)
        return field in p


def _rad_class(name, fields, base=_Rad):
    """A row class: a namedtuple of `fields` with the methods of `base`."""
    return type(name, (base, namedtuple(f"_{name}", fields)), {"__slots__": (), "FIELDS": fields,
                                                               "__module__": __name__})


BOSATT_FIELDS = ("kommune_id", "aar", "maaned", *(f.felt for f in FIGURER if f.kilde == "bosatt"), "prikket")
BosattRad = _rad_class("BosattRad", BOSATT_FIELDS)

VEDTAK_FIELDS = ("pk", "kommune_id", "aar", "aar_til", "erstattet_av_id", "status", "antall", "herav_ema", "dato",
                 "opprettet", "prikket")


class _VedtakBase(_Rad):
    __slots__ = ()
    utfall_mot = Vedtak.utfall_mot  # reads status and antall only


VedtakRad = _rad_class("VedtakRad", VEDTAK_FIELDS, _VedtakBase)
AnmodningRad = _rad_class("AnmodningRad", ANMODNING_FIELDS)


def _rows_by_kommune(aarene, ids):
    """{(year, kommune id): rows} of requests, vedtak in force and settled, three queries for all
    the years together. `ids` None: every kommune's rows (the whole country: no list of ids to
    send and bind, which cost more than reading the rows)."""
    anmodninger, vedtak, bosatte = defaultdict(list), defaultdict(list), defaultdict(list)

    def scoped(qs):
        return qs if ids is None else qs.filter(kommune_id__in=ids)

    new = tuple.__new__
    # Only the columns _sak reads: model instances with every column cost most of the overview's time.
    for values in scoped(Anmodning.objects.filter(aar__in=aarene)).order_by().values_list(*ANMODNING_FIELDS):
        a = new(AnmodningRad, values)
        anmodninger[a.aar, a.kommune_id].append(a)
    in_force = Q()
    for aar in aarene:
        in_force |= vedtak_in_force_q(aar)
    for values in (scoped(Vedtak.objects.filter(in_force)).order_by()
                   .annotate(prikket_tekst=Cast("prikket", TextField()))
                   .values_list(*VEDTAK_FIELDS[:-1], "prikket_tekst")):
        v = new(VedtakRad, values)
        for aar in aarene:
            if covers(v, aar):
                vedtak[aar, v.kommune_id].append(v)
    # `prikket` as text: decoding thousands of JSON lists (nearly all "[]") was a tenth of the page.
    for values in (scoped(Bosatt.objects.filter(aar__in=aarene)).order_by()
                   .annotate(prikket_tekst=Cast("prikket", TextField()))
                   .values_list(*BOSATT_FIELDS[:-1], "prikket_tekst")):
        b = new(BosattRad, values)
        bosatte[b.aar, b.kommune_id].append(b)
    return anmodninger, vedtak, bosatte


def _gyldig_i(kommune, aar):
    """KommuneQuerySet.gyldige_i_aar for one kommune."""
    return ((kommune.gyldig_fra is None or kommune.gyldig_fra <= datetime.date(aar, 12, 31))
            and (kommune.gyldig_til is None or kommune.gyldig_til >= datetime.date(aar, 1, 1)))


def saker_for_aar(aar, kommuner=None, *, historisk=False):
    """One Sak per kommune for a year, in five queries whatever the number of kommuner.

    Default: today's kommuner in `kommuner`, each with the figures of the historic kommuner it
    came from rolled up (Indre Østfold 2014 = Askim + Eidsberg + Hobøl + Spydeberg + Trøgstad).
    A kommune that was split is not divided: it gets its own row with a note.
    `historisk=True`: the kommuner as they were that year, each with its own figures only.
    """
    return saker_for_aarene([aar], kommuner, historisk=historisk)[aar]


def saker_for_aarene(aarene, kommuner=None, *, historisk=False):
    """saker_for_aar for several consecutive years at once: {year: [Sak]}, still five queries."""
    return _saker_for_aarene(aarene, kommuner, historisk=historisk)


def _saker_for_aarene(aarene, kommuner=None, *, historisk=False, figurer=None):
    """saker_for_aarene with only some figures computed (`figurer`, as _sak)."""
    aarene = sorted(aarene)
    qs = (kommuner if kommuner is not None else Kommune.objects.all()).with_register()
    if historisk:
        start, end = datetime.date(aarene[0], 1, 1), datetime.date(aarene[-1], 12, 31)
        rows = list(qs.filter(Q(gyldig_fra__isnull=True) | Q(gyldig_fra__lte=end),
                              Q(gyldig_til__isnull=True) | Q(gyldig_til__gte=start))
                    .order_by("fylke__nummer", "nummer"))
        anm, ved, bos = _rows_by_kommune(aarene, [k.pk for k in rows])
        return {aar: [_sak(k, aar, [anm[aar, k.pk]], [ved[aar, k.pk]], [bos[aar, k.pk]], figurer=figurer)
                      for k in rows if _gyldig_i(k, aar)] for aar in aarene}

    if kommuner is None:
        # The whole country: every kommune in one query, the transitions as bare ids (joining each
        # transition's historic kommune, fylke and office built three model instances per row).
        # The fylker (and their offices) read once and shared: joined, every kommune built its own
        # pair, a third of the page's short-lived objects (and of its garbage collections).
        fylker = Fylke.objects.select_related("statsforvalter").in_bulk()
        alle = {}
        for k in Kommune.objects.order_by("fylke__nummer", "nummer"):
            k._state.fields_cache["fylke"] = fylker.get(k.fylke_id)
            alle[k.pk] = k
        rows = [k for k in alle.values() if k.gyldig_til is None]
        overganger = sorted(KommuneOvergang.objects.values_list("historisk_id", "gjeldende_id", "delt"),
                            key=lambda o: (alle[o[0]].nummer, alle[o[1]].nummer))
    else:
        rows = list(qs.gjeldende().order_by("fylke__nummer", "nummer"))
        alle, overganger = {}, []
        for o in KommuneOvergang.objects.filter(gjeldende_id__in=[k.pk for k in rows]).select_related(
                "historisk__fylke__statsforvalter").order_by("historisk__nummer", "gjeldende__nummer"):
            alle[o.historisk_id] = o.historisk
            overganger.append((o.historisk_id, o.gjeldende_id, o.delt))
    by_id = {k.pk: k for k in rows}
    sources = {k.pk: [k] for k in rows}
    split = {}
    for historisk_id, gjeldende_id, delt in overganger:
        if historisk_id == gjeldende_id or gjeldende_id not in by_id:
            continue
        if delt:
            split.setdefault(historisk_id, (alle[historisk_id], by_id[gjeldende_id], []))[2].append(by_id[gjeldende_id])
        else:
            sources[gjeldende_id].append(alle[historisk_id])
    ids = {s.pk for srcs in sources.values() for s in srcs} | set(split)
    # The whole country: every row is read anyway, without sending the ids.
    anm, ved, bos = _rows_by_kommune(aarene, None if kommuner is None else ids)
    out = {}
    for aar in aarene:
        def collect(srcs, aar=aar):
            return [anm[aar, s.pk] for s in srcs], [ved[aar, s.pk] for s in srcs], [bos[aar, s.pk] for s in srcs]

        saker = [_sak(k, aar, *collect(sources[k.pk]), kilder=sources[k.pk], figurer=figurer) for k in rows]
        for hist, first, successors in split.values():
            if not (anm[aar, hist.pk] or ved[aar, hist.pk] or bos[aar, hist.pk]):
                continue
            note = _("Kommunen ble delt (%(til)s); tallene fordeles ikke mellom etterfølgerne.") % {
                "til": ", ".join(f"{k.nummer} {k.navn}" for k in successors)}
            saker.append(_sak(hist, aar, *collect([hist]), fylke=first.fylke, merknad=note, figurer=figurer))
        saker.sort(key=lambda s: (s.fylke.nummer, s.kommune.nummer))
        out[aar] = saker
    return out


def saker_for_par(pairs):
    """{(kommune id, year): Sak} with each kommune's own figures, not rolled up (what an import
    compares with and the long export writes), for the given pairs; four queries."""
    pairs = set(pairs)
    if not pairs:
        return {}
    ids = {k for k, _a in pairs}
    aarene = sorted({a for _k, a in pairs})
    kommuner = Kommune.objects.with_register().in_bulk(ids)
    anm, ved, bos = _rows_by_kommune(aarene, ids)
    return {(k, a): _sak(kommuner[k], a, [anm[a, k]], [ved[a, k]], [bos[a, k]])
            for k, a in pairs if k in kommuner}


def nasjonale_rader(aar):
    """saker_for_aar(aar) for the whole country as overview rows (each linked to its kommune page),
    with their national sum: (rows, sum row). Cached until the figures change
    (bosetting.tallcache); fresh objects on every call."""
    return nasjonale_rader_for([aar])[aar]


def nasjonale_rader_for(aarene):
    """nasjonale_rader for consecutive years: {year: (rows, sum row)}, computed together."""
    from core import tallcache

    from .oversikt import RAD_FIGURER, rad_fra_sak, sum_rad

    def compute(missing):
        out = {}
        for aar, saker in _saker_for_aarene(missing, figurer=RAD_FIGURER).items():
            urls = kommune_urls(s.kommune for s in saker)
            rader = [rad_fra_sak(s, url=urls[s.kommune.pk]) for s in saker]
            out[aar] = (rader, sum_rad(rader, niva=2, kommune=_("Hele landet")))
        return out
    return tallcache.cached_many("rader", compute, list(aarene))


def kommune_urls(kommuner):
    """{pk: Kommune.get_absolute_url()} for many kommuner: one reverse() with a stand-in number,
    the numbers put in (a reverse() per row was a tenth of the national rows' time)."""
    probe = "9999"
    mal = Kommune(nummer=probe).get_absolute_url()
    if mal.count(probe) != 1:  # pragma: no cover - the stand-in is also in the path itself
        return {k.pk: k.get_absolute_url() for k in kommuner}
    return {k.pk: mal.replace(probe, k.nummer) if k.nummer.isdigit() else k.get_absolute_url() for k in kommuner}


def maanedstall(aarene, *, planer=False):
    """Every kommune's monthly settled rows (maaned 1–12) for the years, in one query: the shape of
    each kommune's year for the forecast (rapporter.forecast: profiles and back-test), never a
    kommune's settled figure, which is `Sak.bosatt`.

    Returns (months, fylke, demo): {(kommune id, year): {month: int | None}} with a suppressed
    month as None (unknown, not 0); {kommune id: fylke number} for the kommuner with rows; and the
    years some of whose rows are demo data (kilde=demo), so a page can say so. With `planer`, the
    same query also reads the years' plan revisions (a UNION: the forecast's pages are at their
    query budget) and a fourth item holds them for `planer_ved`."""
    from vedtak.choices import Kilde

    months, fylke, demo, revisjoner = defaultdict(dict), {}, set(), []
    rows = (Bosatt.objects.filter(aar__in=list(aarene), maaned__gte=1).order_by()
            .annotate(prikket_tekst=Cast("prikket", TextField()), tid=Value(None, output_field=CharField()))
            .values_list("kommune_id", "kommune__fylke__nummer", "aar", "maaned", "antall", "prikket_tekst", "kilde",
                         "tid"))
    if planer:
        rows = rows.union(_planrevisjoner(aarene).annotate(fylke_nr=Value("", output_field=CharField()),
                                                           maaned_=Value(0, output_field=IntegerField()))
                          .values_list("kommune_id", "fylke_nr", "aar", "maaned_", "nummer", "plan_tekst",
                                       "kilde_", "tid"), all=True)
    for kommune_id, fylke_nr, aar, maaned, antall, prikket, kilde, tid in rows:
        if maaned == 0:  # a plan revision: `antall` its number, `prikket` its plan
            revisjoner.append((kommune_id, aar, antall, _tidspunkt(tid), json.loads(prikket)))
            continue
        suppressed = bool(prikket) and prikket != "[]" and "antall" in _prikket(prikket)
        months[kommune_id, aar][maaned] = None if suppressed else antall
        fylke[kommune_id] = fylke_nr
        if kilde == Kilde.DEMO:
            demo.add(aar)
    if planer:
        return dict(months), fylke, demo, revisjoner
    return dict(months), fylke, demo


def _tidspunkt(tekst):
    """A time read as text (the connection's time zone is UTC; SQLite keeps it without one)."""
    t = datetime.datetime.fromisoformat(tekst)
    return t if t.tzinfo else t.replace(tzinfo=datetime.UTC)


def _planrevisjoner(aarene):
    """The years' plan revisions, their plan and time as text (for maanedstall's UNION)."""
    return (Planrevisjon.objects.filter(aar__in=list(aarene)).order_by()
            .annotate(plan_tekst=Cast("plan", TextField()), kilde_=Value("", output_field=CharField()),
                      tid=Cast("tidspunkt", CharField())))


def maaneder_for_kilder(months, kilder, aar):
    """A kommune-year's months summed over its source kommuner (`Sak.kilder`, as the Sak sums their
    figures), from `maanedstall`'s months: {month: int | None}, a month unknown in a source that
    has rows that year is unknown; {} when no source has monthly rows that year."""
    out = {}
    for k in kilder:
        own = months.get((k.pk, aar))
        if own is None:
            continue
        for m in range(1, 13):
            v, before = own.get(m), out.get(m, 0)
            out[m] = None if v is None or before is None else before + v
    return out


def plan_frist(aar, maaned):
    """The end of month `maaned` of `aar` in Europe/Oslo (aware): a plan revised after it was
    not known when that month's settled count was."""
    from zoneinfo import ZoneInfo

    neste = datetime.date(aar + maaned // 12, maaned % 12 + 1, 1)
    return datetime.datetime.combine(neste, datetime.time(), tzinfo=ZoneInfo("Europe/Oslo"))


def planer_per_dato(aarene, maaned, *, i_kraft=()):
    """Every kommune's settlement plan for the years as it stood at the end of month `maaned` of
    each year (Europe/Oslo), in one query; see `planer_ved`."""
    rows = _planrevisjoner(aarene).values_list("kommune_id", "aar", "nummer", "tidspunkt", "plan")
    return planer_ved(rows, aarene, maaned, i_kraft=i_kraft)


def planer_ved(revisjoner, aarene, maaned, *, i_kraft=()):
    """The plans as they stood at the end of month `maaned` of each year (Europe/Oslo), from plan
    revisions (kommune id, year, number, time, plan): per kommune-year the highest-numbered one
    made before then, so a back-test never uses a plan revised after the fact. The years in
    `i_kraft` take the plan in force (the newest revision). Returns {(kommune id, year): {month:
    plasser}}; a kommune-year without such a revision, or whose revision plans no month, is left out."""
    frister = {y: plan_frist(y, maaned) for y in aarene if y not in i_kraft}
    valgt = {}
    for kommune_id, aar, nummer, tidspunkt, plan in revisjoner:
        if aar in frister and tidspunkt >= frister[aar]:
            continue
        if (kommune_id, aar) not in valgt or nummer > valgt[kommune_id, aar][0]:
            valgt[kommune_id, aar] = (nummer, plan)
    out = {}
    for key, (_n, plan) in valgt.items():
        months = {int(m): v[0] for m, v in plan.items() if v and v[0] is not None}
        if months:
            out[key] = months
    return out


def plan_for_kilder(planer, kilder, aar):
    """A kommune-year's plan summed over its source kommuner (`Sak.kilder`), as
    `maaneder_for_kilder` sums their months: {month: plasser}; a month one planning source leaves
    out is not planned (a part of it would understate it); sources without a plan that year are
    left out; {} when none has one."""
    deler = [planer[k.pk, aar] for k in kilder if (k.pk, aar) in planer]
    if not deler:
        return {}
    return {m: sum(d[m] for d in deler) for m in range(1, 13) if all(m in d for d in deler)}


def behov_for_aar(aar):
    """The newest revision of the national need for a year (None if none registered)."""
    return Bosettingsbehov.objects.filter(aar=aar).order_by("-opprettet", "-id").first()


# --- the kommune page ---------------------------------------------------------------------

MAANEDER = ["jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des"]


def kommune_aar(kommune, *, user=None, overganger_inn=None):
    """Every year with data for a kommune and its (non-split) predecessors, newest first:
    requests (all letters), vedtak (superseded too), monthly settled, housing, reasons, the Sak.
    Six queries whatever the number of years; five when the caller has read the KommuneOvergang
    rows into this kommune (`overganger_inn`, with `historisk`)."""
    from .oversikt import rad_fra_sak

    if overganger_inn is None:
        overganger_inn = KommuneOvergang.objects.filter(gjeldende=kommune).select_related("historisk__fylke")
    forgjengere = sorted((o.historisk for o in overganger_inn if not o.delt and o.historisk_id != kommune.pk),
                         key=lambda k: k.nummer)
    srcs = [kommune, *forgjengere]
    ids = [k.pk for k in srcs]
    by_id = {k.pk: k for k in srcs}
    per = defaultdict(lambda: {"anmodninger": [], "vedtak": [], "bosatte": [], "bolig": [], "aarsaker": [],
                               "tjenester": []})

    def rows(qs):
        # The kommune is one of `srcs`: attached from memory, not joined on every row (a row's
        # related-object cache; joining built a Kommune per row, a third of the page's time).
        for obj in qs.filter(kommune_id__in=ids):
            obj._state.fields_cache["kommune"] = by_id[obj.kommune_id]
            yield obj

    for a in rows(Anmodning.objects.all()):
        per[a.aar]["anmodninger"].append(a)
    for v in rows(Vedtak.objects.select_related("anmodning", "erstattet_av")):
        for y in range(v.aar, (v.aar_til or v.aar) + 1):
            per[y]["vedtak"].append(v)
    for b in rows(Bosatt.objects.all()):
        per[b.aar]["bosatte"].append(b)
    for b in rows(Bolig.objects.all()):
        per[b.aar]["bolig"].append(b)
    for a in rows(Aarsaker.objects.all()):
        per[a.aar]["aarsaker"].append(a)
    for t in rows(Tjenestekapasitet.objects.all()):
        per[t.aar]["tjenester"].append(t)

    years = []
    for aar in sorted(per, reverse=True):
        d = per[aar]
        by_src = [([a for a in d["anmodninger"] if a.kommune_id == s.pk],
                   [v for v in d["vedtak"] if v.kommune_id == s.pk],
                   [b for b in d["bosatte"] if b.kommune_id == s.pk]) for s in srcs]
        sak = _sak(kommune, aar, *map(list, zip(*by_src, strict=True)), kilder=srcs)
        # In force for this year (per source kommune): the rule's choice, not just "not superseded".
        i_kraft = {v.pk for _a, v_rows, _b in by_src if (v := vedtak_in_force(v_rows, aar)) is not None}
        d["anmodninger"].sort(key=letter_order)
        d["vedtak"].sort(key=vedtak_order, reverse=True)
        vedtak_rader = [{"vedtak": v, "utfall": Utfall(v.utfall_mot(sak.anmodet)).label,
                         "gjeldende": v.pk in i_kraft} for v in d["vedtak"]]
        # The year as an overview row too: its status text and gaps, as every other page shows them.
        years.append({"aar": aar, "sak": sak, "status": sak.status(), "rad": rad_fra_sak(sak),
                      "maaneder": _maaneder(d["bosatte"], sak),
                      "vedtak_rader": vedtak_rader, "hele_aar": [b for b in d["bosatte"] if not b.maaned], **d})
    return years


def _maaneder(bosatte, sak):
    """Month-by-month settled (summed over source kommuner) and cumulative, for the bar chart."""
    monthly = defaultdict(lambda: Tall())
    for b in bosatte:
        if b.maaned:
            monthly[b.maaned] = monthly[b.maaned] + celle(b, "antall")
    if not monthly:
        return []
    maal = sak.vedtatt or max((t.verdi or 0) for t in monthly.values()) or 1
    out, cum = [], 0
    for m in range(1, 13):
        t = monthly.get(m)
        if t is None:
            continue
        cum += t.verdi or 0
        out.append({"maaned": m, "navn": MAANEDER[m - 1], "antall": t, "kumulativt": cum,
                    "prosent": min(100, round(100 * cum / maal)) if maal else 0})
    return out


def kommune_tidslinje(kommune, *, user=None, limit=200):
    """Recorded changes for the kommune and its predecessors, if the user may read it."""
    from core.models import Endring

    qs = Kommune.objects.filter(Q(pk=kommune.pk) | Q(overganger__gjeldende=kommune))
    # A kommune's predecessors are in the scope of whoever may read it (core.access), so the
    # scope is asked once, of the kommune.
    gate = kommune_gate(user, kommune) if user is not None else Q()
    return list(Endring.objects.filter(gate, kommune__in=qs.values("pk")).select_related("bruker", "kommune")
                .order_by("-tidspunkt", "-id")[:limit])


def tom_sak(kommune, aar):
    """The Sak of a kommune-year without any figures."""
    return _sak(kommune, aar, [[]], [[]], [[]])


def kommune_sak_context(kommune, user):
    """What the kommune page shows about the settlement case, apart from the years themselves
    (kommune_aar, which the page renders once per figures version)."""
    from core.access import can
    from vedtak.models import Aarslaas

    return {
        "laaste_aar": sorted(Aarslaas.objects.filter(laast=True).values_list("aar", flat=True)),
        "tidslinje": kommune_tidslinje(kommune, user=user),
        "kan_skrive_sak": kommune.er_gjeldende and can(user, "sak"),
        "kan_anmode": kommune.er_gjeldende and can(user, "anmodning"),
    }


# --- generated demo data --------------------------------------------------------------------

@dataclass(frozen=True)
class Syntetisk:
    """The years that hold generated demo rows (Kilde.DEMO): `tall` those whose requests, vedtak or
    settled figures do, `andre` those whose housing, reasons or services do, `plan` those whose
    settlement plans do. Every page says so."""

    tall: tuple = ()
    andre: tuple = ()
    plan: tuple = ()

    def __bool__(self):
        return bool(self.tall or self.andre or self.plan)

    def tekst(self, aarene=None):
        """The notice (Bokmål/Nynorsk), for the given years only (None: all); "" when none."""
        def vis(years):
            return ", ".join(str(y) for y in years if aarene is None or y in aarene)
        deler = []
        if tall := vis(self.tall):
            deler.append(_("Syntetiske demotall: anmodning, vedtak og bosatte for %(aar)s er laget for "
                           "demonstrasjon og er ikke ekte tall.") % {"aar": tall})
        if andre := vis(self.andre):
            deler.append(_("Boligtall, årsaker og tjenester for %(aar)s er syntetiske demotall.") % {"aar": andre})
        if plan := vis(self.plan):
            deler.append(_("Bosettingsplanene for %(aar)s er syntetiske demotall.") % {"aar": plan})
        return " ".join(deler)


SYNTETISK = "syn:"  # core.tallcache markers: "syn:t2022" (figures of 2022), "syn:a2024" (housing, reasons,
# services), "syn:p2026" (settlement plans)


def syntetiske_aar_fra_radene():
    """Syntetisk from the rows themselves (kilde=demo), one query: what `syntetiske_aar_merk`
    records after the demo data are written."""
    from vedtak.choices import Kilde

    parts = [m.objects.filter(kilde=Kilde.DEMO).order_by().values_list("aar", Value(kind, output_field=CharField()))
             .distinct() for m, kind in ((Anmodning, "t"), (Vedtak, "t"), (Bosatt, "t"), (Bolig, "a"), (Aarsaker, "a"),
                                            (Tjenestekapasitet, "a"), (Planrevisjon, "p"))]
    found = set(parts[0].union(*parts[1:]))
    return Syntetisk(*(tuple(sorted({a for a, k in found if k == kind})) for kind in "tap"))


def syntetiske_aar_merk():
    """Record the years with generated rows as markers (core.tallcache), in the writer's
    transaction: every page reads them with the figures version, at no extra query."""
    from core import tallcache

    s = syntetiske_aar_fra_radene()
    tallcache.merker_sett(SYNTETISK, [f"t{a}" for a in s.tall] + [f"a{a}" for a in s.andre]
                          + [f"p{a}" for a in s.plan])
    return s


def syntetiske_aar():
    """Syntetisk: the years with generated demo figures (the markers `syntetiske_aar_merk` set)."""
    from core import tallcache

    merker = [m[len(SYNTETISK):] for m in tallcache.merker() if m.startswith(SYNTETISK)]
    return Syntetisk(*(tuple(sorted(int(m[1:]) for m in merker if m[0] == kind)) for kind in "tap"))


def tjenester_for_kommuner(user, aar, kommune_ids=None):
    """{kommune id: Tjenestekapasitet} of the year for the kommuner the user may read (case data,
    like the kommune page; user None: every kommune), optionally only `kommune_ids`: one query
    whatever the number of kommuner."""
    qs = Tjenestekapasitet.objects.filter(aar=aar).order_by()
    if user is not None:
        qs = qs.filter(kommune__in=Kommune.objects.for_user(user))
    if kommune_ids is not None:
        qs = qs.filter(kommune_id__in=list(kommune_ids))
    return {t.kommune_id: t for t in qs}
