import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bosetting.models import Bosatt
from core.models import Rolle
from imports.exports import HEADERS, neutralise, suppress_for_publication
from imports.models import Import, ImportStatus
from imports.services import import_confirm, import_create
from tests.factories import kommune, profil_user
from vedtak.models import Anmodning

pytestmark = pytest.mark.django_db
LONG = b"kommunenummer,kommune,aar,anmodning,vedtak,bosatt,bosatt_kollektiv\n3101,Halden,2025,40,30,12,3\n"


def test_upload_preview_then_confirm(client):
    imdi = profil_user(Rolle.IMDI)
    client.force_login(imdi)
    response = client.post(reverse("imports:import_list"), {"fil": SimpleUploadedFile("tall.csv", LONG)})
    imp = Import.objects.get()
    assert response.url == reverse("imports:import_detail", args=[imp.pk])
    page = client.get(response.url).content.decode()
    assert "1 nye, 0 endret, 0 uendret, 0 med feil" in page and "Bekreft og importer" in page
    assert not Anmodning.objects.exists()  # nothing before confirm
    client.post(reverse("imports:import_confirm", args=[imp.pk]))
    imp.refresh_from_db()
    assert imp.status == ImportStatus.IMPORTERT and imp.importert_av == imdi
    assert Anmodning.objects.get().antall == 40


def test_preview_with_errors_offers_no_confirm_and_confirm_writes_nothing(client):
    client.force_login(profil_user(Rolle.IMDI))
    client.post(reverse("imports:import_list"),
                {"fil": SimpleUploadedFile("feil.csv", b"kommunenummer,kommune,aar,anmodning\n3101,Halden,2025,x\n")})
    imp = Import.objects.get()
    page = client.get(reverse("imports:import_detail", args=[imp.pk])).content.decode()
    assert "Rad 2, kolonne «anmodning»: «x» er ikke et tall" in page
    assert "Bekreft og importer" not in page
    response = client.post(reverse("imports:import_confirm", args=[imp.pk]), follow=True)
    assert "Ingenting ble importert" in response.content.decode()
    assert not Anmodning.objects.exists()


@pytest.mark.parametrize("rolle", [Rolle.KOMMUNE, Rolle.KS, Rolle.STATSFORVALTER])
def test_other_roles_may_not_import(client, rolle):
    client.force_login(profil_user(rolle, kommuner=[kommune()]))
    assert client.get(reverse("imports:import_list")).status_code == 403
    assert client.post(reverse("imports:import_list"), {"fil": SimpleUploadedFile("t.csv", LONG)}).status_code == 403
    assert not Import.objects.exists()


