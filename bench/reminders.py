"""Benchmark (not a test): one digest run over many follow-ups.

Creates 2 000 users and N follow-ups (default 100 000, and a half-size run for comparison), then
times one sweep (deciding who gets a digest) and the delivery of every digest in this process
(locmem e-mail backend), counting SQL queries. The sweep's query count must not grow with the
number of follow-ups; delivery costs a fixed handful of queries per recipient, not per follow-up.

Run against a throw-away database:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bosetting_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bosetting_bench .venv/bin/python bench/reminders.py [N]
"""

import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "0")  # production-like: cached templates, no query log
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from kommuner.models import Kommune  # noqa: E402
from oppfolging.models import Oppfolgingspunkt, Utsending  # noqa: E402
from oppfolging.reminders import sweep, utsending_deliver  # noqa: E402

USERS = 2000


def setup(n_points):
    from kommuner.services import register_load

    if not Kommune.objects.exists():
        register_load()
    User = get_user_model()
    Utsending.objects.all().delete()
    Oppfolgingspunkt.objects.filter(ansvarlig__username__startswith="bench-").delete()
    User.objects.filter(username__startswith="bench-").delete()
    users = User.objects.bulk_create(
        [User(username=f"bench-{i}", email=f"bench-{i}@example.no") for i in range(USERS)], batch_size=2000)
    kommuner = list(Kommune.objects.gjeldende().values_list("pk", flat=True))
    today = timezone.localdate()
    rnd = random.Random(42)
    now = timezone.now()
    rows = [
        Oppfolgingspunkt(tittel=f"Bench {i}", ansvarlig_id=users[i % USERS].pk, kommune_id=rnd.choice(kommuner),
                         frist=today + datetime.timedelta(days=rnd.randint(-30, 90)), opprettet=now, endret=now)
        for i in range(n_points)
    ]
    Oppfolgingspunkt.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:  # as autovacuum would after a load this size
        cursor.execute("ANALYZE oppfolging_oppfolgingspunkt")


class Counter:
    """Counts queries without keeping them (the debug log stops at 9 000)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)

    def __len__(self):
        return self.n


def run(n_points):
    setup(n_points)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.OPPFOLGING_DIGEST_TIME = 0
    from django.core import mail

    mail.outbox = []
    t0 = time.perf_counter()
    q_sweep, q_deliver = Counter(), Counter()
    with connection.execute_wrapper(q_sweep):
        result = sweep(enqueue=None, run_rules=False)
    t1 = time.perf_counter()
    with connection.execute_wrapper(q_deliver):
        for pk in result["venter"]:
            utsending_deliver(pk)
    t2 = time.perf_counter()
    print(f"{n_points:>7} oppfølgingspunkter, {USERS} brukere: "
          f"sveip {t1 - t0:6.2f} s / {len(q_sweep)} spørringer; "
          f"levering av {len(mail.outbox)} e-poster {t2 - t1:6.2f} s / {len(q_deliver)} spørringer "
          f"({len(q_deliver) / max(len(mail.outbox), 1):.1f} per e-post); totalt {t2 - t0:6.2f} s")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    for size in (n // 2, n):
        run(size)
