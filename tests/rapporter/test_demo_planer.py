"""Generated demo plans: from the kommune's vedtak (never from what was settled), revisions made
within their year, marked kilde=demo, the newest revision's months as the plan in force."""

import datetime
import random

import pytest

from bosetting.models import Bosettingsplan, Planrevisjon
from demo import saker
from tests.factories import BosattFactory, kommune
from vedtak.choices import Kilde
from vedtak.models import Vedtak


def test_plan_spreads_the_vedtak_over_the_months_with_noise():
    plan = saker.plan_fra_vedtak(120, random.Random(1))
    assert sorted(int(m) for m in plan) == list(range(1, 13))
    values = [p for p, _b in plan.values()]
    assert all(5 <= v <= 15 for v in values) and len(set(values)) > 1  # 10 a month ± half
    assert sorted(int(m) for m in saker.plan_fra_vedtak(120, random.Random(1), range(6, 13))) == list(range(6, 13))


@pytest.mark.django_db
def test_demo_plans_come_from_the_vedtak_not_the_outcome():
    halden = kommune("3101")
    Vedtak.objects.create(kommune=halden, aar=2023, antall=60, dato=datetime.date(2023, 2, 1))
    assert saker._demo_planer() > 0
    revs = list(Planrevisjon.objects.filter(kommune=halden, aar=2023).order_by("nummer"))
    assert [r.nummer for r in revs] == [1, 2]
    assert all(r.kilde == Kilde.DEMO and r.tidspunkt.year == 2023 for r in revs)
    assert revs[0].plan != revs[1].plan  # revised in June
    assert {p.maaned: p.plasser for p in Bosettingsplan.objects.filter(kommune=halden, aar=2023)} == {
        int(m): v[0] for m, v in revs[1].plan.items()}
    before = {r.nummer: r.plan for r in revs}
    # The same plans whatever was settled: made again after settled rows exist.
    Bosettingsplan.objects.all().delete()
    Planrevisjon.objects.all().delete()
    for m in range(1, 13):
        BosattFactory(kommune=halden, aar=2023, maaned=m, antall=40)
    saker._demo_planer()
    assert {r.nummer: r.plan for r in Planrevisjon.objects.filter(kommune=halden, aar=2023)} == before
    assert saker._demo_planer() == 0  # idempotent
