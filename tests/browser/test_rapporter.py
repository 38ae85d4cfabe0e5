"""Dashboard, map and county report in Chromium as a Statsforvalter user: mouse, keyboard, axe."""

import re

import pytest

pytestmark = [pytest.mark.browser]

PASSWORD = "Et-godt-passord-42"

# A point inside the kommune's shape that is not covered by another shape, in page coordinates.
INSIDE_POINT_JS = """
(nr) => {
  const a = document.querySelector(`svg a[data-nr="${nr}"]`);
  const path = a.querySelector('path');
  const box = path.getBBox();
  const ctm = path.getScreenCTM();
  for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
    const p = new DOMPoint(box.x + box.width * i / 20, box.y + box.height * j / 20);
    if (!path.isPointInFill(p)) continue;
    const s = p.matrixTransform(ctm);
    const hit = document.elementFromPoint(s.x, s.y);
    if (hit && hit.closest('a') === a) return {x: s.x, y: s.y};
  }
  return null;
}
"""


@pytest.fixture
def statsforvalter(register, page, live_server):
    from core.models import Rolle
    from kommuner.models import Fylke
    from tests.factories import profil_user
    from tests.rapporter.fixtures import load_ks

    load_ks()
    profil_user(Rolle.STATSFORVALTER, statsforvalter=Fylke.objects.get(nummer="31").statsforvalter,
                username="sf-ost", password=PASSWORD)
    page.goto(f"{live_server.url}/logg-inn/")
    page.get_by_label("Brukernavn").fill("sf-ost")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()
    return page


def test_dashboard_and_map_click(statsforvalter, live_server, axe, screenshot):
    page = statsforvalter
    page.goto(f"{live_server.url}/?aar=2014")
    main = page.locator("main").inner_text()
    assert "435" in main and "279" in main
    assert page.locator("#tabell-gap tbody tr").first.inner_text().startswith("3118 Indre Østfold")
    assert page.locator("svg a.kart__k").count() > 10
    screenshot(page, "rapporter-dashboard")
    assert axe(page) == []
    page.locator("details#kart-tabell summary").click()
    assert page.locator("#kart-tabell table").is_visible()
    assert axe(page) == []

    page.locator("svg a[data-nr='3118']").scroll_into_view_if_needed()
    point = page.evaluate(INSIDE_POINT_JS, "3118")
    assert point, "fant ikke et klikkbart punkt i Indre Østfold"
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(f"{live_server.url}/kommuner/3118/")
    assert "Indre Østfold" in page.locator("h1").inner_text()


def test_map_by_keyboard_only(statsforvalter, live_server, axe, screenshot):
    page = statsforvalter
    page.goto(f"{live_server.url}/?aar=2014&maal=status")
    for _ in range(300):
        page.keyboard.press("Tab")
        nr = page.evaluate("() => document.activeElement.closest('svg a.kart__k')?.dataset.nr || null")
        if nr:
            break
    else:
        pytest.fail("nådde ingen kommune i kartet med Tab")
    path = screenshot(page, "rapporter-kart-fokus")
    page.locator(".kart__ramme").screenshot(path=str(path.with_name("rapporter-kart-fokus-utsnitt.png")))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/kommuner/{nr}/$"))
    assert page.locator("h1").inner_text().startswith(nr)
    assert axe(page) == []


def test_county_report(statsforvalter, live_server, axe, screenshot):
    page = statsforvalter
    page.goto(f"{live_server.url}/?aar=2014")
    page.get_by_role("link", name="31 Østfold").click()
    page.wait_for_url(re.compile(r".*/rapport/fylke/31/\?aar=2014$"))
    total = page.locator("#ks-tabell tfoot tr").inner_text()
    assert "425" in total and "269" in total and "416" in total and "300" in total
    screenshot(page, "rapporter-fylke-31")
    assert axe(page) == []
    with page.expect_download() as dl:
        page.get_by_role("link", name="PDF").click()
    assert dl.value.suggested_filename == "bosetting-fylke-31-2014.pdf"
    page.emulate_media(media="print")
    screenshot(page, "rapporter-fylke-31-utskrift")
