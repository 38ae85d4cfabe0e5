"""The compact header for the kommune page: status, the three figures, the gap, next follow-up."""

import pytest
from django.template.loader import render_to_string

from bosetting.services import bosatt_register
from rapporter.selectors import kommune_header_context
from tests.factories import kommune

from .fixtures import load_ks

pytestmark = pytest.mark.django_db


def test_merged_kommune_header_sums_its_predecessors(admin_user):
    load_ks()
    bosatt_register(kommune=kommune("0124"), aar=2014, antall=12)  # Askim, whole year
    ctx = kommune_header_context(kommune("3118"), admin_user, aar=2014)
    h = ctx["rapport_header"]
    r = h["rad"]
    assert (r.anmodet.verdi, r.vedtatt.verdi, r.bosatt.verdi, r.gap_anmodning_vedtak.verdi) == (75, 35, 12, 40)
    html = render_to_string("rapporter/_kommune_header.html", ctx)
    assert 'data-tall="anmodet">75<' in html and 'data-gap="anmodning_vedtak">40<' in html
    assert 'data-gap="vedtak_bosatt">23<' in html and 'data-gap="anmodning_bosatt">63<' in html
    assert 'Anmodet, ikke vedtatt</a> <span class="kside-formel">(Anmodning − vedtak)</span>' in html
    # 2014 is over: not «Bosetting pågår» but what came of it.
    assert "Ikke nådd: 12 av 35 bosatt" in html  # the open follow-ups stand beside it on the page (issue 15)


def test_kommune_without_vedtak_shows_blank_not_zero(admin_user):
    load_ks()
    h = kommune_header_context(kommune("3124"), admin_user, aar=2015)["rapport_header"]  # Aremark 2015
    # No vedtak: the gap is unknown, not the whole request (the status says the vedtak is missing).
    assert h["rad"].vedtatt.verdi is None and h["rad"].gap_anmodning_vedtak.verdi is None
    html = render_to_string("rapporter/_kommune_header.html", {"rapport_header": h})
    assert 'data-tall="vedtatt">–<' in html and 'data-gap="anmodning_vedtak">–<' in html
    assert "Vedtak mangler (fristen er ute)" in html


def test_no_figures(admin_user):
    h = kommune_header_context(kommune("3101"), admin_user, aar=2011)["rapport_header"]
    assert h["rad"].anmodet.verdi is None and h["rad"].gap_anmodning_vedtak.verdi is None


def test_kommune_page_has_the_header(client, admin_user):
    import datetime

    from vedtak.services import anmodning_register

    anmodning_register(kommune=kommune("3101"), aar=datetime.date.today().year, antall=17)
    client.force_login(admin_user)
    html = client.get("/kommuner/3101/").content.decode()
    assert 'class="rapp-header"' in html and 'data-tall="anmodet">17<' in html
    assert "css/rapporter.css" in html


def test_header_and_reports_show_real_follow_ups(client):
    import datetime

    from core.models import Rolle
    from oppfolging.models import Oppfolgingspunkt
    from rapporter.hooks import oppfolging_for
    from tests.factories import kommune, profil_user

    halden = kommune("3101")
    sf = profil_user(Rolle.STATSFORVALTER, statsforvalter=halden.fylke.statsforvalter)
    today = datetime.date.today()
    Oppfolgingspunkt.objects.create(kommune=halden, tittel="Ring rådmannen", ansvarlig=sf,
                                    frist=today + datetime.timedelta(days=3))
    Oppfolgingspunkt.objects.create(kommune=halden, tittel="Send brev", ansvarlig=sf,
                                    frist=today - datetime.timedelta(days=3))
    Oppfolgingspunkt.objects.create(kommune=kommune("4601"), tittel="Utenfor", ansvarlig=profil_user(Rolle.KS),
                                    frist=today)
    mine = oppfolging_for(user=sf)
    assert [p.tittel for p in mine.forfalte] == ["Send brev"] and [p.tittel for p in mine.apne] == ["Ring rådmannen"]
    assert oppfolging_for(user=sf, kommune=halden).neste.tittel == "Send brev"
    county = oppfolging_for(user=sf, fylke=halden.fylke)
    assert county.antall_apne == 2  # Bergen's is outside the office and the fylke
    client.force_login(sf)
    assert "Ring rådmannen" in client.get("/").content.decode()
