import io
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from bosetting.models import Bosatt
from core.models import Endring, Rolle
from imports.services import import_confirm, import_create, import_preview
from tests.factories import profil_user
from vedtak.models import Anmodning, Vedtak

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "imports" / "testdata"
IMDI_DATA = Path(__file__).resolve().parents[2] / "imports" / "data"


def csv_bytes(text, encoding="utf-8", sep=","):
    return text.replace(",", sep).encode(encoding)


def xlsx_bytes(rows):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(data, **kw):
    imp, preview = import_create(data, filename=kw.pop("filename", "test.csv"), **kw)
    if preview.ok:
        import_confirm(imp)
    return preview


LONG = "kommunenummer,kommune,år,anmodning,vedtak,bosatt\n3101,Halden,2025,40,30,12\n0301,Oslo,2025,640,850,665\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("sep", [",", ";"])
def test_long_csv_in_every_encoding_and_separator(encoding, sep):
    text = LONG + "3112,Råde,2025,10,,\n3226,Aurskog-Høland,2025,20,20,\n"
    preview = run(csv_bytes(text, encoding, sep))
    assert preview.ok, preview.errors
    assert preview.layout == "lang"
    assert Anmodning.objects.get(kommune__nummer="3112", aar=2025).antall == 10
    assert not Vedtak.objects.filter(kommune__nummer="3112").exists()  # blank is unknown, not 0
    assert Vedtak.objects.get(kommune__nummer="3101").antall == 30
    assert Bosatt.objects.get(kommune__nummer="0301", aar=2025, maaned=0).antall == 665


def test_windows_1252_names_are_not_mojibake():
    text = "kommunenummer,kommune,år,anmodning\n0121,Rømskog,2014,10\n0135,Råde,2014,20\n0137,Våler (Østfold),2014,10\n"
    preview = run(text.encode("cp1252"))
    assert preview.ok, preview.errors
    assert {r.kommune.navn for r in preview.rows} == {"Rømskog", "Råde", "Våler (Østfold)"}


def test_xlsx_long_layout():
    data = xlsx_bytes([["kommunenummer", "kommune", "år", "anmodning", "vedtak"], [3101, "Halden", 2025, 40, 30],
                       [301, "Oslo", 2025, 640, None]])
    preview = run(data, filename="t.xlsx")
    assert preview.ok, preview.errors
    assert Anmodning.objects.get(kommune__nummer="0301").antall == 640  # leading zero restored


def test_wide_layout_with_year_in_header_row_above():
    data = xlsx_bytes([["", "", "2014", None, "2015", None],
                       ["Kommunenr", "Kommune", "Anmodning", "Vedtak", "Anmodning", "Vedtak"],
                       ["0101", "Halden", 35, 15, 30, 15],
                       ["0104", "Moss", 45, 20, 40, 40]])
    preview = run(data, filename="t.xlsx")
    assert preview.ok, preview.errors
    assert preview.layout == "bred"
    assert Vedtak.objects.get(kommune__nummer="0104", aar=2015).antall == 40


def test_lost_leading_zero_and_old_number_remapped_with_note():
    preview = run(b"kommunenummer,kommune,aar,anmodning\n101,Halden,2025,40\n")
    assert preview.ok, preview.errors
    assert preview.rows[0].kommune.nummer == "3101"
    assert any("0101 Halden gjaldt ikke i 2025" in w for w in preview.warnings)


def test_number_name_mismatch_is_an_error():
    preview = run(b"kommunenummer,kommune,aar,anmodning\n3101,Moss,2025,40\n")
    assert not preview.ok
    assert "Rad 2, kolonne «Kommune»: kommunenummer 3101 er Halden" in preview.errors[0]
    assert not Anmodning.objects.exists()


