"""The list filters' htmx update (core.mixins.FilterResultsMixin): an htmx request from the filter form
gets only the results region, rendered from the same scoped queryset; everything else gets the page."""

import datetime

import pytest
from django.urls import reverse

from core.models import Rolle
from tests.factories import kommune, profil_user
from tests.oppfolging.helpers import punkt, sf_user
from vedtak.services import vedtak_register

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
# On page load the status element is empty: nothing is announced until the user filters.
EMPTY_STATUS = ('<p id="filter-status" class="ds-sr-only" role="status" '
                'data-feil="Listen ble ikke oppdatert. Prøv igjen, eller last inn siden på nytt."></p>')
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "resultater", "HTTP_HX_CURRENT_URL": "http://testserver/"}


@pytest.fixture
def kommune_client(client):
    """A Halden user, with one follow-up point and one change in Halden and one of each in Sarpsborg."""
    halden, sarpsborg = kommune("3101"), kommune("3105")
    user = profil_user(Rolle.KOMMUNE, kommuner=[halden])
    punkt(user, TODAY, k=halden, tittel="Haldens punkt")
    punkt(sf_user(k=sarpsborg), TODAY, k=sarpsborg, tittel="Sarpsborgs punkt")
    vedtak_register(kommune=halden, aar=2025, antall=11)
    vedtak_register(kommune=sarpsborg, aar=2025, antall=22)
    client.force_login(user)
    return client


def test_htmx_request_gets_the_results_region_and_a_status_message(kommune_client):
    url = reverse("oppfolging:punkt_list")
    page = kommune_client.get(url)
    assert page.status_code == 200
    assert [t.name for t in page.templates][0] == "oppfolging/punkt_list.html"
    assert '<html' in page.text and 'id="resultater"' in page.text
    assert EMPTY_STATUS in page.text
    assert "hx-swap-oob" not in page.text
    assert "HX-Request" in page["Vary"]

    part = kommune_client.get(url, {"q": "punkt", "status": ""}, **HTMX)
    assert part.status_code == 200
    assert [t.name for t in part.templates][0] == "oppfolging/_punkt_results.html"
    assert "<html" not in part.text and "<form method=\"get\"" not in part.text
    assert part.text.lstrip().startswith('<div id="resultater"')
    # The count, the export links for the same filter, the table and the bulk form; the status for the live region.
    assert '<p class="ds-paragraph app-result-count" data-size="sm">Viser 1 oppfølgingspunkt.</p>' in part.text
    assert "_export=csv" in part.text and "q=punkt" in part.text
    assert f'action="{reverse("oppfolging:punkt_bulk_done")}"' in part.text
    assert '<p id="filter-status" hx-swap-oob="innerHTML">Viser 1 oppfølgingspunkt.</p>' in part.text
    assert "HX-Request" in part["Vary"]


@pytest.mark.parametrize("name", ["oppfolging:punkt_list", "rapporter:endring_list"])
def test_the_partial_is_scoped_like_the_page(kommune_client, name):
    url = reverse(name)
    page = kommune_client.get(url).text
    part = kommune_client.get(url, **HTMX).text
    for text in (page, part):
        assert ("Haldens punkt" in text) if name == "oppfolging:punkt_list" else ("Halden" in text)
        assert "Sarpsborgs punkt" not in text and "Sarpsborg" not in text.split('id="resultater"')[1]
    # A tampered kommune choice (out of scope) shows nothing, in the partial as on the page.
    sarpsborg = kommune("3105").pk
    assert "Sarpsborg" not in kommune_client.get(url, {"kommune": sarpsborg}, **HTMX).text


def test_kommune_list_partial(client):
    client.force_login(profil_user(Rolle.KS))
    url = reverse("kommuner:kommune_list")
    part = client.get(url, {"q": "halden"}, **HTMX)
    assert [t.name for t in part.templates][0] == "includes/filter_results.html"
    assert "Halden" in part.text and "Sarpsborg" not in part.text
    assert '<p id="filter-status" hx-swap-oob="innerHTML">Viser 1 kommune.</p>' in part.text
    assert "Excel (XLSX)" in part.text
    many = client.get(url, **HTMX)
    assert '<p id="filter-status" hx-swap-oob="innerHTML">Viser 1–50 av 357 kommuner.</p>' in many.text
    empty = client.get(url, {"q": "ingen-slik-kommune"}, **HTMX)
    assert '<p id="filter-status" hx-swap-oob="innerHTML">Fant ingen kommuner.</p>' in empty.text


def test_other_htmx_requests_get_the_whole_page(client):
    """htmx reloading after back/forward (history restore), or aimed at another element, is not a filter update."""
    client.force_login(profil_user(Rolle.KS))
    url = reverse("kommuner:kommune_list")
    restore = client.get(url, **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert [t.name for t in restore.templates][0] == "kommuner/kommune_list.html"
    other = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="noe-annet")
    assert [t.name for t in other.templates][0] == "kommuner/kommune_list.html"


def test_partial_in_nynorsk(client):
    client.force_login(profil_user(Rolle.KS))
    client.cookies["django_language"] = "nn"
    url = reverse("kommuner:kommune_list")
    assert '<p id="filter-status" hx-swap-oob="innerHTML">Fann ingen kommunar.</p>' in client.get(
        url, {"q": "ingen-slik-kommune"}, **HTMX).text
    part = client.get(url, **HTMX).text
    assert '<p id="filter-status" hx-swap-oob="innerHTML">Viser 1–50 av 357 kommunar.</p>' in part
    assert "Last ned utvalet:" in part


def test_overview_partial_is_scoped_and_replaces_the_year_dependent_heading(kommune_client):
    url = reverse("rapporter:oversikt")
    page = kommune_client.get(url, {"aar": 2025})
    assert [t.name for t in page.templates][0] == "bosetting/oversikt.html"
    assert EMPTY_STATUS in page.text
    assert "hx-swap-oob" not in page.text and "Viser 1 kommune." in page.text

    part = kommune_client.get(url, {"aar": 2024}, **HTMX)
    assert [t.name for t in part.templates][0] == "bosetting/_oversikt_resultater.html"
    assert "<html" not in part.text and part.text.lstrip().startswith("<title>Oversikt over bosetting 2024 – ")
    # The Halden user opens on Halden only, in the partial as on the page.
    assert '<p id="filter-status" hx-swap-oob="innerHTML">Viser 1 kommune.</p>' in part.text
    tbody = part.text.split("<tbody")[1].split("</tbody>")[0]
    assert "Halden" in tbody and "Sarpsborg" not in tbody
    # The year changed: heading, national figures, reset link and title come along, out of band.
    assert '<div id="oversikt-topp" hx-swap-oob="true">' in part.text
    assert '<h1 class="ds-heading" data-size="lg">Oversikt over bosetting 2024</h1>' in part.text
    assert 'id="oversikt-nullstill"' in part.text and "?aar=2024" in part.text
    assert "HX-Request" in part["Vary"]
    wide = kommune_client.get(url, {"aar": 2025, "hele_landet": "on"}, **HTMX)
    assert '<p id="filter-status" hx-swap-oob="innerHTML">Viser 357 kommuner.</p>' in wide.text


def test_accessibility_statement_describes_the_filter_status_region(client):
    html = client.get(reverse("tilgjengelighet")).text
    assert "leser en skjult statusregion opp antallet treff" in html
    assert "fokus blir i feltet" in html
