"""The history in words (issue 15): field and choice labels, names, Norwegian dates and event
names on /historikk/, the kommune history, the kommune page's timeline and the export.
Entries are made through the real services and read as a user who may see them."""

import csv
import datetime
import importlib
import io
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bosetting.services import bosatt_register
from core.models import Endring, Rolle
from imports.services import import_confirm, import_create
from oppfolging.choices import DialogType, PunktStatus
from oppfolging.models import Dialog
from oppfolging.services import dialog_register, punkt_set_status, punkt_update
from tests.factories import kommune, profil_user
from tests.oppfolging.helpers import sf_user
from vedtak.services import case_update, vedtak_register

pytestmark = pytest.mark.django_db
HISTORY = reverse("rapporter:endring_list")
HALDEN_HISTORY = reverse("rapporter:kommune_historikk", args=["3101"])
ISO_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def table(response):
    """The history table's rows (the filter's option values are codes, the table's text is not)."""
    assert response.status_code == 200
    body = response.content.decode()
    return body[body.index("<tbody"):body.index("</tbody>")]


def timeline(response):
    assert response.status_code == 200
    body = response.content.decode()
    start = body.index('id="tidslinje"')
    return body[start:body.index("</table>", start)]


def rows(response):
    return [r.record for r in response.context["table"].page.object_list]


@pytest.fixture
def sf():
    return sf_user(first_name="Siri", last_name="Statsforvalter")


@pytest.fixture
def hanne():
    return profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], first_name="Hanne", last_name="Halden")


@pytest.fixture
def punkt(sf, hanne):
    """A follow-up agreed in a meeting, handed to Hanne with a new deadline, then started."""
    dialog = dialog_register(kommuner=[kommune("3101")], dato=datetime.date(2026, 11, 2), type=DialogType.MOETE,
                             sammendrag="Møte om boliger", by=sf, aar=2026,
                             punkter=[{"tittel": "Send boligoversikt", "ansvarlig": sf,
                                       "frist": datetime.date(2027, 3, 1)}])
    p = dialog.punkter.get()
    punkt_update(punkt=p, tittel=p.tittel, ansvarlig=hanne, frist=datetime.date(2027, 3, 15), by=sf,
                 kommentar="Kommunen tar det selv")
    punkt_set_status(punkt=p, status=PunktStatus.PAAGAAR, by=sf)
    return p


def test_owner_change_shows_the_field_label_and_both_names_not_an_id(client, sf, punkt):
    client.force_login(sf)
    for url in (HISTORY, HALDEN_HISTORY):
        html = table(client.get(url))
        assert "<strong>Ansvarlig</strong>: Siri Statsforvalter → Hanne Halden" in html
        assert "ansvarlig_id" not in html and "ansvarlig:" not in html


def test_status_change_shows_the_choice_labels(client, sf, punkt):
    client.force_login(sf)
    html = table(client.get(HALDEN_HISTORY))
    assert "<strong>Status</strong>: Åpen → Pågår" in html
    assert "aapen" not in html and "paagaar" not in html


def test_events_have_norwegian_names_in_the_list_the_filter_and_the_timeline(client, sf, punkt):
    client.force_login(sf)
    response = client.get(HISTORY)
    html = table(response)
    for words in ("Status for oppfølgingspunkt endret", "Dialog registrert", "Oppfølgingspunkt opprettet",
                  "Oppfølgingspunkt endret"):
        assert words in html
    assert "oppfolging.status" not in html and "dialog.registrert" not in html
    body = response.content.decode()
    assert '<option value="oppfolging.status">Status for oppfølgingspunkt endret</option>' in body
    assert "<label" in body and ">Hendelse</label>" in body
    filtered = client.get(HISTORY, {"handling": "oppfolging.status"})
    assert [e.handling for e in rows(filtered)] == ["oppfolging.status"]
    line = timeline(client.get("/kommuner/3101/"))
    assert "Status for oppfølgingspunkt endret: Send boligoversikt" in line
    assert "Dialog registrert" in line and "<strong>Status</strong>: Åpen → Pågår" in line
    assert "oppfolging.status" not in line and "dialog.registrert" not in line