@pytest.mark.parametrize(
    ("cell", "message"),
    [("tretti", "«tretti» er ikke et tall"), ("-5", "negativt tall"), ('"2,5"', "desimaltall"),
     (":", "kan ikke være prikket")],
)
def test_bad_values_are_row_errors_and_nothing_is_written(cell, message):
    text = f"kommunenummer,kommune,aar,anmodning\n3103,Moss,2025,10\n3101,Halden,2025,{cell}\n"
    preview = run(text.encode())
    assert not preview.ok
    assert any(e.startswith("Rad 3, kolonne «anmodning»") and message in e for e in preview.errors), preview.errors
    assert not Anmodning.objects.exists() and not Endring.objects.exists()


def test_breakdown_larger_than_total_duplicates_unknown_kommune_and_columns():
    text = ("kommunenummer,kommune,aar,anmodning,herav enslige mindreårige,tull\n"
            "3101,Halden,2025,10,11,x\n")
    preview = run(text.encode())
    assert any("ukjent kolonne" in e and "«tull»" in e for e in preview.errors)
    text = "kommunenummer,kommune,aar,anmodning,herav enslige mindreårige\n3101,Halden,2025,10,11\n"
    assert any("er større enn" in e for e in run(text.encode()).errors)
    text = "kommunenummer,kommune,aar,anmodning\n3101,Halden,2025,10\n3101,Halden,2025,12\n"
    assert any("står også på rad 2" in e for e in run(text.encode()).errors)
    text = "kommunenummer,kommune,aar,anmodning\n9998,Ingensted,2025,10\n"
    assert any("ukjent kommunenummer 9998" in e for e in run(text.encode()).errors)
    assert not Anmodning.objects.exists()


def test_thousands_separators_and_spaces_are_accepted():
    text = "kommunenummer;kommune;aar;anmodning;bosatt\n0301;Oslo;2025; 1 133 ;1\u00a0200\n"
    preview = run(text.encode())
    assert preview.ok, preview.errors
    assert Anmodning.objects.get().antall == 1133
    assert Bosatt.objects.get().antall == 1200


def test_blank_never_overwrites_unless_asked():
    run(b"kommunenummer,kommune,aar,anmodning,vedtak,bosatt\n3101,Halden,2025,40,30,12\n")
    preview = run(b"kommunenummer,kommune,aar,anmodning,vedtak,bosatt\n3101,Halden,2025,40,,\n")
    assert preview.counts["uendret"] == 1
    assert Bosatt.objects.get().antall == 12
    preview = run(b"kommunenummer,kommune,aar,anmodning,vedtak,bosatt\n3101,Halden,2025,40,30,\n",
                  blank_clears=True)
    assert preview.counts["endret"] == 1
    assert Bosatt.objects.get().antall is None


def test_reimport_is_idempotent_and_history_is_tagged():
    data = (DATA / "ks_ostfold_2014_2015.csv").read_bytes()
    first = run(data)
    assert first.ok and first.counts["ny"] == 36
    entries = Endring.objects.filter(import_ref__startswith="import:")
    n = entries.count()
    assert n == 36  # one entry per changed row (kommune and year)
    assert set(entries.values_list("handling", flat=True)) == {"import.rad"}
    rygge = entries.get(kommune__nummer="0136", aar=2014)
    assert rygge.endringer["anmodning"] == [None, 20] and rygge.endringer["vedtak"] == [None, 10]
    again = run(data)
    assert again.counts == {"ny": 0, "endret": 0, "uendret": 36, "feil": 0}
    assert Endring.objects.filter(import_ref__startswith="import:").count() == n