def _export(client, **params):
    response = client.get(reverse("imports:export_long"), params)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_then_import_round_trip_is_unchanged(client, admin_user):
    data = (b"kommunenummer,kommune,aar,anmodning,herav enslige mindrearige,vedtak,bosatt,bosatt_kollektiv\n"
            .replace(b"mindrearige", "mindreårige".encode()) +
            b"3101,Halden,2025,40,4,avventer vedtak,12,:\n0301,Oslo,2025,640,,850,665,506\n")
    imp, preview = import_create(data, filename="a.csv")
    assert preview.ok, preview.errors
    import_confirm(imp)
    client.force_login(admin_user)
    rows = _export(client, aar=2025)
    assert rows[0][:4] == ["kommunenummer", "kommune", "år", "anmodning"]
    assert len(rows) == 3
    exported = "\n".join(",".join(r) for r in rows).encode()
    again, preview = import_create(exported, filename="eksport.csv")
    assert preview.ok, preview.errors
    assert preview.counts == {"ny": 0, "endret": 0, "uendret": 2, "feil": 0}
    response = client.get(reverse("imports:export_long"), {"aar": 2025, "format": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row == 3 and ws.title == "Bosetting 2025"
    # Numbers are number cells; a suppressed or pending figure is a blank plus its marker column.
    head = [c.value for c in ws[1]]
    halden = next(dict(zip(head, row, strict=True)) for row in ws.iter_rows(min_row=2)
                  if row[0].value == "3101")
    assert halden["anmodning"].data_type == "n" and halden["anmodning"].value == 40
    assert halden["år"].value == 2025 and halden["kommunenummer"].value == "3101"
    assert halden["vedtak"].value is None and halden["vedtak merknad"].value == "avventer vedtak"
    assert halden["bosatt_kollektiv"].value is None and halden["bosatt_kollektiv merknad"].value == "skjult"
    for h, c in halden.items():
        if h in HEADERS[3:]:
            assert c.value is None or c.data_type == "n", h
    _imp, preview = import_create(response.content, filename="eksport.xlsx")
    assert preview.ok, preview.errors
    assert preview.counts == {"ny": 0, "endret": 0, "uendret": 2, "feil": 0}


def test_marker_column_with_a_number_too_or_without_its_figure_is_an_error():
    _imp, preview = import_create(b"kommunenummer,kommune,aar,vedtak,vedtak merknad\n3101,Halden,2025,12,skjult\n",
                                  filename="a.csv")
    assert not preview.ok and any("12 (skjult)" in e for e in preview.errors), preview.errors
    _imp, preview = import_create(b"kommunenummer,kommune,aar,anmodning,vedtak merknad\n3101,Halden,2025,12,\n",
                                  filename="a.csv")
    assert not preview.ok and any("vedtak merknad" in e for e in preview.errors), preview.errors


def test_export_is_scoped_to_what_the_user_may_see(client):
    for nr in ("3101", "3103", "1103"):
        Anmodning.objects.create(kommune=kommune(nr), aar=2025, antall=10)
    office = kommune("3101").fylke.statsforvalter
    client.force_login(profil_user(Rolle.STATSFORVALTER, statsforvalter=office))
    assert sorted(r[0] for r in _export(client, aar=2025)[1:]) == ["3101", "3103"]
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune("3103")]))
    assert [r[0] for r in _export(client, aar=2025)[1:]] == ["3103"]


@pytest.mark.parametrize("value", ["=1+1", "+47", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(value):
    assert neutralise(value) == "'" + value
    assert neutralise(":") == ":" and neutralise(12) == 12


def test_export_neutralises_a_formula_in_a_name(client, admin_user):
    from kommuner.models import Kommune

    Kommune.objects.filter(nummer="3101").update(navn="=HYPERLINK(\"http://x\")")
    Anmodning.objects.create(kommune=kommune("3101"), aar=2025, antall=10)
    client.force_login(admin_user)
    rows = _export(client, aar=2025)
    assert rows[1][1].startswith("'=")


def test_publication_export_hides_sub_counts_below_five(client, admin_user):
    assert suppress_for_publication({"bosatt": 12, "bosatt_kollektiv": 3, "bosatt_ema": 6}) == {
        "bosatt": 12, "bosatt_kollektiv": "skjult", "bosatt_ema": 6}
    # 10 settled, 8 with collective protection: the other 2 would be revealed.
    assert suppress_for_publication({"bosatt": 10, "bosatt_kollektiv": 8})["bosatt_kollektiv"] == "skjult"
    Bosatt.objects.create(kommune=kommune("3101"), aar=2025, antall=12, herav_kollektiv=3)
    client.force_login(admin_user)
    internal = _export(client, aar=2025)
    public = _export(client, aar=2025, publisering=1)
    col = internal[0].index("bosatt_kollektiv")
    assert internal[1][col] == "3" and public[1][col] == "" and public[1][col + 1] == "skjult"
    assert public[0][col + 1] == "bosatt_kollektiv merknad"


def test_an_xlsx_with_an_external_entity_is_refused_on_the_page_not_a_500(client, tmp_path):
    """The sheet's XML is parsed while its rows are read; a ParseError there was a 500."""
    from tests.imports.test_pipeline import _xlsx_with_doctype

    secret = tmp_path / "hemmelig.txt"
    secret.write_text("HEMMELIG-INNHOLD")
    client.force_login(profil_user(Rolle.IMDI))
    data = _xlsx_with_doctype(f'<!DOCTYPE ws [<!ENTITY e SYSTEM "file://{secret}">]>', "&e;")
    response = client.post(reverse("imports:import_list"), {"fil": SimpleUploadedFile("xxe.xlsx", data)},
                           follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "ugyldig eller farlig XML" in page and "HEMMELIG" not in page
    assert not Anmodning.objects.exists()
