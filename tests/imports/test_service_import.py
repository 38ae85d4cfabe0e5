"""Service pressure through the import pipeline and the long export (issue #17): the columns
write Tjenestekapasitet in bulk with the model's own rules and history (in words, tagged with the
import), all or nothing, a blank cell is unknown, only a role that may change service pressure may
import it, and the export imports back unchanged (CSV and XLSX), scoped and without the notes when
it is for publication."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bosetting.models import Tjenestekapasitet
from bosetting.services import plan_register, tjenester_save
from core.models import Endring, Rolle
from imports import layouts
from imports.exports import SERVICE_HEADERS, export_dataset, export_rows
from imports.services import import_confirm, import_create, import_preview
from kommuner.models import Statsforvalter
from rapporter.endringstekst import Endringstekster
from tests.factories import kommune, profil_user
from tests.test_access_matrix import OFFICE

pytestmark = pytest.mark.django_db

HEAD = ("kommunenummer,år,introduksjonsprogram plasser,norskopplæring plasser,asylmottak,mottaksplasser,"
        "mottak åpnet,press helse\n")


@pytest.fixture
def admin(db):
    return profil_user(Rolle.ADMINISTRATOR, username="admin-tjenester")


def run(text, user, **kw):
    imp, preview = import_create(text.encode(), filename="tjenester.csv", user=user, **kw)
    if preview.ok:
        import_confirm(imp, user=user)
    return imp, preview


def row(nummer, aar=2026):
    return Tjenestekapasitet.objects.filter(kommune__nummer=nummer, aar=aar).first()


def test_the_service_columns_are_recognised_by_their_aliases():
    cases = {"Plasser i introduksjonsprogrammet": "introduksjonsprogram plasser",
             "norskopplæring_plasser": "norskopplæring plasser", "Har asylmottak": "asylmottak",
             "Plasser i asylmottaket": "mottaksplasser", "Asylmottaket åpnet": "mottak åpnet",
             "Press på barnevernet": "press barnevern", "Annet press": "press annet"}
    for heading, expected in cases.items():
        assert layouts.field_for(heading) == expected, heading
    assert layouts.wide_column("2026 asylmottak") == (2026, "asylmottak")
    assert layouts.allowed_markers("asylmottak") == []
    assert layouts.marker_for("asylmottak merknad") is None  # no marker columns for these


@pytest.mark.parametrize(("field", "cell", "value"), [
    ("asylmottak", "Ja", True), ("asylmottak", " nei ", False),
    ("mottak åpnet", "01.03.2025", datetime.date(2025, 3, 1)),
    ("mottak åpnet", "2025-03-01", datetime.date(2025, 3, 1)),
    ("mottak åpnet", "2025-03-01 00:00:00", datetime.date(2025, 3, 1)),  # a spreadsheet's date cell
    ("mottaksplasser", "1 200", 1200), ("press helse", "  Fulle fastlegelister ", "Fulle fastlegelister"),
    ("press helse", "'=SUM(A1)", "=SUM(A1)"), ("press helse", "'Fulle", "'Fulle"),  # the export's apostrophe only
])
def test_cells_are_read_as_their_kind(field, cell, value):
    assert layouts.parse_service(field, cell) == (layouts.NUMBER, value)
    assert layouts.parse_service(field, "") == (layouts.BLANK, None)


def test_an_import_creates_the_row_with_its_history_in_words(admin):
    imp, preview = run(HEAD + '3101,2026,25,40,ja,150,01.03.2025,"Fastlegelistene er fulle."\n', admin)
    assert preview.ok, preview.errors
    assert preview.counts == {"ny": 1, "endret": 0, "uendret": 0, "feil": 0}
    t = row("3101")
    assert (t.introduksjonsprogram_plasser, t.norskopplaering_plasser, t.asylmottak, t.mottaksplasser,
            t.mottak_aapnet, t.press_helse, t.press_barnevern) == (
        25, 40, True, 150, datetime.date(2025, 3, 1), "Fastlegelistene er fulle.", "")
    entry = Endring.objects.get(handling="tjenester.registrert")
    assert (entry.bruker, entry.import_ref, entry.kommune.nummer, entry.aar) == (admin, imp.ref, "3101", 2026)
    words = {label: new for label, _old, new in Endringstekster([entry]).felter(entry)}
    assert words["Asylmottak i kommunen"] == "Ja"
    assert words["Asylmottaket åpnet"] == "01.03.2025"
    assert words["Plasser i introduksjonsprogrammet"] == "25"
    # Service-only rows have their history in the row's own entry, not an import.rad entry too.
    assert not Endring.objects.filter(handling="import.rad").exists()


def test_a_second_import_changes_what_it_names_and_blank_leaves_the_rest(admin):
    tjenester_save(kommune=kommune("3101"), aar=2026, by=admin, introduksjonsprogram_plasser=25, asylmottak=True,
                   mottaksplasser=150, press_helse="Fulle lister")
    preview = import_preview((HEAD + "3101,2026,30,,,,,\n").encode(), filename="t.csv", user=admin)
    (res,) = preview.rows
    assert res.status == "endret"
    assert [(str(label), old, new) for label, old, new in res.change_list] == [
        ("Plasser i introduksjonsprogrammet", "25", "30")]
    _imp, preview = run(HEAD + "3101,2026,30,,,,,\n", admin)
    t = row("3101")
    assert (t.introduksjonsprogram_plasser, t.asylmottak, t.mottaksplasser, t.press_helse) == (
        30, True, 150, "Fulle lister")
    entry = Endring.objects.filter(handling="tjenester.endret").get()
    assert entry.endringer == {"introduksjonsprogram_plasser": [25, 30]}


def test_blanks_clear_empties_the_named_columns(admin):
    tjenester_save(kommune=kommune("3101"), aar=2026, by=admin, introduksjonsprogram_plasser=25,
                   press_helse="Fulle lister")
    _imp, preview = run("kommunenummer,år,introduksjonsprogram plasser,press helse\n3101,2026,,\n", admin,
                        blank_clears=True)
    assert preview.ok, preview.errors
    t = row("3101")
    assert (t.introduksjonsprogram_plasser, t.press_helse) == (None, "")


@pytest.mark.parametrize(("line", "message"), [
    ("3101,2026,,,nei,150,,", "Rad 2, kolonne «mottaksplasser»: Oppgi plasser i asylmottak bare når kommunen har "
                              "et asylmottak."),
    ("3101,2026,,,kanskje,,,", "Rad 2, kolonne «asylmottak»: «kanskje» er verken «ja» eller «nei»"),
    ("3101,2026,,,ja,,31.02.2025,", "Rad 2, kolonne «mottak åpnet»: «31.02.2025» er ikke en dato (skriv dd.mm.åååå)"),
    ("3101,2026,-4,,,,,", "Rad 2, kolonne «introduksjonsprogram plasser»: negativt tall «-4» (må være 0 eller mer)"),
    ("3101,2026,:,,,,,", "Rad 2, kolonne «introduksjonsprogram plasser»: «:» passer ikke her (bare hele tall, eller "
                         "tom celle når tallet er ukjent)"),
])
def test_bad_cells_give_norwegian_row_errors_and_nothing_is_written(admin, line, message):
    imp, preview = import_create((HEAD + line + "\n0301,2026,10,,,,,\n").encode(), filename="t.csv", user=admin)
    assert message in preview.errors, preview.errors
    with pytest.raises(ValidationError):
        import_confirm(imp, user=admin)
    assert not Tjenestekapasitet.objects.exists() and not Endring.objects.exists()


def test_a_reception_centre_opened_in_the_future_is_refused(admin):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    _imp, preview = run(HEAD + f"3101,2026,,,ja,,{tomorrow:%d.%m.%Y},\n", admin)
    assert preview.errors == ["Rad 2, kolonne «mottak åpnet»: Datoen for når asylmottaket åpnet kan ikke være etter "
                              "i dag."]


def test_the_rule_sees_the_row_in_force_a_file_that_only_says_nei_must_clear_the_places(admin):
    tjenester_save(kommune=kommune("3101"), aar=2026, by=admin, asylmottak=True, mottaksplasser=150)
    _imp, preview = run("kommunenummer,år,asylmottak\n3101,2026,nei\n", admin)
    assert preview.errors == ["Rad 2, kolonne «mottaksplasser»: Oppgi plasser i asylmottak bare når kommunen har et "
                              "asylmottak."]
    _imp, preview = run("kommunenummer,år,asylmottak,mottaksplasser\n3101,2026,nei,\n", admin, blank_clears=True)
    assert preview.ok, preview.errors
    assert (row("3101").asylmottak, row("3101").mottaksplasser) == (False, None)


def test_imdi_imports_figures_and_plans_but_not_service_pressure(db):
    imdi = profil_user(Rolle.IMDI, username="imdi-tjenester")
    preview = import_preview((HEAD + "3101,2026,25,,,,,\n").encode(), filename="t.csv", user=imdi)
    assert preview.errors == ["Rad 2: du har ikke tilgang til å endre tjenester og press for 3101 Halden"]
    preview = import_preview("kommunenummer,år,anmodning,asylmottak\n3101,2026,40,\n".encode(), filename="t.csv",
                             user=imdi)
    assert preview.ok, preview.errors  # blank service cells change nothing, so they are no error


def _csv(headers, rows):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(["" if v is None else v for v in r] for r in rows)
    return buf.getvalue().encode()


def test_the_long_export_carries_service_pressure_and_imports_back_unchanged(admin):
    tjenester_save(kommune=kommune("3101"), aar=2026, by=admin, introduksjonsprogram_plasser=25, asylmottak=True,
                   mottaksplasser=150, mottak_aapnet=datetime.date(2025, 3, 1), press_helse="=Fulle lister")
    tjenester_save(kommune=kommune("0301"), aar=2026, by=admin, asylmottak=False)
    headers, rows = export_rows(admin, [2026])
    assert headers[-len(SERVICE_HEADERS):] == SERVICE_HEADERS == [
        "introduksjonsprogram plasser", "norskopplæring plasser", "asylmottak", "mottaksplasser", "mottak åpnet",
        "press helse", "press barnevern", "press transport", "press annet"]
    by_nr = {r[0]: dict(zip(headers, r, strict=True)) for r in rows}
    assert set(by_nr) == {"0301", "3101"}  # a kommune-year with service pressure only is exported too
    halden = by_nr["3101"]
    assert (halden["asylmottak"], halden["mottaksplasser"], halden["mottak åpnet"], halden["norskopplæring plasser"]) \
        == ("ja", 150, datetime.date(2025, 3, 1), None)  # unknown is blank, not 0
    assert by_nr["0301"]["asylmottak"] == "nei"
    entries = Endring.objects.count()
    xlsx = export_dataset(admin, [2026]).export("xlsx")
    for data, name in ((_csv(headers, rows), "eksport.csv"), (xlsx, "eksport.xlsx")):
        imp, preview = import_create(data, filename=name, user=admin)
        assert preview.ok, (name, preview.errors)
        assert preview.counts["uendret"] == 2, [r.changes for r in preview.rows]
        import_confirm(imp, user=admin)
    assert Endring.objects.count() == entries
    assert row("3101").press_helse == "=Fulle lister"  # the XLSX export neutralised it; the import reads it back


def test_an_export_for_publication_leaves_the_notes_out(admin):
    tjenester_save(kommune=kommune("3101"), aar=2026, by=admin, asylmottak=True, press_helse="Fulle lister",
                   press_annet="Buss")
    headers, (values,) = export_rows(admin, [2026], publication=True)
    halden = dict(zip(headers, values, strict=True))
    assert halden["asylmottak"] == "ja"
    assert (halden["press helse"], halden["press annet"]) == (None, None)


@pytest.mark.parametrize(("rolle", "expected"), [
    (Rolle.KOMMUNE, {"3101"}), (Rolle.STATSFORVALTER, {"3101", "3103"}), (Rolle.IMDI, {"3101", "3103", "4601"})])
def test_the_exported_service_pressure_and_plan_are_scoped_per_role(client, admin, rolle, expected):
    for nr in ("3101", "3103", "4601"):
        tjenester_save(kommune=kommune(nr), aar=2026, by=admin, introduksjonsprogram_plasser=7)
        plan_register(kommune=kommune(nr), aar=2026, maaneder={5: (3, None)}, by=admin)
    user = profil_user(rolle, username=f"u-{rolle}", kommuner=[kommune("3101")] if rolle == Rolle.KOMMUNE else [],
                       statsforvalter=Statsforvalter.objects.get(navn=OFFICE) if rolle == Rolle.STATSFORVALTER
                       else None)
    client.force_login(user)
    response = client.get(reverse("imports:export_long"), {"aar": 2026})
    reader = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["kommunenummer"] for r in reader} == expected
    assert {r["introduksjonsprogram plasser"] for r in reader} == {"7"}
    assert {r["plan mai"] for r in reader} == {"3"}


def test_the_import_page_documents_the_columns_and_the_template_imports_its_example(admin_client, admin_user):
    page = admin_client.get(reverse("imports:import_list")).content.decode()
    help_table = page[page.index('id="tjenestekolonner"'):]
    help_table = help_table[:help_table.index("</table>")]
    for heading in SERVICE_HEADERS:
        assert f"<code>{heading}</code>" in help_table
    assert "«ja» eller «nei»" in help_table and "Plasser i asylmottaket" in help_table
    response = admin_client.get(reverse("imports:import_template_csv"))
    header, example = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[-len(SERVICE_HEADERS):] == SERVICE_HEADERS
    imp, preview = import_create(response.content, filename="importmal.csv", user=admin_user)
    assert preview.ok, preview.errors
    import_confirm(imp, user=admin_user)
    t = row("3101", int(example[header.index("år")]))
    assert (t.asylmottak, t.mottaksplasser, t.press_helse) == (True, 150, "Fastlegelistene er fulle.")
