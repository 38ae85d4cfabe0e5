"""The overview's fast paths (issue 8): the table body built in Python and the export rows must be
exactly what django-tables2's own machinery makes, and the lean yearly figures must equal the
model-based ones."""

import json
import re

import django_tables2 as tables
import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from bosetting.models import Bosatt
from bosetting.selectors import BOSATT_FIELDS, BosattRad, bosatt_aarstall
from bosetting.status import Tall
from bosetting.views import OversiktView
from kommuner.models import Kommune
from vedtak.services import anmodning_register, vedtak_register

pytestmark = pytest.mark.django_db


def _populate():
    for i, k in enumerate(Kommune.objects.gjeldende().order_by("nummer")[:40]):
        anmodning_register(kommune=k, aar=2025, antall=10 + i)
        if i % 3:
            vedtak_register(kommune=k, aar=2025, antall=i)
        Bosatt.objects.create(kommune=k, aar=2025, maaned=1, antall=i % 4)
        if i % 5 == 0:
            Bosatt.objects.create(kommune=k, aar=2025, maaned=2, antall=None, prikket=["antall"])


def _table(admin_user, params):
    request = RequestFactory().get("/oversikt/", params)
    request.user, request.session, request.htmx = admin_user, {}, False
    return OversiktView.as_view()(request).context_data["table"], request


def _tbody(html):
    body = re.search(r"<tbody.*?</tbody>", html, re.S)[0]
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", body))


@pytest.mark.parametrize("params", [{"aar": 2025}, {"aar": 2025, "forrige": "on", "sort": "-bosatt"},
                                    {"aar": 2025, "q": "ingen slik kommune"}])
def test_fast_tbody_and_export_equal_django_tables2(admin_user, params):
    _populate()
    table, request = _table(admin_user, params)
    fast = render_to_string("tables/ds_table_fast.html", {"table": table}, request=request)
    slow = render_to_string("tables/ds_table.html", {"table": table}, request=request)
    assert _tbody(fast) == _tbody(slow)
    assert list(table.as_values()) == list(tables.Table.as_values(table))
    assert list(table.as_values(exclude_columns=["fylke"])) == list(tables.Table.as_values(table, ["fylke"]))


def test_lean_bosatt_rows_give_the_same_yearly_figures():
    k = Kommune.objects.get(nummer="0301")
    Bosatt.objects.create(kommune=k, aar=2024, maaned=1, antall=3, herav_kollektiv=1)
    Bosatt.objects.create(kommune=k, aar=2024, maaned=2, antall=None, prikket=["antall"])
    Bosatt.objects.create(kommune=k, aar=2024, maaned=3, antall=4, herav_kollektiv=None)
    models = list(Bosatt.objects.filter(kommune=k, aar=2024))
    lean = [BosattRad(*v) for v in Bosatt.objects.filter(kommune=k, aar=2024).values_list(*BOSATT_FIELDS)]
    assert [r.er_prikket("antall") for r in lean] == [m.er_prikket("antall") for m in models]
    as_text = [BosattRad(*v[:-1], json.dumps(v[-1])) for v in
               Bosatt.objects.filter(kommune=k, aar=2024).values_list(*BOSATT_FIELDS)]  # as saker_for_aar reads it
    assert [bosatt_aarstall(as_text, f) for f in ("antall", "avtalt")] == [bosatt_aarstall(models, f)
                                                                          for f in ("antall", "avtalt")]
    for field in ("antall", "herav_kollektiv", "avtalt"):
        assert bosatt_aarstall(lean, field) == bosatt_aarstall(models, field)
    assert bosatt_aarstall(lean) == Tall(7, 1)
    assert bosatt_aarstall(lean, "avtalt") == Tall(None, 0)
    Bosatt.objects.create(kommune=k, aar=2024, maaned=0, antall=50)
    lean = [BosattRad(*v) for v in Bosatt.objects.filter(kommune=k, aar=2024).values_list(*BOSATT_FIELDS)]
    assert bosatt_aarstall(lean) == Tall(50)  # the whole-year row wins over the months


