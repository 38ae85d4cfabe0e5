"""A deterministic national data set for benchmarks: every kommune (today's and the historic
ones), 12 years of the settlement case, 50 000 dialogue entries, 100 000 follow-ups, 2 000 users,
and a settlement plan (two revisions) for every kommune of today in every year and the next.

Written with bulk_create (rows others point at) and COPY (core.bulk.bulk_insert) for the rest, so
it loads in seconds. Meant for a throw-away database (`--reset` empties the case tables first).
"""

import datetime
import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from bosetting.choices import Aarsak, Virkemiddel
from bosetting.models import Aarsaker, Bolig, Bosatt, Bosettingsplan, Planrevisjon
from core import roles
from core.bulk import bulk_insert
from core.models import Endring, Profil, Rolle
from kommuner.models import Kommune, Statsforvalter
from oppfolging.choices import DialogType, Organisasjon, PunktStatus
from oppfolging.models import Dialog, Oppfolgingspunkt
from vedtak.choices import AnmodningType, Kilde, VedtakStatus
from vedtak.models import Anmodning, Vedtak

PREFIX = "scale-"
# (role, how many); administrators are superusers as in seed_demo.
ROLE_MIX = [(Rolle.KOMMUNE, 1500), (Rolle.STATSFORVALTER, 300), (Rolle.KS, 100), (Rolle.IMDI, 90),
            (Rolle.ADMINISTRATOR, 10)]
CASE_MODELS = (Oppfolgingspunkt, Dialog, Bosettingsplan, Planrevisjon, Bosatt, Bolig, Aarsaker, Vedtak, Anmodning,
               Endring)


def valid_on(k, day):
    return (k.gyldig_fra is None or k.gyldig_fra <= day) and (k.gyldig_til is None or k.gyldig_til >= day)


