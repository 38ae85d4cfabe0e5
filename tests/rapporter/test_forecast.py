"""The forecast's pure functions against hand-computed figures."""

import pytest

from rapporter import forecast

FLAT = dict.fromkeys(range(1, 13), 10)  # 120 a year, half by the end of June
FRONT = {**dict.fromkeys(range(1, 7), 15), **dict.fromkeys(range(7, 13), 5)}  # 120, 90 (75 %) by June


def test_profile_is_cumulative_share():
    p = forecast.profil(FLAT)
    assert p[0] == pytest.approx(1 / 12) and p[5] == pytest.approx(0.5) and p[11] == pytest.approx(1.0)
    assert forecast.profil(FRONT)[5] == pytest.approx(0.75)
    assert forecast.profil(dict.fromkeys(range(1, 13), 0)) is None


def test_complete_needs_all_twelve_months():
    assert forecast.er_komplett(FLAT)
    assert not forecast.er_komplett(dict.fromkeys(range(1, 12), 1))


def test_point_is_hittil_over_mean_share_and_range_from_slowest_and_fastest_year():
    # 60 by June; shares 0.5 and 0.75 → estimates 120 and 80; mean share 0.625 → 96
    p = forecast.prognose(60, 6, [forecast.profil(FLAT), forecast.profil(FRONT)])
    assert (p.punkt, p.lav, p.hoy, p.antall_profiler) == (96, 80, 120, 2)


def test_no_forecast_without_profiles_or_months():
    assert forecast.prognose(60, 6, []).punkt is None
    assert forecast.prognose(0, 0, [forecast.profil(FLAT)]).punkt is None


def test_full_year_is_the_outcome():
    p = forecast.prognose(130, 12, [forecast.profil(FLAT)])
    assert (p.punkt, p.lav, p.hoy) == (130, 130, 130)


def test_profile_with_nothing_settled_yet_is_skipped():
    late = {**dict.fromkeys(range(1, 7), 0), **dict.fromkeys(range(7, 13), 20)}
    p = forecast.prognose(30, 3, [forecast.profil(late), forecast.profil(FLAT)])
    assert (p.punkt, p.antall_profiler) == (120, 1)  # 30 / 0.25


def test_backtest_leaves_the_year_out():
    rows = {r.aar: r for r in forecast.tilbaketest({2012: FLAT, 2013: FRONT, 2011: {1: 5}}, 6)}
    assert set(rows) == {2012, 2013}  # 2011 is incomplete
    # 2012 forecast from 2013's profile: 60 / 0.75 = 80, actual 120
    assert (rows[2012].hittil, rows[2012].punkt, rows[2012].faktisk, rows[2012].avvik) == (60, 80, 120, -40)
    assert rows[2012].avvik_andel == pytest.approx(-1 / 3)
    # 2013 from 2012's: 90 / 0.5 = 180
    assert (rows[2013].punkt, rows[2013].avvik, rows[2013].innenfor) == (180, 60, False)


def test_extra_places_and_expected_shortfall():
    assert forecast.ekstra_vedtaksplasser(500, 279) == 221
    assert forecast.ekstra_vedtaksplasser(500, 600) == 0
    assert forecast.ekstra_vedtaksplasser(None, 10) is None
    p = forecast.prognose(60, 6, [forecast.profil(FLAT)])
    assert forecast.forventet_mangel(500, p) == 380
    assert forecast.forventet_mangel(500, forecast.prognose(1, 0, [])) is None
