"""Demo case data for `seed_demo`: real figures wherever the project has them, generated ones
only where nothing real exists, marked `kilde=demo` (every page then says «syntetiske demotall»:
bosetting.selectors.syntetiske_aar).

Real, loaded through the import pipeline as IMDi's (imports.imdi.FILES): per kommune 2024 (IMDi's
figures of 13.11.2024 as compiled by Samarbeidsdesken), 2025 and 2026. IMDi's county tables for
2016–2017 and 2024–2026 are shown as they are on the county report (imports.imdi.imdi_fylketall).
Generated: the kommune figures of 2022 and 2023 (shaped like 2024's real requests, scaled to the
national requests of those years), and housing and reasons (no real source) for 2022–2024.
Generated too: settlement plans (no real source) for the kommuner of the demo office in
PLAN_AAR, each from the kommune's vedtak spread over the months with noise (never from what was
settled), made in January and revised in June (and the running year in November), so the
forecast's back-test has plan years; and the first half of the year after the running one, planned
that November, so the three-month pipeline reaches into the new year. Fast (bulk) and idempotent:
a second run adds nothing."""

import datetime
import random

from django.core.exceptions import ValidationError
from django.db import transaction

from bosetting.choices import Aarsak, Virkemiddel
from bosetting.models import Aarsaker, Bolig, Bosatt, Bosettingsplan, Planrevisjon, Tjenestekapasitet
from bosetting.selectors import saker_for_aar, syntetiske_aar_merk
from core.history import history_entry, history_record_bulk
from imports.imdi import FILES, imdi_tall_load, read_rows
from kommuner.models import Kommune
from vedtak.choices import AnmodningType, Kilde, Organ
from vedtak.models import Anmodning, Bosettingsbehov, Vedtak

REAL_AAR = tuple(sorted(FILES))  # IMDi's per-kommune tables
DEMO_AAR = (2022, 2023)  # no real per-kommune figures: generated
ANDRE_AAR = (2022, 2023, 2024)  # housing and reasons: generated (no real source for any year)
BASE_AAR = 2024  # the real requests the generated years are shaped like
PLAN_AAR = (2022, 2023, 2026)  # generated plans: the years with monthly rows, and the running year
PLAN_FYLKER = ("31", "32", "33", "03")  # the demo Statsforvalter's fylker
# National requests of the generated years (2023: IMDi's adjusted request; 2022: rough).
NASJONALT = {2022: 35000, 2023: 38000}
BEHOV = [  # (year, number, EMA, comment)
    (2022, 35000, None, "Demodata (syntetisk)"), (2023, 38000, None, "Justert anmodning 2023 (IMDi)"),
    (2024, 37000, None, "Anmodet 2024 (IMDi)"),
    (2025, 18900, None, "Opprinnelig behov (IMDi)"), (2025, 12640, None, "Justert behov (IMDi)"),
    (2026, 13000, 651, "Anmodet 2026 (IMDi)"),
]


def seed_demo_case(stdout=None):
    def say(msg):
        if stdout:
            stdout.write(msg)

    removed = _remove_demo_figures(REAL_AAR)
    if removed:
        say(f"Demodata for år med ekte tall fjernet: {removed} rader.")
    for aar in REAL_AAR:
        try:
            imp = imdi_tall_load(aar)
            say(f"IMDi {aar}: {imp.antall_nye} nye, {imp.antall_endret} endret, {imp.antall_uendret} uendret.")
        except ValidationError as exc:
            say(f"IMDi {aar}: ikke lastet ({'; '.join(exc.messages)})")
    _behov()
    made = _demo_years()
    planer = _demo_planer()
    if planer:
        say(f"Syntetiske bosettingsplaner {', '.join(map(str, PLAN_AAR))} og {PLAN_AAR[-1] + 1}: {planer} revisjoner "
            "(kilde=demo).")
    say(f"Syntetiske demotall {DEMO_AAR[0]}–{DEMO_AAR[-1]} (boliger og årsaker til {ANDRE_AAR[-1]}): {made} nye "
        f"rader (kilde=demo)." if made else "Syntetiske demotall finnes fra før.")
    tjenester = _demo_tjenester()
    if tjenester:
        say(f"Syntetiske tjenester og press {BASE_AAR}: {tjenester} nye rader (kilde=demo).")
    with transaction.atomic():
        syntetiske_aar_merk()  # every page says which years are generated


