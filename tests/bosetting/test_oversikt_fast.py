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