def test_ks_ostfold_table_matches_historic_kommuner_and_reports_the_total_row():
    preview = run((DATA / "ks_ostfold_2014_2015.csv").read_bytes())
    assert preview.ok, preview.errors
    assert {r.kommune.nummer for r in preview.rows} == {
        "0101", "0104", "0105", "0106", "0111", "0118", "0119", "0121", "0122", "0123", "0124", "0125", "0127",
        "0128", "0135", "0136", "0137", "0138"}
    assert Vedtak.objects.get(kommune__nummer="0121", aar=2014).antall == 10
    assert not Vedtak.objects.filter(kommune__nummer="0121", aar=2015).exists()  # blank stays blank
    assert Vedtak.objects.get(kommune__nummer="0138", aar=2014).antall == 0  # zero is zero
    warnings = " ".join(preview.warnings)
    assert "oppgitt sum 254, men radene over gir 279" in warnings
    assert "oppgitt sum 200, men radene over gir 300" in warnings
    assert "oppgitt sum 430, men radene over gir 426" in warnings
    assert "435" not in warnings  # the 2014 request total matches


def imdi_published(path, year):
    """Re-shape IMDi's coded CSV into IMDi's published layout: names only, fylke headings, markers."""
    import csv

    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    out = [[f"Nøkkeltall bosetting {year}"], [],
           ["Kommune", "Antall personer kommunen har blitt anmodet om å bosette",
            "Antall personer kommunen har vedtatt å bosette", "Antall bosatte personer",
            "Antall bosatte personer med kollektiv beskyttelse"]]
    for fylke in sorted({r["fylke"] for r in rows}):
        out.append([fylke])
        for r in rows:
            if r["fylke"] == fylke:
                out.append([r["kommune_imdi"], r["anmodet"], r["vedtatt"], r["bosatte"],
                            r["bosatte_kollektiv_beskyttelse"]])
    return out


@pytest.mark.parametrize("year", [2025, 2026])
def test_imdi_published_layout_gives_the_same_figures_as_the_coded_csv(year):
    coded = IMDI_DATA / f"imdi_bosettingstall_kommune_{year}.csv"
    preview = run(coded.read_bytes())
    assert preview.ok, preview.errors
    snapshot = {
        "a": sorted(Anmodning.objects.values_list("kommune__nummer", "antall")),
        "v": sorted(Vedtak.objects.filter(erstattet_av=None).values_list("kommune__nummer", "antall", "status")),
        "b": sorted(Bosatt.objects.values_list("kommune__nummer", "antall", "herav_kollektiv", "prikket")),
    }
    published = xlsx_bytes(imdi_published(coded, year))
    again = run(published, filename="imdi.xlsx")
    assert again.ok, again.errors[:5]
    assert again.layout == "imdi"
    assert again.counts["uendret"] == 357 and again.counts["endret"] == 0
    assert snapshot["b"] == sorted(Bosatt.objects.values_list("kommune__nummer", "antall", "herav_kollektiv",
                                                              "prikket"))


def test_only_imdi_and_administrators_may_import():
    kommune_user = profil_user(Rolle.KOMMUNE, kommuner=[])
    with pytest.raises(PermissionDenied):
        import_preview(LONG.encode(), user=kommune_user)
    imdi = profil_user(Rolle.IMDI)
    assert import_preview(LONG.encode(), user=imdi).ok


def test_zip_bomb_and_garbage_are_refused():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "x")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (150 * 1024 * 1024))
    preview = import_preview(buf.getvalue(), filename="bombe.xlsx")
    assert "for stor utpakket" in preview.errors[0]
    assert "binært" in import_preview(b"\x00\x01\x02garbage", filename="x.csv").errors[0]


def test_command_exit_codes(tmp_path):
    good = tmp_path / "ok.csv"
    good.write_bytes(LONG.encode())
    call_command("import_imdi", str(good), "--dry-run")
    assert not Anmodning.objects.exists()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"kommunenummer,kommune,aar,anmodning\n3101,Halden,2025,x\n")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ingenting er skrevet"):
        call_command("import_imdi", str(bad))
    call_command("import_imdi", str(good))
    assert Anmodning.objects.count() == 2


