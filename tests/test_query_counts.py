"""Every page answers with a constant number of SQL queries, whatever the number of rows, and
never more than 20 (issue 8). Walks the same registry as the access matrix, so a new page is
counted too: each page is read by the roles that may read it, once with the matrix's small
world and once after every kind of row has grown many times over; the counts must be equal.
The cache is off in the suite (see the Makefile), so this is the cold path, the most queries."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bosetting.models import Aarsaker, Bolig, Bosatt, Bosettingsplan, Planrevisjon, Tjenestekapasitet
from core.models import Endring
from kommuner.models import Kommune
from oppfolging.models import Dialog, Oppfolgingspunkt
from tests import test_access_matrix as matrix
from tests.access_registry import SCOPED, SIGNED_IN, URLS
from vedtak.models import Anmodning, Vedtak

world = matrix.world  # the access matrix's users and kommuner (a fixture)
client_as, expected_get, url_for = matrix.client_as, matrix.expected_get, matrix.url_for

MAX_QUERIES = 20
ROLES = ("admin", "ks", "statsforvalter", "kommune")
PAGES = sorted(n for n, s in URLS.items() if s.kind in (SIGNED_IN, SCOPED) and s.get_ok == 200)
EXPORTS = sorted(n for n, s in URLS.items() if s.export)


def grow(world, scale):
    """Rows of every kind in the three kommuner of the world and 4 × `scale` others (their fylker
    too), for 2 × `scale` years: case figures, dialogues with follow-ups, history."""
    rnd = random.Random(scale)
    years = range(max(2014, 2026 - 2 * scale), 2027)
    kommuner = list(world.kommuner.values())
    kommuner += list(Kommune.objects.gjeldende().exclude(pk__in=[k.pk for k in kommuner])
                     .order_by("?")[:4 * scale])
    anm, ved, bos, bol, aars, rev, tje = [], [], [], [], [], [], []
    for k in kommuner:
        for y in years:
            anm.append(Anmodning(kommune=k, aar=y, antall=rnd.randint(5, 80), dato_sendt=datetime.date(y - 1, 10, 1)))
            ved.append(Vedtak(kommune=k, aar=y, antall=rnd.randint(0, 80), dato=datetime.date(y - 1, 12, 1)))
            bos += [Bosatt(kommune=k, aar=y, maaned=m, antall=rnd.randint(0, 9)) for m in range(1, 13)]
            bol.append(Bolig(kommune=k, aar=y, tilgjengelige=rnd.randint(0, 20)))
            aars.append(Aarsaker(kommune=k, aar=y, aarsaker=["bolig"], fritekst="Få boliger"))
            plan = {str(m): [rnd.randint(0, 9), None] for m in range(1, 13)}
            rev += [Planrevisjon(kommune=k, aar=y, nummer=n, plan=plan,
                                 tidspunkt=datetime.datetime(y, 1 + 5 * (n - 1), 10, tzinfo=datetime.UTC))
                    for n in (1, 2)]  # the forecast reads the plan as it stood at a date
            tje.append(Tjenestekapasitet(kommune=k, aar=y, norskopplaering_plasser=rnd.randint(0, 40),
                                         asylmottak=True, mottaksplasser=rnd.randint(10, 200), press_helse="Fastlege"))
    Anmodning.objects.bulk_create(anm)
    Vedtak.objects.bulk_create(ved)
    Planrevisjon.objects.bulk_create(rev, ignore_conflicts=True)
    # unique per kommune and year
    for model, rows in ((Bosatt, bos), (Bolig, bol), (Aarsaker, aars), (Tjenestekapasitet, tje)):
        model.objects.bulk_create(rows, ignore_conflicts=True)
    # A settlement plan in force per kommune-year (revision number 10 + `scale`: after the two
    # above and unique across the two grows).
    revs = Planrevisjon.objects.bulk_create([Planrevisjon(kommune=k, aar=y, nummer=10 + scale, plan={"3": [5, 2]})
                                             for k in kommuner for y in years])
    Bosettingsplan.objects.bulk_create([Bosettingsplan(kommune_id=r.kommune_id, aar=r.aar, maaned=3, plasser=5,
                                                       boliger=2, revisjon=r) for r in revs], ignore_conflicts=True)
    users = list(world.users.values())
    for i, k in enumerate(kommuner[:3] * scale):
        d = Dialog.objects.create(dato=datetime.date(2025, 1, 1 + i % 28), type="mote", sammendrag=f"Møte {i}",
                                  aar=2025, opprettet_av=users[i % len(users)])
        d.kommuner.add(k)
        d.deltakere.add(*users[:3])
        Oppfolgingspunkt.objects.bulk_create([
            Oppfolgingspunkt(kommune=k, dialog=d, tittel=f"Punkt {i}.{j}", ansvarlig=users[j % len(users)],
                             frist=datetime.date(2025, 2, 1) + datetime.timedelta(days=j), status=s)
            for j, s in enumerate(["aapen", "paagaar", "ferdig", "aapen"])])
    template = Endring.objects.order_by("pk").first()
    Endring.objects.bulk_create([
        Endring(bruker=users[i % len(users)], handling="vedtak.registrert", content_type=template.content_type,
                object_id=str(i), objekt=f"Vedtak {i}", kommune=kommuner[i % len(kommuner)], aar=2025,
                endringer={"antall": [None, i]}) for i in range(30 * scale)])


def count(client, url, params=None):
    client.get(url, params)  # the first request after login may read more (content types, sessions)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    if len(ctx.captured_queries) > MAX_QUERIES:  # shown when the test fails
        print(url, *(q["sql"][:160] for q in ctx.captured_queries), sep="\n  ")
    return response.status_code, len(ctx.captured_queries)


def measure(client, world, name, params=None):
    spec = URLS[name]
    out = {}
    for role in ROLES:
        if expected_get(spec, role, "egen" if spec.kind == SCOPED else None) != 200:
            continue
        url = url_for(name, spec, world, "egen" if spec.kind == SCOPED else None)
        status, n = count(client_as(client, world, role), url, params)
        assert status == 200, (name, role, status)
        out[role] = n
    return out


@pytest.mark.parametrize("name", PAGES)
def test_queries_do_not_grow_with_rows(client, world, name):
    grow(world, 1)  # some rows of every kind (an empty list skips its prefetches)
    small = measure(client, world, name)
    assert small, f"{name}: no role reads it"
    grow(world, 10)
    large = measure(client, world, name)
    assert large == small, f"{name}: queries {small} with few rows, {large} with many"
    assert max(large.values()) <= MAX_QUERIES, f"{name}: {large}"


@pytest.mark.parametrize("name", EXPORTS)
def test_export_queries_do_not_grow_with_rows(client, world, name):
    params = URLS[name].export
    grow(world, 1)
    small = measure(client, world, name, params)
    grow(world, 10)
    large = measure(client, world, name, params)
    assert large == small and max(large.values()) <= MAX_QUERIES, (small, large)


def test_overview_with_every_filter(client, world):
    fylke = world.kommune("egen").fylke
    params = {"aar": 2025, "fylke": fylke.pk, "statsforvalter": fylke.statsforvalter_id, "status": "vedtak_delvis",
              "under": "on", "forrige": "on", "hele_landet": "on", "q": "a", "vis_tjenester": "on",
              "har_asylmottak": "on", "har_press": "on"}
    grow(world, 1)
    small = measure(client, world, "rapporter:oversikt", params)
    grow(world, 10)
    large = measure(client, world, "rapporter:oversikt", params)
    assert large == small and max(large.values()) <= MAX_QUERIES, (small, large)
