"""The overview answers the adviser (issue 15): «which kommuner in a fylke are furthest behind,
and what did we agree with each?» — the gap «Anmodet, ikke bosatt», the last contact and the
open and overdue follow-ups per kommune, as the user may see them; filters, sorting, exports,
constant queries, the cache and the front page's «Hvem ligger etter?» form."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bosetting.services import bosatt_register
from core.models import Rolle
from kommuner.models import Fylke, Kommune
from oppfolging.models import Dialog, Oppfolgingspunkt
from tests.factories import DialogFactory, OppfolgingspunktFactory, kommune, profil_user
from vedtak.services import anmodning_register

pytestmark = pytest.mark.django_db
URL = "/oversikt/"
TODAY = timezone.localdate()


def _days(n):
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def ostfold():
    """Sarpsborg furthest behind (50 − 10 = 40), Halden (30 − 4 = 26), Fredrikstad (20 − 15 = 5)."""
    halden, sarpsborg, fredrikstad = kommune("3101"), kommune("3105"), kommune("3107")
    for k, anmodet, bosatt in ((halden, 30, 4), (sarpsborg, 50, 10), (fredrikstad, 20, 15)):
        anmodning_register(kommune=k, aar=2025, antall=anmodet)
        bosatt_register(kommune=k, aar=2025, maaned=0, antall=bosatt)
    gammel = DialogFactory(kommuner=[sarpsborg], dato=_days(40), type="telefon")
    siste = DialogFactory(kommuner=[sarpsborg], dato=_days(10), type="moete")
    halden_dialog = DialogFactory(kommuner=[halden], dato=_days(100), type="epost")
    OppfolgingspunktFactory(kommune=sarpsborg, dialog=siste, frist=_days(3))  # overdue
    OppfolgingspunktFactory(kommune=sarpsborg, dialog=siste, frist=TODAY + datetime.timedelta(days=7))
    OppfolgingspunktFactory(kommune=sarpsborg, dialog=gammel, frist=_days(20), status="ferdig")
    OppfolgingspunktFactory(kommune=halden, dialog=halden_dialog, frist=TODAY + datetime.timedelta(days=1))
    return {"halden": halden, "sarpsborg": sarpsborg, "fredrikstad": fredrikstad, "siste": siste,
            "halden_dialog": halden_dialog, "fylke": Fylke.objects.get(nummer="31")}


def _params(ostfold, **extra):
    return {"aar": 2025, "fylke": ostfold["fylke"].pk, "hele_landet": "on", **extra}


def _rows(response, alle=False):
    """The kommune rows (by default only the three of the fixture, in the table's order)."""
    rows = [r.record for r in response.context["table"].rows if r.record.niva == 0]
    return rows if alle else [r for r in rows if r.kommunenummer in ("3101", "3105", "3107")]


@pytest.fixture
def ks(client):
    client.force_login(profil_user(Rolle.KS))
    return client


def test_columns_show_last_contact_and_counts(ks, ostfold):
    response = ks.get(URL, _params(ostfold, sort="-gap_anmodning_bosatt"))
    rows = _rows(response)
    assert [r.kommunenummer for r in rows] == ["3105", "3101", "3107"]  # furthest behind first
    sarpsborg, halden, fredrikstad = rows
    assert sarpsborg.gap_anmodning_bosatt.verdi == 40
    assert sarpsborg.kontakt.dialog_id == ostfold["siste"].pk and sarpsborg.kontakt.dato == _days(10)
    assert (sarpsborg.kontakt.apne, sarpsborg.kontakt.forfalte) == (2, 1)
    assert (halden.kontakt.dialog_id, halden.kontakt.apne, halden.kontakt.forfalte) == \
        (ostfold["halden_dialog"].pk, 1, 0)
    assert fredrikstad.kontakt.dato is None and fredrikstad.kontakt.apne == 0
    html = response.content.decode()
    assert f'href="{ostfold["siste"].get_absolute_url()}">{_days(10):%d.%m.%Y} møte</a>' in html
    assert "1 forfalt" in html  # said in words, not only by colour
    assert "Ingen registrert" in html  # Fredrikstad: no dialogue, a known fact
    for header in ("Siste kontakt", "Åpne oppfølginger", "Forfalte oppfølginger", "Anmodet, ikke bosatt"):
        assert header in html


def test_out_of_scope_dialogues_are_hidden(client, ostfold):
    # A dialogue with Halden and Sarpsborg: a Halden user sees it for Halden, nothing for Sarpsborg.
    felles = DialogFactory(kommuner=[ostfold["halden"], ostfold["sarpsborg"]], dato=_days(2), type="moete")
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[ostfold["halden"]]))
    response = client.get(URL, _params(ostfold))
    rows = {r.kommunenummer: r for r in _rows(response)}
    assert rows["3101"].kontakt.dialog_id == felles.pk
    assert rows["3105"].kontakt is None and rows["3107"].kontakt is None  # unknown, not «none»
    html = response.content.decode()
    assert ostfold["siste"].get_absolute_url() not in html
    assert "1 forfalt" not in html
    # An office that does not cover Østfold sees no contact at all.
    vestland = Fylke.objects.get(nummer="46").statsforvalter
    client.force_login(profil_user(Rolle.STATSFORVALTER, statsforvalter=vestland))
    rows = _rows(client.get(URL, _params(ostfold)), alle=True)
    assert rows and all(r.kontakt is None for r in rows)


