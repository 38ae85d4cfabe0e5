"""Services and pressure (issue #17): intro and Norwegian-training places, the asylum reception
centre, pressure notes per kommune-year; validation, history, who reads and writes the page, and
the kommune page's section."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bosetting.models import Tjenestekapasitet
from bosetting.services import tjenester_save
from core.models import Endring, Rolle
from rapporter.endringstekst import handling_tekst, med_tekst
from tests.factories import AarslaasFactory, kommune, profil_user

pytestmark = pytest.mark.django_db


def url(nummer="3101", aar=None):
    u = reverse("bosetting:tjenester", args=[nummer])
    return f"{u}?aar={aar}" if aar else u


@pytest.fixture
def office():
    from kommuner.models import Statsforvalter
    from tests.test_access_matrix import OFFICE

    return Statsforvalter.objects.get(navn=OFFICE)


@pytest.fixture
def halden_user(db):
    return profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], username="halden")


def test_blank_is_unknown_and_unknown_reception_centre_is_not_no():
    t = tjenester_save(kommune=kommune("3101"), aar=2025)
    assert t.introduksjonsprogram_plasser is None and t.norskopplaering_plasser is None
    assert t.asylmottak is None
    assert not t.har_press


@pytest.mark.parametrize(("asylmottak", "fields", "field", "message"), [
    (None, {"mottaksplasser": 40}, "mottaksplasser",
     "Oppgi plasser i asylmottak bare når kommunen har et asylmottak."),
    (False, {"mottak_aapnet": datetime.date(2024, 3, 1)}, "mottak_aapnet",
     "Oppgi når asylmottaket åpnet bare når kommunen har et asylmottak."),
    (True, {"mottak_aapnet": timezone.localdate() + datetime.timedelta(days=1)}, "mottak_aapnet",
     "Datoen for når asylmottaket åpnet kan ikke være etter i dag."),
])
def test_reception_centre_facts_are_validated_in_norwegian(asylmottak, fields, field, message):
    with pytest.raises(ValidationError) as exc:
        tjenester_save(kommune=kommune("3101"), aar=2025, asylmottak=asylmottak, **fields)
    assert exc.value.message_dict[field] == [message]
    assert not Tjenestekapasitet.objects.exists()


def test_save_then_correct_writes_history_in_words(halden_user):
    halden = kommune("3101")
    tjenester_save(kommune=halden, aar=2025, by=halden_user, asylmottak=True, mottaksplasser=120,
                   mottak_aapnet=datetime.date(2024, 11, 15), press_helse="Ventetid hos fastlege")
    t = tjenester_save(kommune=halden, aar=2025, by=halden_user, mottaksplasser=150)
    assert Tjenestekapasitet.objects.count() == 1 and t.mottaksplasser == 150 and t.har_press
    handlinger = list(Endring.objects.filter(kommune=halden).order_by("id").values_list("handling", flat=True))
    assert handlinger == ["tjenester.registrert", "tjenester.endret"]
    assert handling_tekst("tjenester.registrert") == "Tjenester og press registrert"
    assert handling_tekst("tjenester.endret") == "Tjenester og press endret"
    endret = med_tekst(Endring.objects.filter(handling="tjenester.endret"))[0]
    assert "120" in str(endret.tekst["felter"]) and "150" in str(endret.tekst["felter"])


def test_a_locked_year_is_refused(halden_user):
    AarslaasFactory(aar=2025, laast=True)
    with pytest.raises(ValidationError):
        tjenester_save(kommune=kommune("3101"), aar=2025, by=halden_user, norskopplaering_plasser=3)
    assert not Tjenestekapasitet.objects.exists()


def test_kommune_user_cannot_write_another_kommune_through_the_service(halden_user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises((PermissionDenied, ValidationError)):
        tjenester_save(kommune=kommune("3103"), aar=2025, by=halden_user, norskopplaering_plasser=3)
    assert not Tjenestekapasitet.objects.exists()


@pytest.mark.parametrize(("rolle", "scope", "get", "post"), [
    (Rolle.KOMMUNE, "3101", 200, 302),
    (Rolle.KOMMUNE, "3103", 404, 404),
    (Rolle.STATSFORVALTER, "3103", 200, 403),
    (Rolle.STATSFORVALTER, "4601", 404, 404),
    (Rolle.KS, "3101", 200, 403),
    (Rolle.ADMINISTRATOR, "4601", 200, 302),
])
def test_who_reads_and_changes_the_page(client, office, rolle, scope, get, post):
    user = profil_user(rolle, kommuner=[kommune("3101")] if rolle == Rolle.KOMMUNE else [],
                       statsforvalter=office if rolle == Rolle.STATSFORVALTER else None)
    client.force_login(user)
    response = client.get(url(scope, 2025))
    assert response.status_code == get
    if get == 200:
        assert ('name="norskopplaering_plasser"' in response.content.decode()) == (post == 302)
    response = client.post(url(scope), {"aar": 2025, "norskopplaering_plasser": "12", "asylmottak": "unknown"})
    assert response.status_code == post
    assert Tjenestekapasitet.objects.filter(kommune__nummer=scope).count() == (1 if post == 302 else 0)


def test_the_form_is_prefilled_and_errors_land_on_the_field(client, halden_user):
    tjenester_save(kommune=kommune("3101"), aar=2025, asylmottak=True, mottaksplasser=80)
    client.force_login(halden_user)
    response = client.get(url(aar=2025))
    assert response.context["form"].initial["mottaksplasser"] == 80
    assert '<option value="true" selected>Ja</option>' in response.content.decode()
    response = client.post(url(), {"aar": 2025, "asylmottak": "false", "mottaksplasser": "80"})
    assert response.status_code == 200
    assert response.context["form"].errors["mottaksplasser"] == [
        "Oppgi plasser i asylmottak bare når kommunen har et asylmottak."]
    assert Tjenestekapasitet.objects.get().asylmottak is True


def test_the_kommune_page_shows_the_section_with_unknown_in_words(client, halden_user):
    tjenester_save(kommune=kommune("3101"), aar=2025, norskopplaering_plasser=25, asylmottak=True,
                   mottaksplasser=150, mottak_aapnet=datetime.date(2024, 11, 15),
                   press_transport="Lang vei til norskopplæring fra boligene")
    client.force_login(halden_user)
    html = client.get(reverse("rapporter:kommune_detail", args=["3101"])).content.decode()
    start = html.index(">Tjenester og press<")
    section = html[start:start + 3000]
    assert "Plasser i introduksjonsprogrammet</dt><dd>ukjent</dd>" in section
    assert "Plasser i norskopplæringen</dt><dd>25</dd>" in section
    assert "ja, 150 plasser, åpnet 15.11.2024" in section
    assert "Lang vei til norskopplæring fra boligene" in section
    assert url("3101", 2025) in section and "Endre tjenester og press 2025" in section


def _overview_rows(client, **params):
    response = client.get(reverse("rapporter:oversikt"), {"aar": 2025, "hele_landet": "on", **params})
    assert response.status_code == 200
    return response, {r.kommunenummer: r for r in response.context["table"].data if not r.er_sum}


def test_overview_columns_and_filters(client):
    tjenester_save(kommune=kommune("3101"), aar=2025, introduksjonsprogram_plasser=40, asylmottak=True,
                   mottaksplasser=150, press_helse="Lang ventetid")
    tjenester_save(kommune=kommune("3103"), aar=2025, norskopplaering_plasser=20, asylmottak=False)
    client.force_login(profil_user(Rolle.ADMINISTRATOR))
    response, rows = _overview_rows(client)
    assert "Meldt press<" not in response.content.decode()  # the columns only when asked for
    response, rows = _overview_rows(client, vis_tjenester="on")
    html = response.content.decode()
    for header in ("Plasser i introduksjonsprogrammet", "Plasser i norskopplæringen", "Asylmottak", "Meldt press"):
        assert header in html, header
    table = response.context["table"]
    col = {name: table.base_columns[name] for name in ("intro_plasser", "norsk_plasser", "asylmottak", "meldt_press")}
    halden, moss = rows["3101"], rows["3103"]
    assert [col[n].eksport(halden) for n in col] == [40, "ukjent", "Ja (150 plasser)", "Ja"]
    assert [col[n].eksport(moss) for n in col] == ["ukjent", 20, "Nei", "Nei"]
    other = next(r for nr, r in rows.items() if nr not in ("3101", "3103"))
    assert col["asylmottak"].eksport(other) == "ukjent"  # no facts: unknown, not "no"
    _r, rows = _overview_rows(client, har_asylmottak="on")
    assert set(rows) == {"3101"}
    _r, rows = _overview_rows(client, har_press="on")
    assert set(rows) == {"3101"}


def test_overview_hides_service_facts_outside_the_users_scope(client, halden_user):
    tjenester_save(kommune=kommune("3103"), aar=2025, asylmottak=True, press_annet="Fullt")
    client.force_login(halden_user)
    _r, rows = _overview_rows(client, vis_tjenester="on")
    assert rows["3103"].tjenester is None and rows["3103"].asylmottak is None
    _r, rows = _overview_rows(client, har_asylmottak="on")
    assert not rows


def test_county_report_page_xlsx_and_pdf_show_the_service_columns(client):
    import io

    import openpyxl

    from tests.rapporter.test_fylkesrapport import pdf_text

    tjenester_save(kommune=kommune("3101"), aar=2025, introduksjonsprogram_plasser=40, asylmottak=True,
                   mottaksplasser=150, press_helse="Lang ventetid")
    tjenester_save(kommune=kommune("3103"), aar=2025, norskopplaering_plasser=20, asylmottak=False)
    client.force_login(profil_user(Rolle.ADMINISTRATOR))
    html = client.get("/rapport/fylke/31/", {"aar": 2025}).content.decode()
    tabell = html[html.index('id="tjeneste-tabell"'):]
    tabell = tabell[:tabell.index("</table>")]
    assert "Asylmottak</th>" in tabell and "Meldt press</th>" in tabell
    halden = tabell[tabell.index('data-kommune="3101"'):]
    halden = halden[:halden.index("</tr>")]
    assert ('<td data-tjeneste="1" class="app-num">40</td><td data-tjeneste="2" class="app-num">ukjent</td>'
            '<td data-tjeneste="3">Ja (150 plasser)</td><td data-tjeneste="4">Ja</td>') in halden
    resp = client.get("/rapport/fylke/31/", {"aar": 2025, "_export": "xlsx"})
    values = [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(resp.content)).active.iter_rows()]
    header = next(v for v in values if v[0] == "Kommunenr.")
    rows = {v[0]: v for v in values if v and v[0] in ("3101", "3103")}
    i = header.index("Plasser i introduksjonsprogrammet 2025")
    assert header[i:i + 4] == ["Plasser i introduksjonsprogrammet 2025", "Plasser i norskopplæringen 2025",
                               "Asylmottak 2025", "Meldt press 2025"]
    assert rows["3101"][i:i + 4] == [40, "ukjent", "Ja (150 plasser)", "Ja"]
    assert rows["3103"][i:i + 4] == ["ukjent", 20, "Nei", "Nei"]
    pdf = client.get("/rapport/fylke/31/", {"aar": 2025, "_export": "pdf"})
    text = " ".join(pdf_text(pdf.content).split())
    assert "Tjenester og press i Østfold 2025" in text and "Ja (150 plasser)" in text
    assert 'data-kommune="3105"' not in tabell  # no facts registered: not in the services table


def test_county_report_hides_service_facts_outside_the_users_scope(halden_user):
    from kommuner.models import Fylke
    from rapporter.selectors import fylkesrapport

    tjenester_save(kommune=kommune("3101"), aar=2025, asylmottak=False)
    tjenester_save(kommune=kommune("3103"), aar=2025, asylmottak=True)
    rows = {r["nummer"]: r for r in fylkesrapport(Fylke.objects.get(nummer="31"), 2025, user=halden_user).rader}
    assert rows["3101"]["tjenester"][2] == "Nei"
    assert rows["3103"]["tjenester"] is None and not rows["3103"]["tjenester_registrert"]
    assert rows["3105"]["tjenester"] is None
