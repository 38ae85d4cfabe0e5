"""The list filters with htmx (includes/filter_export.html, core.mixins.FilterResultsMixin), in a real
browser with the Content-Security-Policy enforced, in Bokmål and Nynorsk, from the keyboard alone:
a change swaps only the results region, pushes the URL (back and forward work), leaves the focus in the
field, and the status element announces the new count once; axe-core finds nothing on the updated page."""

import datetime

import pytest

from core.models import Rolle
from tests.browser.test_keyboard import focused, tab_to
from tests.conftest import AXE_JS

pytestmark = [pytest.mark.browser]
LANGS = ("nb", "nn")
TODAY = datetime.date.today()

# The status element, every live region on the page, and the htmx requests sent so far.
STATE_JS = """() => {
  const status = document.querySelector('#filter-status');
  const text = status.textContent.trim();
  return {
    status: text,
    statusRole: status.getAttribute('role'),
    liveWithCount: [...document.querySelectorAll('[role=status], [aria-live]')]
      .filter(e => text && e.textContent.includes(text)).length,
    focus: document.activeElement.id,
    rows: [...document.querySelectorAll('#resultater tbody tr')].map(r => r.innerText.trim()),
  };
}"""

# Whether the status element is shown (visually hidden, it is a 1 px box).
SHOWN_JS = "document.querySelector('#filter-status').getBoundingClientRect().width > 1"


@pytest.fixture
def filter_page(browser, live_server, password):
    """A signed-in page with the CSP enforced (axe is evaluated through the DevTools protocol, which the
    policy does not govern), counting the htmx requests it sends."""
    contexts = []

    def open_as(user, lang):
        from core.models import Profil

        Profil.objects.filter(user=user).update(sprak=lang)  # login brings the profile's choice
        context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        pg = context.new_page()
        pg.set_default_timeout(15000)
        pg.csp_errors, pg.htmx_requests = [], []
        pg.on("console", lambda m: "Content Security Policy" in m.text and pg.csp_errors.append(m.text))
        pg.on("request", lambda r: r.headers.get("hx-request") and pg.htmx_requests.append(r.url))
        pg.goto(f"{live_server.url}/logg-inn/")
        pg.locator("#id_username").fill(user.username)
        pg.locator("#id_password").fill(password)
        pg.locator("#id_password").press("Enter")
        pg.wait_for_url(f"{live_server.url}/")
        return pg

    yield open_as
    for context in contexts:
        context.close()


def run_axe(pg):
    pg.evaluate(AXE_JS.read_text())
    result = pg.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"]]


def mark_results(pg):
    """Tag the current results region, so the wait below knows when htmx has replaced it."""
    pg.evaluate("document.querySelector('#resultater').dataset.gammel = '1'")


def wait_for_swap(pg, status):
    pg.wait_for_function("() => !document.querySelector('#resultater').dataset.gammel")
    pg.wait_for_function("s => document.querySelector('#filter-status').textContent.trim() === s", arg=status)
    state = pg.evaluate(STATE_JS)
    # Announced by exactly one live region (the visible count above the table is not one), still a status.
    assert state["statusRole"] == "status" and state["liveWithCount"] == 1, state
    assert pg.locator("#resultater .app-result-count").inner_text() == status
    return state