def test_filter_no_contact_in_last_n_days(ks, ostfold):
    assert {r.kommunenummer for r in _rows(ks.get(URL, _params(ostfold, ingen_kontakt=30)))} == {"3101", "3107"}
    assert {r.kommunenummer for r in _rows(ks.get(URL, _params(ostfold, ingen_kontakt=180)))} == {"3107"}
    assert {r.kommunenummer for r in _rows(ks.get(URL, _params(ostfold, ingen_kontakt=5)))} == \
        {"3101", "3105", "3107"}
    # A value not offered is a form error, not a 500.
    assert ks.get(URL, _params(ostfold, ingen_kontakt="abc")).status_code == 200


def test_filter_overdue_follow_ups(ks, ostfold):
    assert [r.kommunenummer for r in _rows(ks.get(URL, _params(ostfold, forfalte="on")))] == ["3105"]


@pytest.mark.parametrize(("sort", "order"), [
    ("-siste_kontakt", ["3105", "3101", "3107"]),
    ("siste_kontakt", ["3107", "3101", "3105"]),
    ("-apne_oppfolginger", ["3105", "3101", "3107"]),
    ("-forfalte_oppfolginger", ["3105"]),  # the other two tie at 0
    ("gap_anmodning_bosatt", ["3107", "3101", "3105"]),
])
def test_every_new_column_sorts(ks, ostfold, sort, order):
    rows = _rows(ks.get(URL, _params(ostfold, sort=sort)))
    assert [r.kommunenummer for r in rows][:len(order)] == order


def test_exports_have_the_contact_columns(ks, ostfold):
    rows = list(csv.DictReader(io.StringIO(ks.get(URL, _params(ostfold, _export="csv")).content.decode("utf-8-sig"))))
    by_nr = {r["Nr."]: r for r in rows}
    s = by_nr["3105"]
    assert (s["Siste kontakt"], s["Type siste kontakt"], s["Åpne oppfølginger"], s["Forfalte oppfølginger"]) == \
        (_days(10).isoformat(), "Møte", "2", "1")
    f = by_nr["3107"]
    assert (f["Siste kontakt"], f["Type siste kontakt"], f["Åpne oppfølginger"], f["Forfalte oppfølginger"]) == \
        ("", "", "0", "0")
    assert s["Anmodet, ikke bosatt"] == "40"
    ws = openpyxl.load_workbook(io.BytesIO(ks.get(URL, _params(ostfold, _export="xlsx")).content)).active
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    for name in ("Siste kontakt", "Type siste kontakt", "Åpne oppfølginger", "Forfalte oppfølginger"):
        assert name in header
    col = header.index("Siste kontakt")
    dates = [row[col].value for row in ws.iter_rows(min_row=2) if row[col].value]
    assert dates and all(isinstance(d, datetime.datetime | datetime.date) for d in dates)


def _with_contact(kommuner, user):
    for i, k in enumerate(kommuner):
        anmodning_register(kommune=k, aar=2025, antall=10 + i)
        d = Dialog.objects.create(dato=_days(1 + i % 20), type="moete", sammendrag="Møte")
        d.kommuner.add(k)
        Oppfolgingspunkt.objects.bulk_create([
            Oppfolgingspunkt(kommune=k, dialog=d, tittel="Punkt", ansvarlig=user, frist=_days(j - 1))
            for j in range(3)])