@transaction.atomic
def _remove_demo_figures(aarene):
    """Generated figures of years that now have real ones (a database seeded before they were
    loaded): removed, with a history entry each, so no year mixes real and generated figures."""
    entries, n = [], 0
    for model in (Vedtak, Bosatt, Anmodning):
        qs = model.objects.filter(kilde=Kilde.DEMO, aar__in=aarene)
        entries += [history_entry(obj=o, handling=f"{o._meta.model_name}.slettet", import_ref="demo",
                                  kommentar="Demodata erstattet av IMDis tall") for o in qs if model is not Bosatt]
        n += qs.delete()[0]
    history_record_bulk(entries)
    return n


@transaction.atomic
def _behov():
    if Bosettingsbehov.objects.exists():
        return
    for i, (aar, antall, ema, kommentar) in enumerate(BEHOV):
        Bosettingsbehov.objects.create(aar=aar, antall=antall, herav_ema=ema, kommentar=kommentar,
                                       opprettet=datetime.datetime(aar - 1, 6, 1 + i, tzinfo=datetime.UTC))


@transaction.atomic
def _demo_years():
    if Anmodning.objects.filter(kilde=Kilde.DEMO).exists() or Aarsaker.objects.filter(kilde=Kilde.DEMO).exists():
        return 0
    base = {r["kommunenummer"]: int(r["anmodet"]) for r in read_rows(FILES[BASE_AAR]) if r["anmodet"].isdigit()}
    kommuner = list(Kommune.objects.gjeldende().order_by("nummer"))
    anmodninger, vedtak, bosatte, boliger, aarsaker = [], [], [], [], []
    for aar in DEMO_AAR:
        skala = NASJONALT[aar] / sum(base.values())
        for k in kommuner:
            rnd = random.Random(f"{k.nummer}-{aar}")
            anmodet = round(max(base.get(k.nummer, 0), rnd.choice([0, 0, 5, 10])) * skala / 5) * 5
            if not anmodet:
                continue
            ema = rnd.choice([None, 0, 2, 5]) if anmodet >= 20 else None
            a = Anmodning(kommune=k, aar=aar, antall=anmodet, herav_ema=ema, kilde=Kilde.DEMO,
                          dato_sendt=datetime.date(aar - 1, 11, 1), svarfrist=datetime.date(aar, 1, 31),
                          kommentar="Demodata")
            anmodninger.append(a)
            if aar == 2023 and rnd.random() < 0.1:  # an adjusted request mid-year
                anmodninger.append(Anmodning(kommune=k, aar=aar, antall=round(anmodet * 1.2), kilde=Kilde.DEMO,
                                             type=AnmodningType.JUSTERT, dato_sendt=datetime.date(aar, 5, 15),
                                             svarfrist=datetime.date(aar, 6, 30), kommentar="Demodata"))
            ratio = rnd.choices([0, 0.5, 0.8, 1, 1.2], weights=[3, 15, 25, 50, 7])[0]
            vedtatt = round(anmodet * ratio)
            v = Vedtak(kommune=k, aar=aar, antall=vedtatt, kilde=Kilde.DEMO, organ=Organ.KOMMUNESTYRE,
                       dato=datetime.date(aar, 2, rnd.randint(1, 28)), saksnummer=f"{aar % 100}/{rnd.randint(1, 999)}",
                       vilkaar="Demodata", anmodning=a)
            vedtak.append(v)
            if vedtatt:
                andel = rnd.uniform(0.6, 1.05)
                total = round(vedtatt * andel)
                for m in range(1, 13):
                    n = total // 12 + (1 if m <= total % 12 else 0)
                    bosatte.append(Bosatt(kommune=k, aar=aar, maaned=m, antall=n, herav_kollektiv=round(n * 0.8),
                                          kilde=Kilde.DEMO))
            if vedtatt < anmodet and rnd.random() < 0.5:
                aarsaker.append(_aarsaker(k, aar, rnd))
    # Housing and reasons of the first real year: against its real shortfall.
    for s in saker_for_aar(BASE_AAR, Kommune.objects.gjeldende()):
        rnd = random.Random(f"{s.kommune.nummer}-{BASE_AAR}")
        if rnd.random() < 0.3:
            boliger.append(Bolig(kommune=s.kommune, aar=BASE_AAR, tilgjengelige=rnd.randint(0, 20),
                                 under_arbeid=rnd.randint(0, 10), behov=rnd.randint(5, 30), kilde=Kilde.DEMO,
                                 virkemidler=rnd.sample(Virkemiddel.values, 2), merknad="Demodata"))
        if s.anmodet and s.vedtatt is not None and s.vedtatt < s.anmodet and rnd.random() < 0.5:
            aarsaker.append(_aarsaker(s.kommune, BASE_AAR, rnd))
    for objs in (anmodninger, vedtak, bosatte, boliger, aarsaker):
        for o in objs:
            o.full_clean(exclude=["kommune", "anmodning", "opprettet_av", "erstattet_av"], validate_unique=False)
    Anmodning.objects.bulk_create(anmodninger, batch_size=1000)
    for v in vedtak:
        v.anmodning_id = v.anmodning.pk
    Vedtak.objects.bulk_create(vedtak, batch_size=1000)
    Bosatt.objects.bulk_create(bosatte, batch_size=2000)
    Bolig.objects.bulk_create(boliger, batch_size=1000)
    Aarsaker.objects.bulk_create(aarsaker, batch_size=1000)
    # Monthly rows get no history entry each: the demo is one labelled import.
    history_record_bulk(history_entry(obj=o, handling=f"{o._meta.model_name}.importert", import_ref="demo")
                        for o in (*anmodninger, *vedtak, *boliger, *aarsaker))
    return len(anmodninger) + len(vedtak) + len(bosatte) + len(boliger) + len(aarsaker)


