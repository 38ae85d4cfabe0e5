"""The county report (KS slide) against the slide's own figures, summed by hand."""

import base64
import datetime
import io
import re
import shutil
import subprocess
import zlib

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bosetting.services import aarsaker_save
from bosetting.status import GAP_FOR
from core.models import Profil, Rolle
from kommuner.models import Fylke, Kommune
from rapporter.selectors import fylkesrapport
from tests.factories import kommune, profil_user
from vedtak.services import anmodning_register

from .fixtures import load_ks

pytestmark = pytest.mark.django_db


@pytest.fixture
def ks(db):
    load_ks()
    aarsaker_save(kommune=kommune("0124"), aar=2014, aarsaker=["bolig", "okonomi"])  # Askim
    aarsaker_save(kommune=kommune("0138"), aar=2014, aarsaker=["kapasitet"], fritekst="Få ansatte")  # Hobøl
    aarsaker_save(kommune=kommune("0101"), aar=2014, aarsaker=["bolig"])  # Halden
    aarsaker_save(kommune=kommune("0101"), aar=2015, aarsaker=["arbeidsmarked"])  # another year: not counted


@pytest.fixture
def client_admin(client, admin_user):
    client.force_login(admin_user)
    return client


def _rows(r):
    return {k["nummer"]: k for k in r.rader}


def test_historic_fylke_is_the_slide_as_printed(ks):
    r = fylkesrapport(Fylke.objects.get(nummer="01"), 2014)
    assert r.historisk and len(r.rader) == 18
    # the slide's printed total row says 254 / 200; its column sums are 279 / 300 (see the CSV note)
    assert (r.sum.anmodet.verdi, r.sum.vedtatt.verdi) == (435, 279)
    assert (r.sum_neste.anmodet.verdi, r.sum_neste.vedtatt.verdi) == (426, 300)
    rows = _rows(r)
    assert (rows["0106"]["rad"].vedtatt.verdi, rows["0106"]["neste"].vedtatt.verdi) == (69, 105)
    assert rows["0118"]["neste"].vedtatt.verdi is None  # Aremark 2015: no vedtak, blank not 0
    assert r.antall_med_aarsaker == 3


def test_todays_fylke_rolls_up_merged_kommuner(ks):
    r = fylkesrapport(Fylke.objects.get(nummer="31"), 2014)
    rows = _rows(r)
    assert not r.historisk and "0124" not in rows
    indre = rows["3118"]
    assert (indre["rad"].anmodet.verdi, indre["rad"].vedtatt.verdi) == (75, 35)
    assert (indre["neste"].anmodet.verdi, indre["neste"].vedtatt.verdi) == (86, 44)
    assert (rows["3103"]["rad"].anmodet.verdi, rows["3103"]["rad"].vedtatt.verdi) == (65, 30)  # Moss + Rygge
    # Rømskog (10/10) went to Aurskog-Høland in Akershus
    assert (r.sum.anmodet.verdi, r.sum.vedtatt.verdi) == (425, 269)
    assert (r.sum_neste.anmodet.verdi, r.sum_neste.vedtatt.verdi) == (416, 300)


def test_reasons_counted_across_the_county(ks):
    r = fylkesrapport(Fylke.objects.get(nummer="31"), 2014)
    assert [(str(label), n) for label, n in r.aarsaker] == [
        ("Bolig", 2), ("Kapasitet i flyktningtjenesten", 1), ("Økonomi", 1)]
    assert r.antall_med_aarsaker == 2  # Indre Østfold (Askim, Hobøl) and Halden
    assert [(k.nummer, t) for k, t in r.fritekster] == [("3118", "Få ansatte")]


