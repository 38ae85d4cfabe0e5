"""The kommune page tells the story from the top (issue 15): this year's status and gaps, the last
contact, the open follow-ups and the user's actions first; then this year's details, every year in
one table with the others behind a disclosure; the timeline last."""

import datetime
import re

import pytest

from bosetting.services import bosatt_register
from core.models import Rolle
from oppfolging import services as oppfolging
from tests.factories import kommune, profil_user
from vedtak.choices import Kilde
from vedtak.services import anmodning_register, vedtak_register

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
AAR = TODAY.year
URL = "/kommuner/3101/"


def sf(**kwargs):
    return profil_user(Rolle.STATSFORVALTER, statsforvalter=kommune("3101").fylke.statsforvalter, **kwargs)


@pytest.fixture
def halden_story(admin_user):
    halden = kommune("3101")
    anmodning_register(kommune=halden, aar=AAR, antall=20, dato_sendt=datetime.date(AAR - 1, 10, 1))
    vedtak_register(kommune=halden, aar=AAR, antall=15, dato=datetime.date(AAR, 1, 10))
    bosatt_register(kommune=halden, aar=AAR, maaned=1, antall=3)
    anmodning_register(kommune=halden, aar=AAR - 1, antall=10, dato_sendt=datetime.date(AAR - 2, 10, 1))
    siri = sf(username="siri", first_name="Siri", last_name="Statsforvalter")
    hanne = profil_user(Rolle.KOMMUNE, kommuner=[halden], first_name="Hanne", last_name="Halden")
    oppfolging.dialog_register(kommuner=[halden], dato=TODAY - datetime.timedelta(days=40), type="telefon",
                               sammendrag="Eldre samtale.", by=siri)
    oppfolging.dialog_register(
        kommuner=[halden], dato=TODAY - datetime.timedelta(days=10), type="moete",
        sammendrag="Møte med rådmannen om boliger.", by=siri, deltakere=[siri, hanne],
        punkter=[{"tittel": "Send boligoversikt", "ansvarlig": hanne, "frist": TODAY - datetime.timedelta(days=2)},
                 {"tittel": "Ring IMDi", "ansvarlig": siri, "frist": TODAY + datetime.timedelta(days=5)}])
    return halden


def page(client, user):
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def main(html):
    return html[html.index("<main"):html.index("</main>")]


def test_the_story_is_told_from_the_top(client, admin_user, halden_story):
    html = main(page(client, admin_user))
    marks = [
        'data-tall="status">Bosetting pågår<',       # this year's status in words
        'data-gap="anmodning_vedtak">5<',              # … with its gaps
        'id="siste-kontakt"', "Møte med rådmannen om boliger.",  # the last contact (not the older call)
        'id="dialog-oppfolging"',                     # open follow-ups
        'id="handlinger"',                            # what the user may do
        'id="detaljer-i-aar"',                        # this year's details
        "Status, tall og gap per år, nyeste først",   # every year in one table
        f'id="aar-{AAR - 1}-detaljer"',               # an earlier year behind a disclosure
        'id="tidslinje"',                             # the timeline last
    ]
    positions = [html.find(m) for m in marks]
    assert -1 not in positions, [m for m, p in zip(marks, positions, strict=True) if p == -1]
    assert positions == sorted(positions), list(zip(marks, positions, strict=True))
    assert html.index("Eldre samtale.") > html.index('id="detaljer-i-aar"')  # older dialogue further down
    # The last contact: when, what kind, who (by name), what was agreed, a link to the dialogue.
    contact = html[html.index('id="siste-kontakt"'):html.index('id="dialog-oppfolging"')]
    assert f"{(TODAY - datetime.timedelta(days=10)):%d.%m.%Y} – Møte" in contact
    assert "Hanne Halden, Siri Statsforvalter<" in contact  # the registering adviser took part: said once
    assert "registrert av" not in contact
    assert "Send boligoversikt</a> <strong" in contact and "(forfalt)" in contact and "Ring IMDi" in contact
    # Earlier years: each a <details>; the months behind a disclosure too.
    assert re.search(rf'<details class="app-year kside-aar-detaljer" id="aar-{AAR - 1}-detaljer">', html)
    assert '<details class="kside-maaneder">' in html
    assert f'<tr id="aar-{AAR}">' in html and f'<tr id="aar-{AAR - 1}">' in html


