"""Issue 16, defect 8 (b): the county report's reasons do not let Halden infer Moss's answers.

For a viewer who may not see every kommune in the fylke, a count below 3 is «færre enn 3», the
number that answered likewise, and only the viewer's own kommuner's free text is kept, on the
page and in the XLSX and PDF. A national viewer sees exact counts.
"""

import io

import openpyxl
import pytest

from bosetting.services import aarsaker_save
from core.models import Rolle
from kommuner.models import Fylke
from rapporter.selectors import fylkesrapport
from tests.factories import kommune, profil_user

from .fixtures import load_ks
from .test_fylkesrapport import pdf_text

pytestmark = pytest.mark.django_db
URL = "/rapport/fylke/31/"
MOSS_TEKST = "Moss-hemmelig forklaring"


@pytest.fixture
def ks(db):
    load_ks()
    aarsaker_save(kommune=kommune("3101"), aar=2014, aarsaker=["bolig"], fritekst="Haldens egen tekst")
    aarsaker_save(kommune=kommune("3103"), aar=2014, aarsaker=["bolig", "kapasitet"], fritekst=MOSS_TEKST)
    aarsaker_save(kommune=kommune("3105"), aar=2014, aarsaker=["bolig"])


@pytest.fixture
def halden_client(client, ks):
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")]))
    return client


def test_selector_suppresses_small_counts_for_a_kommune_user(ks):
    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")])
    r = fylkesrapport(Fylke.objects.get(nummer="31"), 2014, user)
    assert [(str(label), n) for label, n in r.aarsaker] == [
        ("Bolig", 3), ("Kapasitet i flyktningtjenesten", "færre enn 3")]
    assert r.antall_med_aarsaker == 3
    assert [(k.nummer, t) for k, t in r.fritekster] == [("3101", "Haldens egen tekst")]


def test_national_user_sees_exact_counts(ks):
    user = profil_user(Rolle.KS)
    r = fylkesrapport(Fylke.objects.get(nummer="31"), 2014, user)
    assert [(str(label), n) for label, n in r.aarsaker] == [("Bolig", 3), ("Kapasitet i flyktningtjenesten", 1)]
    assert {t for _k, t in r.fritekster} == {"Haldens egen tekst", MOSS_TEKST}


def test_page_shows_faerre_enn_3_not_1(halden_client):
    html = halden_client.get(URL, {"aar": 2014}).content.decode()
    tabell = html.split('id="aarsak-tabell"', 1)[1].split("</table>", 1)[0]
    assert "Kapasitet i flyktningtjenesten" in tabell
    row = tabell.split("Kapasitet i flyktningtjenesten", 1)[1].split("</tr>", 1)[0]
    assert "færre enn 3" in row and ">1<" not in row
    assert MOSS_TEKST not in html


def test_xlsx_and_pdf_carry_no_suppressed_number(halden_client):
    resp = halden_client.get(URL, {"aar": 2014, "_export": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert ["Kapasitet i flyktningtjenesten", "færre enn 3"] in [v[:2] for v in values]
    assert ["Kapasitet i flyktningtjenesten", 1] not in [v[:2] for v in values]
    assert MOSS_TEKST not in str(values)
    pdf = halden_client.get(URL, {"aar": 2014, "_export": "pdf"})
    text = pdf_text(pdf.content)
    assert "Kapasitet i flyktningtjenesten" in text
    after = text.split("Kapasitet i flyktningtjenesten", 1)[1]
    assert after.lstrip().startswith("f") and MOSS_TEKST not in text


def test_only_two_answered_hides_the_number_that_answered(client, db):
    load_ks()
    aarsaker_save(kommune=kommune("3101"), aar=2014, aarsaker=["bolig"])
    aarsaker_save(kommune=kommune("3103"), aar=2014, aarsaker=["bolig"])
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")]))
    html = client.get(URL, {"aar": 2014}).content.decode()
    assert "færre enn 3 kommuner har svart" in html and "2 kommuner har svart" not in html