def _populate_varied():
    """Every kind of row the figures read: adjusted and supplementary letters, EMA breakdowns,
    suppressed cells, pending and partial vedtak, whole-year and monthly settled rows, historic
    kommuner rolled up (Indre Østfold 2014) and a split kommune (Ålesund 2022)."""
    import datetime

    from tests.factories import kommune
    from vedtak.choices import AnmodningType, VedtakStatus

    for nr, (anm, ved) in {"0122": (10, 3), "0123": (15, 10), "0124": (20, 11), "0138": (10, 0)}.items():
        k = kommune(nr)
        anmodning_register(kommune=k, aar=2014, antall=anm, herav_ema=1)
        vedtak_register(kommune=k, aar=2014, antall=ved, dato=datetime.date(2014, 3, 1))
        Bosatt.objects.create(kommune=k, aar=2014, maaned=0, antall=ved, herav_kollektiv=1, avtalt=2)
    anmodning_register(kommune=kommune("1507"), aar=2014, antall=100)
    for i, k in enumerate(Kommune.objects.gjeldende().order_by("nummer")[:30]):
        anmodning_register(kommune=k, aar=2014, antall=10 + i, herav_ema=2 + i % 3, ema_under_15=1, ema_15_18=i % 2,
                           dato_sendt=datetime.date(2014, 1, 5))
        if i % 4 == 1:
            anmodning_register(kommune=k, aar=2014, antall=5, type=AnmodningType.TILLEGG,
                               dato_sendt=datetime.date(2014, 2, 5))
        if i % 4 == 2:
            anmodning_register(kommune=k, aar=2014, antall=7, type=AnmodningType.JUSTERT, herav_ema=None,
                               dato_sendt=datetime.date(2014, 3, 5))
        if i % 5 == 1:
            vedtak_register(kommune=k, aar=2014, status=VedtakStatus.AVVENTER)
        elif i % 5 == 2:
            vedtak_register(kommune=k, aar=2014, antall=None, prikket=["antall"], kilde="import")
        elif i % 5:
            vedtak_register(kommune=k, aar=2014, aar_til=2015, antall=i, herav_ema=i % 2)
        Bosatt.objects.create(kommune=k, aar=2014, maaned=1, antall=i % 4, herav_ema=1, herav_kollektiv=i % 2,
                              avtalt_kollektiv=1)
        if i % 3 == 0:
            Bosatt.objects.create(kommune=k, aar=2014, maaned=2, antall=None, herav_kollektiv=None,
                                  prikket=["antall", "herav_kollektiv"])
        if i % 7 == 0:
            Bosatt.objects.create(kommune=k, aar=2014, maaned=0, antall=9)


def test_national_rows_equal_the_rows_of_full_saks(django_assert_num_queries):
    """The overview's national rows are built from Saks with only RAD_FIGURER computed, reading
    every kommune's rows without a list of ids: the same rows as from saker_for_aar's full Saks
    for an explicit set of kommuner, for the rolled-up, the split and the plain kommuner."""
    from bosetting.oversikt import RAD_FIGURER, rad_fra_sak
    from bosetting.selectors import _saker_for_aarene, nasjonale_rader_for, saker_for_aarene

    _populate_varied()
    full = saker_for_aarene([2014, 2015], Kommune.objects.all())
    lean = _saker_for_aarene([2014, 2015], figurer=RAD_FIGURER)
    national = nasjonale_rader_for([2014, 2015])
    for aar in (2014, 2015):
        assert len(full[aar]) == len(lean[aar]) == len(national[aar][0]) > 300
        for f, s in zip(full[aar], lean[aar], strict=True):
            assert (f.kommune.pk, f.status(), f.svarfrist, f.avventer, f.vedtak) == (
                s.kommune.pk, s.status(), s.svarfrist, s.avventer, s.vedtak)
            assert {n: f.tall[n] for n in s.tall} == s.tall and set(RAD_FIGURER) <= set(s.tall)
        assert national[aar][0] == [rad_fra_sak(s, url=s.kommune.get_absolute_url()) for s in full[aar]]
    assert any(s.merknad for s in full[2014]) and any(len(s.kilder) > 1 and s.anmodet for s in full[2014])
    assert any(s.tall["bosatt"].skjulte and s.tall["bosatt"].verdi for s in full[2014])
    # And the whole country without ids equals the kommuner named one by one.
    every = saker_for_aarene([2014, 2015])
    for aar in (2014, 2015):
        assert [(s.kommune.pk, s.tall, s.status(), s.vedtak, s.merknad) for s in every[aar]] == [
            (s.kommune.pk, s.tall, s.status(), s.vedtak, s.merknad) for s in full[aar]]
    with django_assert_num_queries(0):  # the shared fylker come with their offices
        assert {(s.fylke.nummer, s.kommune.fylke.statsforvalter_id and s.kommune.fylke.statsforvalter.navn)
                for s in every[2014]} == {(s.fylke.nummer, s.kommune.fylke.statsforvalter_id
                                           and s.kommune.fylke.statsforvalter.navn) for s in full[2014]}
        assert {k.fylke.nummer for s in every[2014] for k in s.kilder} == {
            k.fylke.nummer for s in full[2014] for k in s.kilder}