class Command(BaseCommand):
    help = "Fyller databasen med et deterministisk nasjonalt datasett for ytelsestester (bench/)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Tøm sakstabellene og scale-brukerne først.")
        parser.add_argument("--years", type=int, default=12)
        parser.add_argument("--last-year", type=int, default=None, help="Siste år (standard: i fjor).")
        parser.add_argument("--dialoger", type=int, default=50_000)
        parser.add_argument("--punkter", type=int, default=100_000)
        parser.add_argument("--users", type=int, default=2_000)
        parser.add_argument("--password", default="bench-passord-123", help="Passord for alle scale-brukerne.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **o):
        t_start = time.perf_counter()
        if not Kommune.objects.exists():
            from kommuner.services import register_load

            register_load()
        with transaction.atomic():
            if o["reset"]:
                self.reset()
            elif Anmodning.objects.exists() or get_user_model().objects.filter(username__startswith=PREFIX).exists():
                raise CommandError("Databasen har allerede saksdata; bruk --reset (tømmer dem).")
            counts = self.seed(o)
        if connection.vendor == "postgresql":
            with connection.cursor() as c:  # as autovacuum would after a load this size
                c.execute("ANALYZE")
        elapsed = time.perf_counter() - t_start
        for name, n in counts.items():
            self.stdout.write(f"  {name:<28} {n:>8}")
        self.stdout.write(self.style.SUCCESS(f"seed_scale: ferdig på {elapsed:.1f} s"))

    def reset(self):
        User = get_user_model()
        if connection.vendor == "postgresql":
            tables = [m._meta.db_table for m in CASE_MODELS]
            tables += [Dialog.kommuner.through._meta.db_table, Dialog.deltakere.through._meta.db_table]
            with connection.cursor() as c:
                c.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for m in CASE_MODELS:
                m.objects.all().delete()
        User.objects.filter(username__startswith=PREFIX).delete()

    def seed(self, o):
        rng = random.Random(o["seed"])
        last = o["last_year"] or timezone.localdate().year - 1
        years = list(range(last - o["years"] + 1, last + 1))
        today = timezone.localdate()
        now = timezone.now()
        alle = list(Kommune.objects.select_related("fylke").order_by("nummer"))
        gjeldende = [k for k in alle if k.gyldig_til is None]
        counts = {"kommuner (gjeldende)": len(gjeldende), "kommuner (historiske)": len(alle) - len(gjeldende)}

        # --- users and their roles -------------------------------------------------------
        User = get_user_model()
        password = make_password(o["password"])  # hashed once: every user shares it
        plan = []
        total_mix = sum(n for _, n in ROLE_MIX)
        for rolle, n in ROLE_MIX:
            plan += [rolle] * round(n * o["users"] / total_mix)
        users = User.objects.bulk_create([
            User(username=f"{PREFIX}{rolle.lower()}-{i}", password=password, first_name="Scale",
                 last_name=f"{rolle} {i}", email=f"{PREFIX}{i}@example.no",
                 is_superuser=rolle == Rolle.ADMINISTRATOR, is_staff=rolle == Rolle.ADMINISTRATOR)
            for i, rolle in enumerate(plan)
        ], batch_size=2000)
        offices = list(Statsforvalter.objects.order_by("pk"))
        groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.ROLES}
        profiler = Profil.objects.bulk_create([
            Profil(user=u, rolle=r, statsforvalter=offices[i % len(offices)] if r == Rolle.STATSFORVALTER else None)
            for i, (u, r) in enumerate(zip(users, plan, strict=True)) if r != Rolle.ADMINISTRATOR
        ], batch_size=2000)
        through = Profil.kommuner.through
        links = []
        for i, p in enumerate(profiler):
            if p.rolle == Rolle.KOMMUNE:
                # Every kommune gets users; some users (inter-municipal services) hold two.
                links.append(through(profil_id=p.pk, kommune_id=gjeldende[i % len(gjeldende)].pk))
                if i % 10 == 0:
                    links.append(through(profil_id=p.pk, kommune_id=gjeldende[(i + 1) % len(gjeldende)].pk))
        bulk_insert(through, links)
        ug = User.groups.through
        bulk_insert(ug, [ug(user_id=u.pk, group_id=groups[r].pk) for u, r in zip(users, plan, strict=True)])
        counts["brukere"] = len(users)
        counts["profiler"] = len(profiler)

        # --- the settlement case, 12 years -----------------------------------------------
        anmodninger, vedtak_new, kommune_years = [], [], []
        for aar in years:
            jan1 = datetime.date(aar, 1, 1)
            for k in alle:
                if not valid_on(k, jan1):
                    continue
                kommune_years.append((k, aar))
                sendt = datetime.date(aar - 1, rng.randint(3, 6), rng.randint(1, 28))
                antall = rng.randint(5, 60) * (8 if k.nummer == "0301" else 1)
                ema = rng.randint(0, antall // 10)
                anmodninger.append(Anmodning(
                    kommune=k, aar=aar, type=AnmodningType.ORDINAER, dato_sendt=sendt,
                    svarfrist=sendt + datetime.timedelta(days=60), antall=antall, herav_ema=ema,
                    kilde=Kilde.IMPORT, opprettet=now))
                if rng.random() < 0.15:
                    anmodninger.append(Anmodning(
                        kommune=k, aar=aar, type=rng.choice([AnmodningType.JUSTERT, AnmodningType.TILLEGG]),
                        dato_sendt=sendt + datetime.timedelta(days=120), antall=rng.randint(2, 30),
                        kilde=Kilde.IMPORT, opprettet=now))
        anmodninger = Anmodning.objects.bulk_create(anmodninger, batch_size=5000)
        first_by_ky = {}
        for a in anmodninger:
            first_by_ky.setdefault((a.kommune_id, a.aar), a)
        superseded_plan = []
        for (k, aar) in kommune_years:
            a = first_by_ky[(k.pk, aar)]
            r = rng.random()
            if r < 0.05:
                status, antall = VedtakStatus.AVVENTER, None
            else:
                antall = max(0, a.antall + rng.randint(-15, 5))
                status = VedtakStatus.FATTET
            v = Vedtak(kommune=k, aar=aar, anmodning=a, status=status, antall=antall,
                       dato=a.dato_sendt + datetime.timedelta(days=rng.randint(20, 90)),
                       saksnummer=f"{aar}/{rng.randint(100, 9999)}", kilde=Kilde.IMPORT, opprettet=now)
            vedtak_new.append(v)
            superseded_plan.append(r > 0.85)  # 15 % had an earlier decision that this one replaced
        vedtak_new = Vedtak.objects.bulk_create(vedtak_new, batch_size=5000)
        old = [Vedtak(kommune_id=v.kommune_id, aar=v.aar, anmodning_id=v.anmodning_id, status=VedtakStatus.FATTET,
                      antall=max(0, (v.antall or 10) - 10), dato=v.dato - datetime.timedelta(days=30),
                      erstattet_av_id=v.pk, kilde=Kilde.IMPORT, opprettet=now)
               for v, sup in zip(vedtak_new, superseded_plan, strict=True) if sup]
        bulk_insert(Vedtak, old)
        counts["anmodninger"] = len(anmodninger)
        counts["vedtak (gjeldende)"] = len(vedtak_new)
        counts["vedtak (erstattet)"] = len(old)

        bosatte, boliger, aarsaker = [], [], []
        vedtatt = {(v.kommune_id, v.aar): v.antall or 0 for v in vedtak_new}
        for k, aar in kommune_years:
            target = vedtatt[(k.pk, aar)]
            months = 12 if aar < today.year else today.month
            for m in range(1, months + 1):
                n = rng.randint(0, max(1, 2 * target // 12))
                bosatte.append(Bosatt(kommune=k, aar=aar, maaned=m, antall=n, herav_ema=rng.randint(0, n // 8),
                                      herav_kollektiv=rng.randint(0, n), kilde=Kilde.IMPORT, opprettet=now,
                                      prikket=["herav_ema"] if n and rng.random() < 0.03 else []))
            boliger.append(Bolig(kommune=k, aar=aar, tilgjengelige=rng.randint(0, 40), under_arbeid=rng.randint(0, 20),
                                 behov=rng.randint(0, 50), virkemidler=rng.sample(Virkemiddel.values, 2),
                                 kilde=Kilde.IMPORT, opprettet=now))
            aarsaker.append(Aarsaker(kommune=k, aar=aar, aarsaker=rng.sample(Aarsak.values, rng.randint(0, 3)),
                                     kilde=Kilde.IMPORT, opprettet=now))
        counts["bosatt (månedsrader)"] = bulk_insert(Bosatt, bosatte, batch_size=10000)
        counts["bolig"] = bulk_insert(Bolig, boliger)
        counts["årsaker"] = bulk_insert(Aarsaker, aarsaker)

        # --- settlement plans: every kommune of today, every year and the next, two revisions --
        plan_years = sorted(set(years) | {today.year, today.year + 1})
        revisjoner, planer = [], []
        for k in gjeldende:
            for aar in plan_years:
                base = max(1, (vedtatt.get((k.pk, aar)) or 24) // 12)
                first = {m: [base + rng.randint(-1, 2), None] for m in range(1, 13)}
                second = {m: [max(0, p + rng.randint(-2, 2)), rng.randint(0, p + 2)] for m, (p, _b) in first.items()}
                for nummer, maaneder, month in ((1, first, 1), (2, second, 6)):
                    revisjoner.append(Planrevisjon(
                        kommune=k, aar=aar, nummer=nummer, plan={str(m): v for m, v in maaneder.items()},
                        tidspunkt=timezone.make_aware(datetime.datetime(aar, month, 15, 9))))
                planer.append(second)
        revisjoner = Planrevisjon.objects.bulk_create(revisjoner, batch_size=5000)
        rows = []
        for rev, maaneder in zip(revisjoner[1::2], planer, strict=True):
            rows += [Bosettingsplan(kommune_id=rev.kommune_id, aar=rev.aar, maaned=m, plasser=p, boliger=b,
                                    revisjon_id=rev.pk) for m, (p, b) in maaneder.items()]
        counts["planrevisjoner"] = len(revisjoner)
        counts["bosettingsplan (månedsrader)"] = bulk_insert(Bosettingsplan, rows, batch_size=10000)

        # --- dialogue and follow-ups -------------------------------------------------------
        writers = [u for u, r in zip(users, plan, strict=True) if r in (Rolle.STATSFORVALTER, Rolle.KS)]
        start = datetime.date(years[0], 1, 1)
        span = (today - start).days
        dialoger = Dialog.objects.bulk_create([
            Dialog(dato=start + datetime.timedelta(days=rng.randint(0, span)), type=rng.choice(DialogType.values),
                   organisasjoner=rng.sample(Organisasjon.values, 2), temaer=rng.sample(Aarsak.values, 1),
                   sammendrag=f"Dialog {i}: gjennomgang av anmodning og boligsituasjon.",
                   aar=rng.choice(years), opprettet=now, opprettet_av_id=writers[i % len(writers)].pk)
            for i in range(o["dialoger"])
        ], batch_size=5000)
        dk, dd = Dialog.kommuner.through, Dialog.deltakere.through
        bulk_insert(dk, [dk(dialog_id=d.pk, kommune_id=gjeldende[rng.randrange(len(gjeldende))].pk) for d in dialoger],
                    batch_size=10000)
        bulk_insert(dd, [dd(dialog_id=d.pk, user_id=d.opprettet_av_id) for d in dialoger], batch_size=10000)
        counts["dialoger"] = len(dialoger)
        statuses = ([PunktStatus.AAPEN] * 4 + [PunktStatus.PAAGAAR] * 2 + [PunktStatus.FERDIG] * 3
                    + [PunktStatus.AVBRUTT])
        punkter = []
        for i in range(o["punkter"]):
            d = dialoger[i % len(dialoger)] if dialoger and i % 2 == 0 else None
            punkter.append(Oppfolgingspunkt(
                tittel=f"Følg opp punkt {i}", ansvarlig_id=writers[rng.randrange(len(writers))].pk,
                frist=today + datetime.timedelta(days=rng.randint(-60, 120)), status=statuses[i % len(statuses)],
                dialog_id=d.pk if d else None, kommune_id=gjeldende[rng.randrange(len(gjeldende))].pk,
                opprettet=now, endret=now))
        counts["oppfølgingspunkter"] = bulk_insert(Oppfolgingspunkt, punkter, batch_size=10000)
        counts["år"] = len(years)
        return counts
