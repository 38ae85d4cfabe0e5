import datetime

import pytest

from bosetting.choices import SakStatus
from bosetting.models import Bosatt
from bosetting.selectors import kommune_aar, saker_for_aar
from bosetting.services import bosatt_register
from bosetting.status import Tall
from kommuner.models import Kommune
from tests.factories import kommune
from vedtak.choices import VedtakStatus
from vedtak.services import anmodning_register, vedtak_register

pytestmark = pytest.mark.django_db

KS_2014 = {"0122": (10, 3), "0123": (15, 10), "0124": (20, 11), "0125": (20, 11), "0138": (10, 0)}


def _load_ks_2014():
    for nr, (anm, ved) in KS_2014.items():
        k = kommune(nr)
        anmodning_register(kommune=k, aar=2014, antall=anm)
        vedtak_register(kommune=k, aar=2014, antall=ved, dato=datetime.date(2014, 3, 1))


def test_today_rolls_up_historic_kommuner():
    _load_ks_2014()
    saker = {s.kommune.nummer: s for s in saker_for_aar(2014, Kommune.objects.filter(fylke__nummer="31"))}
    io = saker["3118"]
    assert io.anmodet == 75 and io.vedtatt == 35
    assert {k.nummer for k in io.kilder} >= set(KS_2014)
    assert io.gap_anmodning_vedtak == 40


def test_as_they_were_that_year_shows_historic_kommuner():
    _load_ks_2014()
    saker = {s.kommune.nummer: s for s in saker_for_aar(2014, historisk=True)}
    assert "3118" not in saker
    assert saker["0124"].anmodet == 20 and saker["0124"].vedtatt == 11
    assert saker["0138"].status() == SakStatus.AVSLAATT


def test_split_kommune_is_not_divided_but_shown_with_a_note():
    aalesund = kommune("1507")
    anmodning_register(kommune=aalesund, aar=2022, antall=100)
    saker = saker_for_aar(2022)
    rows = [s for s in saker if s.kommune.nummer == "1507"]
    assert len(rows) == 1 and rows[0].anmodet == 100 and "delt" in rows[0].merknad
    by_nr = {s.kommune.nummer: s for s in saker}
    assert by_nr["1508"].anmodet is None and by_nr["1580"].anmodet is None


def test_year_figure_whole_year_row_wins_else_months_sum():
    halden = kommune()
    bosatt_register(kommune=halden, aar=2025, maaned=1, antall=3)
    bosatt_register(kommune=halden, aar=2025, maaned=2, antall=4)
    assert saker_for_aar(2025, Kommune.objects.filter(pk=halden.pk))[0].bosatt == Tall(7)
    bosatt_register(kommune=halden, aar=2025, maaned=0, antall=10)
    assert saker_for_aar(2025, Kommune.objects.filter(pk=halden.pk))[0].bosatt == Tall(10)


def test_suppressed_cell_is_a_hidden_lower_bound_not_zero():
    halden = kommune()
    Bosatt.objects.create(kommune=halden, aar=2025, maaned=0, antall=None, prikket=["antall"], kilde="imdi")
    sak = saker_for_aar(2025, Kommune.objects.filter(pk=halden.pk))[0]
    assert sak.bosatt == Tall(None, 1) and sak.bosatt.er_nedre_grense


def test_superseded_vedtak_does_not_count():
    halden = kommune()
    anmodning_register(kommune=halden, aar=2025, antall=30)
    vedtak_register(kommune=halden, aar=2025, antall=10, dato=datetime.date(2025, 1, 1))
    vedtak_register(kommune=halden, aar=2025, antall=25, dato=datetime.date(2025, 2, 1))
    sak = saker_for_aar(2025, Kommune.objects.filter(pk=halden.pk))[0]
    assert sak.vedtatt == 25 and sak.gap_anmodning_vedtak == 5
    years = kommune_aar(halden)
    assert years[0]["aar"] == 2025 and len(years[0]["vedtak"]) == 2


def test_multi_year_vedtak_covers_each_year():
    halden = kommune()
    vedtak_register(kommune=halden, aar=2024, aar_til=2025, antall=12, dato=datetime.date(2023, 12, 1))
    qs = Kommune.objects.filter(pk=halden.pk)
    assert saker_for_aar(2024, qs)[0].vedtatt == 12 and saker_for_aar(2025, qs)[0].vedtatt == 12
    assert saker_for_aar(2026, qs)[0].vedtatt is None


def test_pending_vedtak():
    halden = kommune()
    anmodning_register(kommune=halden, aar=2025, antall=30)
    vedtak_register(kommune=halden, aar=2025, status=VedtakStatus.AVVENTER)
    sak = saker_for_aar(2025, Kommune.objects.filter(pk=halden.pk))[0]
    assert sak.status(datetime.date(2025, 6, 1)) == SakStatus.AVVENTER and sak.gap_anmodning_vedtak is None
    assert sak.status(datetime.date(2026, 1, 1)) == SakStatus.VEDTAK_MANGLER  # the year ended without one


def test_kommune_page_shows_predecessors_figures(client, admin_user):
    _load_ks_2014()
    client.force_login(admin_user)
    page = client.get("/kommuner/3118/")
    y = page.context["aarene"][0]
    assert y["aar"] == 2014 and y["sak"].anmodet == 75 and y["sak"].vedtatt == 35
    assert len(y["anmodninger"]) == 5 and "0124 Askim" in page.content.decode()