def test_dates_and_times_are_norwegian_never_iso_stamps(client, sf, punkt):
    client.force_login(sf)
    punkt.refresh_from_db()
    html = table(client.get(HALDEN_HISTORY))
    assert "<strong>Frist</strong>: 01.03.2027 → 15.03.2027" in html
    assert not ISO_STAMP.search(html), ISO_STAMP.search(html)
    assert not ISO_STAMP.search(timeline(client.get("/kommuner/3101/")))
    assert "None" not in html and "?" not in html


def test_settled_rows_read_as_kommune_and_period_not_their_code(client, sf):
    bosatt_register(kommune=kommune("3101"), aar=2026, antall=None, by=None)
    bosatt_register(kommune=kommune("3101"), aar=2026, maaned=3, antall=4, by=None)
    client.force_login(sf)
    line = timeline(client.get("/kommuner/3101/"))
    assert "Bosatte registrert: 3101 Halden, 2026" in line
    assert "Bosatte registrert: 3101 Halden, mars 2026" in line
    assert "3101 2026: ?" not in line and ": ?" not in line
    html = table(client.get(HALDEN_HISTORY))
    assert "3101 Halden, 2026" in html and "?" not in html and "None" not in html


def test_a_meeting_registered_for_a_person_names_that_person_not_the_system(client, sf):
    # The demo data writes dialogues as the system on a person's behalf (by=None).
    dialog_register(kommuner=[kommune("3101")], dato=datetime.date(2026, 11, 3), type=DialogType.MOETE,
                    sammendrag="Oppstartsmøte", by=None, opprettet_av=sf, aar=2026)
    client.force_login(sf)
    line = timeline(client.get("/kommuner/3101/"))
    row = next(r for r in line.split("<tr>") if "Dialog registrert" in r)
    assert "Siri Statsforvalter" in row and "Systemet" not in row
    assert Endring.objects.get(handling="dialog.registrert").bruker == sf


def test_migration_names_the_registrant_of_dialogues_the_system_wrote(sf):
    dialog = dialog_register(kommuner=[kommune("3101")], dato=datetime.date(2026, 11, 3), type=DialogType.MOETE,
                             sammendrag="Oppstartsmøte", by=None, aar=2026)
    Dialog.objects.filter(pk=dialog.pk).update(opprettet_av=sf)
    assert Endring.objects.get(handling="dialog.registrert").bruker is None
    importlib.import_module("oppfolging.migrations.0004_dialog_historikk_forfatter").forward(apps, None)
    assert Endring.objects.get(handling="dialog.registrert").bruker == sf


def test_an_import_reads_as_its_file_number_and_importer(client):
    imdi = profil_user(Rolle.IMDI, first_name="Ida", last_name="Importør")
    text = "kommunenummer,kommune,aar,anmodning,vedtak\n3101,Halden,2026,30,25\n"
    imp, preview = import_create(text.encode(), filename="fil.csv", user=imdi)
    assert preview.ok, preview
    import_confirm(imp, user=imdi)
    client.force_login(imdi)
    html = table(client.get(HISTORY))
    assert f"Importert fra «fil.csv» (import {imp.pk}) av Ida Importør" in html
    assert "Tall importert" in html and "<strong>Vedtak</strong>: tom → 25" in html
    assert "import.rad" not in html and "import:" not in html


