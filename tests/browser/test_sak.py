import datetime

import pytest

pytestmark = [pytest.mark.browser]


def _login(page, live_server, username, password):
    page.goto(f"{live_server.url}/logg-inn/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()


def test_municipal_user_registers_vedtak_and_sees_status_and_gap_change(live_server, register, page, axe,
                                                                         screenshot):
    from bosetting.services import bosatt_register
    from core.models import Rolle
    from tests.factories import kommune, profil_user
    from vedtak.services import anmodning_register

    halden = kommune("3101")
    aar = datetime.date.today().year - 1
    anmodning_register(kommune=halden, aar=aar, antall=30, herav_ema=2, svarfrist=datetime.date(aar, 1, 31))
    bosatt_register(kommune=halden, aar=aar, maaned=2, antall=4)
    profil_user(Rolle.KOMMUNE, kommuner=[halden], username="halden", password="Et-godt-passord-42")
    _login(page, live_server, "halden", "Et-godt-passord-42")

    page.goto(f"{live_server.url}/kommuner/3101/")
    assert page.get_by_test_id(f"status-{aar}").inner_text() == "Vedtak mangler (fristen er ute)"
    assert page.locator(f"#aar-{aar} [data-gap=anmodning_vedtak]").inner_text() == "–"
    assert axe(page) == []

    page.get_by_role("link", name="Registrer vedtak").click()
    assert axe(page) == []
    page.get_by_label("År", exact=True).fill(str(aar))
    page.get_by_label("Antall personer").fill("20")
    page.get_by_label("Herav enslige mindreårige").fill("3")  # more than the total? no: 3 ≤ 20
    page.get_by_label("Vedtaksdato").fill(f"{aar}-03-01")
    page.get_by_label("Saksnummer").fill(f"{aar % 100}/77")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(f"{live_server.url}/kommuner/3101/**")
    assert "Vedtaket er registrert" in page.locator("main").inner_text()
    # Last year is over: not «Bosetting pågår» but what came of it (issue 14).
    assert page.get_by_test_id(f"status-{aar}").inner_text() == "Ikke nådd: 4 av 20 bosatt"
    assert page.locator(f"#aar-{aar} [data-gap=anmodning_vedtak]").inner_text() == "10"
    screenshot(page, "kommune-3101-sak")
    assert axe(page) == []

    page.goto(f"{live_server.url}/oversikt/?aar={aar}")
    row = page.locator("tbody tr", has=page.get_by_role("link", name="Halden"))
    text = row.inner_text()
    assert "30" in text and "20" in text and "Ikke nådd: 4 av 20 bosatt" in text
    assert axe(page) == []
    page.get_by_role("link", name="Vis hele landet").click()
    assert page.locator("tbody tr").count() > 357
    screenshot(page, "oversikt")
    assert axe(page) == []


def test_invalid_vedtak_shows_bokmaal_errors_axe_clean(live_server, register, page, axe):
    from core.models import Rolle
    from tests.factories import kommune, profil_user

    profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], username="halden2", password="Et-godt-passord-42")
    _login(page, live_server, "halden2", "Et-godt-passord-42")
    page.goto(f"{live_server.url}/kommuner/3101/vedtak/ny/")
    page.get_by_label("Vilkår og merknader").press_sequentially("30 inkludert familiegjenforente")
    page.locator("#vilkaar-advarsel .ds-alert").wait_for()
    assert "godtar ikke forbehold" in page.locator("#vilkaar-advarsel").inner_text()
    page.get_by_label("Antall personer").fill("5")
    page.get_by_label("Herav enslige mindreårige").fill("9")
    page.get_by_role("button", name="Lagre").click()
    assert "kan ikke være større enn totalen" in page.locator("main").inner_text()
    assert axe(page) == []


def test_case_pages_are_axe_clean(live_server, register, page, axe, admin_user, password):
    from imports.imdi import imdi_tall_load

    imdi_tall_load(2025)
    _login(page, live_server, admin_user.username, password)
    for path in ["/oversikt/?aar=2025", "/oversikt/?aar=2014&historisk=on", "/kommuner/3101/bosatt/ny/",
                 "/kommuner/3101/bolig/", "/kommuner/3101/aarsaker/", "/bosettingsbehov/", "/aarslaas/",
                 "/kommuner/0301/", "/oversikt/?aar=2025&forrige=on&fylke=", "/kommuner/3101/anmodning/ny/"]:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, path
        assert axe(page) == [], path
    page.goto(f"{live_server.url}/oversikt/?aar=2025")
    page.get_by_role("link", name="Anmodning", exact=False).first.click()
    assert "sort=" in page.url
