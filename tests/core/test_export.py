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
    for url in (reverse("kommuner:kommune_list"), reverse("rapporter:oversikt")):
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
    ws = _xlsx(client.get(reverse("rapporter:oversikt"), {"_export": "xlsx", "aar": 2025}))
    assert not any(isinstance(c.value, str) and c.value.startswith("'") for row in ws.iter_rows() for c in row)


def test_county_report_xlsx_neutralises_text_cells(client, admin_user):
    from vedtak.services import vedtak_register

    Kommune.objects.filter(nummer="3101").update(navn=FORMULA)
    vedtak_register(kommune=kommune("3101"), aar=2025, antall=20)
    client.force_login(admin_user)
    ws = _xlsx(client.get(reverse("rapporter:fylkesrapport", args=["31"]), {"_export": "xlsx", "aar": 2025}))
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(v.startswith("'") for v in cells)


# --- Spreadsheets read the cells as what they are (issue 14) ------------------------------------

def _by_header(ws, first_cell):
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == first_cell)
    return dict(zip(head, row, strict=True))


def _overview_case():
    from bosetting.models import Bosatt
    from vedtak.services import anmodning_register, vedtak_register

    anmodning_register(kommune=kommune("3101"), aar=2025, antall=40)
    vedtak_register(kommune=kommune("3101"), aar=2025, antall=20)
    # Moss: settled in two months, one of them suppressed by IMDi: a lower bound, not a number.
    Bosatt.objects.create(kommune=kommune("3103"), aar=2025, maaned=1, antall=7)
    Bosatt.objects.create(kommune=kommune("3103"), aar=2025, maaned=2, antall=None, prikket=["antall"])


def test_overview_xlsx_has_number_cells_blank_suppressed_cells_with_a_marker_and_a_named_sheet(client, admin_user):
    _overview_case()
    client.force_login(admin_user)
    ws = _xlsx(client.get(reverse("rapporter:oversikt"), {"_export": "xlsx", "aar": 2025}))
    assert ws.title == "Oversikt 2025"
    halden, moss = _by_header(ws, "3101"), _by_header(ws, "3103")
    assert (halden["Anmodning"].value, halden["Vedtak"].value) == (40, 20)
    assert halden["Anmodning"].data_type == halden["Vedtak"].data_type == "n"
    assert halden["Anmodning merknad"].value is None and halden["Bosatt"].value is None  # unknown: blank
    assert moss["Bosatt"].value is None and moss["Bosatt merknad"].value == "minst 7 (1 skjult)"
    assert halden["Nr."].value == "3101" and halden["Nr."].data_type == "s"  # a code stays text
    figure_columns = {"Anmodning", "Vedtak", "Bosatt", "Anmodet, ikke vedtatt", "Vedtatt, ikke bosatt",
                      "Anmodet, ikke bosatt"}
    for row in ws.iter_rows(min_row=2):
        for header, cell in zip([c.value for c in ws[1]], row, strict=True):
            if header in figure_columns:
                assert cell.value is None or cell.data_type == "n", (header, cell.value)


def test_overview_csv_has_plain_integers_and_the_marker_in_its_own_column(client, admin_user):
    _overview_case()
    client.force_login(admin_user)
    rows = _csv(client.get(reverse("rapporter:oversikt"), {"_export": "csv", "aar": 2025}))
    head = rows[0]
    halden = dict(zip(head, next(r for r in rows if r[0] == "3101"), strict=True))
    moss = dict(zip(head, next(r for r in rows if r[0] == "3103"), strict=True))
    assert (halden["Anmodning"], halden["Vedtak"], halden["Anmodet, ikke vedtatt"]) == ("40", "20", "20")
    assert (moss["Bosatt"], moss["Bosatt merknad"]) == ("", "minst 7 (1 skjult)")
    for r in rows[1:]:
        for h in ("Anmodning", "Vedtak", "Bosatt"):
            value = r[head.index(h)]
            assert value == "" or value.lstrip("-").isdigit(), (h, value)


def test_follow_up_deadlines_are_dates_in_xlsx_and_iso_in_csv(client, admin_user):
    import datetime

    OppfolgingspunktFactory(kommune=kommune("3101"), tittel="Ring rådmannen", frist=datetime.date(2025, 3, 7))
    client.force_login(admin_user)
    ws = _xlsx(client.get(reverse("oppfolging:punkt_list"), {"_export": "xlsx"}))
    assert ws.title == "Oppfølging"
    frist = _by_header(ws, "Ring rådmannen")["Frist"]
    assert frist.is_date and frist.value.date() == datetime.date(2025, 3, 7) and frist.number_format == "DD.MM.YYYY"
    rows = _csv(client.get(reverse("oppfolging:punkt_list"), {"_export": "csv"}))
    assert rows[1][rows[0].index("Frist")] == "2025-03-07"


def test_history_times_are_oslo_time_to_the_minute_and_sheets_are_named(client, admin_user):
    import datetime
    import zoneinfo

    when = datetime.datetime(2025, 6, 30, 22, 15, 41, tzinfo=datetime.UTC)  # 1 July 00:15 in Oslo
    e = Endring.objects.create(handling="vedtak.registrert", content_type=ContentType.objects.get_for_model(Kommune),
                               object_id="1", objekt="Halden", kommune=kommune("3101"))
    Endring.objects.filter(pk=e.pk).update(tidspunkt=when)
    client.force_login(admin_user)
    rows = _csv(client.get(reverse("rapporter:endring_list"), {"_export": "csv"}))
    assert rows[1][rows[0].index("Tidspunkt")] == "2025-07-01 00:15"
    assert when.astimezone(zoneinfo.ZoneInfo("Europe/Oslo")).hour == 0
    assert _xlsx(client.get(reverse("kommuner:kommune_list"), {"_export": "xlsx"})).title == "Kommuner"


def test_sheet_titles_fit_excels_rules():
    from core.export import sheet_title

    assert sheet_title("Oversikt 2025") == "Oversikt 2025"
    assert sheet_title("Bosetting i Troms [x]: 2025?") == "Bosetting i Troms -x-- 2025-"
    assert sheet_title("Bosetting i Troms - Romsa - Tromssa 2025", "Bosetting 2025") == "Bosetting 2025"
    assert len(sheet_title("x" * 40)) == 31 and sheet_title("", None) == "Tabell"


def test_marker_columns_follow_their_figure_and_leave_the_number_blank():
    from core.export import Merknad, with_marker_columns

    rows = [["3101", 12, "x"], ["3103", Merknad("skjult"), ""], ["3105", None, ""]]
    headers, rows = with_marker_columns(["Nr.", "Bosatt", "Status"], rows, [1])
    assert headers == ["Nr.", "Bosatt", "Bosatt merknad", "Status"]
    assert rows == [["3101", 12, None, "x"], ["3103", None, "skjult", ""], ["3105", None, None, ""]]
