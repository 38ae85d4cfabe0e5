"""Downloads of the settlement plan's pages (issue #17): the pipeline's table (/plan/eksport/) has
the page's rows in the user's scope in a constant number of queries; a kommune's plan against
settled (/kommuner/<nr>/plan/eksport/) for the kommune's readers only."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bosetting.models import Bosettingsplan
from bosetting.plan import neste_maaneder
from bosetting.services import MAANEDSNAVN, bosatt_register, plan_register
from core.models import Rolle
from tests.factories import kommune, profil_user

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("bosetting:plan_pipeline_export")


def plan_export_url(nummer="3101"):
    return reverse("bosetting:plan_export", args=[nummer])


def _plan_next(nummer, plasser, boliger=None):
    for (aar, maaned), n in zip(neste_maaneder(3), plasser, strict=True):
        if n is not None:
            plan_register(kommune=kommune(nummer), aar=aar, maaneder={maaned: (n, boliger)})


def rows_of(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def office():
    from kommuner.models import Statsforvalter
    from tests.test_access_matrix import OFFICE

    return Statsforvalter.objects.get(navn=OFFICE)


def test_the_pipeline_download_has_the_pages_rows_in_the_users_scope(client, office):
    _plan_next("3101", [2, None, 4], boliger=1)  # Halden: no plan the second month (blank, not 0)
    _plan_next("3103", [1, 0, 1])  # Moss, same office
    _plan_next("4601", [10, 10, 10])  # Bergen, elsewhere
    (a1, m1), (a2, m2), (a3, m3) = neste_maaneder(3)
    client.force_login(profil_user(Rolle.STATSFORVALTER, statsforvalter=office))
    header, *rows = rows_of(client.get(EXPORT_URL))
    assert header == ["Kommunenummer", "Kommune", "Fylke", f"{MAANEDSNAVN[m1 - 1]} {a1}", f"{MAANEDSNAVN[m2 - 1]} {a2}",
                      f"{MAANEDSNAVN[m3 - 1]} {a3}", "Sum tre måneder", "Boliger"]
    assert rows == [["3101", "Halden", "Østfold", "2", "", "4", "6", "2"],
                    ["3103", "Moss", "Østfold", "1", "0", "1", "2", ""],
                    ["", "Sum Østfold", "Østfold", "3", "0", "5", "8", ""],
                    ["", "Sum", "", "3", "0", "5", "8", ""]]
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune("3103")], username="moss"))
    assert [r[0] for r in rows_of(client.get(EXPORT_URL))[1:]] == ["3103", "", ""]
    client.force_login(profil_user(Rolle.IMDI))
    rows = rows_of(client.get(EXPORT_URL))[1:]
    assert [r[0] for r in rows if r[0]] == ["3101", "3103", "4601"]
    assert rows[-1] == ["", "Hele landet", "", "13", "10", "15", "38", ""]
    # The page's fylke choice.
    assert [r[0] for r in rows_of(client.get(EXPORT_URL, {"fylke": "46"}))[1:]] == ["4601", "", ""]
    # A user bound to no kommune gets the headers only.
    client.force_login(profil_user(Rolle.KOMMUNE, username="ingen"))
    assert len(rows_of(client.get(EXPORT_URL))) == 1


def test_the_pipeline_download_as_xlsx(client, admin_user):
    _plan_next("3101", [2, 3, 4])
    client.force_login(admin_user)
    response = client.get(EXPORT_URL, {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "Kommunenummer"
    assert ["3101", "Halden", "Østfold", 2, 3, 4, 9, None] in values


def test_the_pipeline_download_reads_a_constant_number_of_queries(client, admin_user):
    from kommuner.models import Kommune

    numbers = list(Kommune.objects.filter(gyldig_til__isnull=True).order_by("nummer")
                   .values_list("nummer", flat=True)[:30])
    client.force_login(admin_user)
    counts = []
    for n in (3, 30):
        for nummer in numbers[:n]:
            if not Bosettingsplan.objects.filter(kommune__nummer=nummer).exists():
                _plan_next(nummer, [1, 2, 3])
        client.get(EXPORT_URL)
        with CaptureQueriesContext(connection) as ctx:
            rows = rows_of(client.get(EXPORT_URL))
        assert rows[-1][3:7] == [str(n), str(2 * n), str(3 * n), str(6 * n)]
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_kommune_plan_download_is_plan_against_settled(client):
    halden = kommune("3101")
    bosatt_register(kommune=halden, aar=2025, maaned=1, antall=3)
    bosatt_register(kommune=halden, aar=2025, maaned=2, antall=4)
    plan_register(kommune=halden, aar=2025, maaneder={1: (5, 2), 2: (2, None), 3: (6, None)})
    user = profil_user(Rolle.KOMMUNE, kommuner=[halden])
    client.force_login(user)
    header, *rows = rows_of(client.get(plan_export_url(), {"aar": 2025}))
    assert header == ["Måned", "Plasser klare", "Boliger", "Bosatt", "Plan akkumulert", "Bosatt akkumulert"]
    assert rows[:4] == [["januar", "5", "2", "3", "5", "3"], ["februar", "2", "", "4", "7", "7"],
                        ["mars", "6", "", "", "13", ""], ["april", "", "", "", "13", ""]]
    assert len(rows) == 12
    # The plan page links to it.
    assert f'{plan_export_url()}?aar=2025&amp;format=xlsx' in client.get(
        reverse("bosetting:plan", args=["3101"]), {"aar": 2025}).content.decode()
    # Another kommune's plan is out of scope: 404.
    assert client.get(plan_export_url("4601"), {"aar": 2025}).status_code == 404
