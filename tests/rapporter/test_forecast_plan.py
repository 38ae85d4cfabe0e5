"""The forecast by the kommune's plan: the plan as it stood at a date, the plan point by hand,
the back-test with and without plans and the method it chooses, merged kommuner' plans summed."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from bosetting.selectors import plan_for_kilder, plan_frist, planer_per_dato
from rapporter import forecast
from rapporter.selectors import prognosegrunnlag
from tests.factories import BosattFactory, PlanrevisjonFactory, kommune

FLAT = dict.fromkeys(range(1, 13), 10)  # 120 a year, half by the end of June
OSLO = ZoneInfo("Europe/Oslo")


# --- the plan as it stood at a date ---------------------------------------------------------

def test_cut_off_is_the_end_of_the_month_in_oslo():
    assert plan_frist(2025, 6) == datetime.datetime(2025, 7, 1, tzinfo=OSLO)
    assert plan_frist(2025, 12) == datetime.datetime(2026, 1, 1, tzinfo=OSLO)


@pytest.mark.django_db
def test_plan_at_date_is_the_revision_in_force_then_not_a_later_one(django_assert_num_queries):
    k = kommune("3101")
    PlanrevisjonFactory(kommune=k, aar=2025, nummer=1, plan={"7": [5, None], "8": [5, 2]},
                        tidspunkt=datetime.datetime(2025, 1, 10, tzinfo=OSLO))
    PlanrevisjonFactory(kommune=k, aar=2025, nummer=2, plan={"7": [9, None]},
                        tidspunkt=datetime.datetime(2025, 6, 30, 23, 59, tzinfo=OSLO))  # just before
    PlanrevisjonFactory(kommune=k, aar=2025, nummer=3, plan={"7": [40, None]},
                        tidspunkt=datetime.datetime(2025, 7, 1, 0, 0, tzinfo=OSLO))  # after the cut-off
    PlanrevisjonFactory(kommune=k, aar=2026, nummer=1, plan={"12": [3, None]},
                        tidspunkt=datetime.datetime(2026, 11, 20, tzinfo=OSLO))
    with django_assert_num_queries(1):
        planer = planer_per_dato([2025, 2026], 6, i_kraft=(2026,))
    assert planer[k.pk, 2025] == {7: 9}  # revision 2, not 3 made after the end of June
    assert planer[k.pk, 2026] == {12: 3}  # the running year: the plan in force
    assert planer_per_dato([2025], 5)[k.pk, 2025] == {7: 5, 8: 5}
    assert (k.pk, 2025) not in planer_per_dato([2025], 0)  # cut-off before the year began


def test_merged_kommune_plans_are_summed():
    a, b, c = SimpleNamespace(pk=1), SimpleNamespace(pk=2), SimpleNamespace(pk=3)
    planer = {(1, 2025): {7: 4, 8: 2}, (2, 2025): {7: 6}}
    assert plan_for_kilder(planer, [a, b, c], 2025) == {7: 10}  # month 8 only in one plan: not planned
    assert plan_for_kilder(planer, [a, c], 2025) == {7: 4, 8: 2}
    assert plan_for_kilder(planer, [c], 2025) == {}


# --- the plan point by hand -----------------------------------------------------------------

def test_plan_point_by_hand():
    p = forecast.profil(FLAT)
    # 60 by June; profile total 120 → 10 a month. Plan 20 in July and 0 in August;
    # September–December unplanned: 4 × 10. 60 + 20 + 0 + 40 = 120.
    assert forecast.planprognose(60, 6, p, {7: 20, 8: 0}) == 120
    # Every month planned: no profile needed.
    assert forecast.planprognose(60, 6, None, dict.fromkeys(range(7, 13), 1)) == 66
    assert forecast.planprognose(60, 6, None, {7: 20}) is None  # unplanned months, no profile
    assert forecast.planprognose(60, 6, p, {3: 5}) is None  # only past months planned
    assert forecast.planprognose(None, 6, p, {7: 20}) is None  # unknown so far stays unknown


# --- back-test with and without plans -------------------------------------------------------

def _data(n_kommuner=12, aarene=(2021, 2022, 2023, 2024)):
    """Years alternating between flat (10 a month) and front-loaded (10 a month to June, then 2):
    a profile from the other years misses every year."""
    maaneder = {}
    for k in range(1, n_kommuner + 1):
        for i, y in enumerate(aarene):
            maaneder[k, y] = {**dict.fromkeys(range(1, 7), 10), **dict.fromkeys(range(7, 13), 10 if i % 2 else 2)}
    return maaneder


def _plans(maaneder, per_maaned=None):
    """A plan for every kommune-year: the months that came (per_maaned None), or a fixed number."""
    return {key: {m: months[m] if per_maaned is None else per_maaned for m in range(7, 13)}
            for key, months in maaneder.items()}


def test_back_test_without_plans_keeps_profile_method():
    maaneder = _data()
    kal = forecast.kalibrer(forecast.tilbaketest(maaneder, {}, 6), 6)
    assert kal.plan.antall == 0 and not kal.bruk_plan
    assert all(e.plan_punkt is None for e in kal.rader)


def test_back_test_where_plan_is_better_uses_the_plan():
    maaneder = _data()
    kal = forecast.kalibrer(forecast.tilbaketest(maaneder, {}, 6, _plans(maaneder)), 6)
    s = kal.plan
    assert s.antall == 48 and s.nok
    assert s.mae_plan == 0 and s.mae_profil > 0 and s.mape_plan == 0
    assert s.plan_bedre and kal.bruk_plan
    assert s.klasse.spenn is not None  # enough plan rows for its own interval
    p = forecast.prognose_med_plan(60, 6, forecast.profil(FLAT), {7: 2}, kal)
    assert p.profil == forecast.PLAN and p.punkt == 60 + 2 + 5 * 10
    assert p.klasse is s.klasse
    # No plan for a month to come: the profile method.
    assert forecast.prognose_med_plan(60, 6, forecast.profil(FLAT), {}, kal).profil != forecast.PLAN


def test_back_test_where_plan_is_worse_keeps_the_profile():
    maaneder = _data()
    kal = forecast.kalibrer(forecast.tilbaketest(maaneder, {}, 6, _plans(maaneder, 40)), 6)
    s = kal.plan
    assert s.nok and s.mae_plan > s.mae_profil
    assert s.plan_bedre is False and not kal.bruk_plan
    p = forecast.prognose_med_plan(60, 6, forecast.profil(FLAT), {7: 40}, kal)
    assert p.profil != forecast.PLAN and p.punkt == 120


def test_too_few_plan_years_keep_the_profile_and_say_so():
    maaneder = _data()
    few = dict(list(_plans(maaneder).items())[:3])
    kal = forecast.kalibrer(forecast.tilbaketest(maaneder, {}, 6, few), 6)
    assert kal.plan.antall == 3 and not kal.plan.nok
    assert kal.plan.plan_bedre is None and not kal.bruk_plan
    assert kal.plan.klasse.spenn is None


def test_plan_points_of_0_have_no_ratio_interval_and_do_not_break_the_back_test():
    """Kommuner that settled nothing by June and planned 0 for the rest of the year: plan point 0
    (at national scale this divided by zero and the county report failed). They count in the
    comparison but not in the plan interval's ratios, and a plan point of 0 states no interval."""
    maaneder = _data()
    for k in range(13, 25):
        for y in (2021, 2022, 2023, 2024):
            maaneder[k, y] = {**dict.fromkeys(range(1, 7), 0), **dict.fromkeys(range(7, 13), 1)}
    plans = {**_plans(maaneder), **{(k, y): dict.fromkeys(range(7, 13), 0)
                                     for k in range(13, 25) for y in (2021, 2022, 2023, 2024)}}
    kal = forecast.kalibrer(forecast.tilbaketest(maaneder, {}, 6, plans), 6)
    assert kal.plan.antall == 96 and kal.plan.klasse.antall == 48  # the 48 points above 0
    p = forecast.prognose_med_plan(0, 6, forecast.profil(FLAT), dict.fromkeys(range(7, 13), 0), kal)
    assert kal.bruk_plan  # exact for the first twelve, as good as the profile for the others
    assert p.profil == forecast.PLAN and p.punkt == 0 and (p.lav, p.hoy) == (None, None)


