"""Shared fixtures: the kommune register, users, a real Celery worker, and Chromium."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = ROOT / "node_modules/axe-core/axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"

_db_info = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real register once per test database; tests roll back on top of it."""
    from django.db import connection

    from kommuner.services import register_load
    from okonomi.services import satser_load

    with django_db_blocker.unblock():
        register_load()
        satser_load()
        _db_info["vendor"] = connection.vendor
        _db_info["name"] = connection.settings_dict["NAME"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
            _db_info["version"] = cursor.fetchone()[0]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures are keyed on a version counter that a rolled-back test resets: start clean."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def register(transactional_db):
    """For transactional tests (live server): the flush between them empties the register."""
    from kommuner.models import Kommune
    from kommuner.services import register_load

    if not Kommune.objects.exists():
        from okonomi.services import satser_load

        register_load()
        satser_load()


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    return [f"database engine: {engine}", f"celery broker: {settings.CELERY_BROKER_URL or '(eager)'}"]


_fuzz_from_workers = []


def _fuzz_stats():
    """The fuzz suite's counts (tests/test_fuzz_routes.py) from this process and any xdist workers."""
    module = sys.modules.get("tests.test_fuzz_routes")
    runs = list(_fuzz_from_workers)
    if module is not None and module.STATS["requests"]:
        s = module.STATS
        runs.append({"requests": s["requests"], "probes": s["probes"], "seconds": s["seconds"],
                     "status": dict(s["status"]), "urls": sorted(s["urls"]), "roles": sorted(s["roles"])})
    if not runs:
        return None
    total = {"requests": 0, "probes": 0, "seconds": 0.0, "status": {}, "urls": set(), "roles": set()}
    for run in runs:
        for key in ("requests", "probes", "seconds"):
            total[key] += run[key]
        for code, n in run["status"].items():
            total["status"][int(code)] = total["status"].get(int(code), 0) + n
        total["urls"] |= set(run["urls"])
        total["roles"] |= set(run["roles"])
    return total


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None and (stats := _fuzz_stats()):
        workeroutput["fuzz"] = {**stats, "urls": sorted(stats["urls"]), "roles": sorted(stats["roles"])}


def pytest_testnodedown(node, error):
    if (stats := getattr(node, "workeroutput", {}).get("fuzz")) is not None:
        _fuzz_from_workers.append(stats)


def pytest_terminal_summary(terminalreporter):
    if stats := _fuzz_stats():
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(stats["status"].items()))
        terminalreporter.write_line(
            f"Fuzzing: {stats['requests']} genererte forespørsler ({len(stats['urls'])} URL-navn × "
            f"{len(stats['roles'])} roller, {stats['seconds']:.1f} s i forespørslene; "
            f"{stats['probes']} prøveforespørsler i tillegg). Statuskoder: {codes}. "
            f"Svar med 500: {sum(n for code, n in stats['status'].items() if code >= 500)}."
        )
    if _db_info:
        terminalreporter.write_line(
            f"Database vendor: {_db_info['vendor']} ({_db_info['name']}; {_db_info['version'].split(' on ')[0]})"
        )
    if not Path(CHROMIUM).exists():
        terminalreporter.write_line(
            "!!! Nettlesertestene ble HOPPET OVER: Chromium mangler. Installer med: sudo apt-get install chromium",
            red=True,
            bold=True,
        )


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in Nynorsk leaves nn active in the test thread (LocaleMiddleware activates, nothing
    deactivates), so code run outside a request in the next test would be in Nynorsk. Reset it."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def password():
    return "Demo-passord-2026!"


@pytest.fixture
def admin_user(db, password):
    from tests.factories import UserFactory

    return UserFactory(username="admin-test", is_staff=True, is_superuser=True, password=password)


@pytest.fixture
def user(db, password):
    from tests.factories import UserFactory

    return UserFactory(password=password)


# --- Celery: a real worker process on the real Redis broker -------------------------------


def start_celery_worker(queue, env_extra=None, log_name="celery-worker.log"):
    """Start a real worker subprocess on `queue`, pointed at the test database; returns (proc, node, log).

    `env_extra` overrides the worker's environment (e.g. EMAIL_URL to a local SMTP server).
    """
    from django.db import connection

    from config.celery import app

    node = f"test-{uuid.uuid4().hex[:8]}@localhost"
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        if connection.vendor == "postgresql"
        else env.get("DATABASE_URL", ""),
    )
    env.update(env_extra or {})
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / log_name, "w")  # noqa: SIM115 - closed by stop_celery_worker
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue, "-n", node,
         "--without-gossip", "--without-mingle", "-l", "info"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"Celery-workeren stoppet (kode {proc.returncode}); se {log.name}")
        if app.control.ping(destination=[node], timeout=1.0):
            break
    else:
        proc.terminate()
        pytest.fail("Celery-workeren svarte ikke innen 60 sekunder")
    return proc, node, log


def stop_celery_worker(proc, log):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    log.close()


def require_broker():
    if not settings.CELERY_BROKER_URL:
        message = "CELERY_BROKER_URL er ikke satt; Celery-testene trenger Redis og en ekte worker."
        if CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    from config.celery import app

    require_broker()
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    app.control.purge()  # messages left by an earlier, interrupted run
    proc, node, log = start_celery_worker(queue)
    yield {"process": proc, "queue": queue, "node": node}
    stop_celery_worker(proc, log)


# --- Browser: Debian's Chromium through Playwright ------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium mangler ({CHROMIUM}). Installer med: sudo apt-get install chromium"
        if CI:
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test are ours.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(bypass_csp=True, locale="nb-NO", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def axe():
    """Run axe-core (WCAG 2.1 A/AA rules) on the page and return its violations."""
    if not AXE_JS.exists():
        pytest.fail("axe-core mangler: kjør `npm ci`")

    def run(pg):
        pg.add_script_tag(path=str(AXE_JS))
        result = pg.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"]
        ]

    return run


@pytest.fixture
def screenshot():
    def take(pg, name):
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take


