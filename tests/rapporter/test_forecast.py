"""The forecast's pure functions against hand-computed figures: profiles, the point, own pace or
the national profile, unknown and suppressed counts, the back-test and its calibrated intervals."""

import pytest

from rapporter import forecast
from rapporter.forecast import Kalibrering, Klasse, Spenn, Tilbaketest
from rapporter.templatetags.rapporter import prosent_presis

FLAT = dict.fromkeys(range(1, 13), 10)  # 120 a year, half by the end of June
FRONT = {**dict.fromkeys(range(1, 7), 15), **dict.fromkeys(range(7, 13), 5)}  # 120, 90 (75 %) by June


def test_profile_is_cumulative_share():
    p = forecast.profil(FLAT)
    assert p[0] == pytest.approx(1 / 12) and p[5] == pytest.approx(0.5) and p[11] == pytest.approx(1.0)
    assert forecast.profil(FRONT)[5] == pytest.approx(0.75)
    assert forecast.profil(dict.fromkeys(range(1, 13), 0)) is None


def test_complete_needs_all_twelve_months_known():
    assert forecast.er_komplett(FLAT)
    assert not forecast.er_komplett(dict.fromkeys(range(1, 12), 1))
    assert not forecast.er_komplett({**FLAT, 4: None})  # a suppressed month is unknown


def test_point_is_hittil_over_the_mean_share():
    # 60 by June; shares 0.5 and 0.75 → mean share 0.625 → 96
    profil = forecast.snittprofil([forecast.profil(FLAT), forecast.profil(FRONT)])
    assert forecast.punktprognose(60, 6, profil) == 96
    assert forecast.punktprognose(60, 6, None) is None
    assert forecast.punktprognose(60, 0, profil) is None
    late = forecast.profil({**dict.fromkeys(range(1, 7), 0), **dict.fromkeys(range(7, 13), 20)})
    assert forecast.punktprognose(30, 3, late) is None  # nothing settled that early: cannot scale


def test_full_year_is_the_outcome():
    p = forecast.prognose(130, 12, forecast.profil(FLAT))
    assert (p.punkt, p.lav, p.hoy) == (130, 130, 130)


# --- own pace or the national profile ------------------------------------------------------------

def test_own_pace_with_enough_complete_years_else_the_national_profile():
    nasjonal = forecast.profil(FLAT)
    p, kilde, n = forecast.velg_profil([FRONT, FRONT], nasjonal, 6, 5)
    assert (kilde, n, round(p[5], 2)) == (forecast.EGEN, 2, 0.75)
    assert forecast.velg_profil([FRONT], nasjonal, 6, 5) == (nasjonal, forecast.NASJONAL, 5)  # one year
    small = dict.fromkeys(range(1, 13), 1)  # 12 settled a year: too few for a pace of its own
    assert forecast.velg_profil([small, small, small], nasjonal, 6)[1] == forecast.NASJONAL
    assert forecast.velg_profil([FRONT, {**FRONT, 3: None}], nasjonal, 6)[1] == forecast.NASJONAL
    # The label travels with the forecast: 60 by June at the own (front-loaded) pace → 80
    own = forecast.prognose(60, 6, p, kilde=kilde)
    assert (own.punkt, own.profil) == (80, "egen")
    assert forecast.prognose(60, 6, nasjonal).profil == "nasjonal"


# --- unknown is not 0 ------------------------------------------------------------------------

def test_suppressed_kommune_has_no_number():
    """Hvaler 2026: IMDi's settled cell is `:`. No point, no interval, never 0 (0–0)."""
    kal = _kalibrering(Spenn(0.5, 2.0), Spenn(0.9, 1.1))
    p = forecast.prognose(None, 11, forecast.profil(FLAT), kal, skjulte=1)
    assert p.ukjent and p.nedre_grense and p.antall_skjulte == 1
    assert (p.hittil, p.punkt, p.lav, p.hoy) == (None, None, None, None)
    assert not p.har_prognose


def test_no_rows_is_unknown_but_not_suppressed_and_known_zero_is_a_forecast():
    profil = forecast.profil(FLAT)
    unknown = forecast.prognose(None, 6, profil)
    assert unknown.ukjent and not unknown.nedre_grense
    zero = forecast.prognose(0, 6, profil, _kalibrering(Spenn(0.5, 2.0), Spenn(0.9, 1.1), null=Spenn(0, 7.4, True)))
    assert not zero.ukjent and (zero.punkt, zero.lav, zero.hoy) == (0, 0, 8)  # [0, the outcomes' upper end]


