"""The settlement plan (issue #17): revisions keep history, plan against settled per month, the
year lock, bad input, who may read and change it, and the three-month pipeline."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bosetting.models import Bosettingsplan, Planrevisjon
from bosetting.plan import plan_per_maaned, plan_status
from bosetting.services import bosatt_register, plan_register
from bosetting.status import plan_til_maaned
from bosetting.views import neste_maaneder
from core.models import Endring, Rolle
from tests.factories import AarslaasFactory, kommune, profil_user

pytestmark = pytest.mark.django_db

PLAN_URL = "bosetting:plan"
MAANEDER = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
            "november", "desember")
PIPELINE_URL = reverse("bosetting:plan_pipeline")


def plan_url(nummer="3101", aar=None):
    url = reverse(PLAN_URL, args=[nummer])
    return f"{url}?aar={aar}" if aar else url


@pytest.fixture
def office():
    from kommuner.models import Statsforvalter
    from tests.test_access_matrix import OFFICE

    return Statsforvalter.objects.get(navn=OFFICE)


@pytest.fixture
def halden_user(db):
    return profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], username="halden")


def in_force(nummer, aar):
    return {p.maaned: (p.plasser, p.boliger)
            for p in Bosettingsplan.objects.filter(kommune__nummer=nummer, aar=aar)}


def test_two_revisions_are_both_kept_and_the_newest_is_in_force(client, halden_user):
    halden = kommune("3101")
    first = plan_register(kommune=halden, aar=2026, maaneder={3: (5, 2), 4: (4, None)}, by=halden_user)
    second = plan_register(kommune=halden, aar=2026, maaneder={3: (8, 3), 5: (6, None)}, by=halden_user)
    assert [r.nummer for r in Planrevisjon.objects.filter(kommune=halden, aar=2026).order_by("nummer")] == [1, 2]
    first.refresh_from_db()
    assert first.maaneder() == {3: (5, 2), 4: (4, None)}  # the first revision is kept as it was
    assert second.maaneder() == {3: (8, 3), 4: (4, None), 5: (6, None)}
    assert in_force("3101", 2026) == {3: (8, 3), 4: (4, None), 5: (6, None)}
    # History in words, in the same transaction, by whom.
    entries = list(Endring.objects.filter(handling="plan.revidert", kommune=halden).order_by("id"))
    assert len(entries) == 2 and all(e.bruker == halden_user for e in entries)
    assert entries[1].kommentar == "mars: 5 plasser (2 boliger) → 8 plasser (3 boliger); mai: 6 plasser"
    # The page lists both revisions, the newest first and in force, with who and what changed.
    client.force_login(halden_user)
    html = client.get(plan_url(aar=2026)).content.decode()
    revs = html[html.index('id="revisjoner"'):]
    assert revs.index("2 (gjelder)") < revs.index("mars: 5 plasser (2 boliger) → 8 plasser")
    assert "mars: 5 plasser (2 boliger); april: 4 plasser" in revs
    assert revs.count(halden_user.get_full_name()) == 2
    # The form is prefilled from the plan in force.
    assert 'name="plasser_3" id="id_plasser_3" value="8"' in html
    assert 'name="boliger_3" id="id_boliger_3" value="3"' in html


def test_an_unchanged_plan_makes_no_revision(halden_user):
    halden = kommune("3101")
    plan_register(kommune=halden, aar=2026, maaneder={3: (5, None)}, by=halden_user)
    assert plan_register(kommune=halden, aar=2026, maaneder={3: (5, None), 4: (None, None)}, by=halden_user) is None
    assert Planrevisjon.objects.count() == 1


def test_a_blank_month_removes_it_from_the_plan_and_the_removal_is_a_revision(client, halden_user):
    plan_register(kommune=kommune("3101"), aar=2026, maaneder={3: (5, None), 4: (4, None)}, by=halden_user)
    client.force_login(halden_user)
    response = client.post(plan_url(), {"aar": 2026, "plasser_3": "5"})
    assert response.status_code == 302 and response.url == plan_url(aar=2026)
    assert in_force("3101", 2026) == {3: (5, None)}
    assert Planrevisjon.objects.get(nummer=2).maaneder() == {3: (5, None)}
    assert Planrevisjon.objects.get(nummer=1).maaneder() == {3: (5, None), 4: (4, None)}


def test_plan_against_settled_per_month(client, halden_user):
    halden = kommune("3101")
    bosatt_register(kommune=halden, aar=2025, maaned=1, antall=3)
    bosatt_register(kommune=halden, aar=2025, maaned=2, antall=4)
    plan_register(kommune=halden, aar=2025, maaneder={1: (5, 2), 2: (2, None), 3: (6, None)}, by=None)
    client.force_login(halden_user)
    response = client.get(plan_url(aar=2025))
    rader = {r["maaned"]: r for r in response.context["rader"]}
    got = [(m, r["plan"].plasser if r["plan"] else None, r["bosatt"].verdi if r["bosatt"] else None,
            r["plan_kumulativt"], r["bosatt_kumulativt"]) for m, r in rader.items() if m <= 4]
    assert got == [(1, 5, 3, 5, 3), (2, 2, 4, 7, 7), (3, 6, None, 13, None), (4, None, None, 13, None)]
    html = response.content.decode()
    table = html[html.index("Plan og bosatte per måned 2025"):]
    assert ('<th scope="row">februar</th><td class="app-num">2</td><td class="app-num"></td>'
            '<td class="app-num">4</td><td class="app-num">7</td><td class="app-num">7</td>') in table
    # The chart is decorative; the table is its text.
    assert '<div class="app-chart" aria-hidden="true">' in html


def test_a_locked_year_is_refused_in_norwegian_and_nothing_is_written(client, halden_user):
    AarslaasFactory(aar=2025, laast=True)
    with pytest.raises(ValidationError) as exc:
        plan_register(kommune=kommune("3101"), aar=2025, maaneder={1: (5, None)}, by=halden_user)
    assert "År 2025 er låst" in exc.value.messages[0]
    client.force_login(halden_user)
    response = client.post(plan_url(), {"aar": 2025, "plasser_1": "5"})
    assert response.status_code == 200
    assert "År 2025 er låst fordi tallene er kontrollert" in response.content.decode()
    assert "Året er låst." in response.content.decode()
    assert not Planrevisjon.objects.exists() and not Bosettingsplan.objects.exists()
    assert not Endring.objects.filter(handling="plan.revidert").exists()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"plasser_2": "-1"}, "plasser_2", "Tallet kan ikke være negativt."),
    ({"plasser_2": "mange"}, "plasser_2", "Skriv et helt tall."),
    ({"plasser_2": "2147483648"}, "plasser_2", "Tallet er for stort."),
    ({"plasser_2": "3", "boliger_2": "2147483648"}, "boliger_2", "Tallet er for stort."),
    ({"boliger_2": "3"}, "plasser_2", "Oppgi plasser for en måned med boliger."),
])
def test_bad_input_is_a_form_error_and_nothing_is_written(client, halden_user, data, field, message):
    client.force_login(halden_user)
    response = client.post(plan_url(), {"aar": 2026, "plasser_1": "4", **data})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert not Planrevisjon.objects.exists() and not Bosettingsplan.objects.exists()


def test_the_biggest_number_is_accepted(client, halden_user):
    client.force_login(halden_user)
    assert client.post(plan_url(), {"aar": 2026, "plasser_1": "2147483647"}).status_code == 302
    assert in_force("3101", 2026) == {1: (2147483647, None)}


def test_the_service_refuses_bad_figures():
    for bad in (-1, "5", 2147483648, True):
        with pytest.raises(ValidationError):
            plan_register(kommune=kommune("3101"), aar=2026, maaneder={1: (bad, None)})
    with pytest.raises(ValidationError):
        plan_register(kommune=kommune("3101"), aar=2026, maaneder={13: (1, None)})
    assert not Planrevisjon.objects.exists()


@pytest.mark.parametrize(("rolle", "scope", "get", "post"), [
    (Rolle.KOMMUNE, "3101", 200, 302),
    (Rolle.KOMMUNE, "3103", 404, 404),
    (Rolle.STATSFORVALTER, "3103", 200, 302),
    (Rolle.STATSFORVALTER, "4601", 404, 404),
    (Rolle.IMDI, "4601", 200, 302),
    (Rolle.KS, "3101", 200, 403),
])
def test_who_reads_and_changes_the_plan(client, office, rolle, scope, get, post):
    user = profil_user(rolle, kommuner=[kommune("3101")] if rolle == Rolle.KOMMUNE else [],
                       statsforvalter=office if rolle == Rolle.STATSFORVALTER else None)
    client.force_login(user)
    response = client.get(plan_url(scope))
    assert response.status_code == get
    if get == 200:
        # Only writers get the form; KS reads the plan and its revisions.
        assert ('name="plasser_1"' in response.content.decode()) == (post == 302)
    assert client.post(plan_url(scope), {"aar": 2026, "plasser_1": "4"}).status_code == post
    assert Planrevisjon.objects.filter(kommune__nummer=scope).count() == (1 if post == 302 else 0)


def test_the_kommune_page_links_to_the_plan(client, halden_user):
    client.force_login(halden_user)
    assert f'href="{plan_url()}"' in client.get(kommune("3101").get_absolute_url()).content.decode()


def test_without_a_plan_no_empty_chart_is_drawn(client, halden_user):
    client.force_login(halden_user)
    html = client.get(plan_url(aar=2026)).content.decode()
    assert "Ingen plan er registrert for dette året." in html and 'class="app-chart"' not in html


def test_the_next_three_months_cross_the_year():
    assert neste_maaneder(3, datetime.date(2026, 11, 30)) == [(2026, 11), (2026, 12), (2027, 1)]
    assert neste_maaneder(3, datetime.date(2026, 1, 1)) == [(2026, 1), (2026, 2), (2026, 3)]


def _plan_next(nummer, plasser, etter=0):
    """Plans for the three months of the pipeline (and `etter` places in the month after them)."""
    months = neste_maaneder(4)
    for (aar, maaned), n in zip(months, [*plasser, etter], strict=True):
        if n:
            plan_register(kommune=kommune(nummer), aar=aar, maaneder={maaned: (n, None)})


def sums(html, marker):
    row = html[html.index(marker):]
    row = row[:row.index("</tr>")]
    return [int(c.split("<")[0]) for c in row.split('<td class="app-num">')[1:] if c.split("<")[0]]


def test_the_pipeline_sums_per_kommune_fylke_and_country_in_the_users_scope(client, office):
    _plan_next("3101", [2, 3, 4], etter=50)  # Halden; the month after the three does not count
    _plan_next("3103", [1, 0, 1])  # Moss, same office
    _plan_next("4601", [10, 10, 10])  # Bergen, elsewhere
    sf = profil_user(Rolle.STATSFORVALTER, statsforvalter=office)
    client.force_login(sf)
    html = client.get(PIPELINE_URL).content.decode()
    assert "Bergen" not in html
    assert sums(html, "3101 Halden") == [2, 3, 4, 9]
    assert sums(html, 'data-sum="nasjonalt"') == [3, 3, 5, 11]
    imdi = profil_user(Rolle.IMDI)
    client.force_login(imdi)
    html = client.get(PIPELINE_URL).content.decode()
    assert sums(html, 'data-sum="nasjonalt"') == [13, 13, 15, 41]
    assert sums(html, 'data-fylke="46"') == [10, 10, 10, 30]
    html = client.get(PIPELINE_URL, {"fylke": "46"}).content.decode()
    assert "Halden" not in html and sums(html, 'data-sum="nasjonalt"') == [10, 10, 10, 30]
    assert client.get(PIPELINE_URL, {"fylke": "x"}).status_code == 200  # an unknown fylke: no filter
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune("3103")]))
    html = client.get(PIPELINE_URL).content.decode()
    # Moss has no plan for the second month: its sum is blank (unknown), not 0.
    assert "Halden" not in html and sums(html, 'data-sum="nasjonalt"') == [1, 1, 2]
    nasjonalt = html[html.index('data-sum="nasjonalt"'):]
    assert nasjonalt[:nasjonalt.index("</tr>")].count('<td class="app-num"></td>') == 1
    client.force_login(profil_user(Rolle.KOMMUNE))  # a kommune user bound to no kommune
    assert "Ingen plasser er meldt klare" in client.get(PIPELINE_URL).content.decode()


def test_the_pipeline_reads_a_constant_number_of_queries(client, admin_user):
    from kommuner.models import Kommune

    numbers = list(Kommune.objects.filter(gyldig_til__isnull=True).order_by("nummer")
                   .values_list("nummer", flat=True)[:30])
    client.force_login(admin_user)
    counts = []
    for n in (5, 30):
        for nummer in numbers[:n]:
            if not Bosettingsplan.objects.filter(kommune__nummer=nummer).exists():
                _plan_next(nummer, [1, 2, 3])
        client.get(PIPELINE_URL)
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(PIPELINE_URL).content.decode()
        assert sums(html, 'data-sum="nasjonalt"') == [n, 2 * n, 3 * n, 6 * n]
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("aar", ["abc", "99999", "2009", ""])
def test_a_bad_year_is_a_form_error_and_nothing_is_written(client, halden_user, aar):
    client.force_login(halden_user)
    response = client.post(plan_url(), {"aar": aar, "plasser_1": "4"})
    assert response.status_code == 200
    assert "aar" in response.context["form"].errors
    assert "Skjemaet har feil" in response.content.decode()
    assert not Planrevisjon.objects.exists()


def test_the_months_a_plan_is_held_against_are_the_months_that_are_over():
    day = datetime.date(2026, 5, 10)
    assert [plan_til_maaned(aar, day) for aar in (2025, 2026, 2027)] == [12, 4, 0]
    assert plan_til_maaned(2026, datetime.date(2026, 1, 31)) == 0


def test_plan_status_tells_behind_unknown_and_not_yet_apart():
    """May 2026: the plan's months that are over are held against the settled; a plan for later
    months only is «not yet», and a month that is over with no settled figure is «unknown»."""
    halden = kommune("3101")
    day = datetime.date(2026, 5, 10)
    plan_register(kommune=halden, aar=2026, maaneder={6: (4, None), 7: (4, None)}, by=None)
    status = plan_status(plan_per_maaned(halden, 2026)[0], 2026, day)
    assert (status.har_plan, status.mot_plan, status.dekket, status.til_navn) == (True, None, False, "april")
    plan_register(kommune=halden, aar=2026, maaneder={3: (5, None), 4: (3, None)}, by=None)
    status = plan_status(plan_per_maaned(halden, 2026)[0], 2026, day)
    assert (status.mot_plan, status.dekket) == (None, True)  # March and April settled unknown, not 0
    bosatt_register(kommune=halden, aar=2026, maaned=3, antall=2)
    bosatt_register(kommune=halden, aar=2026, maaned=4, antall=1)
    status = plan_status(plan_per_maaned(halden, 2026)[0], 2026, day)
    assert (status.mot_plan.planlagt, status.mot_plan.bosatt, status.mot_plan.etter) == (8, 3, 5)


def test_the_plan_page_says_when_the_plan_has_no_month_that_is_over(client, halden_user):
    nxt = datetime.date.today().year + 1
    plan_register(kommune=kommune("3101"), aar=nxt, maaneder={2: (5, None)}, by=None)
    client.force_login(halden_user)
    html = " ".join(client.get(plan_url(aar=nxt)).content.decode().split())
    assert "Planen gjelder måneder som ikke er over ennå." in html
    assert "kan ikke sammenlignes" not in html and "bak planen" not in html


def test_the_plan_page_says_how_far_behind_the_plan_settling_is(client, halden_user):
    """2025 is over: the plan's months are January–February (5 + 2 = 7 places), settled 3 + 1 = 4
    in those months; March's settling (9) is outside the plan and not counted."""
    halden = kommune("3101")
    for m, n in ((1, 3), (2, 1), (3, 9)):
        bosatt_register(kommune=halden, aar=2025, maaned=m, antall=n)
    plan_register(kommune=halden, aar=2025, maaneder={1: (5, None), 2: (2, None)}, by=None)
    client.force_login(halden_user)
    html = " ".join(client.get(plan_url(aar=2025)).content.decode().split())
    assert "Til og med desember: 4 bosatt mot 7 planlagte plasser i de månedene planen dekker. 3 bak planen." in html
    # A planned month with no settled figure: no comparison, and the page says why.
    plan_register(kommune=halden, aar=2025, maaneder={4: (2, None)}, by=None)
    html = " ".join(client.get(plan_url(aar=2025)).content.decode().split())
    assert "bak planen" not in html and "kan ikke sammenlignes med bosatte ennå" in html
