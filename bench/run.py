"""The benchmark suite (`make bench`): national data set on PostgreSQL, pages in-process and over
HTTP under gunicorn, the SQL floor, the admin changelist as peer, a locust load test, and the
import/reminder/dashboard benchmarks. Writes bench/results.json and prints a table.

Configuration (environment):
  BENCH_DB            database name (default bosetting_bench; dropped and re-created unless BENCH_KEEP_DB=1
                      and it exists)
  BENCH_RUNS          timed runs per page (default 30)
  BENCH_LOAD_SECONDS  seconds per load step (default 60)
  BENCH_LOAD_USERS    comma-separated concurrency steps (default 10,50,100)
  BENCH_THINK         seconds a user waits between requests, "lo,hi" (default 2,6: a brisk reader)
  BENCH_STRESS_USERS  users in the saturation step with no wait at all (default 10; 0 skips it)
  BENCH_SKIP          comma-separated parts to skip: load,http,extra (import/reminders/dashboard)
  BENCH_REMINDER_POINTS  follow-ups in the reminder benchmark (default 100000)
Only 127.0.0.1 is used; nothing leaves the machine.
"""

import json
import math
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import tracemalloc
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "bosetting_bench")
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
LOAD_USERS = [int(x) for x in os.environ.get("BENCH_LOAD_USERS", "10,50,100").split(",") if x]
THINK = os.environ.get("BENCH_THINK", "2,6")
STRESS_USERS = int(os.environ.get("BENCH_STRESS_USERS", "10"))
SKIP = set(filter(None, os.environ.get("BENCH_SKIP", "").split(",")))
OUT = ROOT / "bench" / "results.json"

ENV = {
    **os.environ,
    "DATABASE_URL": f"{PG}/{DB}",
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-never-in-production"),
    "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0", "STATIC_MANIFEST": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "EMAIL_URL": "consolemail://",
    "AXES_ENABLED": "0",
    "CELERY_TASK_ALWAYS_EAGER": "1",
    # As in production: one cache in Redis shared by the gunicorn workers (own db, flushed per run).
    "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3"),
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))

results = []


def record(name, unit, value, **extra):
    results.append({"name": name, "unit": unit, "value": value, **extra})


def pct(values, p):
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def timing(name, times_s, queries=None, **extra):
    ms = [t * 1000 for t in times_s]
    p50, p95 = round(statistics.median(ms), 1), round(pct(ms, 95), 1)
    record(name, "ms", p50, p50=p50, p95=p95, queries=queries, runs=len(ms), **extra)
    return p50, p95


def sh(args, **kw):
    print("$", " ".join(str(a) for a in args), flush=True)
    return subprocess.run(args, env=kw.pop("env", ENV), cwd=ROOT, check=True, **kw)  # noqa: S603 (our own argv)


# --- 1. database and data set ---------------------------------------------------------------

def prepare_database():
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        finnes = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone()
    if finnes and os.environ.get("BENCH_KEEP_DB") == "1":
        sh([PY, "manage.py", "migrate", "-v0"])
        return
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')
    sh([PY, "manage.py", "migrate", "-v0"])
    t0 = time.perf_counter()
    out = sh([PY, "manage.py", "seed_scale"], capture_output=True, text=True).stdout
    print(out)
    record("seed_scale", "s", round(time.perf_counter() - t0, 1))


# --- 2. pages in-process --------------------------------------------------------------------

def setup_django():
    import django

    django.setup()
    from django.core.cache import cache

    cache.clear()
    from config import gcsettings  # as config/wsgi.py does for the web workers

    gcsettings.tune()