# --- the basis read from the database -------------------------------------------------------

@pytest.mark.django_db
def test_basis_back_tests_with_the_plan_then_and_forecasts_with_the_plan_in_force():
    halden = kommune("3101")
    for y in (2024, 2025):
        for m in range(1, 13):
            BosattFactory(kommune=halden, aar=y, maaned=m, antall=10 if m <= 6 else 2)
        # Made in January, revised in June and again after the cut-off (ignored by the back-test).
        PlanrevisjonFactory(kommune=halden, aar=y, nummer=1, plan={str(m): [9, None] for m in range(7, 13)},
                            tidspunkt=datetime.datetime(y, 1, 20, tzinfo=OSLO))
        PlanrevisjonFactory(kommune=halden, aar=y, nummer=2, plan={str(m): [2, None] for m in range(7, 13)},
                            tidspunkt=datetime.datetime(y, 6, 10, tzinfo=OSLO))
        PlanrevisjonFactory(kommune=halden, aar=y, nummer=3, plan={str(m): [50, None] for m in range(7, 13)},
                            tidspunkt=datetime.datetime(y, 8, 1, tzinfo=OSLO))
    for m in range(1, 7):
        BosattFactory(kommune=halden, aar=2026, maaned=m, antall=10)
    PlanrevisjonFactory(kommune=halden, aar=2026, nummer=1, plan={"7": [4, None], "8": [4, None]},
                        tidspunkt=datetime.datetime(2026, 6, 20, tzinfo=OSLO))
    g = prognosegrunnlag(2026, datetime.date(2026, 7, 15))
    rows = [e for e in g.kalibrering.rader if e.niva == forecast.KOMMUNE]
    assert {e.aar for e in rows} == {2024, 2025}
    assert all(e.plan_punkt == e.faktisk == 72 for e in rows)  # revision 2: 60 + 6 × 2
    assert g.planer == {(halden.pk, 2026): {7: 4, 8: 4}}
    assert g.kalibrering.plan.antall == 2 and not g.kalibrering.bruk_plan  # too few to choose the plan


