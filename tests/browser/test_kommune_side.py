"""The kommune page's first screen (issue 15): at a desktop and a phone size, this year's status, the
last contact and the open follow-ups start within the first viewport; the page is axe clean."""

import datetime

import pytest

from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser]

VIEWPORTS = {"desktop": (1440, 900), "mobil": (390, 844)}


@pytest.fixture
def halden_story(register, password):
    from bosetting.services import bosatt_register
    from core.models import Rolle
    from oppfolging import services
    from tests.factories import kommune, profil_user
    from vedtak.services import anmodning_register, vedtak_register

    halden = kommune("3101")
    today = datetime.date.today()
    for aar in range(today.year - 5, today.year + 1):  # six years of figures, months included
        anmodning_register(kommune=halden, aar=aar, antall=20, dato_sendt=datetime.date(aar - 1, 10, 1))
        vedtak_register(kommune=halden, aar=aar, antall=15, dato=datetime.date(aar, 1, 10))
        for m in range(1, 13 if aar < today.year else today.month + 1):
            bosatt_register(kommune=halden, aar=aar, maaned=m, antall=1)
    sf = profil_user(Rolle.STATSFORVALTER, statsforvalter=halden.fylke.statsforvalter, username="siri",
                     first_name="Siri", last_name="Statsforvalter", password=password)
    hanne = profil_user(Rolle.KOMMUNE, kommuner=[halden], first_name="Hanne", last_name="Halden")
    services.dialog_register(
        kommuner=[halden], dato=today - datetime.timedelta(days=10), type="moete", by=sf, deltakere=[sf, hanne],
        sammendrag="Møte med rådmannen om boliger til bosetting og om når vedtaket for neste år kommer.",
        punkter=[{"tittel": "Send boligoversikt", "ansvarlig": hanne, "frist": today - datetime.timedelta(days=2)},
                 {"tittel": "Ring IMDi om familiegjenforente", "ansvarlig": sf,
                  "frist": today + datetime.timedelta(days=5)},
                 {"tittel": "Følg opp vedtaket", "ansvarlig": sf, "frist": today + datetime.timedelta(days=20)}])
    return halden


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
def test_first_screen_tells_status_last_contact_and_follow_ups(live_server, halden_story, browser, password, axe,
                                                               size):
    width, height = VIEWPORTS[size]
    context = browser.new_context(bypass_csp=True, locale="nb-NO", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.goto(f"{live_server.url}/logg-inn/")
        page.get_by_label("Brukernavn").fill("siri")
        page.get_by_label("Passord").fill(password)
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/kommuner/3101/")
        page.screenshot(path=str(ARTIFACTS / f"kommune-forste-skjerm-{size}.png"))
        page.screenshot(path=str(ARTIFACTS / f"kommune-hel-{size}.png"), full_page=True)
        parts = {"status": "[data-tall=status]", "siste kontakt": "#siste-kontakt",
                 "oppfølging": "#dialog-oppfolging"}
        for name, selector in parts.items():
            box = page.locator(selector).bounding_box()
            assert box is not None and box["y"] < height, (name, box)  # its top within the first screen
        assert "Møte med rådmannen" in page.locator("[data-del=siste-kontakt]").inner_text()
        follow_ups = page.locator("[data-del=oppfolging]").inner_text()
        assert "Send boligoversikt (forfalt)" in follow_ups and "Ring IMDi om familiegjenforente" in follow_ups
        # A statsforvalter writes dialogue, not the kommune's vedtak.
        assert page.get_by_role("link", name="Registrer dialog").is_visible()
        assert page.get_by_role("link", name="Registrer vedtak").count() == 0
        assert axe(page) == []
        # An earlier year opens; its months open inside it.
        aar = datetime.date.today().year - 1
        year = page.locator(f"#aar-{aar}-detaljer")
        year.locator("summary").first.click()
        year.locator("details.kside-maaneder summary").click()
        assert year.locator(f"table:has-text('Bosatte per måned {aar}')").is_visible()
        page.screenshot(path=str(ARTIFACTS / f"kommune-aapnet-{size}.png"), full_page=True)
        assert axe(page) == []
        # The year in the table leads to its details, opened.
        earlier = page.locator(f"#aar-{aar - 2}-detaljer")
        assert earlier.get_attribute("open") is None
        page.locator(f"#aar-{aar - 2} th a").click()
        page.wait_for_function(f"document.getElementById('aar-{aar - 2}-detaljer').open")
        assert earlier.locator(f"table:has-text('Vedtak for {aar - 2}')").is_visible()
    finally:
        context.close()