LAYOUTS = {
    "lang": [["kommunenummer", "kommune", "år", "anmodning", "vedtak", "bosatt"],
             ["3101", "Halden", "2025", "40", "30", "12"], ["3112", "Råde", "2025", "10", "", ":"],
             ["3114", "Våler (Østfold)", "2025", "15", "avventer vedtak", "0"]],
    "bred": [["", "", "2025", "", ""], ["kommunenummer", "kommune", "anmodning", "vedtak", "bosatt"],
             ["3101", "Halden", "40", "30", "12"], ["3112", "Råde", "10", "", ":"],
             ["3114", "Våler (Østfold)", "15", "avventer vedtak", "0"]],
    "imdi": [["Nøkkeltall bosetting 2025"],
             ["Kommune", "Antall personer kommunen har blitt anmodet om å bosette",
              "Antall personer kommunen har vedtatt å bosette", "Antall bosatte personer"],
             ["Østfold"], ["Halden", "40", "30", "12"], ["Råde", "10", "", ":"],
             ["Våler", "15", "avventer vedtak", "0"], ["Østfold", "65", "30", "12"]],
}


def encode(rows, fmt):
    if fmt == "xlsx":
        return xlsx_bytes(rows), "t.xlsx"
    sep, encoding = {"csv-komma": (",", "utf-8"), "csv-semikolon": (";", "utf-8-sig"),
                     "csv-1252": (";", "cp1252")}[fmt]
    return "\n".join(sep.join(r) for r in rows).encode(encoding), "t.csv"


@pytest.mark.parametrize("fmt", ["csv-komma", "csv-semikolon", "csv-1252", "xlsx"])
@pytest.mark.parametrize("layout", ["lang", "bred", "imdi"])
def test_every_format_and_layout_gives_the_same_figures(fmt, layout):
    data, name = encode(LAYOUTS[layout], fmt)
    preview = run(data, filename=name)
    assert preview.ok, preview.errors
    assert preview.layout == layout
    assert preview.counts["ny"] == 3
    assert sorted(Anmodning.objects.values_list("kommune__nummer", "antall")) == [
        ("3101", 40), ("3112", 10), ("3114", 15)]
    assert sorted(Vedtak.objects.values_list("kommune__nummer", "antall", "status")) == [
        ("3101", 30, "fattet"), ("3114", None, "avventer")]
    assert sorted(Bosatt.objects.values_list("kommune__nummer", "antall", "prikket")) == [
        ("3101", 12, []), ("3112", None, ["antall"]), ("3114", 0, [])]


def _xlsx_with_doctype(doctype, cell):
    """A real workbook whose first sheet declares `doctype` and holds `cell` as an inline string."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["kommunenummer", "kommune", "aar", "anmodning"],
                                                 ["3101", "PLASS", "2025", "40"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = re.sub(r"^(<\?xml[^>]*\?>)?", lambda m: (m.group(1) or "") + doctype, text, count=1)
                text = re.sub(r'<c r="B2"[^>]*>.*?</c>', f'<c r="B2" t="inlineStr"><is><t>{cell}</t></is></c>', text)
                data = text.encode()
            zf.writestr(info, data)
    return out.getvalue()


def test_xlsx_external_entities_are_not_read(tmp_path):
    """XXE: an entity naming a file on the server is never resolved (the workbook is refused)."""
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("HEMMELIG-INNHOLD")
    data = _xlsx_with_doctype(f'<!DOCTYPE ws [<!ENTITY e SYSTEM "file://{secret}">]>', "&e;")
    preview = import_preview(data, filename="xxe.xlsx")
    assert preview.errors and "HEMMELIG" not in " ".join(preview.errors)
    assert "ugyldig eller farlig XML" in preview.errors[0]
    assert "HEMMELIG" not in repr(getattr(preview, "rows", ""))


def test_xlsx_entity_expansion_is_refused():
    """Billion laughs: nested entities that would expand to gigabytes are refused, quickly."""
    lol = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    data = _xlsx_with_doctype(f"<!DOCTYPE ws [{lol}]>", "&a9;")
    preview = import_preview(data, filename="lol.xlsx")
    assert preview.errors and "ugyldig eller farlig XML" in preview.errors[0]