def _count(client, params):
    client.get(URL, params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(_rows(response, alle=True))


@pytest.mark.parametrize("rolle", [Rolle.KS, Rolle.STATSFORVALTER])
def test_queries_constant_with_5_or_50_kommuner(client, rolle):
    owner = profil_user(Rolle.ADMINISTRATOR)
    sf = Fylke.objects.get(nummer="31").statsforvalter  # its office has 52 kommuner today
    kommuner = list(Kommune.objects.gjeldende().filter(fylke__statsforvalter=sf).order_by("nummer")[:50])
    client.force_login(profil_user(rolle, statsforvalter=sf if rolle == Rolle.STATSFORVALTER else None))
    params = {"aar": 2025, "hele_landet": "on", "sort": "-forfalte_oppfolginger", "forfalte": "on"}
    _with_contact(kommuner[:5], owner)
    small, n_small = _count(client, params)
    _with_contact(kommuner[5:], owner)
    large, n_large = _count(client, params)
    assert (n_small, n_large) == (5, 50)
    assert small == large, (small, large)


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                       "LOCATION": "h8-kontakt"}})
def test_cached_overview_follows_the_contact_state(ks, ostfold):
    from django.core.cache import cache

    cache.clear()
    params = _params(ostfold, sort="-gap_anmodning_bosatt")
    html = ks.get(URL, params).content.decode()
    assert "1 forfalt" in html and "2 forfalte" not in html
    OppfolgingspunktFactory(kommune=ostfold["sarpsborg"], frist=_days(1))
    ny = DialogFactory(kommuner=[ostfold["fredrikstad"]], dato=TODAY, type="telefon")
    html = ks.get(URL, params).content.decode()
    assert "2 forfalte" in html and ny.get_absolute_url() in html
    cache.clear()


def test_front_page_form_leads_to_the_overview_sorted_by_the_gap(client, ostfold):
    sf = ostfold["fylke"].statsforvalter
    client.force_login(profil_user(Rolle.STATSFORVALTER, statsforvalter=sf))
    response = client.get(reverse("home"), {"aar": 2025})
    etter = response.context["etter"]
    html = response.content.decode()
    assert f'action="{reverse("rapporter:oversikt")}"' in html and 'value="-gap_anmodning_bosatt"' in html
    # Today's fylker only (01 Østfold was a fylke until 2020), the user's own first of the office's.
    assert all(f.gyldig_til is None for f in etter["fylker"])
    assert "01" not in {f.nummer for f in etter["fylker"]} and Fylke.objects.filter(nummer="01").exists()
    assert etter["egen_fylke"] in {f.pk for f in etter["fylker"] if f.statsforvalter_id == sf.pk}
    assert f'<option value="{etter["egen_fylke"]}" selected>' in html
    # Years with figures and the next.
    assert 2025 in etter["aarene"] and TODAY.year + 1 in etter["aarene"] and etter["aar"] == 2025
    assert 2016 not in etter["aarene"]
    # The form's request: Østfold 2025, furthest behind first, with the new columns.
    rows = _rows(client.get(URL, {"fylke": ostfold["fylke"].pk, "aar": 2025, "sort": etter["sort"],
                                  "hele_landet": "on"}))
    assert rows[0].kommunenummer == "3105" and rows[0].kontakt.dialog_id == ostfold["siste"].pk


def test_front_page_defaults_to_a_kommune_users_fylke(client, ostfold):
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[ostfold["halden"]]))
    assert client.get(reverse("home")).context["etter"]["egen_fylke"] == ostfold["fylke"].pk


def test_selector_reads_every_kommune_in_one_query(ostfold, django_assert_num_queries):
    from core import tallcache
    from core.access import role_of
    from oppfolging.selectors import kontakt_for_kommuner

    user = profil_user(Rolle.KS)
    role_of(user)  # the profile, read once per request anyway
    with tallcache.en_versjon():
        tallcache.versjon()  # the counters, read once per page anyway (the suite runs without a cache)
        with django_assert_num_queries(1):
            kontakt = kontakt_for_kommuner(None, user, today=TODAY)
        assert set(kontakt) == {ostfold["halden"].pk, ostfold["sarpsborg"].pk}  # Fredrikstad: nothing to say
        assert kontakt[ostfold["sarpsborg"].pk].forfalte == 1
        with django_assert_num_queries(1):
            assert set(kontakt_for_kommuner([ostfold["halden"].pk], user, today=TODAY)) == {ostfold["halden"].pk}