def plan_fra_vedtak(vedtatt, rnd, maaneder=range(1, 13)):
    """A plan {month: [plasser, None]} spreading `vedtatt` over the months with noise."""
    per = vedtatt / 12
    return {str(m): [max(round(per * rnd.uniform(0.5, 1.5)), 0), None] for m in maaneder}


REVISJONER = ((1, 15), (6, 10), (11, 5))  # (month, day) of the revisions; November only in the running year


@transaction.atomic
def _demo_planer():
    """Plan revisions for the demo office's kommuner with a vedtak, from that vedtak (see the
    module text); the newest revision's months become the Bosettingsplan rows."""
    if Planrevisjon.objects.filter(kilde=Kilde.DEMO).exists():
        return 0
    kommuner = Kommune.objects.gjeldende().filter(fylke__nummer__in=PLAN_FYLKER)
    revisjoner, rader = [], []
    for aar in PLAN_AAR:
        for s in saker_for_aar(aar, kommuner):
            if not s.vedtatt:
                continue
            rnd = random.Random(f"plan-{s.kommune.nummer}-{aar}")
            plan = plan_fra_vedtak(s.vedtatt, rnd)
            antall = len(REVISJONER) if aar == PLAN_AAR[-1] else 2
            for nummer, (m, d) in enumerate(REVISJONER[:antall], start=1):
                if nummer > 1:  # a revision re-plans the months still to come
                    plan = {**plan, **plan_fra_vedtak(s.vedtatt, rnd, range(m, 13))}
                revisjoner.append(Planrevisjon(kommune=s.kommune, aar=aar, nummer=nummer, plan=plan, kilde=Kilde.DEMO,
                                               tidspunkt=datetime.datetime(aar, m, d, 12, tzinfo=datetime.UTC)))
            if aar == PLAN_AAR[-1]:  # and the first half of next year, planned in November (the pipeline)
                revisjoner.append(Planrevisjon(
                    kommune=s.kommune, aar=aar + 1, nummer=1, plan=plan_fra_vedtak(s.vedtatt, rnd, range(1, 7)),
                    kilde=Kilde.DEMO, tidspunkt=datetime.datetime(aar, 11, 20, 12, tzinfo=datetime.UTC)))
    Planrevisjon.objects.bulk_create(revisjoner, batch_size=1000)
    nyeste = {}
    for r in revisjoner:
        nyeste[r.kommune.pk, r.aar] = r
    for r in nyeste.values():
        rader += [Bosettingsplan(kommune=r.kommune, aar=r.aar, maaned=int(m), plasser=p, boliger=b, revisjon=r)
                  for m, (p, b) in r.plan.items()]
    Bosettingsplan.objects.bulk_create(rader, batch_size=2000)
    history_record_bulk(history_entry(obj=r, handling="planrevisjon.importert", import_ref="demo") for r in revisjoner)
    return len(revisjoner)


