"""The settlement plan through the import pipeline and the long export (issue #17): plan columns
revise the plan through plan_register (one revision per changed kommune-year, the importer as
author, history in words), all or nothing, blank is unknown, and the export reads back unchanged."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bosetting.models import Bosettingsplan, Planrevisjon
from bosetting.services import plan_register
from core import access
from core.models import Endring, Rolle
from imports import layouts
from imports.exports import PLAN_HEADERS, export_rows
from imports.models import Import
from imports.services import import_confirm, import_create, import_preview
from tests.factories import AarslaasFactory, kommune, profil_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def imdi(db):
    return profil_user(Rolle.IMDI, username="imdi-plan")


def in_force(nummer, aar):
    return {p.maaned: (p.plasser, p.boliger) for p in Bosettingsplan.objects.filter(kommune__nummer=nummer, aar=aar)}


def run(text, user, **kw):
    imp, preview = import_create(text.encode(), filename="plan.csv", user=user, **kw)
    if preview.ok:
        import_confirm(imp, user=user)
    return imp, preview


def test_the_plan_columns_are_recognised_by_their_aliases():
    for heading in ("plan jan", "Plan januar", "plasser januar", "plan_01", "Plasser klare januar"):
        assert layouts.field_for(heading) == "plan jan", heading
    for heading in ("boliger mar", "Boliger mars", "boliger_03"):
        assert layouts.field_for(heading) == "boliger mar", heading
    assert layouts.wide_column("2026 plan des") == (2026, "plan des")
    assert layouts.allowed_markers("plan jan") == []


def test_import_creates_one_revision_with_the_importer_and_history_in_words(imdi):
    text = ("kommunenummer,kommune,år,plan mar,boliger mar,plan apr\n"
            "3101,Halden,2026,5,2,4\n0301,Oslo,2026,,,10\n")
    imp, preview = run(text, imdi)
    assert preview.ok, preview.errors
    assert in_force("3101", 2026) == {3: (5, 2), 4: (4, None)}
    assert in_force("0301", 2026) == {4: (10, None)}  # blank is no plan, not 0
    revs = list(Planrevisjon.objects.order_by("kommune__nummer"))
    assert [(r.kommune.nummer, r.nummer, r.av) for r in revs] == [("0301", 1, imdi), ("3101", 1, imdi)]
    entry = Endring.objects.get(handling="plan.revidert", kommune__nummer="3101")
    assert entry.bruker == imdi and entry.import_ref == imp.ref
    assert entry.kommentar == "mars: 5 plasser (2 boliger); april: 4 plasser"
    # Plan-only rows have their history in the revision's entry, not a second import.rad entry.
    assert not Endring.objects.filter(handling="import.rad").exists()
    assert preview.counts == {"ny": 2, "endret": 0, "uendret": 0, "feil": 0}


def test_the_preview_shows_the_plan_changes_and_writes_nothing(imdi):
    halden = kommune("3101")
    plan_register(kommune=halden, aar=2026, maaneder={3: (5, 2)}, by=imdi)
    preview = import_preview("kommunenummer,år,plan mar,plan mai\n3101,2026,8,3\n".encode(), filename="p.csv",
                             user=imdi)
    assert preview.ok, preview.errors
    (row,) = preview.rows
    assert row.status == "endret"
    assert [(str(label), old, new) for label, old, new in row.change_list] == [
        ("Plan, plasser klare i mars", "5", "8"), ("Plan, plasser klare i mai", "tom", "3")]
    assert Planrevisjon.objects.count() == 1


def test_a_second_revision_keeps_the_months_the_file_leaves_blank(imdi):
    halden = kommune("3101")
    plan_register(kommune=halden, aar=2026, maaneder={3: (5, 2), 4: (4, None)}, by=imdi)
    _imp, preview = run("kommunenummer,år,plan mar,plan apr,boliger apr\n3101,2026,,6,\n", imdi)
    assert preview.ok, preview.errors
    assert in_force("3101", 2026) == {3: (5, 2), 4: (6, None)}
    assert Planrevisjon.objects.filter(kommune=halden, aar=2026).order_by("-nummer").first().nummer == 2
    newest = Endring.objects.filter(handling="plan.revidert").order_by("id").last()
    assert newest.kommentar == "april: 4 plasser → 6 plasser"


def test_blanks_clear_removes_a_month_and_its_housing(imdi):
    plan_register(kommune=kommune("3101"), aar=2026, maaneder={3: (5, 2), 4: (4, None)}, by=imdi)
    _imp, preview = run("kommunenummer,år,plan mar,plan apr\n3101,2026,,7\n", imdi, blank_clears=True)
    assert preview.ok, preview.errors
    assert in_force("3101", 2026) == {4: (7, None)}


@pytest.mark.parametrize(("cell", "message"), [
    ("-3", "negativt tall «-3»"),
    ("mange", "«mange» er ikke et tall"),
    ("2,5", "desimaltall «2,5»"),
    (":", "«:» passer ikke i en plan"),
    ("-", "«-» passer ikke i en plan"),
])
def test_bad_cells_give_norwegian_row_errors_and_nothing_is_written(imdi, cell, message):
    text = f'kommunenummer,år,anmodning,plan jan,plan feb\n3101,2026,40,4,"{cell}"\n0301,2026,100,3,3\n'
    imp, preview = import_create(text.encode(), filename="p.csv", user=imdi)
    assert not preview.ok
    assert any(e.startswith("Rad 2, kolonne «plan feb»: ") and message in e for e in preview.errors), preview.errors
    with pytest.raises(ValidationError):
        import_confirm(imp, user=imdi)
    assert not Planrevisjon.objects.exists() and not Bosettingsplan.objects.exists()
    assert not Endring.objects.exists()


def test_housing_without_places_is_refused(imdi):
    _imp, preview = run("kommunenummer,år,boliger jan\n3101,2026,3\n", imdi)
    assert preview.errors == ["Rad 2, kolonne «boliger jan»: boliger trenger plasser klare i samme måned "
                              "(kolonnen «plan jan»)"]
    assert not Planrevisjon.objects.exists()


def test_a_locked_year_is_refused(imdi):
    AarslaasFactory(aar=2026, laast=True)
    _imp, preview = run("kommunenummer,år,plan jan\n3101,2026,3\n", imdi)
    assert preview.errors == ["Rad 2: år 2026 er låst"]
    assert not Planrevisjon.objects.exists()


def test_an_importer_without_the_plan_right_is_refused_per_row(imdi, monkeypatch):
    monkeypatch.setitem(access.WRITE, Rolle.IMDI, {"anmodning"})
    _imp, preview = run("kommunenummer,år,anmodning,plan jan\n3101,2026,40,3\n", imdi)
    assert preview.errors == ["Rad 2: du har ikke tilgang til å endre bosettingsplanen for 3101 Halden"]
    assert not Planrevisjon.objects.exists()


@pytest.mark.parametrize("rolle", [Rolle.KOMMUNE, Rolle.STATSFORVALTER])
def test_plan_writers_bound_to_a_scope_cannot_import_any_plan(client, rolle):
    """The import writes for the whole country: a kommune user (who plans only for its own
    kommune) and a Statsforvalter are refused, also for their own kommune, and nothing is written."""
    user = profil_user(rolle, kommuner=[kommune("3101")] if rolle == Rolle.KOMMUNE else [])
    assert access.can(user, "plan")
    with pytest.raises(PermissionDenied):
        import_preview("kommunenummer,år,plan jan\n3101,2026,3\n4601,2026,5\n".encode(), filename="p.csv", user=user)
    client.force_login(user)
    response = client.post(reverse("imports:import_list"),
                           {"fil": SimpleUploadedFile("p.csv", "kommunenummer,år,plan jan\n4601,2026,5\n".encode())})
    assert response.status_code == 403
    assert not Planrevisjon.objects.exists() and not Bosettingsplan.objects.exists()


def _export_csv(user, years):
    headers, rows = export_rows(user, years)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return headers, rows, buf.getvalue()


def test_the_long_export_carries_the_plan_and_imports_back_unchanged(imdi):
    halden = kommune("3101")
    plan_register(kommune=halden, aar=2026, maaneder={3: (5, 2), 4: (4, None)}, by=imdi)
    # Oslo has figures and no plan; Bergen a plan and no figures (still exported).
    run("kommunenummer,år,anmodning\n0301,2026,100\n", imdi)
    plan_register(kommune=kommune("4601"), aar=2026, maaneder={12: (9, 9)}, by=imdi)
    headers, rows, text = _export_csv(imdi, [2026])
    at = headers.index("plan jan")
    assert headers[at:at + len(PLAN_HEADERS)] == PLAN_HEADERS == [
        "plan jan", "plan feb", "plan mar", "plan apr", "plan mai", "plan jun", "plan jul", "plan aug", "plan sep",
        "plan okt", "plan nov", "plan des", "boliger jan", "boliger feb", "boliger mar", "boliger apr", "boliger mai",
        "boliger jun", "boliger jul", "boliger aug", "boliger sep", "boliger okt", "boliger nov", "boliger des"]
    by_nr = {r[0]: dict(zip(headers, r, strict=True)) for r in rows}
    assert set(by_nr) == {"0301", "3101", "4601"}
    assert (by_nr["3101"]["plan mar"], by_nr["3101"]["boliger mar"], by_nr["3101"]["plan apr"]) == (5, 2, 4)
    assert by_nr["3101"]["boliger apr"] is None and by_nr["3101"]["plan jan"] is None  # no plan: blank, not 0
    assert all(by_nr["0301"][h] is None for h in PLAN_HEADERS)
    revisions, entries = Planrevisjon.objects.count(), Endring.objects.count()
    imp, preview = import_create(text.encode(), filename="eksport.csv", user=imdi)
    assert preview.ok, preview.errors
    assert preview.counts["uendret"] == 3 and not any(r.changes for r in preview.rows)
    import_confirm(imp, user=imdi)
    assert Planrevisjon.objects.count() == revisions and Endring.objects.count() == entries
    assert in_force("3101", 2026) == {3: (5, 2), 4: (4, None)}


def test_the_import_page_documents_the_plan_columns_and_the_template_imports_its_plan(admin_client, admin_user):
    page = admin_client.get(reverse("imports:import_list")).content.decode()
    help_table = page[page.index('id="plankolonner"'):]
    help_table = help_table[:help_table.index("</table>")]
    assert "<code>plan jan … plan des</code>" in help_table and "<code>boliger jan … boliger des</code>" in help_table
    assert "plasser januar" in help_table and "aldri 0" in help_table
    response = admin_client.get(reverse("imports:import_template_csv"))
    header, example = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[header.index("plan jan"):][:len(PLAN_HEADERS)] == PLAN_HEADERS
    imp, preview = import_create(response.content, filename="importmal.csv", user=admin_user)
    assert preview.ok, preview.errors
    import_confirm(imp, user=admin_user)
    year = int(example[header.index("år")])
    assert in_force("3101", year) == {3: (5, 2), 4: (4, None)}
    assert Planrevisjon.objects.get().av == admin_user


def test_the_import_page_shows_the_plan_changes_before_confirming(client, imdi):
    plan_register(kommune=kommune("3101"), aar=2026, maaneder={3: (5, 2)}, by=imdi)
    client.force_login(imdi)
    response = client.post(reverse("imports:import_list"), {"fil": SimpleUploadedFile(
        "plan.csv", "kommunenummer,år,plan mar,boliger mar\n3101,2026,8,\n".encode())})
    page = client.get(response.url).content.decode()
    assert "0 nye, 1 endret, 0 uendret, 0 med feil" in page
    assert "Plan, plasser klare i mars: 5 → 8" in page
    assert Planrevisjon.objects.count() == 1  # nothing before confirm
    client.post(reverse("imports:import_confirm", args=[Import.objects.get().pk]))
    assert in_force("3101", 2026) == {3: (8, 2)}  # the blank housing cell left March's 2 alone
