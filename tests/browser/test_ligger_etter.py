"""The KS adviser's question in Chromium (issue 15): from the front page, in three interactions
(fylke Østfold, year 2025, submit), the overview lists Østfold's kommuner furthest behind first
(«Anmodet, ikke bosatt»), each with its last contact and its open and overdue follow-ups."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]

PASSWORD = "Et-godt-passord-42"


@pytest.fixture
def ks_page(register, page, live_server):
    from bosetting.services import bosatt_register
    from core.models import Rolle
    from tests.factories import DialogFactory, OppfolgingspunktFactory, kommune, profil_user
    from vedtak.services import anmodning_register

    today = datetime.date.today()
    figures = {"3101": (30, 4), "3105": (50, 10), "3107": (20, 15)}  # Sarpsborg furthest behind
    for nr, (anmodet, bosatt) in figures.items():
        anmodning_register(kommune=kommune(nr), aar=2025, antall=anmodet)
        bosatt_register(kommune=kommune(nr), aar=2025, maaned=0, antall=bosatt)
    DialogFactory(kommuner=[kommune("3105")], dato=today - datetime.timedelta(days=30), type="telefon")
    siste = DialogFactory(kommuner=[kommune("3105")], dato=today - datetime.timedelta(days=6), type="moete")
    OppfolgingspunktFactory(kommune=kommune("3105"), dialog=siste, frist=today - datetime.timedelta(days=2))
    DialogFactory(kommuner=[kommune("3101")], dato=today - datetime.timedelta(days=3), type="epost")
    profil_user(Rolle.KS, username="demo-ks", first_name="Demo", last_name="KS", password=PASSWORD)
    page.goto(f"{live_server.url}/logg-inn/")
    page.get_by_label("Brukernavn").fill("demo-ks")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()
    return page, siste


def test_who_is_behind_in_three_interactions(ks_page, live_server, axe):
    page, siste = ks_page
    page.goto(f"{live_server.url}/")
    form = page.get_by_role("form", name="Hvem ligger etter?")
    form.get_by_label("Fylke").select_option(label="Østfold")  # 1
    form.get_by_label("År").select_option("2025")  # 2
    form.get_by_role("button", name="Vis kommunene").click()  # 3
    page.wait_for_url("**/oversikt/**")
    first = page.locator("table.app-oversikt tbody tr").first
    expect(first).to_contain_text("Sarpsborg")
    expect(first).to_contain_text("1 forfalt")
    link = first.get_by_role("link", name=f"{siste.dato:%d.%m.%Y} møte")
    expect(link).to_have_attribute("href", siste.get_absolute_url())
    # The gap column is the sort, furthest behind first; Halden (26) next.
    expect(page.locator("table.app-oversikt tbody tr").nth(1)).to_contain_text("Halden")
    assert axe(page) == []
    link.click()  # what was agreed at that meeting
    page.wait_for_url(f"**{siste.get_absolute_url()}")
    expect(page.get_by_text("Samtale om bosetting")).to_be_visible()


def test_who_is_behind_with_the_keyboard_only(ks_page, live_server, axe):
    """The same three interactions without a mouse: Tab to each control, keys to choose, Enter."""
    page, siste = ks_page
    page.goto(f"{live_server.url}/")
    form = page.get_by_role("form", name="Hvem ligger etter?")
    fylke, aar = form.get_by_label("Fylke"), form.get_by_label("År")
    for _ in range(80):  # Tab from the top of the page to the fylke choice
        page.keyboard.press("Tab")
        if fylke.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("nådde ikke fylkevalget med Tab")
    chosen = "el => el.selectedOptions[0].textContent.trim()"
    for _ in range(30):  # 1: the arrow keys move through a closed select's options
        if fylke.evaluate(chosen) == "Østfold":
            break
        page.keyboard.press("ArrowDown")
    assert fylke.evaluate(chosen) == "Østfold"
    page.keyboard.press("Tab")
    assert aar.evaluate("el => el === document.activeElement")
    page.keyboard.type("2025")  # 2
    assert aar.input_value() == "2025"
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # 3: the submit button has the focus
    assert "/oversikt/" in page.url
    first = page.locator("table.app-oversikt tbody tr").first
    expect(first).to_contain_text("Sarpsborg")
    expect(first.get_by_role("link", name=f"{siste.dato:%d.%m.%Y} møte")).to_be_visible()
    assert axe(page) == []