@pytest.mark.django_db
def test_months_and_plans_in_one_query_agree_with_the_plain_read(django_assert_num_queries):
    from bosetting.selectors import maanedstall, planer_ved

    k = kommune("3101")
    BosattFactory(kommune=k, aar=2025, maaned=3, antall=7)
    PlanrevisjonFactory(kommune=k, aar=2025, nummer=1, plan={"7": [5, None]},
                        tidspunkt=datetime.datetime(2025, 6, 30, 23, 30, tzinfo=OSLO))
    PlanrevisjonFactory(kommune=k, aar=2025, nummer=2, plan={"7": [8, 1]},
                        tidspunkt=datetime.datetime(2025, 7, 1, 0, 30, tzinfo=OSLO))
    with django_assert_num_queries(1):
        months, _fylke, _demo, revisjoner = maanedstall([2025], planer=True)
    assert months == {(k.pk, 2025): {3: 7}}
    assert planer_ved(revisjoner, [2025], 6) == planer_per_dato([2025], 6) == {(k.pk, 2025): {7: 5}}
    assert planer_ved(revisjoner, [2025], 7) == {(k.pk, 2025): {7: 8}}


# --- the pages ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_methods_page_states_the_plan_comparison(client):
    from django.urls import reverse

    from core import roles
    from tests.factories import profil_user

    client.force_login(profil_user(roles.KS))
    html = client.get(reverse("rapporter:slik_regner_vi")).content.decode()
    assert 'id="plan-valg"' in html
    assert "Ingen kommuneår i tilbaketesten hadde en bosettingsplan da" in html  # no plans: the profile


def test_a_plan_forecast_is_labelled_on_the_pages():
    from django.template.loader import render_to_string

    p = forecast.Prognose(60, 6, 112, 100, 130, profil=forecast.PLAN)
    html = render_to_string("rapporter/_prognose_celle.html", {"p": p})
    assert "etter kommunens plan" in html and "112" in html


def test_comparison_shows_both_methods_and_the_choice():
    from django.template.loader import render_to_string

    maaneder = _data()
    kal = forecast.kalibrer(forecast.tilbaketest(maaneder, {}, 6, _plans(maaneder)), 6, demo_aar=(2022,))
    html = render_to_string("rapporter/_plan_sammenligning.html", {"k": kal})
    assert "Etter takten (profil)" in html and "Etter kommunens plan" in html
    assert "Planen traff minst like godt som takten" in html
    assert "demodata" in html  # demo years flagged