def test_a_sum_with_suppressed_parts_is_a_lower_bound_and_all_unknown_is_unknown():
    kal = _kalibrering(Spenn(0.5, 2.0), Spenn(0.9, 1.1), min_samlet=0)
    profil = forecast.profil(FLAT)
    kjent = forecast.prognose(50, 6, profil, kal)  # 100
    prikket = forecast.prognose(None, 6, profil, kal, skjulte=1)
    s = forecast.samlet_prognose([kjent, prikket, forecast.prognose(None, 6, profil, kal)], 6, kal)
    assert (s.hittil, s.punkt, s.lav, s.hoy, s.nedre_grense, s.antall_skjulte) == (50, 100, 90, 110, True, 1)
    alle = forecast.samlet_prognose([prikket, prikket], 6, kal)
    assert alle.ukjent and alle.punkt is None and alle.nedre_grense
    # A rolled-up kommune with one suppressed source: a forecast of the known part, a lower bound
    delvis = forecast.prognose(7, 6, profil, kal, skjulte=1)
    assert delvis.har_prognose and delvis.nedre_grense and delvis.punkt == 14


# --- intervals ---------------------------------------------------------------------------------

def _kalibrering(kommune, samlet, *, null=None, min_samlet=0):
    klasser = [Klasse(0, 0, spenn=null), Klasse(1, None, spenn=kommune)]
    return Kalibrering(6, klasser, Klasse(None, None, niva=forecast.FYLKE, spenn=samlet), [], min_samlet=min_samlet)


def test_national_interval_is_the_aggregates_own_not_a_sum_of_points_or_bounds():
    kal = _kalibrering(Spenn(0.5, 2.0), Spenn(0.9, 1.1))
    profil = forecast.profil(FLAT)
    kommuner = [forecast.prognose(h, 6, profil, kal) for h in (20, 25, 30)]  # points 40, 50, 60
    assert [(p.punkt, p.lav, p.hoy) for p in kommuner] == [(40, 20, 80), (50, 25, 100), (60, 30, 120)]
    land = forecast.samlet_prognose(kommuner, 6, kal)
    assert land.punkt == 150  # points add up
    assert (land.lav, land.hoy) == (135, 165)  # 150 × [0.9, 1.1], the aggregates' back-tested spread
    assert (land.lav, land.hoy) != (150, 150)  # not «150–150», the sum of the point guesses
    assert (land.lav, land.hoy) != (75, 300)  # nor the sum of the kommuner's bounds


def test_small_aggregate_takes_the_kommune_class_of_its_size():
    kal = _kalibrering(Spenn(0.5, 2.0), Spenn(0.9, 1.1), min_samlet=500)
    profil = forecast.profil(FLAT)
    s = forecast.samlet_prognose([forecast.prognose(h, 6, profil, kal) for h in (20, 25)], 6, kal)
    assert (s.punkt, s.lav, s.hoy) == (90, 45, 180)  # below every back-tested county: a kommune's spread


def test_interval_never_below_settled_and_always_holds_the_point():
    assert Spenn(0.5, 2.0).anvend(100, 80) == (80, 200)  # 50 would be below the 80 already settled
    assert Spenn(1.1, 1.2).anvend(100, 50) == (100, 120)  # every ratio above 1: the point still within
    assert Spenn(0.95, 1.04).anvend(101, 0) == (95, 106)  # rounded outwards (95.95 → 95, 105.04 → 106)


def test_zero_error_is_within_the_range():
    assert Tilbaketest(2024, 50, 100, 100, lav=100, hoy=100).innenfor is True
    assert Tilbaketest(2024, 50, 100, 100).innenfor is None  # no interval stated: neither yes nor no
    rows = [Tilbaketest(y, 50, 100, 100) for y in (2022, 2023) for _ in range(6)]
    klasse = forecast.kalibrer_klasse(Klasse(20, None), rows)
    assert all(r.avvik == 0 and r.innenfor for r in rows) and klasse.dekning == 1
    assert prosent_presis(0.0011) == "0,1\u00a0%"  # a small error is not shown as «0 %»


def _rows(year_outcomes):
    """Back-tested forecasts with point 100 and nothing settled yet, from {year: outcomes}."""
    return [Tilbaketest(y, 0, faktisk, 100) for y, outcomes in year_outcomes.items() for faktisk in outcomes]


def test_coverage_by_hand_leaving_one_year_out():
    """2020 came out 91–100, 2021 100–109, forecasts 100. Stated from the other year's 10–90 %
    ratio quantiles: 2020 gets [100, 109] (from 1.009–1.081), 2021 gets [91, 100] (0.919–0.991).
    Only the outcome 100 falls within in each year: 2 of 20 = 10 %."""
    rows = _rows({2020: range(91, 101), 2021: range(100, 110)})
    k = forecast.kalibrer_klasse(Klasse(20, None), rows, maal=0.1)
    assert (k.antall, k.med_spenn, k.dekket, k.steg) == (20, 20, 2, 0)
    assert k.dekning == pytest.approx(0.1) and k.naadd
    by = {(r.aar, r.faktisk): r for r in rows}
    assert (by[2020, 95].lav, by[2020, 95].hoy, by[2020, 95].innenfor) == (100, 109, False)
    assert (by[2021, 100].lav, by[2021, 100].hoy, by[2021, 100].innenfor) == (91, 100, True)
    assert k.mae == pytest.approx(4.5)  # |100 − outcome|: 9, 8, …, 0 in 2020 and 0, 1, …, 9 in 2021