def fixtures():
    """Users (one per kind) and the pages to time."""
    from django.contrib.auth import get_user_model

    from core.models import Rolle
    from kommuner.models import Kommune
    from vedtak.models import Anmodning

    User = get_user_model()
    aar = Anmodning.objects.order_by("-aar").values_list("aar", flat=True).first()
    indre = Kommune.objects.select_related("fylke__statsforvalter").get(nummer="3118")
    superuser = User.objects.filter(username__startswith="scale-", is_superuser=True).order_by("pk").first()
    kommune_user = (User.objects.filter(profil__rolle=Rolle.KOMMUNE, profil__kommuner=indre).order_by("pk").first())
    sf_user = User.objects.filter(profil__rolle=Rolle.STATSFORVALTER,
                                  profil__statsforvalter=indre.fylke.statsforvalter).order_by("pk").first()
    f = indre.fylke
    pages = [
        ("overview", "/oversikt/", {"aar": aar}),
        # The same page with an empty cache before every request (after a change to the figures).
        ("overview_cold", "/oversikt/", {"aar": aar}),
        ("overview_filters", "/oversikt/", {"aar": aar, "fylke": f.pk, "statsforvalter": f.statsforvalter_id,
                                            "status": "vedtak_delvis", "under": "on", "forrige": "on",
                                            "hele_landet": "on", "q": "e"}),
        ("kommune_0301", "/kommuner/0301/", {}),
        ("kommune_3118", "/kommuner/3118/", {}),
        ("plan_3118", "/kommuner/3118/plan/", {}),
        ("plan_pipeline", "/plan/", {}),
        ("tjenester_3118", "/kommuner/3118/tjenester/", {"aar": aar}),
        ("tilskudd", "/tilskudd/", {"aar": aar, "ks": "on"}),
        ("tilskudd_fylke", f"/tilskudd/fylke/{f.nummer}/", {"aar": aar}),
        ("oppfolging", "/oppfolging/", {}),
        ("dashboard", "/", {}),
        ("fylkesrapport", f"/rapport/fylke/{f.nummer}/", {"aar": aar}),
        ("export_csv", "/oversikt/", {"aar": aar, "hele_landet": "on", "_export": "csv"}),
        ("export_xlsx", "/oversikt/", {"aar": aar, "hele_landet": "on", "_export": "xlsx"}),
    ]
    return aar, {"superuser": superuser, "statsforvalter": sf_user, "kommune": kommune_user}, pages


