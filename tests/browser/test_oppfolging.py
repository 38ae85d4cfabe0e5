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
    assert page.locator("#id_kommuner option:checked").inner_text().strip() == "3101 Halden"
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
    assert "Møte" in panel.inner_text()
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