# Pressure notes of the kind KS 2024 describes (services under pressure, reception centres opened
# at short notice): generated, no real source.
PRESS_HELSE = ["Lang ventetid hos fastlege og helsestasjon.", "Psykisk helsehjelp har ventelister."]
PRESS_BARNEVERN = ["Barnevernet har flere saker enn stillinger.", "Mange enslige mindreårige krever oppfølging."]
PRESS_TRANSPORT = ["Ledige boliger ligger langt fra norskopplæring og arbeid; lite kollektivtransport.",
                   "Bolig i grendene krever bil; få leiligheter i sentrum."]
PRESS_ANNET = ["Asylmottak åpnet på kort varsel og bruker de samme tjenestene.", "Mangel på barnehageplasser."]


@transaction.atomic
def _demo_tjenester():
    """Service capacity and pressure for about a quarter of the kommuner with a case in BASE_AAR
    (kilde=demo); idempotent."""
    if Tjenestekapasitet.objects.filter(kilde=Kilde.DEMO).exists():
        return 0
    rows = []
    for s in saker_for_aar(BASE_AAR, Kommune.objects.gjeldende()):
        rnd = random.Random(f"tjenester-{s.kommune.nummer}-{BASE_AAR}")
        if not s.anmodet or rnd.random() >= 0.25:
            continue
        mottak = rnd.choice([None, False, False, True])
        t = Tjenestekapasitet(
            kommune=s.kommune, aar=BASE_AAR, kilde=Kilde.DEMO, asylmottak=mottak,
            introduksjonsprogram_plasser=rnd.choice([None, s.anmodet + rnd.randint(0, 40)]),
            norskopplaering_plasser=rnd.choice([None, s.anmodet * 2 + rnd.randint(0, 60)]),
            mottaksplasser=rnd.randint(50, 300) if mottak else None,
            mottak_aapnet=datetime.date(BASE_AAR - rnd.randint(0, 1), rnd.randint(1, 12), 1) if mottak else None,
            press_helse=rnd.choice(["", *PRESS_HELSE]), press_barnevern=rnd.choice(["", "", *PRESS_BARNEVERN]),
            press_transport=rnd.choice(["", *PRESS_TRANSPORT]), press_annet=rnd.choice(["", "", *PRESS_ANNET]))
        t.full_clean(exclude=["kommune", "opprettet_av"], validate_unique=False)
        rows.append(t)
    Tjenestekapasitet.objects.bulk_create(rows, batch_size=1000)
    history_record_bulk(history_entry(obj=o, handling="tjenestekapasitet.importert", import_ref="demo") for o in rows)
    return len(rows)


def _aarsaker(kommune, aar, rnd):
    return Aarsaker(kommune=kommune, aar=aar, aarsaker=sorted(rnd.sample(Aarsak.values, 2)), fritekst="Demodata",
                    kilde=Kilde.DEMO)
