"""The county report's PDF is a document to hand over (issue 15): it carries what the page shows,
row by row, with when it was made, its source, its notes and «Side X av Y» on every page; a
kommune user's PDF keeps the page's scope. Text read back with pypdf."""

import datetime
import html as htmllib
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bosetting.selectors import SYNTETISK
from bosetting.services import aarsaker_save, bosatt_register
from bosetting.status import GAP_FELLES, KOMMUNE_GAP
from core import tallcache
from core.models import Rolle
from kommuner.models import Fylke
from oppfolging.choices import PunktStatus
from oppfolging.models import Oppfolgingspunkt
from rapporter.eksport import KILDE, laget_tekst
from tests.factories import kommune, profil_user
from vedtak.choices import Kilde
from vedtak.services import vedtak_register

from .fixtures import load_ks

pytestmark = pytest.mark.django_db
URL = "/rapport/fylke/31/"


@pytest.fixture
def ks(db):
    load_ks()
    # Settled in 2014: Halden exact, Sarpsborg suppressed by IMDi; Moss's vedtak suppressed.
    bosatt_register(kommune=kommune("0101"), aar=2014, antall=40)
    bosatt_register(kommune=kommune("0105"), aar=2014, antall=None, prikket=["antall"])
    vedtak_register(kommune=kommune("0104"), aar=2014, antall=None, prikket=["antall"], kilde=Kilde.IMDI,
                    dato=datetime.date(2014, 2, 1))
    aarsaker_save(kommune=kommune("0101"), aar=2014, aarsaker=["bolig"])
    aarsaker_save(kommune=kommune("0105"), aar=2014, aarsaker=["bolig", "kapasitet"])
    aarsaker_save(kommune=kommune("0106"), aar=2014, aarsaker=["bolig"])
    sf = profil_user(Rolle.STATSFORVALTER, statsforvalter=Fylke.objects.get(nummer="31").statsforvalter)
    Oppfolgingspunkt.objects.create(kommune=kommune("3101"), tittel="Ring rådmannen", ansvarlig=sf,
                                    frist=datetime.date(2014, 3, 1), status=PunktStatus.FERDIG)
    Oppfolgingspunkt.objects.create(kommune=kommune("3103"), tittel="Send brev om boliger", ansvarlig=sf,
                                    frist=datetime.date(2099, 3, 1))


def _norm(text):
    """Whitespace collapsed; the minus sign as the PDF's standard fonts write it (a dash)."""
    return " ".join(str(text).replace("\u2212", "–").split())


def pdf_pages(content):
    return [_norm(p.extract_text()) for p in PdfReader(io.BytesIO(content)).pages]


def page_rows(html):
    """{kommune number or "sum": [cell texts]} of the page's KS table, as a reader sees them."""
    table = html.split('id="ks-tabell"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for m in re.finditer(r'<tr[^>]*data-kommune="([^"]+)"[^>]*>(.*?)</tr>', table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", m.group(2), re.S)
        rows[m.group(1)] = [_norm(htmllib.unescape(re.sub(r"<[^>]+>", " ", c))) for c in cells]
    return rows


def as_in_pdf(cell):
    """A page figure as the PDF writes it: a blank «ukjent», «≥» «minst» (its font has no «≥»)."""
    if cell == "":
        return "ukjent"
    return cell.replace("≥", "minst")


def _expected_pdf_row(cells):
    name, figures, rest = cells[0], cells[1:9], cells[9:]
    return _norm(" ".join([name, *(as_in_pdf(c) for c in figures), *rest]))


def _get(client, **params):
    return client.get(URL, {"aar": 2014, **params})


def test_every_row_of_the_page_is_in_the_pdf_with_the_same_figures(ks, admin_client):
    html = _get(admin_client).content.decode()
    rows = page_rows(html)
    assert len(rows) == 13  # 12 kommuner of today's Østfold and the sum
    # The page: request, vedtak, settled, the three gaps, next year's request and vedtak, status.
    assert rows["3101"] == ["3101 Halden", "35", "15", "40", "20", "-25", "-5", "30", "15", "Anmodningen dekket"]
    # Moss + Rygge: Moss's vedtak suppressed, so the sum is a lower bound and the gap hidden.
    assert rows["3103"][:5] == ["3103 Moss", "65", "≥ 10 (1 skjult)", "", "skjult"]
    assert rows["3105"][3] == "skjult"  # Sarpsborg's settled figure suppressed
    assert rows["sum"][2:4] == ["≥ 249 (1 skjult)", "≥ 40 (1 skjult)"]
    pdf = " ".join(pdf_pages(_get(admin_client, _export="pdf").content))
    for nummer, cells in rows.items():
        expected = _expected_pdf_row(cells)
        assert expected in pdf, (nummer, expected)
    # Never 0, never a blank: the words.
    assert "3103 Moss 65 minst 10 (1 skjult) ukjent skjult ukjent ukjent 60 50" in pdf
    assert "3105 Sarpsborg 60 60 skjult 0 skjult skjult 55 55" in pdf
    assert "Sum Østfold 425 minst 249 (1 skjult) minst 40 (1 skjult)" in pdf


def test_pdf_names_the_gaps_and_the_columns(ks, admin_client):
    pdf = " ".join(pdf_pages(_get(admin_client, _export="pdf").content))
    for g in KOMMUNE_GAP:
        assert f"{g.tittel} 2014" in pdf  # the column
        assert _norm(f"{g.tittel} ({g.formel}): {g.definisjon}") in pdf  # the definition, from one home
    for col in ("Anmodning 2014", "Vedtak 2014", "Bosatt 2014", "Anmodning 2015", "Vedtak 2015", "Status 2014"):
        assert col in pdf