def test_calibration_widens_until_the_target_is_reached():
    rows = _rows({2020: range(91, 101), 2021: range(100, 110)})
    k = forecast.kalibrer_klasse(Klasse(20, None), rows)  # target 80 %
    assert k.steg > 0 and k.naadd and k.dekning >= 0.8
    plain = forecast._tilpass(rows, 0.1, 1.0, False)
    assert k.spenn.lav < plain.lav and k.spenn.hoy > plain.hoy  # wider than the 10–90 % quantiles
    assert sum(bool(r.innenfor) for r in rows) == k.dekket  # the rows' «innenfor» is the coverage


def test_too_few_back_tested_forecasts_state_no_interval():
    k = forecast.kalibrer_klasse(Klasse(20, None), _rows({2020: range(95, 100), 2021: range(100, 104)}))
    assert k.spenn is None and k.med_spenn == 0 and k.dekning is None
    k = forecast.kalibrer_klasse(Klasse(20, None), _rows({2021: range(90, 110)}))  # one year only
    assert k.spenn is None


def test_small_size_classes_join_a_neighbour():
    rows = [Tilbaketest(2020, 0, p, p) for p in [5] * 12 + [50] * 3 + [300] * 11 + [900] * 2]
    klasser = [(k.nedre, k.ovre) for k in forecast._klasser(rows)]
    assert klasser == [(0, 0), (1, 99), (100, None)]  # 20–99 into 1–19, 500+ into 100–499


# --- the back-test ------------------------------------------------------------------------------

def test_backtest_leaves_the_year_out_and_sums_per_fylke_and_country():
    maaneder = {(1, 2012): FLAT, (1, 2013): FRONT, (1, 2011): {1: 5}, (2, 2012): FLAT, (2, 2013): FLAT}
    rows = forecast.tilbaketest(maaneder, {1: "31", 2: "32"}, 6)
    k = {(r.navn, r.aar): r for r in rows if r.niva == forecast.KOMMUNE}
    assert set(k) == {(1, 2012), (1, 2013), (2, 2012), (2, 2013)}  # 2011 is incomplete
    # Kommune 1 in 2012, from 2013's profile only (own pace needs two other years; the national
    # 2013 is FRONT + FLAT: 150 of 240 by June = 0.625): 60 / 0.625 = 96, actual 120
    assert (k[1, 2012].hittil, k[1, 2012].punkt, k[1, 2012].faktisk, k[1, 2012].avvik) == (60, 96, 120, -24)
    assert k[1, 2012].avvik_andel == pytest.approx(-0.2)
    land = {r.aar: r for r in rows if r.niva == forecast.LAND}
    assert land[2012].punkt == k[1, 2012].punkt + k[2, 2012].punkt
    assert land[2012].faktisk == 240
    fylke = {(r.navn, r.aar): r for r in rows if r.niva == forecast.FYLKE}
    assert fylke["31", 2013].punkt == k[1, 2013].punkt


def test_kalibrering_reports_coverage_per_level():
    maaneder = {}
    for kid in range(30):
        for y, months in ((2021, FLAT), (2022, FRONT), (2023, FLAT)):
            maaneder[kid, y] = {m: v + kid % 3 for m, v in months.items()}
    kal = forecast.kalibrer(forecast.tilbaketest(maaneder, dict.fromkeys(range(30), "31"), 6), 6, demo_aar={2022})
    assert kal.aar == (2021, 2022, 2023) and kal.demo_aar == (2022,)
    assert kal.kommuner.antall == 90 and kal.hele_landet.antall == 3 and kal.fylker.antall == 3
    rows = [r for r in kal.nivaa(forecast.KOMMUNE) if r.lav is not None]
    assert kal.kommuner.dekket == sum(r.innenfor for r in rows)
    for c in kal.klasser:  # each class's coverage is its own rows' «innenfor»
        assert c.dekket == sum(bool(r.innenfor) for r in rows if c.inneholder(r.punkt))


def test_extra_places_and_expected_shortfall():
    assert forecast.ekstra_vedtaksplasser(500, 279) == 221
    assert forecast.ekstra_vedtaksplasser(500, 600) == 0
    assert forecast.ekstra_vedtaksplasser(None, 10) is None
    p = forecast.prognose(60, 6, forecast.profil(FLAT))
    assert forecast.forventet_mangel(500, p) == 380
    assert forecast.forventet_mangel(500, forecast.prognose(1, 0, None)) is None
    assert forecast.forventet_mangel(500, forecast.prognose(None, 6, forecast.profil(FLAT), skjulte=1)) is None
