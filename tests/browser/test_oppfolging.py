import datetime

import pytest

pytestmark = [pytest.mark.browser]


def test_statsforvalter_logs_meeting_with_follow_up_for_halden(live_server, register, page, axe, screenshot, password):
    from oppfolging.models import Oppfolgingspunkt
    from tests.oppfolging.helpers import halden, sf_user

    user = sf_user(username="siri", first_name="Siri", last_name="Statsforvalter", password=password,
                   email="siri@example.no")
    page.goto(f"{live_server.url}/logg-inn/")
    page.get_by_label("Brukernavn").fill("siri")
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.goto(f"{live_server.url}/kommuner/3101/")
    page.get_by_role("link", name="Registrer dialog").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Registrer dialog"
    assert axe(page) == []
    # The searchable multi-select shows the chosen kommune as a chip; the hidden select holds it.
    assert page.locator("ds-suggestion > data").inner_text().strip() == "3101 Halden"
    assert page.locator("#id_kommuner_valg option:checked").inner_text().strip() == "3101 Halden"
    page.get_by_label("Type kontakt").select_option(label="Møte")
    page.get_by_label("KS", exact=True).check()
    page.get_by_label("Kommunen", exact=True).check()
    page.get_by_label("Bolig", exact=True).check()
    page.get_by_label("Sammendrag").fill("Møte med rådmannen om boliger til bosetting.")
    frist = datetime.date.today() + datetime.timedelta(days=5)
    page.locator("#id_punkt-0-tittel").fill("Send oversikt over ledige boliger")
    page.locator("#id_punkt-0-ansvarlig").select_option(label="Siri Statsforvalter")
    page.locator("#id_punkt-0-frist").fill(frist.isoformat())
    page.get_by_role("button", name="Lagre dialog").click()
    page.wait_for_url("**/oppfolging/dialog/*/")
    assert "Dialogen er registrert" in page.inner_text("main")
    assert axe(page) == []
    punkt = Oppfolgingspunkt.objects.get()
    assert (punkt.kommune, punkt.ansvarlig, punkt.frist) == (halden(), user, frist)

    page.goto(f"{live_server.url}/kommuner/3101/")
    panel = page.locator("section[aria-labelledby=dialog-oppfolging]")
    assert "Send oversikt over ledige boliger" in panel.inner_text()
    contact = page.locator("section[aria-labelledby=siste-kontakt]").inner_text()  # the page's top (issue 15)
    assert "Møte" in contact and "Send oversikt over ledige boliger" in contact
    screenshot(page, "kommune-3101-oppfolging")
    assert axe(page) == []

    panel.get_by_role("link", name="Send oversikt over ledige boliger").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Send oversikt over ledige boliger"
    assert axe(page) == []

    page.goto(f"{live_server.url}/oppfolging/")
    page.get_by_label("Vis").select_option(label="Mine")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**visning=mine**")  # htmx swaps the results in place (the swap comes with the URL)
    row = page.get_by_role("row").filter(has_text="Send oversikt over ledige boliger")
    assert frist.strftime("%d.%m.%Y") in row.inner_text()
    assert axe(page) == []
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Marker valgte som ferdige").click()
    assert "1 punkter markert som ferdige" in page.inner_text("main")
    punkt.refresh_from_db()
    assert punkt.status == "ferdig"
    page.goto(f"{live_server.url}/profil/")
    assert axe(page) == []


def test_statsforvalter_edits_dialogue_and_reassigns_follow_up_by_keyboard(live_server, register, page, axe,
                                                                          screenshot, password):
    """Issue 15: as demo-statsforvalter, keyboard only: add Moss to a Halden meeting with the
    searchable control, change what was agreed, give the follow-up to a colleague; the kommune
    page and its history say so in words."""
    from core.models import Rolle
    from oppfolging import services
    from tests.factories import kommune, profil_user
    from tests.oppfolging.helpers import halden, sf_user

    sf = sf_user(username="demo-statsforvalter", first_name="Demo", last_name="Statsforvalter", password=password)
    kollega = profil_user(Rolle.KOMMUNE, kommuner=[halden()], first_name="Hanne", last_name="Halden")
    frist = datetime.date.today() + datetime.timedelta(days=7)
    dialog = services.dialog_register(
        kommuner=[halden()], dato=datetime.date.today() - datetime.timedelta(days=3), type="moete",
        sammendrag="Møte om boliger.", by=sf,
        punkter=[{"tittel": "Send boligoversikt", "ansvarlig": sf, "frist": frist}])
    punkt = dialog.punkter.get()

    page.goto(f"{live_server.url}/logg-inn/")
    page.get_by_label("Brukernavn").fill("demo-statsforvalter")
    page.get_by_label("Passord").fill(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{dialog.get_absolute_url()}")
    page.get_by_role("link", name="Endre dialogen").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/endre/")
    assert page.get_by_role("heading", level=1).inner_text() == "Endre dialog"
    assert axe(page) == []
    combo = page.get_by_label("Kommune(r)")
    combo.focus()
    page.keyboard.type("Moss")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    chips = page.locator("ds-suggestion > data")
    assert sorted(c.strip() for c in chips.all_inner_texts())[:2] == ["3101 Halden", "3103 Moss"]
    page.get_by_label("Sammendrag").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Avtalt: Halden og Moss sender boligoversikt innen fristen.")
    screenshot(page, "dialog-endre")
    page.get_by_role("button", name="Lagre endringene").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{dialog.get_absolute_url()}")
    assert "Dialogen er endret" in page.inner_text("main")
    dialog.refresh_from_db()
    assert set(dialog.kommuner.values_list("nummer", flat=True)) == {"3101", "3103"}
    assert dialog.sammendrag.startswith("Avtalt: Halden og Moss")

    page.goto(f"{live_server.url}{punkt.get_absolute_url()}")
    page.get_by_role("link", name="Endre tekst, ansvarlig eller frist").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/endre/")
    assert axe(page) == []
    page.get_by_label("Ansvarlig").select_option(label="Hanne Halden")
    page.get_by_label("Kommentar til endringen").fill("Kommunen tar det selv")
    page.get_by_role("button", name="Lagre endringene").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(punkt.get_absolute_url()), page.inner_text("main")
    punkt.refresh_from_db()
    assert punkt.ansvarlig == kollega

    page.goto(f"{live_server.url}/kommuner/3101/")
    main = page.inner_text("main")
    assert "Avtalt: Halden og Moss sender boligoversikt" in main
    assert "Hanne Halden" in main
    page.goto(f"{live_server.url}/kommuner/3101/historikk/")
    history = page.inner_text("main")
    assert "Demo Statsforvalter" in history and "Kommunen tar det selv" in history
    assert "Hanne Halden" in history  # the new owner by name, not an id
    assert "ansvarlig_id" not in history and "dialog.endret" not in history and "Dialog endret" in history
    assert axe(page) == []
    assert kommune("3103") in dialog.kommuner.all()