def test_every_page_has_its_number_the_date_and_the_source(ks, admin_client):
    before = timezone.now()
    content = _get(admin_client, _export="pdf").content
    after = timezone.now()
    pages = pdf_pages(content)
    assert len(pages) >= 2
    for i, text in enumerate(pages, 1):
        assert f"Side {i} av {len(pages)}" in text
    stamps = {laget_tekst(before), laget_tekst(after)}
    assert any(s in pages[0] for s in stamps), (stamps, pages[0][:300])
    assert all(any(s.rstrip(".") in p for s in stamps) for p in pages)  # in every page's footer
    text = " ".join(pages)
    assert _norm(KILDE) in text and "Kilde: IMDis" in text
    assert _norm(GAP_FELLES) in text
    assert "«skjult»: IMDi har skjult tallet" in text


def test_date_is_norwegian_time_in_the_norwegian_format():
    summer = datetime.datetime(2026, 7, 1, 22, 30, tzinfo=datetime.UTC)
    winter = datetime.datetime(2026, 1, 5, 7, 4, tzinfo=datetime.UTC)
    assert laget_tekst(summer) == "Laget 02.07.2026 00:30."
    assert laget_tekst(winter) == "Laget 05.01.2026 08:04."
    assert summer.astimezone(ZoneInfo("Europe/Oslo")).hour == 0


def test_page_footnote_holds(ks, admin_client):
    """What the page's notes say is true of the page: its source, each gap's definition, and the
    date it was made (now, in Norwegian time)."""
    before = timezone.localtime()
    html = htmllib.unescape(_get(admin_client).content.decode())
    note = _norm(re.sub(r"<[^>]+>", " ", html.split('id="rapport-fotnote"', 1)[1].split("</div>", 1)[0]))
    assert _norm(KILDE) in note and _norm(GAP_FELLES) in note
    for g in KOMMUNE_GAP:
        assert _norm(f"{g.tittel} ({g.formel}): {g.definisjon}") in note
    assert f"Laget {before:%d.%m.%Y}" in note
    assert re.search(r"Laget \d\d\.\d\d\.\d{4} \d\d:\d\d\.", note)


def test_reasons_follow_ups_and_demo_notice_are_in_the_pdf(ks, admin_client):
    tallcache.merker_sett(SYNTETISK, ["t2014"])
    html = htmllib.unescape(_get(admin_client).content.decode())
    assert "Syntetiske demotall" in html and "data-syntetisk" in html
    text = " ".join(pdf_pages(_get(admin_client, _export="pdf").content))
    assert "Syntetiske demotall: anmodning, vedtak og bosatte for 2014" in text
    assert "Antall kommuner som oppgir hver årsak (3 kommuner har svart)" in text
    assert "Bolig 3" in text and "Kapasitet i flyktningtjenesten 1" in text
    assert "1 gjort, 1 åpne." in text
    assert "Ring rådmannen – Halden" in text and "Send brev om boliger – Moss (01.03.2099)" in text


def test_kommune_users_pdf_keeps_the_pages_scope(ks, client):
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")]))
    html = _get(client).content.decode()
    rows = page_rows(html)
    content = _get(client, _export="pdf").content
    text = " ".join(pdf_pages(content))
    for nummer, cells in rows.items():
        assert _expected_pdf_row(cells) in text, nummer
    # One kommune gave «kapasitet»: suppressed below 3 on the page and in the PDF alike.
    assert "Kapasitet i flyktningtjenesten færre enn 3" in text
    assert "Kapasitet i flyktningtjenesten 1" not in text
    tabell = html.split('id="aarsak-tabell"', 1)[1].split("</table>", 1)[0]
    assert "færre enn 3" in tabell
    # Follow-ups: the kommune user sees only what core.access lets them see, in both.
    assert ("Send brev om boliger" in text) == ("Send brev om boliger" in html)
    assert "Side 1 av" in text


def test_menu_and_overview_lead_to_the_report(ks, client, admin_client):
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")]))
    home = client.get("/").content.decode()
    velg = reverse("rapporter:fylkesrapport_velg")
    assert f'href="{velg}"' in home and "Fylkesrapport" in home
    resp = client.get(velg)
    assert resp.status_code == 302 and resp["Location"] == "/rapport/fylke/31/"  # own fylke
    chooser = admin_client.get(velg)
    assert chooser.status_code == 200
    body = chooser.content.decode()
    assert 'href="/rapport/fylke/31/"' in body and 'href="/rapport/fylke/46/"' in body
    assert 'href="/rapport/fylke/01/"' not in body  # historic fylker: through the year's report
    overview = admin_client.get(reverse("rapporter:oversikt"), {"aar": 2014}).content.decode()
    assert 'data-fylke="31" href="/rapport/fylke/31/?aar=2014"' in overview
    mine = client.get(reverse("rapporter:oversikt"), {"aar": 2014}).content.decode()
    assert 'data-fylke="31"' in mine and 'data-fylke="46"' not in mine


def test_chooser_lists_an_offices_fylker(ks, client):
    office = Fylke.objects.get(nummer="31").statsforvalter
    client.force_login(profil_user(Rolle.STATSFORVALTER, statsforvalter=office))
    resp = client.get(reverse("rapporter:fylkesrapport_velg"))
    expected = list(Fylke.objects.filter(statsforvalter=office, gyldig_til__isnull=True)
                    .values_list("nummer", flat=True))
    if len(expected) == 1:
        assert resp.status_code == 302
    else:
        body = resp.content.decode()
        assert all(f'href="/rapport/fylke/{n}/"' in body for n in expected)
        assert 'href="/rapport/fylke/46/"' not in body
    client.force_login(profil_user(Rolle.KOMMUNE, username="ingen"))
    assert "ikke tilgang til noen fylker" in client.get(reverse("rapporter:fylkesrapport_velg")).content.decode()
