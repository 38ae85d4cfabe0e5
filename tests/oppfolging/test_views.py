import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Endring, Rolle
from oppfolging.choices import PunktStatus
from oppfolging.models import Dialog, DialogplanSteg, Oppfolgingspunkt
from oppfolging.selectors import kommune_dialog
from oppfolging.services import dialog_register, dialogplan_apply
from tests.factories import kommune, profil_user

from .helpers import halden, punkt, sf_user

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
LIST = reverse("oppfolging:punkt_list")


@pytest.fixture
def sf(client):
    user = sf_user(email="sf@example.no")
    client.force_login(user)
    return user


def tromso():
    return kommune("5501")


def test_list_is_scoped_and_detail_out_of_scope_is_404(client, sf):
    other_office = sf_user(k=tromso())
    mine = punkt(sf, TODAY)
    theirs = punkt(other_office, TODAY, k=tromso(), tittel="Nordnorsk sak")
    page = client.get(LIST)
    assert page.status_code == 200
    assert mine.tittel in page.text and "Nordnorsk sak" not in page.text
    assert client.get(reverse("oppfolging:punkt_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("oppfolging:punkt_detail", args=[mine.pk])).status_code == 200


def test_list_filters_overdue_mine_and_export(client, sf):
    colleague = sf_user()
    punkt(sf, TODAY - datetime.timedelta(days=3), tittel="Forfalt punkt")
    punkt(sf, TODAY + datetime.timedelta(days=30), tittel="Senere punkt")
    punkt(colleague, TODAY - datetime.timedelta(days=1), tittel="Kollegas punkt")
    overdue = client.get(LIST, {"frist": "forfalt", "visning": "mine"}).text
    assert "Forfalt punkt" in overdue and "Senere punkt" not in overdue and "Kollegas punkt" not in overdue
    office = client.get(LIST, {"visning": "kontor"}).text
    assert "Kollegas punkt" in office
    csv = client.get(LIST, {"_export": "csv"})
    assert csv.status_code == 200 and "Forfalt punkt" in csv.content.decode()
    assert client.get(LIST, {"_export": "xlsx"}).status_code == 200


def test_list_queries_do_not_grow_with_rows(client, sf):
    counts = []
    for rows in (3, 30):
        Oppfolgingspunkt.objects.all().delete()
        for i in range(rows):
            punkt(sf, TODAY + datetime.timedelta(days=i), k=kommune(["3101", "3103", "3105"][i % 3]))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_log_dialogue_with_follow_up(client, sf):
    url = reverse("oppfolging:dialog_add")
    assert client.get(url, {"kommune": halden().pk}).status_code == 200
    response = client.post(url, {
        "kommuner": [halden().pk], "dato": TODAY.isoformat(), "type": "moete", "organisasjoner": ["ks", "kommunen"],
        "temaer": ["bolig"], "stikkord": "tilskudd, ny plan", "sammendrag": "Gjennomgang av boligsituasjonen.",
        "aar": TODAY.year, "deltakere": [sf.pk], "deltakere_fritekst": "Rådmann",
        "punkt-TOTAL_FORMS": 2, "punkt-INITIAL_FORMS": 0,
        "punkt-0-tittel": "Send oversikt over boliger", "punkt-0-ansvarlig": sf.pk,
        "punkt-0-frist": (TODAY + datetime.timedelta(days=7)).isoformat(),
    })
    dialog = Dialog.objects.get()
    assert response.status_code == 302 and response["Location"] == dialog.get_absolute_url()
    assert dialog.stikkord == ["tilskudd", "ny plan"] and dialog.organisasjoner == ["ks", "kommunen"]
    p = Oppfolgingspunkt.objects.get()
    assert (p.kommune, p.ansvarlig, p.dialog, p.opprettet_av) == (halden(), sf, dialog, sf)
    assert set(Endring.objects.values_list("handling", flat=True)) == {"dialog.registrert", "oppfolging.opprettet"}
    assert "Send oversikt over boliger" in client.get(dialog.get_absolute_url()).text


def test_dialogue_form_errors_are_shown_and_nothing_saved(client, sf):
    response = client.post(reverse("oppfolging:dialog_add"), {
        "kommuner": [tromso().pk], "dato": "", "type": "moete", "sammendrag": "",
        "punkt-TOTAL_FORMS": 1, "punkt-INITIAL_FORMS": 0, "punkt-0-tittel": "Uten ansvarlig",
    })
    assert response.status_code == 400
    assert "Velg hvem som er ansvarlig" in response.text
    assert not Dialog.objects.exists() and not Oppfolgingspunkt.objects.exists()


def test_kommune_role_reads_but_cannot_log_dialogue(client):
    user = profil_user(Rolle.KOMMUNE, kommuner=[halden()])
    client.force_login(user)
    assert client.get(reverse("oppfolging:dialog_add")).status_code == 403
    assert client.get(LIST).status_code == 200


def test_bulk_done_changes_only_points_in_scope(client, sf):
    other = sf_user(k=tromso())
    mine = [punkt(sf, TODAY), punkt(sf, TODAY)]
    theirs = punkt(other, TODAY, k=tromso())
    response = client.post(reverse("oppfolging:punkt_bulk_done"),
                           {"velg": [p.pk for p in mine] + [theirs.pk], "next": LIST})
    assert response.status_code == 302
    assert set(Oppfolgingspunkt.objects.filter(pk__in=[p.pk for p in mine]).values_list("status", flat=True)) == {
        PunktStatus.FERDIG}
    theirs.refresh_from_db()
    assert theirs.status == PunktStatus.AAPEN
    response = client.post(reverse("oppfolging:punkt_bulk_done"), {"velg": [mine[0].pk], "next": "https://evil.example"})
    assert response["Location"] == LIST


def test_status_edit_and_refused_transition(client, sf):
    p = punkt(sf, TODAY)
    url = reverse("oppfolging:punkt_detail", args=[p.pk])
    assert client.post(url, {"status": "avbrutt"}).status_code == 302
    response = client.post(url, {"status": "ferdig"})
    assert response.status_code == 400 and "Kan ikke endre status" in response.text
    p.refresh_from_db()
    assert p.status == PunktStatus.AVBRUTT


def test_profile_switches_reminders_off(client, sf):
    assert client.get(reverse("profil")).status_code == 200
    assert client.post(reverse("profil"), {}).status_code == 302
    sf.profil.refresh_from_db()
    assert sf.profil.varsler_paa is False
    client.post(reverse("profil"), {"varsler_paa": "on"})
    sf.profil.refresh_from_db()
    assert sf.profil.varsler_paa is True


def test_profile_sets_the_users_own_address_with_history_and_refuses_a_bad_or_taken_one(client, sf):
    response = client.post(reverse("profil"), {"email": " Kari.Nordmann@Eksempel.NO ", "varsler_paa": "on"})
    assert response.status_code == 302
    sf.refresh_from_db()
    assert sf.email == "Kari.Nordmann@eksempel.no"  # the domain in lower case, as Django stores it
    entry = Endring.objects.get(handling="bruker.epost_endret")
    assert entry.bruker == sf and entry.endringer == {"email": ["sf@example.no", "Kari.Nordmann@eksempel.no"]}
    profil_user(Rolle.KS, email="ola@example.no")
    for bad, message in (("ikke-en-adresse", "gyldig e-postadresse"),
                         ("OLA@example.no", "Adressen brukes allerede av en annen bruker.")):
        response = client.post(reverse("profil"), {"email": bad, "varsler_paa": "on"})
        assert response.status_code == 400 and message in response.text, bad
    sf.refresh_from_db()
    assert sf.email == "Kari.Nordmann@eksempel.no"
    assert Endring.objects.filter(handling="bruker.epost_endret").count() == 1


def test_profile_says_why_reminders_do_nothing_without_an_address(client, sf):
    hint = "Du har ingen e-postadresse, så du får ingen påminnelser"
    assert hint not in client.get(reverse("profil")).text
    assert client.post(reverse("profil"), {"email": "", "varsler_paa": "on"}).status_code == 302
    sf.refresh_from_db()
    assert sf.email == "" and sf.profil.varsler_paa is True
    page = client.get(reverse("profil")).text
    assert hint in page and 'aria-describedby="id_varsler_paa_helptext"' in page


@pytest.mark.parametrize("n", [2, 20])
def test_kommune_panel_constant_queries(sf, n, client):
    for i in range(n):
        dialog_register(kommuner=[halden(), kommune("3103")], dato=TODAY, type="telefon", sammendrag=f"Samtale {i}",
                        by=sf, deltakere=[sf], punkter=[{"tittel": f"Punkt {i}", "ansvarlig": sf, "frist": TODAY,
                                                          "kommune": halden()}])
    with CaptureQueriesContext(connection) as ctx:
        data = kommune_dialog(halden(), sf)
    assert len(data["dialoger"]) == n and len(data["aapne_punkter"]) == n
    assert len(ctx) <= 5
    page = client.get(halden().get_absolute_url())
    assert "Samtale 0" in page.text and "Punkt 0" in page.text


def test_kommune_panel_follow_ups_are_bounded(sf, client):
    from oppfolging.selectors import PANEL_PUNKTER

    n = PANEL_PUNKTER + 3
    dialog_register(kommuner=[halden()], dato=TODAY, type="telefon", sammendrag="Mange punkter", by=sf,
                    deltakere=[sf], punkter=[{"tittel": f"Punkt {i:02d}", "ansvarlig": sf, "frist": TODAY,
                                              "kommune": halden()} for i in range(n)])
    data = kommune_dialog(halden(), sf)
    assert len(data["aapne_punkter"]) == PANEL_PUNKTER and data["flere_punkter"] is True
    page = client.get(halden().get_absolute_url())
    assert f"?kommune={halden().pk}" in page.text  # the rest through the follow-up list


def test_dialogplan_creates_steps_once():
    user = sf_user()
    from vedtak.services import anmodning_register

    DialogplanSteg.objects.create(statsforvalter=halden().fylke.statsforvalter, tittel="Første kontakt", dager_etter=14)
    DialogplanSteg.objects.create(statsforvalter=halden().fylke.statsforvalter, tittel="Midtveis", dager_etter=180)
    # Registering the request applies the plan (the hook in anmodning_register) ...
    a = anmodning_register(kommune=halden(), aar=TODAY.year, antall=10, dato_sendt=TODAY)
    created = list(Oppfolgingspunkt.objects.all())
    assert sorted(p.frist for p in created) == [TODAY + datetime.timedelta(days=14),
                                                TODAY + datetime.timedelta(days=180)]
    assert all(p.ansvarlig == user for p in created)
    # ... and applying it again creates nothing.
    assert dialogplan_apply(anmodning=a) == []
    assert Oppfolgingspunkt.objects.count() == 2


def test_seed_demo_data_has_overdue_and_due_this_week_and_is_idempotent():
    from demo.oppfolging import PLAN, seed_demo_data
    from oppfolging.reminders import digest_recipients

    user = sf_user(email="demo@example.no")  # alone: responsible for every follow-up
    assert seed_demo_data() == len(PLAN)
    assert seed_demo_data() == 0
    punkter = Oppfolgingspunkt.objects.filter(ansvarlig=user)
    assert punkter.forfalt(TODAY).exists()
    assert punkter.aktive().filter(frist__gte=TODAY, frist__lte=TODAY + datetime.timedelta(days=7)).exists()
    assert punkter.filter(kommune=halden()).exists()
    assert digest_recipients(TODAY) == [user.pk]


def test_service_rechecks_scope_and_write_right():
    from django.core.exceptions import PermissionDenied

    sf = sf_user()
    with pytest.raises(PermissionDenied):
        dialog_register(kommuner=[tromso()], dato=TODAY, type="moete", sammendrag="x", by=sf)
    kommune_user = profil_user(Rolle.KOMMUNE, kommuner=[halden()])
    with pytest.raises(PermissionDenied):
        dialog_register(kommuner=[halden()], dato=TODAY, type="moete", sammendrag="x", by=kommune_user)
    assert not Dialog.objects.exists() and not Endring.objects.exists()


def test_send_reminders_rejects_a_bad_date():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="Ugyldig dato"):
        call_command("send_reminders", "--date", "2025-13-40")
