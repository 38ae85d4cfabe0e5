import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from kommuner.models import Kommune

pytestmark = pytest.mark.django_db
LIST = reverse("kommuner:kommune_list")


@pytest.fixture
def client_in(client):
    # The kommune page is scoped (Kommune.objects.for_user): a national reader sees every kommune.
    from core.models import Rolle
    from tests.factories import profil_user

    client.force_login(profil_user(Rolle.KS))
    return client


def test_list_requires_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_list_shows_todays_kommuner_paginated(client_in):
    response = client_in.get(LIST)
    assert response.status_code == 200
    table = response.context["table"]
    assert table.paginator.count == 357
    assert len(table.page.object_list) == 50
    assert "Oslo" in response.content.decode()


def test_filter_by_fylke_and_search(client_in):
    from kommuner.models import Fylke

    ostfold = Fylke.objects.get(nummer="31")
    response = client_in.get(LIST, {"fylke": ostfold.pk})
    assert response.context["table"].paginator.count == 12
    response = client_in.get(LIST, {"q": "halden"})
    assert [r.record.nummer for r in response.context["table"].rows] == ["3101"]
    response = client_in.get(LIST, {"q": "310"})
    assert {r.record.nummer for r in response.context["table"].rows} >= {"3101", "3103", "3105", "3107"}


def test_filter_by_statsforvalter(client_in):
    from kommuner.models import Statsforvalter

    office = Statsforvalter.objects.get(kortnavn="Vestfold og Telemark")
    response = client_in.get(LIST, {"statsforvalter": office.pk})
    assert response.context["table"].paginator.count == 6 + 17


def test_historic_filter_includes_historic_kommuner(client_in):
    response = client_in.get(LIST, {"historiske": "on", "q": "Askim"})
    assert [r.record.nummer for r in response.context["table"].rows] == ["0124"]
    response = client_in.get(LIST, {"q": "Askim"})
    assert response.context["table"].paginator.count == 0


def test_sorting_by_name_descending(client_in):
    response = client_in.get(LIST, {"sort": "-navn"})
    names = [r.record.navn for r in response.context["table"].page.object_list]
    assert names == sorted(names, reverse=True)


def test_csv_export_has_exactly_the_filtered_rows(client_in):
    response = client_in.get(LIST, {"fylke": Kommune.objects.get(nummer="3101").fylke_id, "_export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Nummer", "Kommune"]
    assert sorted(r[0] for r in rows[1:]) == sorted(
        Kommune.objects.gjeldende().filter(fylke__nummer="31").values_list("nummer", flat=True)
    )


def test_xlsx_export_is_a_workbook_with_all_rows(client_in):
    response = client_in.get(LIST, {"_export": "xlsx"})
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.active.max_row == 358  # header + 357


def test_list_query_count_is_constant(client_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = Kommune.objects.get(nummer="3101").fylke.statsforvalter_id
    counts = []
    for params in ({"statsforvalter": office, "per_page": 5}, {"statsforvalter": office, "historiske": "on",
                                                              "per_page": 150}):
        with CaptureQueriesContext(connection) as ctx:
            response = client_in.get(LIST, params)
        counts.append((len(ctx.captured_queries), len(response.context["table"].page.object_list)))
    assert counts[0][1] == 5 and counts[1][1] == 150
    counts = [c for c, _ in counts]
    assert counts[0] == counts[1] <= 12


def test_detail_of_current_kommune(client_in):
    response = client_in.get(reverse("rapporter:kommune_detail", args=["3118"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Indre Østfold" in body and "Askim" in body  # predecessors listed


def test_renumbered_kommune_redirects_to_today(client_in):
    for old in ("3001", "0101"):
        response = client_in.get(reverse("rapporter:kommune_detail", args=[old]))
        assert response.status_code == 302
        assert response.url == reverse("rapporter:kommune_detail", args=["3101"])


def test_merged_kommune_has_own_page_naming_successor(client_in):
    response = client_in.get(reverse("rapporter:kommune_detail", args=["0121"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Historisk kommune" in body and "3226" in body


def test_split_kommune_page_names_both_successors(client_in):
    response = client_in.get(reverse("rapporter:kommune_detail", args=["1507"]))
    body = response.content.decode()
    assert "ble delt" in body and "1508" in body and "1580" in body


def test_unknown_kommune_is_404(client_in):
    assert client_in.get(reverse("rapporter:kommune_detail", args=["9998"])).status_code == 404