@pytest.mark.parametrize("lang", LANGS)
def test_follow_up_list_filter_updates_in_place(live_server, register, filter_page, password, lang):
    from tests.factories import kommune, profil_user
    from tests.oppfolging.helpers import punkt, sf_user

    halden, sarpsborg = kommune("3101"), kommune("3105")
    user = profil_user(Rolle.KOMMUNE, kommuner=[halden], username="halden", password=password)
    punkt(user, TODAY, k=halden, tittel="Ring om boliger")
    punkt(user, TODAY, k=halden, tittel="Ring om skoleplass", status="ferdig")
    punkt(user, TODAY, k=halden, tittel="Send brev om tilskudd")
    punkt(sf_user(k=sarpsborg), TODAY, k=sarpsborg, tittel="Ring Sarpsborg")
    url = f"{live_server.url}/oppfolging/"
    pg = filter_page(user, lang)
    pg.goto(url)
    assert pg.locator("html").get_attribute("lang") == lang
    state = pg.evaluate(STATE_JS)
    assert state["status"] == "" and len(state["rows"]) == 3  # nothing is announced on page load

    # Type a search and press Enter: one htmx request, the URL is pushed, the focus stays in the field.
    tab_to(pg, "#id_q")
    pg.keyboard.type("Ring")
    mark_results(pg)
    pg.keyboard.press("Enter")
    state = wait_for_swap(pg, "Viser 2 oppfølgingspunkter." if lang == "nb" else "Viser 2 oppfølgingspunkt.")
    assert pg.url.startswith(url + "?") and "q=Ring" in pg.url
    assert state["focus"] == "id_q" and focused(pg)["id"] == "id_q"
    assert len(state["rows"]) == 2 and all("Ring om" in r for r in state["rows"])
    assert "Ring Sarpsborg" not in pg.locator("#resultater").inner_text()  # the partial is scoped too
    assert len(pg.htmx_requests) == 1

    # Tab to the status filter and pick «Åpen» with the arrow key: the change updates the results.
    tab_to(pg, "#id_status")
    mark_results(pg)
    pg.keyboard.press("ArrowDown")
    state = wait_for_swap(pg, "Viser 1 oppfølgingspunkt.")
    assert "status=aapen" in pg.url and "q=Ring" in pg.url
    assert state["focus"] == "id_status" and focused(pg)["id"] == "id_status"
    assert "Ring om boliger" in state["rows"][0]
    # The export links follow the filter.
    assert "status=aapen" in pg.locator("#resultater a:has-text('CSV')").get_attribute("href")
    assert run_axe(pg) == []

    # Two quick arrow presses (past «Pågår» to «Ferdig») send one request, not two.
    sent = len(pg.htmx_requests)
    mark_results(pg)
    pg.keyboard.press("ArrowDown")
    pg.keyboard.press("ArrowDown")
    state = wait_for_swap(pg, "Viser 1 oppfølgingspunkt.")
    assert "status=ferdig" in pg.url and "Ring om skoleplass" in state["rows"][0]
    assert len(pg.htmx_requests) == sent + 1
    assert state["focus"] == "id_status"

    # Back and forward: the page for each pushed URL, loaded from the server (no htmx snapshots kept).
    pg.go_back()
    pg.wait_for_function("() => location.search.includes('status=aapen')")
    pg.wait_for_function("() => document.querySelector('#id_status').value === 'aapen' "
                         "&& document.querySelectorAll('#resultater tbody tr').length === 1")
    assert "Ring om boliger" in pg.locator("#resultater tbody").inner_text()
    assert pg.evaluate("sessionStorage.getItem('htmx-history-cache')") is None
    pg.go_forward()
    pg.wait_for_function("() => document.querySelector('#id_status').value === 'ferdig'")
    assert "Ring om skoleplass" in pg.locator("#resultater tbody").inner_text()

    # A failed update (here: no network) is said, visibly and in the status element; the next one clears it.
    pg.route("**/oppfolging/?*", lambda route: route.abort() if route.request.headers.get("hx-request")
             else route.continue_())
    pg.locator("#id_status").focus()
    pg.keyboard.press("ArrowUp")
    feil = ("Listen ble ikke oppdatert. Prøv igjen, eller last inn siden på nytt." if lang == "nb"
            else "Lista vart ikkje oppdatert. Prøv igjen, eller last inn sida på nytt.")
    pg.wait_for_function("s => document.querySelector('#filter-status').textContent === s", arg=feil)
    assert pg.evaluate(SHOWN_JS) and run_axe(pg) == []
    pg.unroute("**/oppfolging/?*")

    # An empty result is announced as such, and is axe-clean too.
    pg.locator("#id_q").fill("ingen slike")
    mark_results(pg)
    pg.locator("#id_q").press("Enter")
    wait_for_swap(pg, "Fant ingen oppfølgingspunkter." if lang == "nb" else "Fann ingen oppfølgingspunkt.")
    assert not pg.evaluate(SHOWN_JS)
    assert run_axe(pg) == []
    assert pg.csp_errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_kommune_list_filter_updates_in_place(live_server, register, filter_page, password, lang):
    from kommuner.filters import KommuneFilter
    from kommuner.models import Kommune
    from tests.factories import profil_user

    user = profil_user(Rolle.KS, username="ks", password=password)
    url = f"{live_server.url}/kommuner/"
    pg = filter_page(user, lang)
    pg.goto(url)
    state = pg.evaluate(STATE_JS)
    assert state["status"] == "" and len(state["rows"]) == 50
    first = state["rows"][0]

    # The county select, with Tab and End (today's counties come after the former ones).
    tab_to(pg, "#id_fylke")
    mark_results(pg)
    pg.keyboard.press("End")
    fylke = pg.locator("#id_fylke").input_value()
    n = KommuneFilter({"fylke": fylke}, queryset=Kommune.objects.all()).qs.count()
    assert 1 < n < 50
    state = wait_for_swap(pg, f"Viser {n} {'kommuner' if lang == 'nb' else 'kommunar'}.")
    assert f"fylke={fylke}" in pg.url and state["focus"] == "id_fylke"
    assert len(state["rows"]) == n and state["rows"][0] != first

    # Home goes back to «Alle fylker»; then a search typed into the search field, submitted with Enter.
    mark_results(pg)
    pg.keyboard.press("Home")
    state = wait_for_swap(pg, f"Viser 1–50 av 357 {'kommuner' if lang == 'nb' else 'kommunar'}.")
    assert state["rows"][0] == first
    tab_to(pg, "#id_q", key="Shift+Tab")
    pg.keyboard.type("halden")
    mark_results(pg)
    pg.keyboard.press("Enter")
    state = wait_for_swap(pg, "Viser 1 kommune.")
    assert "q=halden" in pg.url and state["focus"] == "id_q"
    assert len(state["rows"]) == 1 and "Halden" in state["rows"][0]

    # The checkbox for historic kommuner with Space: Halden's former numbers join the results.
    tab_to(pg, "#id_historiske")
    mark_results(pg)
    pg.keyboard.press("Space")
    n = KommuneFilter({"q": "halden", "historiske": "on"}, queryset=Kommune.objects.all()).qs.count()
    state = wait_for_swap(pg, f"Viser {n} {'kommuner' if lang == 'nb' else 'kommunar'}.")
    assert n > 1 and len(state["rows"]) == n and state["focus"] == "id_historiske"
    assert "historiske=on" in pg.url
    assert run_axe(pg) == []
    assert pg.csp_errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_overview_filter_updates_in_place(live_server, register, filter_page, password, lang):
    from tests.factories import kommune, profil_user
    from vedtak.services import vedtak_register

    halden = kommune("3101")
    user = profil_user(Rolle.KOMMUNE, kommuner=[halden], username="halden", password=password)
    vedtak_register(kommune=halden, aar=2025, antall=25)
    vedtak_register(kommune=halden, aar=2024, antall=24)
    pg = filter_page(user, lang)
    pg.goto(f"{live_server.url}/oversikt/?aar=2025")
    assert pg.evaluate(STATE_JS)["status"] == ""
    heading, title = pg.locator("h1").inner_text(), pg.title()
    assert "2025" in heading and "2025" in title

    # Another year with the arrow key: the heading, the national figures and the title follow the year.
    tab_to(pg, "#id_aar")
    mark_results(pg)
    pg.keyboard.press("ArrowDown")
    state = wait_for_swap(pg, "Viser 1 kommune.")
    assert "aar=2024" in pg.url and state["focus"] == "id_aar" and focused(pg)["id"] == "id_aar"
    assert pg.locator("h1").count() == 1
    assert pg.locator("h1").inner_text() == heading.replace("2025", "2024")
    assert pg.title() == title.replace("2025", "2024")
    assert "2024" in pg.locator("#nasjonalt").inner_text()
    assert pg.locator("#oversikt-nullstill").get_attribute("href").endswith("?aar=2024")
    assert "24" in state["rows"][0]

    # The whole country, with Space on the checkbox.
    tab_to(pg, "#id_hele_landet")
    mark_results(pg)
    pg.keyboard.press("Space")
    state = wait_for_swap(pg, f"Viser 357 {'kommuner' if lang == 'nb' else 'kommunar'}.")
    assert "hele_landet=on" in pg.url and state["focus"] == "id_hele_landet"
    assert run_axe(pg) == []
    assert pg.csp_errors == []
