"""The estimate's pages and downloads: what they show (labelled as estimates, the assumption, the
rate year), the scenario switch, the scope of every page and export, and constant queries."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bosetting.services import bosatt_register
from core.models import Rolle
from kommuner.models import Kommune, Statsforvalter
from tests.factories import profil_user
from vedtak.services import anmodning_register

pytestmark = pytest.mark.django_db
OFFICE = "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus"


def _k(nummer):
    return Kommune.objects.get(nummer=nummer)


@pytest.fixture
def tall():
    """2014: Halden 10 of 10 requested, Moss 5 (no request), Bergen 20 of 25."""
    for nummer, anmodet, bosatt in (("3101", 10, 10), ("3103", None, 5), ("4601", 25, 20)):
        if anmodet:
            anmodning_register(kommune=_k(nummer), aar=2014, antall=anmodet, dato_sendt=datetime.date(2013, 11, 1))
        bosatt_register(kommune=_k(nummer), aar=2014, maaned=0, antall=bosatt)


@pytest.fixture
def users():
    office = Statsforvalter.objects.get(navn=OFFICE)
    return {
        "admin": profil_user(Rolle.ADMINISTRATOR),
        "ks": profil_user(Rolle.KS),
        "statsforvalter": profil_user(Rolle.STATSFORVALTER, statsforvalter=office),
        "kommune": profil_user(Rolle.KOMMUNE, kommuner=[_k("3101")]),
    }


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_national_page_shows_estimate_assumption_and_rate_year(client, tall, users):
    client.force_login(users["ks"])
    response = client.get(reverse("okonomi:nasjonal"), {"aar": 2025})
    text = response.content.decode()
    assert response.status_code == 200
    assert "anslag" in text
    assert "Antagelse:" in text
    assert "satser fra 2014; nyere satser er ikke registrert" in text
    assert 'data-scenario="av"' in text

    response = client.get(reverse("okonomi:nasjonal"), {"aar": 2014})
    o = response.context["o"]
    assert o.hele_landet and o.sum.navn == "Hele landet"
    assert o.sum.tilskudd.verdi == 35 * 669_600
    assert "10\xa0044\xa0000" in response.content.decode()  # 15 × 669 600, fylke 31


def test_scenario_switch_on_and_off(client, tall, users):
    client.force_login(users["admin"])
    url = reverse("okonomi:fylke", kwargs={"nummer": "31"})
    off = client.get(url, {"aar": 2014}).context["o"]
    on_response = client.get(url, {"aar": 2014, "ks": "on"})
    on = on_response.context["o"]
    rad_off = {r.nummer: r for r in off.rader}
    rad_on = {r.nummer: r for r in on.rader}
    assert rad_off["3101"].ks_tillegg is None
    assert rad_on["3101"].ks_tillegg.verdi == 250_000  # 10 ≥ 10 requested
    assert rad_on["3101"].tilskudd.verdi == rad_off["3101"].tilskudd.verdi + 250_000
    assert rad_on["3103"].ks_tillegg.verdi is None  # no request: not counted
    assert on.sum.ks_tillegg.verdi == 250_000 and on.sum.ks_ukjent >= 1
    text = on_response.content.decode()
    assert 'data-scenario="på"' in text and 'name="ks"' in text and "checked" in text
    assert "Herav KS" in text


def test_kommune_page_and_its_link_from_the_kommune_page(client, tall, users):
    client.force_login(users["kommune"])
    page = client.get(reverse("rapporter:kommune_detail", kwargs={"nummer": "3101"})).content.decode()
    assert reverse("okonomi:kommune", kwargs={"nummer": "3101"}) in page
    response = client.get(reverse("okonomi:kommune", kwargs={"nummer": "3101"}), {"ks": "on"})
    assert response.status_code == 200
    (a, _s), = [(a, s) for a, s in response.context["aarene"] if a.aar == 2014]
    assert a.tilskudd.verdi == 6_946_000 and a.kostnad.verdi == 7_671_400 and a.differanse.verdi == -725_400
    assert "-725\xa0400" in response.content.decode()


@pytest.mark.parametrize("role", ["kommune", "statsforvalter"])
def test_out_of_scope_fylke_and_kommune_are_404(client, tall, users, role):
    client.force_login(users[role])
    assert client.get(reverse("okonomi:fylke", kwargs={"nummer": "46"})).status_code == 404
    assert client.get(reverse("okonomi:fylke_eksport", kwargs={"nummer": "46"})).status_code == 404
    assert client.get(reverse("okonomi:kommune", kwargs={"nummer": "4601"})).status_code == 404
    assert client.get(reverse("okonomi:kommune_eksport", kwargs={"nummer": "4601"})).status_code == 404
    if role == "kommune":
        assert client.get(reverse("okonomi:kommune", kwargs={"nummer": "3103"})).status_code == 404


def test_national_export_holds_only_the_users_kommuner(client, tall, users):
    url = reverse("okonomi:nasjonal_eksport")
    client.force_login(users["kommune"])
    rows = _csv(client.get(url, {"aar": 2014, "format": "csv"}))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Fylke", "Bosatt", "Bosatt merknad"]
    assert len(body) == 2 and body[0][0].startswith("31 ") and body[1][0] == "Kommunene du har tilgang til"
    assert body[0][1] == "10" and body[-1][1] == "10"  # Halden only: not Moss's 5, not Bergen's 20
    assert body[-1][header.index("Tilskudd over fem år, anslag (kr)")] == "6696000"

    client.force_login(users["statsforvalter"])
    body = _csv(client.get(url, {"aar": 2014}))[1:]
    assert body[-1][0] == "Kommunene du har tilgang til" and body[-1][1] == "15"
    assert not any(r[0].startswith("46") for r in body)

    client.force_login(users["admin"])
    body = _csv(client.get(url, {"aar": 2014}))[1:]
    assert body[-1][0] == "Hele landet" and body[-1][1] == "35"


def test_fylke_export_xlsx_and_scope(client, tall, users):
    url = reverse("okonomi:fylke_eksport", kwargs={"nummer": "31"})
    client.force_login(users["kommune"])
    body = _csv(client.get(url, {"aar": 2014, "ks": "on"}))
    assert [r[0][:4] for r in body[1:-1]] == ["3101"]
    assert "Herav KS' forslag, anslag (kr)" in body[0]

    client.force_login(users["admin"])
    response = client.get(url, {"aar": 2014, "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(ws.values)
    numbers = [str(v[0])[:4] for v in values[1:-1]]
    assert "3101" in numbers and "3103" in numbers and "4601" not in numbers
    halden = next(v for v in values if str(v[0]).startswith("3101"))
    assert halden[values[0].index("Kostnad over fem år, anslag (kr)")] == 7_671_400  # a number cell


def test_kommune_export_marks_what_is_not_a_number(client, users):
    from bosetting.models import Bosatt

    b = bosatt_register(kommune=_k("3101"), aar=2014, maaned=0, antall=3)
    Bosatt.objects.filter(pk=b.pk).update(antall=None, prikket=["antall"])
    client.force_login(users["kommune"])
    rows = _csv(client.get(reverse("okonomi:kommune_eksport", kwargs={"nummer": "3101"})))
    header, row = rows[0], next(r for r in rows[1:] if r[0] == "2014")
    i = header.index("Tilskudd over fem år, anslag (kr)")
    assert row[i] == "" and row[i + 1] == "skjult"  # never a plain number


def test_uten_rolle_sees_no_figures(client, tall):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("okonomi:nasjonal"), {"aar": 2014})
    assert response.status_code == 200 and response.context["o"].rader == []
    assert client.get(reverse("okonomi:fylke", kwargs={"nummer": "31"})).status_code == 404


def _queries(client, url, params=None):
    client.get(url, params)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_kommuner_or_years(client, users):
    client.force_login(users["admin"])
    pages = [(reverse("okonomi:nasjonal"), {"aar": 2014, "ks": "on"}),
             (reverse("okonomi:fylke", kwargs={"nummer": "31"}), {"aar": 2014, "ks": "on"}),
             (reverse("okonomi:kommune", kwargs={"nummer": "3101"}), {"ks": "on"}),
             (reverse("rapporter:kommune_detail", kwargs={"nummer": "3101"}), None)]
    bosatt_register(kommune=_k("3101"), aar=2014, maaned=0, antall=1)
    before = [_queries(client, url, p) for url, p in pages]
    for k in Kommune.objects.gjeldende().filter(fylke__nummer="31")[:20]:
        for aar in range(2014, 2020):
            anmodning_register(kommune=k, aar=aar, antall=5, dato_sendt=datetime.date(aar - 1, 11, 1))
            bosatt_register(kommune=k, aar=aar, maaned=0, antall=5)
    after = [_queries(client, url, p) for url, p in pages]
    assert after == before
    assert max(after[:3]) <= 20
