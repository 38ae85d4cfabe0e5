"""Issue 15: an import that explains itself — the column help on /import/, the templates, the
round trip, and the corrected-file form on a failed preview."""

import csv
import html
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import Rolle
from core.params import MAX_AAR, MIN_AAR
from imports import columns, layouts
from imports.models import Import, ImportStatus
from imports.services import import_preview
from tests.factories import kommune, profil_user

pytestmark = pytest.mark.django_db

TEMPLATES = ["imports:import_template_csv", "imports:import_template_xlsx"]


def _page(client):
    response = client.get(reverse("imports:import_list"))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _help_rows(page):
    """{column heading: (meaning, required, values)} from the column table on /import/."""
    table = page[page.index('id="kolonner"'):]
    table = table[:table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        name = re.search(r"<code>(.*?)</code>", row).group(1)
        cells = [re.sub(r"<[^>]+>", " ", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
        rows[name] = cells
    return rows


# --- the column table ----------------------------------------------------------------------------

def test_column_table_lists_every_column_the_parser_reads(admin_client):
    page = _page(admin_client)
    rows = _help_rows(page)
    # From the parser's definitions: every key column, and every figure with its marker column.
    expected = [aliases[0] for aliases in layouts.KEY_ALIASES.values()] + list(layouts.FIELDS)
    assert list(rows) == expected
    for name, (meaning, required, _values) in rows.items():
        assert len(meaning) > 10, f"column {name} has no explanation"
        assert required, f"column {name} does not say whether it is required"
    for f in layouts.FIELDS:
        assert f"Merknadskolonne: «{f} {layouts.MARKER_SUFFIX}»" in " ".join(rows[f][2].split())
        assert "tom celle: ukjent, aldri 0" in rows[f][2]
    # Every other heading the parser accepts for a column is named too.
    for aliases in [*layouts.KEY_ALIASES.values(), *layouts.FIELD_ALIASES.values()]:
        for a in aliases:
            assert f"«{a}»" in page or f"<code>{a}</code>" in page, a
    for ignored in [*layouts.IGNORED, *layouts.IGNORED_DERIVED]:
        assert f"«{ignored}»" in page
    for marker in layouts.MARKER_TEXT.values():
        assert f"«{marker}»" in page
    assert rows["år"][2] == f"{MIN_AAR}–{MAX_AAR}"
    assert "«:»" in rows["bosatt"][2] and "«:»" not in rows["anmodning"][2]
    assert "«avventer vedtak»" in rows["vedtak"][2] and "«avventer vedtak»" not in rows["bosatt"][2]


def test_every_key_and_figure_has_help_text():
    """A column added to the parser without an explanation fails here (and in the page test)."""
    assert set(columns.KEY_HELP) == set(layouts.KEY_ALIASES) == set(columns.KEY_REQUIRED)
    assert set(columns.FIELD_HELP) == set(layouts.FIELDS)


@pytest.mark.parametrize("field", layouts.FIELDS)
@pytest.mark.parametrize("marker", ["-", ":", "skjult", "avventer vedtak"])
def test_allowed_markers_are_what_the_preview_accepts(field, marker):
    """The help's «allowed values» for each figure hold against the real preview."""
    kind = layouts.parse_value(marker)[0]
    data = f"kommunenummer,kommune,år,{field}\n3101,Halden,2025,{marker}\n".encode()
    preview = import_preview(data, filename="m.csv")
    assert (kind in layouts.allowed_markers(field)) == (not preview.errors), preview.errors


# --- the templates -------------------------------------------------------------------------------

def _template(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response


def test_csv_template_has_the_columns_the_import_reads_and_an_example_row(admin_client):
    response = _template(admin_client, "imports:import_template_csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="importmal.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    header = rows[0]
    assert header[:3] == ["kommunenummer", "kommune", "år"]
    figures = [h for h in header[3:] if not h.endswith(" merknad")]
    assert figures == list(layouts.FIELDS) + layouts.PLAN_FIELDS + layouts.SERVICE_FIELDS  # plan, services last
    assert [h for h in header[3:] if h.endswith(" merknad")] == [f"{f} merknad" for f in layouts.FIELDS]
    # Every heading is one the parser reads as a key, a figure or a figure's marker.
    assert all(layouts.key_for(h) or layouts.field_for(h) or layouts.marker_for(h) for h in header)
    example = dict(zip(header, rows[1], strict=True))
    assert example["kommunenummer"] == "3101" and example["år"] == str(timezone.localdate().year)
    assert example["bosatt_kollektiv"] == "" and example["bosatt_kollektiv merknad"] == "skjult"


def test_xlsx_template_is_written_by_the_one_exporter(admin_client):
    response = _template(admin_client, "imports:import_template_xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws.title == "Importmal" and ws.freeze_panes == "A2"
    assert ws.max_row == 2
    header = [c.value for c in ws[1]]
    assert header == columns.template_rows()[0]
    assert [c.value for c in ws[2]][:4] == ["3101", "Halden", timezone.localdate().year, 40]


@pytest.mark.parametrize("name", TEMPLATES)
def test_downloaded_template_imports_back_through_the_real_preview(admin_client, name):
    content = _template(admin_client, name).content
    filename = "importmal." + name.rsplit("_", 1)[1]
    response = admin_client.post(reverse("imports:import_list"), {"fil": SimpleUploadedFile(filename, content)})
    imp = Import.objects.get()
    assert response.url == reverse("imports:import_detail", args=[imp.pk])
    assert imp.layout == "lang" and imp.antall_feil == 0 and imp.antall_nye == 1
    page = admin_client.get(response.url).content.decode()
    assert "1 nye, 0 endret, 0 uendret, 0 med feil" in page and "Bekreft og importer" in page
    assert "<dd>Langt oppsett</dd>" in page  # the layout in words, not its code «lang»


def test_import_page_links_templates_and_the_round_trip_export(admin_client):
    page = _page(admin_client)
    for name in [*TEMPLATES, "imports:export_long"]:
        assert f'href="{reverse(name)}"' in page
    assert "importere filen tilbake" in page


# --- the corrected file on a failed preview ------------------------------------------------------

BAD = "kommunenummer,kommune,år,anmodning,vedtak\n3101,Halden,2025,40,tretti\n".encode()
GOOD = "kommunenummer,kommune,år,anmodning,vedtak\n3101,Halden,2025,40,30\n".encode()


def test_failed_preview_offers_a_corrected_file_that_then_previews(client):
    client.force_login(profil_user(Rolle.IMDI))
    response = client.post(reverse("imports:import_list"), {"fil": SimpleUploadedFile("tall.csv", BAD)})
    page = client.get(response.url).content.decode()
    summary, form = page.index("ds-error-summary"), page.index('id="ny-fil"')
    assert summary < form  # the error summary above the form
    assert "«tretti» er ikke et tall" in html.unescape(page[summary:form])
    upload = reverse("imports:import_list")
    assert f'action="{upload}"' in page and 'enctype="multipart/form-data"' in page and 'name="fil"' in page
    assert "Bekreft og importer" not in page
    response = client.post(upload, {"fil": SimpleUploadedFile("tall-rettet.csv", GOOD)})
    corrected = Import.objects.get(filnavn="tall-rettet.csv")
    assert response.url == reverse("imports:import_detail", args=[corrected.pk])
    page = client.get(response.url).content.decode()
    assert "1 nye, 0 endret, 0 uendret, 0 med feil" in page and "Bekreft og importer" in page
    assert 'id="ny-fil"' not in page  # no errors: no corrected-file form


def test_corrected_file_form_keeps_the_failed_imports_options(admin_client):
    data = b"kommune,anmodning\nHalden,x\n"
    admin_client.post(reverse("imports:import_list"),
                      {"fil": SimpleUploadedFile("imdi.csv", data), "aar": 2024, "ark": "", "blank_sletter": "on"})
    imp = Import.objects.get()
    page = admin_client.get(reverse("imports:import_detail", args=[imp.pk])).content.decode()
    form = page[page.index('id="ny-fil"'):]
    assert re.search(r'name="aar"[^>]*value="2024"|value="2024"[^>]*name="aar"', form)
    assert re.search(r'name="blank_sletter"[^>]*checked|checked[^>]*name="blank_sletter"', form)


def test_good_preview_has_no_corrected_file_form(admin_client):
    admin_client.post(reverse("imports:import_list"), {"fil": SimpleUploadedFile("ok.csv", GOOD)})
    imp = Import.objects.get()
    assert imp.status == ImportStatus.FORHANDSVIST
    page = admin_client.get(reverse("imports:import_detail", args=[imp.pk])).content.decode()
    assert 'id="ny-fil"' not in page


# --- who may ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", TEMPLATES)
def test_importers_may_download_the_templates(client, name):
    client.force_login(profil_user(Rolle.IMDI))
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("rolle", [Rolle.KOMMUNE, Rolle.KS, Rolle.STATSFORVALTER])
def test_other_roles_may_not_download_the_templates(client, name, rolle):
    client.force_login(profil_user(rolle, kommuner=[kommune()]))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", TEMPLATES)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("login") in response.url
