"""The forecast as the pages show it: a suppressed kommune says «ukjent», a sum with suppressed
parts «minst», each kommune says whether its own pace or the national profile was used, and the
dashboard states the back-test's coverage and errors, which are the calibration's."""

import datetime
import re
import types

import pytest

from bosetting.models import Bosatt
from bosetting.services import bosatt_register
from kommuner.models import Fylke, Kommune
from rapporter import selectors
from rapporter.selectors import dashboard, fylkesrapport
from tests.factories import kommune

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 7, 3)  # IMDi's 2026 figures are «so far»: taken as through June


@pytest.fixture
def today(monkeypatch):
    """The pages' today (the forecast depends on the day; the views ask the date module)."""
    class Dato(datetime.date):
        @classmethod
        def today(cls):
            return cls(TODAY.year, TODAY.month, TODAY.day)
    monkeypatch.setattr(selectors, "datetime", types.SimpleNamespace(date=Dato))
    return TODAY


@pytest.fixture
def client_admin(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def ostfold(db):
    """Moss settles 120 in each of 2024 and 2025 (its own pace: front-loaded in 2025), Halden 12
    a year (too few for a pace of its own); in 2026 so far Moss 40, Halden 6, and Hvaler's
    count is suppressed by IMDi (`:`)."""
    moss, halden, hvaler = kommune("3103"), kommune("3101"), kommune("3110")
    rows = []
    for m in range(1, 13):
        rows.append(Bosatt(kommune=moss, aar=2024, maaned=m, antall=10))
        rows.append(Bosatt(kommune=moss, aar=2025, maaned=m, antall=15 if m <= 6 else 5))
        rows += [Bosatt(kommune=halden, aar=y, maaned=m, antall=1) for y in (2024, 2025)]
    Bosatt.objects.bulk_create(rows)
    bosatt_register(kommune=moss, aar=2026, antall=40)
    bosatt_register(kommune=halden, aar=2026, antall=6)
    bosatt_register(kommune=hvaler, aar=2026, antall=None, prikket=["antall"])


def _celle(html, nummer):
    row = re.search(rf'<tr[^>]*data-kommune="{nummer}"[^>]*>(.*?)</tr>', html, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1])).strip()


def test_county_report_suppressed_kommune_is_unknown_and_the_sum_a_lower_bound(ostfold, today, client_admin):
    r = fylkesrapport(Fylke.objects.get(nummer="31"), 2026)
    rows = {x["nummer"]: x for x in r.rader}
    hvaler = rows["3110"]["prognose"]
    assert hvaler.ukjent and hvaler.nedre_grense and hvaler.punkt is None
    # Moss: its own pace (shares 0.5 and 0.75 by June → 0.625): 40 / 0.625 = 64
    assert (rows["3103"]["prognose"].punkt, rows["3103"]["prognose"].profil) == (64, "egen")
    # Halden: the national profile (Moss + Halden: 66 of 132 and 96 of 132 by June → 0.6136…)
    assert (rows["3101"]["prognose"].punkt, rows["3101"]["prognose"].profil) == (10, "nasjonal")
    assert (r.sum_prognose.punkt, r.sum_prognose.nedre_grense) == (74, True)
    assert rows["3105"]["prognose"].ukjent and not rows["3105"]["prognose"].nedre_grense  # nothing reported

    html = client_admin.get("/rapport/fylke/31/", {"aar": 2026}).content.decode()
    assert _celle(html, "3110") == "ukjent (IMDi har prikket tallet)"
    assert _celle(html, "3103").startswith("64 (") and _celle(html, "3103").endswith("egen takt")
    assert _celle(html, "3101").endswith("nasjonal profil")
    assert _celle(html, "sum").startswith("minst ")
    assert "0 (0–0)" not in html and "0 (0\u20130)" not in html
    assert "Tilbaketesten bygger på demodata" not in html  # these rows are not demo data


def test_known_zero_is_a_forecast_unknown_is_not(ostfold, today):
    bosatt_register(kommune=kommune("3105"), aar=2026, antall=0)  # Sarpsborg: none settled yet, known
    rows = {x["nummer"]: x for x in fylkesrapport(Fylke.objects.get(nummer="31"), 2026).rader}
    assert rows["3105"]["prognose"].punkt == 0 and not rows["3105"]["prognose"].ukjent
    assert rows["3107"]["prognose"].ukjent  # Fredrikstad: no figure at all


def _many(years=(2022, 2023, 2024)):
    """7 kommuner in each of three fylker with complete monthly rows: enough back-tested forecasts
    of kommuner (63) and of sums (9 fylke-years and 3 national years)."""
    kommuner = [k for f in ("31", "32", "33")
                for k in Kommune.objects.gjeldende().filter(fylke__nummer=f).order_by("nummer")[:7]]
    rows = []
    for i, k in enumerate(kommuner):
        for j, y in enumerate(years):
            for m in range(1, 13):
                rows.append(Bosatt(kommune=k, aar=y, maaned=m, antall=2 + (i + j * m) % 4))
    Bosatt.objects.bulk_create(rows)
    return kommuner


def test_dashboard_states_the_back_tests_coverage_and_errors(db, today, client_admin, admin_user):
    kommuner = _many()
    for k in kommuner:
        bosatt_register(kommune=k, aar=2026, antall=20)
    d = dashboard(admin_user, 2026)
    k = d.kalibrering
    assert k.aar == (2022, 2023, 2024) and k.maaned == 6 and k.kommuner.antall == 63
    stated = [e for e in k.nivaa("kommune") if e.lav is not None]
    assert stated and k.kommuner.dekket == sum(e.innenfor for e in stated)
    assert all(c.dekning >= 0.8 for c in k.klasser if c.spenn and c.naadd)

    n = d.nasjonal_prognose
    points = sum(d.kommune_prognose[x.nummer].punkt for x in kommuner)
    assert n.punkt == points and n.har_spenn and (n.lav, n.hoy) != (points, points)
    assert n.lav <= n.punkt <= n.hoy

    html = client_admin.get("/", {"aar": 2026}).content.decode()
    assert 'id="tilbaketest-klasser"' in html and "Tilbaketesten bruker årene 2022, 2023, 2024" in html
    c = k.kommuner
    assert f"{round(100 * c.dekning)}\u00a0%" in html and f"({c.dekket} av {c.med_spenn})" in html
    assert k.samlet.spenn is not None and n.klasse is k.samlet  # the aggregates' own back-test
    assert len(d.tilbaketest) == 3
    for t in d.tilbaketest:  # every national year «ja» or «nei» as its own interval says
        assert t.lav is not None and (t.lav <= t.faktisk <= t.hoy) == t.innenfor


def test_dashboard_says_when_the_back_test_is_demo_data(db, today, client_admin):
    from vedtak.choices import Kilde

    _many()
    Bosatt.objects.filter(aar=2023).update(kilde=Kilde.DEMO)
    html = client_admin.get("/", {"aar": 2026}).content.decode()
    assert "Månedstallene for 2023 er demodata" in html
