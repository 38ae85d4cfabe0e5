"""The settlement plan in the browser: a kommune user enters places ready for the next six months;
the Statsforvalter sees them in the county's three-month pipeline."""

import pytest

from core.models import Rolle
from tests.browser.test_keyboard import sign_in

pytestmark = [pytest.mark.browser]


def test_a_kommune_enters_a_plan_and_the_statsforvalter_sees_the_pipeline(live_server, register, page, password,
                                                                          axe):
    from bosetting.models import Bosettingsplan, Planrevisjon
    from bosetting.services import MAANEDSNAVN
    from bosetting.views import neste_maaneder
    from kommuner.models import Statsforvalter
    from tests.factories import kommune, profil_user
    from tests.test_access_matrix import OFFICE

    profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], username="halden", password=password)
    profil_user(Rolle.STATSFORVALTER, statsforvalter=Statsforvalter.objects.get(navn=OFFICE), username="sf",
                password=password)
    url = live_server.url
    months = neste_maaneder(6)
    plasser = dict(zip(months, [4, 3, 5, 2, 6, 1], strict=True))
    sign_in(page, url, "halden", password)
    # From the kommune page's actions to the plan; the next six months may span two years.
    page.goto(f"{url}/kommuner/3101/")
    page.locator("main a[href='/kommuner/3101/plan/']").click()
    page.wait_for_url("**/kommuner/3101/plan/")
    for aar in sorted({a for a, _m in months}):
        page.goto(f"{url}/kommuner/3101/plan/?aar={aar}")
        for (a, m), n in plasser.items():
            if a == aar:  # the fields are found by their (screen-reader) labels
                page.get_by_label(f"Plasser klare i {MAANEDSNAVN[m - 1]}", exact=True).fill(str(n))
        if aar == months[0][0]:
            page.get_by_label(f"Boliger i {MAANEDSNAVN[months[0][1] - 1]}", exact=True).fill("2")
        with page.expect_navigation():
            page.get_by_role("button", name="Lagre planen").click()
        assert "Bosettingsplanen er lagret." in page.locator("main").inner_text()
    saved = {(p.aar, p.maaned): p.plasser for p in Bosettingsplan.objects.filter(kommune__nummer="3101")}
    assert saved == plasser
    assert Planrevisjon.objects.filter(kommune__nummer="3101").count() == len({a for a, _m in months})
    # The table shows the plan for a month that was entered.
    a, m = months[0]
    page.goto(f"{url}/kommuner/3101/plan/?aar={a}")
    assert page.locator(f"#id_plasser_{m}").input_value() == str(plasser[months[0]])
    assert "(gjelder)" in page.locator("#revisjoner ~ *").first.inner_text()
    assert axe(page) == []  # with a plan, its chart and revisions
    # A refused form: the error summary and the field's error, axe clean too.
    page.locator(f"#id_plasser_{m}").fill("-3")
    page.get_by_role("button", name="Lagre planen").click()
    page.wait_for_selector(".app-error-summary")
    assert page.locator(f"#id_plasser_{m}").get_attribute("aria-invalid") == "true"
    assert "Tallet kan ikke være negativt." in page.locator(f"#id_plasser_{m}_error").inner_text()
    assert axe(page) == []

    # The Statsforvalter's pipeline: Halden's three months and their sum, and the county's sum.
    page.context.clear_cookies()
    sign_in(page, url, "sf", password)
    page.get_by_role("link", name="Plasser klare", exact=True).click()
    page.wait_for_url("**/plan/")
    row = page.locator("#pipeline tr", has=page.get_by_role("rowheader", name="3101 Halden"))
    cells = row.locator("td").all_inner_texts()
    expected = [str(plasser[am]) for am in months[:3]]
    assert cells[:4] == [*expected, str(sum(plasser[am] for am in months[:3]))]
    county = page.locator("#pipeline tr[data-fylke='31'] td").all_inner_texts()
    assert county[3] == str(sum(plasser[am] for am in months[:3]))
    assert axe(page) == []