def test_a_foreign_key_shows_the_kommune_by_number_and_name_and_a_deleted_one_says_so(client, admin_user, sf):
    v = vedtak_register(kommune=kommune("3101"), aar=2026, antall=20)
    v.kommune = kommune("3103")
    case_update(obj=v)
    dialog = dialog_register(kommuner=[kommune("3101")], dato=datetime.date(2026, 11, 2), type=DialogType.MOETE,
                             sammendrag="Møte", by=sf, aar=2026,
                             punkter=[{"tittel": "Ring", "ansvarlig": sf, "frist": datetime.date(2027, 1, 1)}])
    p = dialog.punkter.get()
    punkt_update(punkt=p, tittel=p.tittel, ansvarlig=sf, frist=p.frist, beskrivelse="Ny tekst", by=sf)
    Endring.objects.filter(handling="oppfolging.endret").update(endringer={"dialog_id": [dialog.pk, None]})
    dialog.delete()
    client.force_login(admin_user)
    html = table(client.get(HISTORY))
    assert "<strong>Kommune</strong>: 3101 Halden → 3103 Moss" in html
    assert "<strong>Dialog</strong>: (slettet) → tom" in html
    assert "None" not in html


def _entries(n):
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Dialog)
    Endring.objects.bulk_create(Endring(handling="dialog.endret", content_type=ct, object_id=str(i), objekt="Møte",
                                        kommune=kommune("3101"), endringer={"sammendrag": ["a", "b"]})
                                for i in range(n))


@pytest.mark.parametrize("asked, shown", [({}, 50), ({"per_page": 100000}, 100), ({"per_page": "x"}, 50),
                                          ({"per_page": 20}, 20)])
def test_the_history_page_is_bounded(client, admin_user, asked, shown):
    _entries(130)
    client.force_login(admin_user)
    response = client.get(HISTORY, asked)
    assert response.context["table"].paginator.per_page == shown
    assert len(rows(response)) == shown


def test_history_pages_and_timeline_use_a_constant_number_of_queries(client, sf, hanne):
    counts = {"list": [], "kommune": [], "timeline": []}
    for n in (2, 12):
        Endring.objects.all().delete()
        for i in range(n):
            d = dialog_register(kommuner=[kommune("3101")], dato=datetime.date(2026, 10, 1 + i), type=DialogType.MOETE,
                                sammendrag=f"Møte {i}", by=sf, aar=2026,
                                punkter=[{"tittel": f"Punkt {i}", "ansvarlig": sf, "frist": datetime.date(2027, 1, 1)}])
            p = d.punkter.get()
            punkt_update(punkt=p, tittel=p.tittel, ansvarlig=hanne, frist=p.frist, by=sf)
            punkt_set_status(punkt=p, status=PunktStatus.PAAGAAR, by=sf)
        client.force_login(sf)
        for key, url in (("list", HISTORY), ("kommune", HALDEN_HISTORY), ("timeline", "/kommuner/3101/")):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts[key].append(len(ctx.captured_queries))
    for key, (few, many) in counts.items():
        assert few == many, (key, counts)


def test_the_history_export_uses_the_same_words(client, sf, punkt):
    client.force_login(sf)
    response = client.get(HISTORY, {"_export": "csv"})
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    data = list(csv.reader(io.StringIO(text)))
    head, body = data[0], data[1:]
    assert head[:3] == ["Tidspunkt", "Kommune", "Hendelse"]
    status = next(r for r in body if r[head.index("Hendelse")] == "Status for oppfølgingspunkt endret")
    assert status[head.index("Endret av")] == "Siri Statsforvalter"
    assert status[head.index("Gjelder")] == "Send boligoversikt"
    assert "Status: Åpen → Pågår" in status[head.index("Endringer (gammel → ny)")]
    changed = next(r for r in body if r[head.index("Hendelse")] == "Oppfølgingspunkt endret")
    cell = changed[head.index("Endringer (gammel → ny)")]
    assert "Ansvarlig: Siri Statsforvalter → Hanne Halden" in cell and "Frist: 01.03.2027 → 15.03.2027" in cell
    assert "Kommunen tar det selv" in cell
    assert not any(c in text for c in ("oppfolging.status", "dialog.registrert", "ansvarlig_id", "None"))
