"""Import benchmark (not a test): 357 kommuner × 12 years in the long layout with breakdowns.

Runs a dry run and a real import into PostgreSQL, prints rows per second and peak memory, and
compares with the same rows written by PostgreSQL COPY in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bosetting_bench .venv/bin/python bench/import_bench.py
"""

import io
import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bosetting_bench")

import django  # noqa: E402


def ensure_database():
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def make_file(kommuner, years):
    rng = random.Random(2026)
    lines = ["kommunenummer,kommune,år,anmodning,herav enslige mindreårige,vedtak,vedtak_ema,bosatt,bosatt_ema,"
             "bosatt_kollektiv"]
    for k in kommuner:
        for y in years:
            a = rng.randint(10, 400)
            v = rng.randint(0, a + 20)
            b = rng.randint(0, v)
            lines.append(f"{k.nummer},{k.navn_norsk},{y},{a},{rng.randint(0, a // 10)},{v},{rng.randint(0, v // 10)},"
                         f"{b},{rng.randint(0, b // 10)},{rng.randint(0, b)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def main():
    ensure_database()
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    call_command("load_kommuner", verbosity=0, stdout=io.StringIO())
    from imports.services import import_confirm, import_create
    from kommuner.models import Kommune

    kommuner = list(Kommune.objects.gjeldende().order_by("nummer"))
    years = list(range(2014, 2026))
    data = make_file(kommuner, years)
    n = len(kommuner) * len(years)

    # Timed without tracemalloc (it slows Python several times); memory is measured in a second
    # pass over a fresh set of rows, in its own transaction that is rolled back.
    t0 = time.perf_counter()
    imp, preview = import_create(data, filename="bench.csv")
    t_dry = time.perf_counter() - t0
    assert preview.ok, preview.errors[:5]
    t0 = time.perf_counter()
    import_confirm(imp)
    t_real = time.perf_counter() - t0
    t0 = time.perf_counter()
    again, preview_again = import_create(data, filename="bench-igjen.csv")
    import_confirm(again)
    t_again = time.perf_counter() - t0
    assert preview_again.counts["uendret"] == n

    class Rollback(Exception):
        pass

    from imports.models import Import

    Import.objects.exclude(pk=imp.pk).delete()
    from bosetting.models import Bosatt
    from core.models import Endring
    from vedtak.models import Anmodning, Vedtak

    tracemalloc.start()
    try:
        with transaction.atomic():
            for model in (Endring, Bosatt, Vedtak, Anmodning):
                model.objects.all().delete()
            tracemalloc.reset_peak()
            probe, _ = import_create(data, filename="minne.csv")
            _, peak_dry = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            import_confirm(probe)
            _, peak_real = tracemalloc.get_traced_memory()
            raise Rollback
    except Rollback:
        pass
    tracemalloc.stop()

    # The floor: the same rows (one per kommune and year, every figure) through COPY.
    rows = [line.split(",") for line in data.decode().splitlines()[1:]]
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_copy (nummer text, navn text, aar int, anmodning int, "
                       "anmodning_ema int, vedtak int, vedtak_ema int, bosatt int, bosatt_ema int, "
                       "bosatt_kollektiv int) ON COMMIT DROP")
        with cursor.copy("COPY bench_copy FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)
    t_copy = time.perf_counter() - t0

    print(f"rows: {n} (357 kommuner × {len(years)} years, with breakdowns); database: {connection.vendor}")
    print(f"dry run (parse, match, validate, compare): {t_dry:.2f} s, {n / t_dry:,.0f} rows/s, "
          f"peak {peak_dry / 2**20:.1f} MiB")
    print(f"real import (same + one transaction with bulk writes and history): {t_real:.2f} s, "
          f"{n / t_real:,.0f} rows/s, peak {peak_real / 2**20:.1f} MiB")
    print(f"re-import of the same file (all rows unchanged, nothing written): {t_again:.2f} s")
    print(f"PostgreSQL COPY of the same rows: {t_copy:.3f} s; import/COPY ratio: {t_real / t_copy:.0f}×")
    print(f"target: real import under 2 s — {'met' if t_real < 2 else 'NOT met'}")
    return {"dry": t_dry, "real": t_real, "copy": t_copy, "rows": n, "peak_real_mib": peak_real / 2**20}


if __name__ == "__main__":
    main()