def test_overdue_follow_up_says_so_in_words(client, admin_user, halden_story):
    html = main(page(client, admin_user))
    oppf = html[html.index('id="dialog-oppfolging"'):html.index('id="handlinger"')]
    items = re.findall(r"<li>(.*?)</li>", oppf, re.S)
    overdue = next(i for i in items if "Send boligoversikt" in i)
    upcoming = next(i for i in items if "Ring IMDi" in i)
    assert "(forfalt)" in overdue and "(forfalt)" not in upcoming
    assert f"Frist {(TODAY - datetime.timedelta(days=2)):%d.%m.%Y}" in overdue and "Hanne Halden" in overdue


def test_no_contact_and_no_follow_ups(client, admin_user):
    html = main(page(client, admin_user))
    assert "Ingen kontakt registrert" in html and "Ingen åpne oppfølgingspunkter." in html


ACTIONS = {"Registrer dialog": "/oppfolging/dialog/ny/", "Nytt oppfølgingspunkt": "#oppfolgingspunkter",
           "Registrer vedtak": "/vedtak/ny/", "Registrer bosatte": "/bosatt/ny/",
           "Registrer anmodning": "/anmodning/ny/"}


def actions(html):
    top = main(html)
    top = top[top.index('id="handlinger"'):top.index('id="detaljer-i-aar"')] if 'id="handlinger"' in top else ""
    return {name for name, href in ACTIONS.items()
            if re.search(rf'href="[^"]*{re.escape(href)}[^"]*"[^>]*>{name}<', top)}


@pytest.mark.parametrize(("role", "expected"), [
    ("admin", set(ACTIONS)),
    ("statsforvalter", {"Registrer dialog", "Nytt oppfølgingspunkt"}),
    ("ks", {"Registrer dialog", "Nytt oppfølgingspunkt"}),
    ("kommune", {"Registrer vedtak", "Registrer bosatte"}),
    ("imdi", {"Registrer anmodning"}),
])
def test_actions_follow_the_role(client, admin_user, role, expected):
    users = {"admin": lambda: admin_user, "statsforvalter": sf, "ks": lambda: profil_user(Rolle.KS),
             "kommune": lambda: profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")]),
             "imdi": lambda: profil_user(Rolle.IMDI)}
    assert actions(page(client, users[role]())) == expected


def test_kommune_user_of_another_kommune_gets_404(client):
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune("3103")]))
    assert client.get(URL).status_code == 404


def test_suppressed_figures_say_skjult(client, admin_user):
    halden = kommune("3101")
    anmodning_register(kommune=halden, aar=AAR, antall=20, dato_sendt=datetime.date(AAR - 1, 10, 1))
    vedtak_register(kommune=halden, aar=AAR, antall=None, prikket=["antall"], kilde=Kilde.IMDI,
                    dato=datetime.date(AAR, 1, 10))
    bosatt_register(kommune=halden, aar=AAR, maaned=1, antall=None, prikket=["antall"])
    html = main(page(client, admin_user))
    header = html[html.index('class="rapp-header"'):html.index('id="siste-kontakt"')]
    for gap in ("anmodning_vedtak", "vedtak_bosatt", "anmodning_bosatt"):
        assert f'data-gap="{gap}">skjult<' in header, gap
    assert 'data-tall="vedtatt">skjult<' in header and 'data-tall="bosatt">skjult<' in header
    row = html[html.index(f'<tr id="aar-{AAR}">'):]
    row = row[:row.index("</tr>")]
    assert 'data-gap="anmodning_vedtak">skjult<' in row and 'data-tall="vedtatt">skjult<' in row
    # Nowhere on the page a bare «:» for a figure.
    assert not re.search(r">\s*:\s*<", html)
