"""One exporter (core.export): every download neutralises text a spreadsheet would run as a formula."""

import csv
import io

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.export import neutralise
from core.models import Endring, Rolle
from kommuner.models import Kommune
from tests.factories import OppfolgingspunktFactory, kommune, profil_user

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture(params=["admin", "kommune"])
def viewer(request, admin_user):
    if request.param == "admin":
        return admin_user
    return profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")])


def _csv(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx(response):
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_neutralise_is_the_one_function_imports_use_too():
    from imports import exports

    assert exports.neutralise is neutralise
    assert neutralise(FORMULA) == "'" + FORMULA and neutralise(3) == 3 and neutralise(":") == ":"


def test_follow_up_title_with_a_formula_is_text_in_the_xlsx_export(client, viewer):
    OppfolgingspunktFactory(kommune=kommune("3101"), tittel=FORMULA)
    client.force_login(viewer)
    ws = _xlsx(client.get(reverse("oppfolging:punkt_list"), {"_export": "xlsx"}))
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells, "the title is in the export"
    for c in cells:
        assert c.data_type == "s" and c.value.startswith("'="), c.value


def test_follow_up_title_with_a_formula_is_neutralised_in_the_csv_export(client, viewer):
    OppfolgingspunktFactory(kommune=kommune("3101"), tittel=FORMULA)
    client.force_login(viewer)
    rows = _csv(client.get(reverse("oppfolging:punkt_list"), {"_export": "csv"}))
    cells = [v for r in rows for v in r if "HYPERLINK" in v]
    assert cells and all(v.startswith("'=") for v in cells)


def test_history_entry_with_a_formula_is_neutralised_in_the_csv_export(client, viewer):
    Endring.objects.create(handling="vedtak.registrert", content_type=ContentType.objects.get_for_model(Kommune),
                           object_id="1", objekt=FORMULA, kommune=kommune("3101"), kommentar="@SUM(A1)")
    client.force_login(viewer)
    rows = _csv(client.get(reverse("rapporter:endring_list"), {"_export": "csv"}))
    cells = [v for r in rows for v in r if "HYPERLINK" in v or "SUM(" in v]
    assert len(cells) >= 2 and all(v.startswith("'") for v in cells)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_kommune_list_and_overview_exports_neutralise_names(client, admin_user, fmt):
    Kommune.objects.filter(nummer="3101").update(navn=FORMULA)
    client.force_login(admin_user)
    for url in (reverse("kommuner:kommune_list"), reverse("bosetting:oversikt")):
        response = client.get(url, {"_export": fmt})
        if fmt == "csv":
            cells = [v for r in _csv(response) for v in r if "HYPERLINK" in v]
        else:
            cells = [c.value for row in _xlsx(response).iter_rows() for c in row
                     if isinstance(c.value, str) and "HYPERLINK" in c.value]
        assert cells and all(v.startswith("'") for v in cells), (url, cells)


def test_numbers_stay_numbers_in_a_table_export(client, admin_user):
    from vedtak.services import vedtak_register

    vedtak_register(kommune=kommune("3101"), aar=2025, antall=20)
    client.force_login(admin_user)
    ws = _xlsx(client.get(reverse("bosetting:oversikt"), {"_export": "xlsx", "aar": 2025}))
    assert not any(isinstance(c.value, str) and c.value.startswith("'") for row in ws.iter_rows() for c in row)


def test_county_report_xlsx_neutralises_text_cells(client, admin_user):
    from vedtak.services import vedtak_register

    Kommune.objects.filter(nummer="3101").update(navn=FORMULA)
    vedtak_register(kommune=kommune("3101"), aar=2025, antall=20)
    client.force_login(admin_user)
    ws = _xlsx(client.get(reverse("rapporter:fylkesrapport", args=["31"]), {"_export": "xlsx", "aar": 2025}))
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(v.startswith("'") for v in cells)
