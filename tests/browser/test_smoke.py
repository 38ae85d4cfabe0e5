import pytest

pytestmark = [pytest.mark.browser]


def test_login_and_open_kommune_page_without_axe_violations(live_server, register, page, axe, screenshot):
    from core.models import Rolle
    from tests.factories import kommune, profil_user

    profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], username="kari", first_name="Kari",
                last_name="Nordmann", password="Et-godt-passord-42")
    page.goto(f"{live_server.url}/kommuner/3101/")
    assert "/logg-inn/" in page.url
    assert axe(page) == []
    page.get_by_label("Brukernavn").fill("kari")
    page.get_by_label("Passord").fill("Et-godt-passord-42")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{live_server.url}/kommuner/3101/")
    assert page.get_by_role("heading", level=1).inner_text() == "3101 Halden"
    assert page.locator("html").get_attribute("lang") == "nb"
    assert "Kari Nordmann" in page.locator("header").inner_text()
    screenshot(page, "kommune-3101")
    assert axe(page) == []


def test_kommune_list_is_axe_clean_and_filters(live_server, register, page, axe, admin_user, password):
    page.goto(f"{live_server.url}/logg-inn/")
    page.get_by_label("Brukernavn").fill(admin_user.username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.goto(f"{live_server.url}/kommuner/")
    assert axe(page) == []
    page.get_by_label("Søk (navn eller nummer)").fill("Rømskog")
    page.get_by_label("Vis historiske kommuner").check()
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Rømskog").click()
    assert "0121" in page.get_by_role("heading", level=1).inner_text()
    assert axe(page) == []
