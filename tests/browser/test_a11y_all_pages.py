"""axe-core (WCAG 2.1 A/AA) on every page of the app, as every role, in Bokmål and Nynorsk.

The pages come from the URL resolver and the classification in tests/access_registry.py (which
builds their kwargs), so a new page is checked as soon as it is classified. Admin pages, POST-only
URLs, downloads and redirects are left out. Besides each page as it opens: a form with validation
errors (the error summary gets the focus), an empty list and the 403/404 pages.

One browser for the run; one context (one login) per role and written standard.
"""

import pytest
from django.urls import reverse

from core.models import Rolle
from tests.access_registry import ADMIN, URLS
from tests.conftest import AXE_JS
from tests.test_access_matrix import ALL_URLS, OFFICE, SCOPES, World, expected_get

pytestmark = [pytest.mark.browser]

ROLES = ("admin", "ks", "imdi", "statsforvalter", "kommune")
LANGS = ("nb", "nn")
# Not HTML pages: a JSON probe, a CSV download, an htmx fragment, the language switch and the login (signed-in users
# are sent on; the login page itself is checked anonymously below).
NOT_PAGES = {"health", "imports:export_long", "imports:import_template_csv", "imports:import_template_xlsx",
             "set_language", "login", "vedtak:vilkaar_check", "vedtak:vedtak_dokument",
             "okonomi:nasjonal_eksport", "okonomi:fylke_eksport", "okonomi:kommune_eksport",
             "bosetting:plan_export", "bosetting:plan_pipeline_export"}


def page_urls(world):
    """(name, path, spec) for every GET page of the app, kwargs built as the access matrix does."""
    seen, out = set(), []
    for name, _route in ALL_URLS:
        spec = URLS.get(name)
        if spec is None or name in NOT_PAGES or spec.kind == ADMIN or spec.get_ok != 200:
            continue
        kwargs = spec.kwargs(world, world.kommune("egen")) if spec.kwargs else {}
        path = reverse(name, kwargs=kwargs)
        if path not in seen:
            seen.add(path)
            out.append((name, path, spec))
    return out


@pytest.fixture
def a11y_world(register, password):
    from django.contrib.auth import get_user_model

    from kommuner.models import Kommune, Statsforvalter
    from tests.factories import profil_user
    from vedtak.services import vedtak_register

    kommuner = {scope: Kommune.objects.get(nummer=nr) for scope, nr in SCOPES.items()}
    office = Statsforvalter.objects.get(navn=OFFICE)
    admin = get_user_model().objects.create_superuser("a-admin", "a@example.no", password)
    users = {
        "admin": admin,
        "ks": profil_user(Rolle.KS, username="a-ks", password=password),
        "imdi": profil_user(Rolle.IMDI, username="a-imdi", password=password),
        "statsforvalter": profil_user(Rolle.STATSFORVALTER, statsforvalter=office, username="a-sf",
                                      password=password),
        "kommune": profil_user(Rolle.KOMMUNE, kommuner=[kommuner["egen"]], username="a-kommune",
                               password=password),
    }
    for k in kommuner.values():
        vedtak_register(kommune=k, aar=2025, antall=10)
    return World(users=users, kommuner=kommuner)


def signed_in_context(browser, url, user, password, lang):
    from core.models import Profil

    # Login applies the written standard stored on the profile; the cookie covers users without one.
    Profil.objects.filter(user=user).update(sprak=lang)
    context = browser.new_context(bypass_csp=True, locale="nb-NO", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": lang, "url": url}])
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.goto(f"{url}/logg-inn/")
    pg.locator("#id_username").fill(user.username)
    pg.locator("#id_password").fill(password)
    pg.locator("form.app-form button[type=submit]").click()
    pg.wait_for_url(f"{url}/")
    return context, pg


def run_axe(pg):
    """axe-core's WCAG 2.1 A/AA rules, violations only (much faster on the long tables)."""
    pg.add_script_tag(path=str(AXE_JS))
    result = pg.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"]]


def test_signed_out_pages_are_axe_clean(live_server, register, browser):
    violations = {}
    for lang in LANGS:
        context = browser.new_context(bypass_csp=True, locale="nb-NO")
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        pg = context.new_page()
        for path in ("/logg-inn/", "/tilgjengelighet/"):
            pg.goto(live_server.url + path)
            assert pg.locator("html").get_attribute("lang") == lang
            violations[f"{lang} {path}"] = run_axe(pg)
        context.close()
    assert {k: v for k, v in violations.items() if v} == {}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_axe_clean(live_server, a11y_world, browser, password, role):
    url = live_server.url
    pages = page_urls(a11y_world)
    assert len(pages) >= 15, pages
    violations = {}
    for lang in LANGS:
        context, pg = signed_in_context(browser, url, a11y_world.users[role], password, lang)
        for _name, path, spec in pages:
            status = expected_get(spec, role, "egen")
            if status not in (200, 403, 404):
                continue
            response = pg.goto(url + path)
            assert response.status == status, path
            assert pg.locator("html").get_attribute("lang") == lang
            violations[f"{lang} {path}"] = run_axe(pg)
        context.close()
    assert len(violations) >= 20
    assert {k: v for k, v in violations.items() if v} == {}


@pytest.mark.parametrize("lang", LANGS)
def test_error_empty_and_refusal_states_are_axe_clean(live_server, a11y_world, browser, password, lang):
    url = live_server.url
    context, pg = signed_in_context(browser, url, a11y_world.users["kommune"], password, lang)
    violations = {}
    # A form with validation errors: the error summary is shown and has the focus.
    pg.goto(f"{url}/kommuner/3101/vedtak/ny/")
    pg.locator("main form.app-form button[type=submit]").click()
    pg.wait_for_selector(".app-error-summary")
    assert pg.evaluate("document.activeElement.classList.contains('app-error-summary')")
    violations["vedtak form with errors"] = run_axe(pg)
    # Empty states: a search with no hits, a follow-up list with nothing in it.
    pg.goto(f"{url}/kommuner/?q=ingen-slik-kommune")
    violations["empty kommune list"] = run_axe(pg)
    pg.goto(f"{url}/oppfolging/?status=lukket")
    violations["empty follow-up list"] = run_axe(pg)
    # Out of scope (404) and forbidden (403).
    pg.goto(f"{url}/kommuner/4601/")
    violations["404"] = run_axe(pg)
    pg.goto(f"{url}/bosettingsbehov/")
    violations["403"] = run_axe(pg)
    context.close()
    assert {k: v for k, v in violations.items() if v} == {}
