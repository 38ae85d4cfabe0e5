"""Demo case data for `seed_demo`: IMDi's real 2025 and 2026 figures, and generated, clearly
labelled demo years (kilde=demo) before that, for every current kommune. Fast (bulk) and
idempotent: a second run adds nothing."""

import datetime
import random

from django.core.exceptions import ValidationError
from django.db import transaction

from bosetting.choices import Aarsak, Virkemiddel
from bosetting.models import Aarsaker, Bolig, Bosatt
from core.history import history_entry, history_record_bulk
from imports.imdi import FILES, imdi_tall_load, read_rows
from kommuner.models import Kommune
from vedtak.choices import AnmodningType, Kilde, Organ
from vedtak.models import Anmodning, Bosettingsbehov, Vedtak

DEMO_AAR = (2022, 2023, 2024)
# National requests relative to 2025 (12 640): roughly 2022 35 000, 2023 38 000, 2024 37 000.
SKALA = {2022: 2.7, 2023: 3.0, 2024: 2.9}
BEHOV = [  # (year, number, EMA, comment); the revisions of 2025 are IMDi's published cut
    (2022, 35000, None, "Demodata"), (2023, 38000, None, "Demodata"), (2024, 37000, None, "Demodata"),
    (2025, 18900, None, "Opprinnelig behov (IMDi)"), (2025, 12640, None, "Justert behov (IMDi)"),
    (2026, 13000, 651, "Anmodet 2026 (IMDi)"),
]


def seed_demo_case(stdout=None):
    def say(msg):
        if stdout:
            stdout.write(msg)

    for aar in sorted(FILES):
        try:
            imp = imdi_tall_load(aar)
            say(f"IMDi {aar}: {imp.antall_nye} nye, {imp.antall_endret} endret, {imp.antall_uendret} uendret.")
        except ValidationError as exc:
            say(f"IMDi {aar}: ikke lastet ({'; '.join(exc.messages)})")
    _behov()
    made = _demo_years()
    say(f"Demodata {DEMO_AAR[0]}–{DEMO_AAR[-1]}: {made} nye rader (kilde=demo)." if made
        else "Demodata finnes fra før.")


@transaction.atomic
def _behov():
    if Bosettingsbehov.objects.exists():
        return
    for i, (aar, antall, ema, kommentar) in enumerate(BEHOV):
        Bosettingsbehov.objects.create(aar=aar, antall=antall, herav_ema=ema, kommentar=kommentar,
                                       opprettet=datetime.datetime(aar - 1, 6, 1 + i, tzinfo=datetime.UTC))


@transaction.atomic
def _demo_years():
    if Anmodning.objects.filter(kilde=Kilde.DEMO).exists():
        return 0
    base = {r["kommunenummer"]: int(r["anmodet"]) for r in read_rows(FILES[2025]) if r["anmodet"].isdigit()}
    kommuner = list(Kommune.objects.gjeldende().order_by("nummer"))
    anmodninger, vedtak, bosatte, boliger, aarsaker = [], [], [], [], []
    for aar in DEMO_AAR:
        for k in kommuner:
            rnd = random.Random(f"{k.nummer}-{aar}")
            anmodet = round(max(base.get(k.nummer, 0), rnd.choice([0, 0, 5, 10])) * SKALA[aar] / 5) * 5
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
            if aar == 2024 and rnd.random() < 0.3:
                boliger.append(Bolig(kommune=k, aar=aar, tilgjengelige=rnd.randint(0, 20),
                                     under_arbeid=rnd.randint(0, 10), behov=rnd.randint(5, 30), kilde=Kilde.DEMO,
                                     virkemidler=rnd.sample(Virkemiddel.values, 2), merknad="Demodata"))
            if vedtatt < anmodet and rnd.random() < 0.5:
                aarsaker.append(Aarsaker(kommune=k, aar=aar, aarsaker=sorted(rnd.sample(Aarsak.values, 2)),
                                         fritekst="Demodata", kilde=Kilde.DEMO))
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
