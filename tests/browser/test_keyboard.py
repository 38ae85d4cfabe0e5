"""The main tasks done with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrow keys and typing),
asserting at every step that the focused element shows a visible focus indicator."""

import pytest

from core.models import Rolle

pytestmark = [pytest.mark.browser]

# The focused element, and whether it shows a real outline or box-shadow while focused.
FOCUS_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  return {visible: ring, tag: e.tagName, id: e.id, name: e.getAttribute('name'),
          text: (e.innerText || e.value || '').trim().slice(0, 40)};
}"""


def focused(pg):
    info = pg.evaluate(FOCUS_JS)
    assert info and info["visible"], f"fokus er ikke synlig: {info} på {pg.url}"
    return info


def tab_to(pg, selector, max_steps=120, key="Tab"):
    """Press Tab until the element matching `selector` has the focus; focus visible at every step."""
    for step in range(max_steps):
        pg.keyboard.press(key)
        if step == 0 and pg.evaluate(FOCUS_JS) is None:
            continue  # the first key press may only move focus from the browser into the document
        focused(pg)
        if pg.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"nådde ikke {selector} med {key}")


def sign_in(pg, url, username, password):
    """Signing in is not one of the tasks under test; the tasks start on the signed-in page."""
    pg.goto(f"{url}/logg-inn/")
    pg.locator("#id_username").fill(username)
    pg.locator("#id_password").fill(password)
    pg.locator("#id_password").press("Enter")
    pg.wait_for_url(f"{url}/")


def test_register_a_vedtak_with_the_keyboard(live_server, register, page, password):
    from tests.factories import kommune, profil_user
    from vedtak.models import Vedtak

    profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], username="halden", password=password)
    url = live_server.url
    sign_in(page, url, "halden", password)
    # The skip link comes first and is visible when focused.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Hopp til hovedinnhold"
    page.goto(f"{url}/kommuner/3101/")
    tab_to(page, "main a[href$='/vedtak/ny/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/vedtak/ny/")
    # An empty form: the error summary comes first and takes the focus; errors are tied to the fields.
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".app-error-summary")
    assert page.evaluate("document.activeElement.classList.contains('app-error-summary')")
    assert page.locator("#id_antall").get_attribute("aria-describedby") == "id_antall_error"
    assert page.locator("#id_antall").get_attribute("aria-invalid") == "true"
    # The summary's link moves to the field.
    tab_to(page, ".app-error-summary a[href='#id_antall']")
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#id_antall'")
    tab_to(page, "#id_aar", key="Shift+Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("2025")
    tab_to(page, "#id_antall")
    page.keyboard.type("12")
    tab_to(page, "#id_dato")
    page.keyboard.type("01012025")  # the same in dd.mm and mm/dd order
    tab_to(page, "#id_organ")
    page.keyboard.press("ArrowDown")  # formannskapet
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.startswith(f"{url}/kommuner/3101/#"), page.url
    v = Vedtak.objects.get(kommune__nummer="3101", aar=2025)
    assert (v.antall, str(v.dato)) == (12, "2025-01-01")
    assert v.organ != "kommunestyre"


def test_log_a_meeting_with_a_follow_up_with_the_keyboard(live_server, register, page, password):
    from kommuner.models import Statsforvalter
    from oppfolging.models import Dialog, Oppfolgingspunkt
    from tests.factories import profil_user
    from tests.test_access_matrix import OFFICE

    profil_user(Rolle.STATSFORVALTER, statsforvalter=Statsforvalter.objects.get(navn=OFFICE), username="sf",
                first_name="Siri", last_name="Forvalter", password=password)
    url = live_server.url
    sign_in(page, url, "sf", password)
    page.goto(f"{url}/oppfolging/dialog/ny/")
    # The kommuner are Designsystemet's searchable control: type, then the arrow keys and Enter choose.
    tab_to(page, "#id_kommuner")
    page.keyboard.type("Halden")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("ds-suggestion > data")
    first = page.evaluate("document.querySelector('#id_kommuner_valg option:checked').value")
    assert first
    assert page.locator("#id_kommuner_valg option:checked").inner_text().strip() == "3101 Halden"
    tab_to(page, "#id_dato")
    page.keyboard.type("02112026")
    tab_to(page, "#id_type")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_sammendrag")
    page.keyboard.type("Møte om bosetting neste år")
    tab_to(page, "#id_punkt-0-tittel")
    page.keyboard.type("Send oppdatert boligplan")
    tab_to(page, "#id_punkt-0-ansvarlig")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_punkt-0-frist")
    page.keyboard.type("01122026")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/dialog/ny/" not in page.url, page.locator(".app-error-summary").all_inner_texts()
    dialog = Dialog.objects.get()
    assert list(dialog.kommuner.values_list("pk", flat=True)) == [int(first)]
    assert Oppfolgingspunkt.objects.get().tittel == "Send oppdatert boligplan"


def test_import_a_file_with_the_keyboard(live_server, register, page, password, tmp_path):
    from tests.factories import profil_user
    from vedtak.models import Anmodning

    profil_user(Rolle.IMDI, username="imdi", password=password)
    url = live_server.url
    sign_in(page, url, "imdi", password)
    tab_to(page, "nav a[href='/import/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/import/")
    csv = tmp_path / "anmodning.csv"
    csv.write_text("kommunenummer,kommune,aar,anmodning\n3101,Halden,2025,40\n")
    # The file chooser is reached with Tab; the file itself is handed over as a dialog would.
    tab_to(page, "input[type=file]")
    page.locator("input[type=file]").set_input_files(str(csv))
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/import/*/")
    tab_to(page, "main form button[type=submit]")  # «Bekreft og importer»
    page.keyboard.press("Enter")
    page.wait_for_selector(".app-messages")
    assert "importert" in page.locator("#importstatus").inner_text().lower()
    assert Anmodning.objects.filter(kommune__nummer="3101", aar=2025, antall=40).exists()


def test_read_the_county_report_with_the_keyboard(live_server, register, page, password):
    from tests.factories import kommune, profil_user
    from vedtak.services import vedtak_register

    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], username="halden", password=password)
    vedtak_register(kommune=kommune("3101"), aar=2025, antall=10, by=user)
    url = live_server.url
    page.set_viewport_size({"width": 320, "height": 800})  # narrow: the table scrolls sideways
    sign_in(page, url, "halden", password)
    page.goto(f"{url}/rapport/fylke/31/")
    # Pick another year with the arrow keys and show it.
    tab_to(page, "#id_aar")
    before = page.evaluate("document.activeElement.value")
    page.keyboard.press("ArrowUp")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**aar=**")
    assert f"aar={before}" not in page.url
    # The wide table is a focusable region that scrolls with the arrow keys.
    tab_to(page, ".table-container[role=region]")
    assert page.evaluate("document.activeElement.scrollWidth > document.activeElement.clientWidth")
    start = page.evaluate("document.activeElement.scrollLeft")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(f"document.activeElement.scrollLeft > {start}")
    focused(page)
    # And the kommune links inside it open with Enter.
    tab_to(page, ".table-container a.ds-link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kommuner/*/")