def test_page_xlsx_and_pdf_show_the_same_figures(ks, client_admin):
    html = client_admin.get("/rapport/fylke/31/", {"aar": 2014}).content.decode()
    assert "Bosetting i Østfold 2014–2015" in html and "Indre Østfold" in html
    assert "rapport-print.css" in html and "Oppfølging: gjort og åpent" in html
    resp = client_admin.get("/rapport/fylke/31/", {"aar": 2014, "_export": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    indre = next(v for v in values if v[0] == "3118")
    # Each figure with its marker column: anmodning, vedtak, bosatt, the three gaps, next year's two.
    figures = (2, 4, 8, 14, 16)  # anmodning, vedtak, «Anmodet, ikke vedtatt», next year's anmodning and vedtak
    assert values[1][8] == "Anmodet, ikke vedtatt 2014"
    assert [indre[i] for i in figures] == [75, 35, 75 - 35, 86, 44]
    total = next(v for v in values if v[1] == "Sum Østfold")
    # The county's gap is the sum over the kommuner that decided fewer, not 425 − 269.
    rapport = fylkesrapport(Fylke.objects.get(nummer="31"), 2014)
    below = sum(max(g.verdi, 0) for k in rapport.rader if k["rad"] and (g := k["rad"].gap_anmodning_vedtak).verdi
                is not None)
    assert [total[i] for i in figures] == [425, 269, below, 416, 300]
    assert rapport.sum.gap_anmodning_vedtak.verdi == below
    assert ["Bolig", 2] in [v[:2] for v in values]
    # One definition on the page, in the XLSX and in the PDF (bosetting.status.GAP).
    definisjon = str(GAP_FOR["anmodning_vedtak"].definisjon)
    assert definisjon in html.replace("&#x27;", "'").replace("&quot;", '"').replace("&laquo;", "«")
    assert any(definisjon in str(v[0]) for v in values if v and v[0])
    assert f'data-gap="anmodning_vedtak">{below}<' in html and "/slik-regner-vi/" in html
    pdf = client_admin.get("/rapport/fylke/31/", {"aar": 2014, "_export": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "Anmodet, ikke vedtatt (Anmodning – vedtak)" in " ".join(pdf_text(pdf.content).split())
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True,
                              check=True).stdout.decode()
        assert "Sum Østfold" in text and "425" in text and "Indre Østfold" in text


def pdf_text(content):
    """The strings reportlab draws (Tj operands of the page streams, ASCII85 + Flate, WinAnsi), in order."""
    parts = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        data = m.group(1).strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data, adobe=True)
        try:
            data = zlib.decompress(data)
        except zlib.error:
            continue
        for s in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", data):
            raw = re.sub(rb"\\([0-7]{1,3}|.)", lambda e: bytes([int(e.group(1), 8)]) if e.group(1)[:1].isdigit()
                         else e.group(1), s.group(1))
            parts.append(raw.decode("cp1252"))
    return "\n".join(parts)


@pytest.mark.parametrize("maalform, words, absent", [
    ("nn", ["Busetting i Østfold 2014–2015", "Oppmoding 2014", "Bustad", "Kjelde: IMDi"], ["Anmodning", "Bolig"]),
    ("nb", ["Bosetting i Østfold 2014–2015", "Anmodning 2014", "Bolig", "Kilde: IMDi"], ["Oppmoding", "Bustad"]),
])
def test_xlsx_and_pdf_in_the_requesting_users_written_standard(ks, client, password, maalform, words, absent):
    from django.urls import reverse

    user = profil_user(Rolle.KS, username=f"ks-{maalform}", password=password)
    Profil.objects.filter(user=user).update(sprak=maalform)
    client.post(reverse("login"), {"username": user.username, "password": password})  # sets the language cookie
    resp = client.get("/rapport/fylke/31/", {"aar": 2014, "_export": "xlsx"})
    cells = [str(c.value) for row in openpyxl.load_workbook(io.BytesIO(resp.content)).active.iter_rows()
             for c in row if c.value is not None]
    text = "\n".join(cells)
    # Words joined across the lines a cell wraps into ("Anmodning" / "2014" in a column header).
    pdf = " ".join(pdf_text(client.get("/rapport/fylke/31/", {"aar": 2014, "_export": "pdf"}).content).split())
    for found in (text, pdf):
        assert all(w in found for w in words), (words, found)
        assert not any(w in found for w in absent), (absent, found)
    assert "Sum Østfold" in pdf and "Indre Østfold" in pdf


def test_scope(ks, client):
    office = Fylke.objects.get(nummer="31").statsforvalter
    agder = Fylke.objects.get(nummer="42").statsforvalter
    client.force_login(profil_user(Rolle.STATSFORVALTER, statsforvalter=office))
    assert client.get("/rapport/fylke/31/", {"aar": 2014}).status_code == 200
    assert client.get("/rapport/fylke/01/", {"aar": 2014}).status_code == 200  # historic Østfold
    assert client.get("/rapport/fylke/42/", {"aar": 2014}).status_code == 404
    client.force_login(profil_user(Rolle.STATSFORVALTER, statsforvalter=agder))
    assert client.get("/rapport/fylke/31/", {"aar": 2014, "_export": "xlsx"}).status_code == 404
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")]))
    assert client.get("/rapport/fylke/31/").status_code == 200
    assert client.get("/rapport/fylke/46/").status_code == 404
    assert client.get("/rapport/fylke/99/").status_code == 404


def test_bad_year_never_500(ks, client_admin):
    for aar in ("x", "", "1800", "3000"):
        assert client_admin.get("/rapport/fylke/31/", {"aar": aar}).status_code == 200


def _count(client, params):
    with CaptureQueriesContext(connection) as q:
        assert client.get("/rapport/fylke/31/", params).status_code == 200
    return len(q)


def test_constant_number_of_queries(db, client_admin):
    anmodning_register(kommune=kommune("3101"), aar=2014, antall=5)
    small = _count(client_admin, {"aar": 2014})
    load_ks()
    for k in Kommune.objects.filter(nummer__in=["0101", "0124", "0138"]):
        aarsaker_save(kommune=k, aar=2014, aarsaker=["bolig"])
    assert _count(client_admin, {"aar": 2014}) == small


def test_forecast_per_kommune_and_county_while_the_year_runs(db):
    """Halden and Sarpsborg settle 10 and 5 a month by June; earlier years: flat and front-loaded
    national profiles (shares 0.5 and 0.75 by June) → ×1.6 on average; Moss alone is back-tested."""
    from bosetting.services import bosatt_register

    halden, sarpsborg, moss = kommune("3101"), kommune("3105"), kommune("3103")
    for m in range(1, 13):
        bosatt_register(kommune=moss, aar=2012, maaned=m, antall=10)
        bosatt_register(kommune=moss, aar=2013, maaned=m, antall=15 if m <= 6 else 5)
    for m in range(1, 7):
        bosatt_register(kommune=halden, aar=2014, maaned=m, antall=10)
        bosatt_register(kommune=sarpsborg, aar=2014, maaned=m, antall=5)
    r = fylkesrapport(Fylke.objects.get(nummer="31"), 2014, today=datetime.date(2014, 7, 10))
    rows = _rows(r)
    p = rows["3101"]["prognose"]
    assert (p.hittil, p.maaned, p.punkt, p.profil) == (60, 6, 96, "nasjonal")  # no earlier years of its own
    assert (rows["3105"]["prognose"].punkt, r.sum_prognose.punkt) == (48, 144)
    assert r.sum_prognose.lav is None  # two back-tested years of one kommune: too few for an interval
    assert rows["3110"]["prognose"].ukjent  # Hvaler: nothing reported, no number
    assert r.vis_prognose
    assert not fylkesrapport(Fylke.objects.get(nummer="31"), 2014, today=datetime.date(2016, 1, 1)).vis_prognose