def client_for(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def time_client(client, url, params, runs, cold=False):
    from django.core.cache import cache
    from django.db import connection

    n = [0]

    def count(execute, sql, params_, many, context):
        n[0] += 1
        return execute(sql, params_, many, context)

    # Warm-up run, counting queries (a wrapper: the debug log is cleared at each request start).
    if cold:
        cache.clear()
    with connection.execute_wrapper(count):
        resp = client.get(url, params)
        if resp.streaming:
            b"".join(resp.streaming_content)
    assert resp.status_code == 200, (url, params, resp.status_code)
    times = []
    for _ in range(runs):
        if cold:
            cache.clear()
        t0 = time.perf_counter()
        resp = client.get(url, params)
        if resp.streaming:
            b"".join(resp.streaming_content)
        times.append(time.perf_counter() - t0)
    return times, n[0], resp


def bench_pages(users, pages):
    clients = {k: client_for(u) for k, u in users.items() if u is not None}
    out = {}
    for name, url, params in pages:
        cold = name.endswith("_cold")
        times, nq, _ = time_client(clients["superuser"], url, params, RUNS, cold=cold)
        out[name] = timing(f"page.{name}", times, nq, who="superuser")
        for kind in ("statsforvalter", "kommune"):
            if (kind not in clients or cold or name.startswith("export")
                    or name == "fylkesrapport" and kind == "kommune"):
                continue
            try:
                t, n, _ = time_client(clients[kind], url, params, max(5, RUNS // 3))
            except AssertionError as exc:  # out of this user's scope
                record(f"page.{name}.{kind}", "status", str(exc))
                continue
            timing(f"page.{name}.{kind}", t, n, who=kind, extra_queries_vs_superuser=n - out_q(name))
    return out


def out_q(name):
    return next(r["queries"] for r in results if r["name"] == f"page.{name}")


def bench_export_memory(pages):
    client = client_for(fixtures_cache["users"]["superuser"])
    for name, url, params in pages:
        if not name.startswith("export"):
            continue
        tracemalloc.start()
        tracemalloc.reset_peak()
        resp = client.get(url, params)
        body = b"".join(resp.streaming_content) if resp.streaming else resp.content
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        record(f"memory.{name}", "MiB", round(peak / 2**20, 1), bytes=len(body))


def bench_admin(aar):
    """Django's own admin changelist for the same rows, as the peer a team would otherwise use."""
    client = client_for(fixtures_cache["users"]["superuser"])
    for name, url, params in [
        ("admin_anmodning", "/admin/vedtak/anmodning/", {"aar": aar}),
        ("admin_kommune", "/admin/kommuner/kommune/", {"gyldig_til__isnull": "True"}),
    ]:
        try:
            times, nq, _ = time_client(client, url, params, RUNS)
        except AssertionError as exc:
            record(f"peer.{name}", "status", str(exc))
            continue
        p50, p95 = timing(f"peer.{name}", times, nq, rows_per_page=100)
        ov = next(r for r in results if r["name"] == "page.overview")
        record(f"ratio.overview_vs_{name}", "x", round(ov["p50"] / p50, 2))


# --- 3. the SQL floor -----------------------------------------------------------------------

FLOOR_SQL = """
WITH k AS (SELECT id, nummer, navn, fylke_id FROM kommuner_kommune WHERE gyldig_til IS NULL),
src AS (SELECT id AS kid, id AS sid FROM k
        UNION ALL SELECT o.gjeldende_id, o.historisk_id FROM kommuner_kommuneovergang o
        JOIN k ON k.id = o.gjeldende_id WHERE NOT o.delt AND o.historisk_id <> o.gjeldende_id),
a AS (SELECT src.kid, sum(x.antall) AS anmodet, sum(x.herav_ema) AS ema, max(x.svarfrist) AS frist
      FROM src JOIN bosetting_anmodning x ON x.kommune_id = src.sid AND x.aar = %(aar)s GROUP BY src.kid),
v AS (SELECT DISTINCT ON (src.sid) src.kid, x.antall, x.status FROM src
      JOIN vedtak_vedtak x ON x.kommune_id = src.sid AND x.erstattet_av_id IS NULL AND x.aar <= %(aar)s
       AND (x.aar_til >= %(aar)s OR (x.aar_til IS NULL AND x.aar = %(aar)s))
      ORDER BY src.sid, x.dato DESC NULLS LAST, x.opprettet DESC, x.id DESC),
vs AS (SELECT kid, sum(antall) AS vedtatt, bool_or(status = 'avventer') AS avventer FROM v GROUP BY kid),
b AS (SELECT src.kid, sum(x.antall) AS bosatt, sum(x.herav_kollektiv) AS kollektiv, sum(x.avtalt) AS avtalt
      FROM src JOIN bosetting_bosatt x ON x.kommune_id = src.sid AND x.aar = %(aar)s GROUP BY src.kid)
SELECT f.nummer, f.navn, k.nummer, k.navn, a.anmodet, a.ema, a.frist, vs.vedtatt, vs.avventer,
       b.bosatt, b.kollektiv, b.avtalt
FROM k JOIN kommuner_fylke f ON f.id = k.fylke_id
LEFT JOIN a ON a.kid = k.id LEFT JOIN vs ON vs.kid = k.id LEFT JOIN b ON b.kid = k.id
ORDER BY f.nummer, k.nummer
"""


def bench_floor(aar):
    import psycopg

    with psycopg.connect(f"{PG}/{DB}") as conn:
        conn.execute(FLOOR_SQL, {"aar": aar}).fetchall()
        times = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            rows = conn.execute(FLOOR_SQL, {"aar": aar}).fetchall()
            times.append(time.perf_counter() - t0)
    p50, p95 = timing("floor.overview_sql", times, 1, rows=len(rows))
    ov = next(r for r in results if r["name"] == "page.overview")
    record("ratio.overview_vs_sql_floor", "x", round(ov["p50"] / p50, 1), p95_ratio=round(ov["p95"] / p95, 1))


# --- 4. gunicorn over HTTP and the load test ------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self):
        self.port = free_port()

    def __enter__(self):
        self.proc = subprocess.Popen(  # noqa: S603 (our own argv)
            [str(Path(PY).parent / "gunicorn"), "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{self.port}",
             "--timeout", "60", "--log-level", "warning"], cwd=ROOT, env={**ENV, "CONN_MAX_AGE": "60"})
        for _ in range(100):
            try:
                HTTPConnection("127.0.0.1", self.port, timeout=1).request("GET", "/helse/")
                break
            except OSError:
                time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def session_cookie(user):
    return client_for(user).cookies["sessionid"].value


def bench_http(port, users, pages):
    from urllib.parse import urlencode

    from django.core.cache import cache

    cookie = f"sessionid={session_cookie(users['superuser'])}"
    conn = HTTPConnection("127.0.0.1", port, timeout=60)
    for name, url, params in pages:
        path = f"{url}?{urlencode(params)}" if params else url
        times = []
        for i in range(RUNS + 1):
            if name.endswith("_cold"):
                cache.clear()  # the workers share this Redis cache
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            resp = conn.getresponse()
            resp.read()
            assert resp.status == 200, (path, resp.status)
            if i:
                times.append(time.perf_counter() - t0)
        timing(f"http.{name}", times, out_q(name))


def load_sessions():
    """A pool of logged-in users for the load test: what each may read and write."""
    from django.contrib.auth import get_user_model

    from core.models import Rolle
    from kommuner.models import Kommune
    from oppfolging.choices import AKTIVE
    from oppfolging.models import Oppfolgingspunkt

    User = get_user_model()
    pool = []
    mix = [(Rolle.STATSFORVALTER, 40), (Rolle.KOMMUNE, 40), (Rolle.KS, 20)]
    for rolle, n in mix:
        for u in User.objects.filter(profil__rolle=rolle).order_by("pk")[: n * 3]:
            if sum(1 for p in pool if p["rolle"] == rolle) >= n:
                break
            visible = Kommune.objects.for_user(u).filter(gyldig_til__isnull=True)
            kommuner = list(visible.order_by("nummer").values_list("nummer", flat=True)[:50])
            punkter = []
            if rolle != Rolle.KOMMUNE:
                punkter = list(Oppfolgingspunkt.objects.filter(kommune__in=visible, status__in=AKTIVE)
                               .order_by("pk").values_list("pk", flat=True)[:20])
            if kommuner:
                pool.append({"rolle": str(rolle), "session": session_cookie(u), "kommuner": kommuner,
                             "punkter": punkter})
    return pool


def bench_load(port, aar, fylke_pk):
    pool = load_sessions()
    spec = ROOT / "bench" / ".load-sessions.json"
    spec.write_text(json.dumps({"aar": aar, "fylke": fylke_pk, "users": pool}))
    steps = [(n, THINK, f"{n}_users") for n in LOAD_USERS]
    if STRESS_USERS:  # no think time: what the two workers can serve at most
        steps.append((STRESS_USERS, "0,0", f"saturation_{STRESS_USERS}_users"))
    for n, think, label in steps:
        prefix = ROOT / "bench" / f".locust-{n}"
        cmd = [str(Path(PY).parent / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
               "-u", str(n), "-r", str(max(1, n // 5)), "-t", f"{LOAD_SECONDS}s", "--stop-timeout", "10",
               "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR"]
        print("$", " ".join(cmd), flush=True)
        subprocess.run(cmd, env={**ENV, "BENCH_SESSIONS": str(spec), "BENCH_THINK": think},  # noqa: S603
                       cwd=ROOT, timeout=LOAD_SECONDS + 120, capture_output=True)
        import csv

        with open(f"{prefix}_stats.csv") as fh:
            rows = list(csv.DictReader(fh))
        agg = next(r for r in rows if r["Name"] == "Aggregated")
        writes = sum(int(r["Request Count"]) for r in rows if r["Type"] == "POST")
        record(f"load.{label}", "rps", round(float(agg["Requests/s"]), 1),
               p50=float(agg["50%"]), p95=float(agg["95%"]), p99=float(agg["99%"]),
               requests=int(agg["Request Count"]), errors=int(agg["Failure Count"]),
               writes=writes, seconds=LOAD_SECONDS, think_s=think)
        for r in rows:
            if r["Name"] != "Aggregated":
                record(f"load.{label}.{r['Name'].replace(' ', '_')}", "rps", round(float(r["Requests/s"]), 1),
                       p50=float(r["50%"]), p95=float(r["95%"]), p99=float(r["99%"]),
                       requests=int(r["Request Count"]), errors=int(r["Failure Count"]), writes=0,
                       seconds=LOAD_SECONDS)
        for suffix in ("_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv"):
            Path(f"{prefix}{suffix}").unlink(missing_ok=True)
    spec.unlink(missing_ok=True)


# --- 5. the other benchmarks ----------------------------------------------------------------

def bench_extra():
    db = f"{PG}/{DB}_import"
    out = sh([PY, "bench/import_bench.py"], env={**ENV, "DATABASE_URL": db}, capture_output=True, text=True).stdout
    print(out)
    m = re.search(r"real import .*?: ([\d.]+) s, ([\d,]+) rows/s, peak ([\d.]+) MiB", out)
    if m:
        record("import.real", "s", float(m[1]), rows_per_s=int(m[2].replace(",", "")), peak_mib=float(m[3]))
    m = re.search(r"import/COPY ratio: (\d+)", out)
    if m:
        record("import.ratio_vs_copy", "x", int(m[1]))
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}_import" WITH (FORCE)')
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}_rem" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}_rem"')
    rem_env = {**ENV, "DATABASE_URL": f"{PG}/{DB}_rem"}
    sh([PY, "manage.py", "migrate", "-v0"], env=rem_env)
    points = os.environ.get("BENCH_REMINDER_POINTS", "100000")
    out = sh([PY, "bench/reminders.py", points], env=rem_env, capture_output=True, text=True).stdout
    print(out)
    for line in out.splitlines():
        m = re.search(r"(\d+) oppfølgingspunkter.*sveip\s+([\d.]+) s / (\d+) spørringer; levering av (\d+) "
                      r"e-poster\s+([\d.]+) s / (\d+) spørringer", line)
        if m:
            record(f"reminders.{m[1]}.sweep", "s", float(m[2]), queries=int(m[3]))
            record(f"reminders.{m[1]}.delivery", "s", float(m[5]), queries=int(m[6]), emails=int(m[4]))
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}_rem" WITH (FORCE)')
    OUT.unlink(missing_ok=True)  # dashboard.py merges into an existing object file
    out = sh([PY, "bench/dashboard.py"], capture_output=True, text=True).stdout
    print(out)
    data = json.loads(OUT.read_text()) if OUT.exists() else {}
    for r in data.get("dashboard", []):
        record(f"dashboard_bench.{'status' if r['params'] else 'default'}", "ms", r["ms_best"],
               queries=r["queries"], page_bytes=r["total_bytes"])


# --- report ---------------------------------------------------------------------------------

MAX_QUERIES = 20  # every page, whatever the number of kommuner (issue #17)
TARGETS = {
    "page.overview": 150, "http.overview": 150, "page.overview_cold": 150, "http.overview_cold": 150,
    "page.kommune_0301": 60, "page.kommune_3118": 60,
    "http.kommune_0301": 60, "http.kommune_3118": 60, "page.export_xlsx": 1000,
}


def report():
    OUT.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{'measurement':<44}{'unit':>6}{'value':>10}{'p50':>9}{'p95':>9}{'p99':>9}{'SQL':>5}  note")
    for r in results:
        note = []
        if r["name"].startswith(("page.", "http.")) and r.get("queries") is not None:
            note.append(f"SQL≤{MAX_QUERIES}: {'ok' if r['queries'] <= MAX_QUERIES else 'MISSED'}")
        if r["name"] in TARGETS:
            note.append(f"target p95<{TARGETS[r['name']]}: {'ok' if r['p95'] < TARGETS[r['name']] else 'MISSED'}")
        if "errors" in r:
            note.append(f"{r['requests']} req, {r['errors']} errors, {r['writes']} writes")
        if r["name"] == "load.100_users":
            note.append(f"target 0 errors and p95<500: {'ok' if r['p95'] < 500 and not r['errors'] else 'MISSED'}")
        for key in ("extra_queries_vs_superuser", "rows", "bytes", "peak_mib", "p95_ratio"):
            if key in r:
                note.append(f"{key}={r[key]}")

        def f(v):
            return "" if v is None else str(v)
        print(f"{r['name']:<44}{r['unit']:>6}{f(r['value']):>10}{f(r.get('p50')):>9}{f(r.get('p95')):>9}"
              f"{f(r.get('p99')):>9}{f(r.get('queries')):>5}  {'; '.join(note)}")
    print(f"\nwritten: {OUT.relative_to(ROOT)}")


fixtures_cache = {}


def main():
    t_all = time.perf_counter()
    prepare_database()
    setup_django()
    aar, users, pages = fixtures()
    fixtures_cache["users"] = users
    print(f"year {aar}; runs per page {RUNS}; users: " + ", ".join(f"{k}={u}" for k, u in users.items()))
    bench_pages(users, pages)
    bench_export_memory(pages)
    bench_floor(aar)
    bench_admin(aar)
    if not {"http", "load"} <= SKIP:
        with Gunicorn() as g:
            if "http" not in SKIP:
                bench_http(g.port, users, pages)
            if "load" not in SKIP:
                from kommuner.models import Kommune

                bench_load(g.port, aar, Kommune.objects.get(nummer="3118").fylke_id)
    if "extra" not in SKIP:
        bench_extra()
    record("bench.total", "s", round(time.perf_counter() - t_all, 1))
    report()


if __name__ == "__main__":
    main()
