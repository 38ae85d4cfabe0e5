"""The history, profile and lockout pages in a real browser, with the Content-Security-Policy
enforced (the shared `page` fixture bypasses it)."""

import pytest

pytestmark = [pytest.mark.browser]


@pytest.fixture
def strict_page(browser):
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.csp_errors = []
    pg.on("console", lambda m: "Content Security Policy" in m.text and pg.csp_errors.append(m.text))
    yield pg
    context.close()


def sign_in(pg, url, username, password):
    pg.goto(f"{url}/logg-inn/")
    pg.get_by_label("Brukernavn").fill(username)
    pg.get_by_label("Passord").fill(password)
    pg.get_by_role("button", name="Logg inn").click()
    pg.wait_for_url(f"{url}/")


PAGES = ("/historikk/", "/kommuner/3101/historikk/", "/profil/", "/profil/totp/", "/kommuner/3101/", "/kommuner/")


def test_history_and_profile_pages_under_the_csp_and_axe_clean(live_server, register, strict_page, page, axe,
                                                                password, screenshot):
    from core.models import Rolle
    from tests.factories import kommune, profil_user
    from vedtak.services import vedtak_register, vedtak_update

    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], username="halden", first_name="Hanne",
                       last_name="Halden", password=password)
    v = vedtak_register(kommune=kommune("3101"), aar=2025, antall=20, by=user)
    vedtak_update(vedtak=v, antall=25, by=user)
    pg = strict_page
    sign_in(pg, live_server.url, "halden", password)
    assert "(Kommune: Halden)" in pg.locator("header").inner_text()
    for path in PAGES:
        pg.goto(f"{live_server.url}{path}")
    pg.goto(f"{live_server.url}/kommuner/3101/historikk/")
    assert "20 → 25" in pg.get_by_role("table").inner_text()
    screenshot(pg, "kommune-3101-historikk")
    # The filter works from the keyboard.
    pg.get_by_label("Hendelse").select_option(label="Vedtak endret")
    pg.get_by_label("Hendelse").press("Enter")
    pg.get_by_role("button", name="Filtrer").focus()
    pg.keyboard.press("Enter")
    pg.wait_for_url("**handling=vedtak.endret**")
    assert pg.locator("tbody tr").count() == 1
    # Designsystemet's CSS, htmx and the pages need nothing the policy forbids.
    assert pg.csp_errors == []
    # axe-core is injected as an inline script, so it runs in the shared context without the CSP.
    sign_in(page, live_server.url, "halden", password)
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        assert axe(page) == [], path


def test_lockout_page_is_norwegian_and_axe_clean(live_server, register, strict_page, page, axe, user):
    for pg in (strict_page, page):
        lock_out(pg, live_server.url, user.username)
    assert strict_page.csp_errors == []
    assert axe(page) == []


def lock_out(pg, url, username):
    for _ in range(5):
        pg.goto(f"{url}/logg-inn/")
        pg.get_by_label("Brukernavn").fill(username)
        pg.get_by_label("Passord").fill("feil-passord-her")
        pg.get_by_role("button", name="Logg inn").click()
    assert "Innlogging midlertidig sperret" in pg.get_by_role("heading", level=1).inner_text()


def test_admin_works_under_the_csp(live_server, register, strict_page, admin_user, password):
    pg = strict_page
    sign_in(pg, live_server.url, admin_user.username, password)
    pg.goto(f"{live_server.url}/admin/auth/user/{admin_user.pk}/change/")
    assert pg.get_by_text("Rolle og tilgang").count() >= 1
    assert [e for e in pg.csp_errors if "script" in e] == []
