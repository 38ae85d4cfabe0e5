"""Screenshots of the main pages at 320 px width and at 200 % zoom (a 640 px wide window at device
scale 2, which is what a 1280 px screen zoomed to 200 % lays out), saved to test-artifacts/ for review.
Each also asserts the page itself does not scroll sideways: wide tables scroll inside .table-container."""

import pytest

from core.models import Rolle

pytestmark = [pytest.mark.browser]

PAGES = {
    "forside": "/",
    "oversikt": "/oversikt/",
    "kommuner": "/kommuner/",
    "kommune-3101": "/kommuner/3101/",
    "fylkesrapport-31": "/rapport/fylke/31/",
    "oppfolging": "/oppfolging/",
    "vedtak-ny": "/kommuner/3101/vedtak/ny/",
    "historikk": "/historikk/",
    "tilgjengelighet": "/tilgjengelighet/",
}
# Elements sticking out to the right, leaving out what scrolls inside a table container.
WIDE_JS = """() => { const w = document.documentElement.clientWidth; const out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.parentElement.closest('.table-container, svg')) continue;
    if (e.getBoundingClientRect().right > w + 1) out.push(`${e.tagName}.${e.getAttribute('class')}#${e.id}`);
  } return out.slice(-6); }"""
SIZES = {"320px": ({"width": 320, "height": 800}, 1), "zoom200": ({"width": 640, "height": 450}, 2)}


@pytest.mark.parametrize("size", SIZES)
def test_main_pages_at_320px_and_200_percent_zoom(live_server, register, browser, password, screenshot, size):
    from tests.factories import kommune, profil_user
    from vedtak.services import vedtak_register

    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], username="halden", password=password)
    vedtak_register(kommune=kommune("3101"), aar=2025, antall=10, by=user)
    viewport, scale = SIZES[size]
    context = browser.new_context(bypass_csp=True, locale="nb-NO", viewport=viewport, device_scale_factor=scale)
    pg = context.new_page()
    pg.goto(f"{live_server.url}/logg-inn/")
    pg.locator("#id_username").fill("halden")
    pg.locator("#id_password").fill(password)
    pg.locator("#id_password").press("Enter")
    pg.wait_for_url(f"{live_server.url}/")
    overflowing = {}
    for name, path in PAGES.items():
        pg.goto(live_server.url + path)
        screenshot(pg, f"{size}-{name}")
        extra = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if extra > 1:
            overflowing[path] = pg.evaluate(WIDE_JS)
    context.close()
    assert overflowing == {}
