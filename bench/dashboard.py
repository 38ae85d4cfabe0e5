"""Benchmark the dashboard: SQL queries, time and page weight (HTML + CSS + JS + inline map).

    DATABASE_URL=postgres://… .venv/bin/python bench/dashboard.py [--aar 2025] [--runs 3]

Runs against the database in DATABASE_URL (seed it with `manage.py seed_demo` first) as a
national reader, so the whole country is on the page.
"""

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rapporter.sidevekt import sidevekt

    parser = argparse.ArgumentParser()
    parser.add_argument("--aar", type=int, default=None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    user, _ = get_user_model().objects.get_or_create(username="bench-dashboard",
                                                     defaults={"is_superuser": True, "is_staff": True})
    client = Client()
    client.force_login(user)
    params = {"aar": args.aar} if args.aar else {}
    results = []
    for url_params in (params, {**params, "maal": "status"}):
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as q:
                resp = client.get("/", url_params)
            times.append(time.perf_counter() - start)
            assert resp.status_code == 200, resp.status_code
        w = sidevekt(resp.content)
        results.append({"params": url_params, "queries": len(q), "ms_best": round(min(times) * 1000),
                        "ms_first": round(times[0] * 1000), "html_bytes": w["html"],
                        "html_gzip_bytes": len(gzip.compress(resp.content)),
                        "assets_bytes": sum(w["assets"].values()), "total_bytes": w["total"],
                        "under_1_mb": w["total"] < 1_000_000})
    for r in results:
        print(f"/ {r['params'] or ''}: {r['queries']} SQL-spørringer, {r['ms_best']} ms (første {r['ms_first']} ms), "
              f"sidevekt {r['total_bytes'] / 1000:.0f} kB (HTML {r['html_bytes'] / 1000:.0f} kB + CSS/JS "
              f"{r['assets_bytes'] / 1000:.0f} kB); HTML gzip {r['html_gzip_bytes'] / 1000:.0f} kB"
              f"{'' if r['under_1_mb'] else '  OVER 1 MB!'}")
    out = ROOT / "bench" / "results.json"
    data = json.loads(out.read_text()) if out.exists() else {}
    data["dashboard"] = results
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
