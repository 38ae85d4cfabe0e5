"""Issue 15 in the browser: /import/ with its column help, and a failed preview with the
corrected-file form, are axe clean in Bokmål and Nynorsk; the corrected file is uploaded from the
failed preview by keyboard and previews without errors."""

import re

import pytest

from core.models import Rolle
from tests.browser.test_a11y_all_pages import LANGS, run_axe, signed_in_context
from tests.factories import profil_user

pytestmark = [pytest.mark.browser]

BAD = "kommunenummer,kommune,år,anmodning,vedtak\n3101,Halden,2025,40,tretti\n".encode()
GOOD = "kommunenummer,kommune,år,anmodning,vedtak\n3101,Halden,2025,40,30\n".encode()


@pytest.mark.parametrize("lang", LANGS)
def test_import_page_and_failed_preview_are_axe_clean_and_take_a_corrected_file(
        live_server, register, browser, password, lang, tmp_path):
    from imports.models import Import
    from imports.services import import_create

    user = profil_user(Rolle.IMDI, username=f"h-imdi-{lang}", password=password)
    imp, _preview = import_create(BAD, filename="tall.csv", user=user)
    context, pg = signed_in_context(browser, live_server.url, user, password, lang)
    violations = {}
    pg.goto(f"{live_server.url}/import/")
    assert pg.locator("#kolonner").is_visible()
    violations["/import/"] = run_axe(pg)
    pg.goto(f"{live_server.url}/import/{imp.pk}/")
    assert pg.locator(".ds-error-summary").is_visible() and pg.locator("#ny-fil").is_visible()
    violations["feilet forhåndsvisning"] = run_axe(pg)
    good = tmp_path / "tall-rettet.csv"
    good.write_bytes(GOOD)
    form = pg.locator("section[aria-labelledby=ny-fil] form")
    form.locator("input[type=file]").set_input_files(str(good))
    form.locator("button[type=submit]").focus()
    pg.keyboard.press("Enter")
    pg.wait_for_url(re.compile(rf"/import/(?!{imp.pk}/)\d+/$"))
    corrected = Import.objects.get(filnavn="tall-rettet.csv")
    assert pg.url.endswith(f"/import/{corrected.pk}/")
    assert corrected.antall_feil == 0 and corrected.antall_nye == 1
    assert pg.locator("#ny-fil").count() == 0
    context.close()
    assert {k: v for k, v in violations.items() if v} == {}
