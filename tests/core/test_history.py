"""The change history: recorded by the services, read through scoped views and the admin."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bosetting.services import bosatt_register
from core.models import Endring, Rolle
from core.services import profil_save
from kommuner.models import Kommune, Statsforvalter
from tests.factories import UserFactory, kommune, profil_user
from vedtak.services import anmodning_register, vedtak_register, vedtak_update

pytestmark = pytest.mark.django_db
HISTORY = reverse("rapporter:endring_list")


def kommune_history(nummer):
    return reverse("rapporter:kommune_historikk", args=[nummer])


@pytest.fixture
def halden_user():
    return profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")])


@pytest.fixture
def data(halden_user):
    """Changes in Halden (3101), Bergen (4601) and on Askim (0124, now Indre Østfold)."""
    v = vedtak_register(kommune=kommune("3101"), aar=2025, antall=20, by=halden_user)
    vedtak_update(vedtak=v, antall=25, saksnummer="25/123", by=halden_user)
    vedtak_register(kommune=kommune("4601"), aar=2025, antall=300)
    bosatt_register(kommune=kommune("0124"), aar=2019, maaned=0, antall=7)
    return v


def rows(response):
    return [r.record for r in response.context["table"].page.object_list]


def test_vedtak_edit_shows_old_and_new_value_and_user_on_the_kommune_history(client, halden_user, data):
    client.force_login(halden_user)
    response = client.get(kommune_history("3101"))
    assert response.status_code == 200
    entry = next(e for e in rows(response) if e.handling == "vedtak.endret")
    assert entry.bruker == halden_user and entry.endringer["antall"] == [20, 25]
    body = response.content.decode()
    assert "Antall personer</strong>: 20 → 25" in body
    assert "Saksnummer</strong>: tom → 25/123" in body
    assert halden_user.get_full_name() in body
    assert "<caption>" in body


def test_history_list_does_not_leak_other_kommuners_changes(client, halden_user, data):
    client.force_login(halden_user)
    seen = {e.kommune.nummer for e in rows(client.get(HISTORY))}
    assert seen == {"3101"}
    # Another kommune's history page is "not found", and so is a tampered kommune filter.
    assert client.get(kommune_history("4601")).status_code == 404
    response = client.get(HISTORY, {"kommune": kommune("4601").pk})
    assert response.status_code == 200
    assert rows(response) == []
    assert "kommune" in response.context["filter"].form.errors


def test_kommune_history_includes_predecessors(client, data):
    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3118")])
    client.force_login(user)
    response = client.get(kommune_history("3118"))
    assert {e.kommune.nummer for e in rows(response)} == {"0124"}
    assert client.get(kommune_history("0124")).status_code == 200  # the predecessor's own page


def test_statsforvalter_sees_its_office_only_and_national_roles_everything(client, data):
    office = Statsforvalter.objects.get(kortnavn__contains="Østfold")
    client.force_login(profil_user(Rolle.STATSFORVALTER, statsforvalter=office))
    assert {e.kommune.nummer for e in rows(client.get(HISTORY))} == {"3101", "0124"}
    client.force_login(profil_user(Rolle.KS))
    assert {e.kommune.nummer for e in rows(client.get(HISTORY))} == {"3101", "4601", "0124"}


def test_role_changes_are_for_administrators_only(client, admin_user):
    target = UserFactory()
    profil_save(user=target, rolle=Rolle.IMDI, by=admin_user)
    client.force_login(profil_user(Rolle.KS))
    assert not [e for e in rows(client.get(HISTORY)) if e.handling.startswith("bruker.")]
    client.force_login(admin_user)
    assert [e for e in rows(client.get(HISTORY)) if e.handling.startswith("bruker.")]


def test_filters_by_handling_user_and_date(client, halden_user, data):
    client.force_login(profil_user(Rolle.IMDI))
    response = client.get(HISTORY, {"handling": "vedtak.endret"})
    assert [e.handling for e in rows(response)] == ["vedtak.endret"]
    response = client.get(HISTORY, {"bruker": halden_user.pk})
    assert {e.bruker_id for e in rows(response)} == {halden_user.pk} and len(rows(response)) == 2
    today = datetime.date.today()
    assert len(rows(client.get(HISTORY, {"fra": today.isoformat()}))) == 4
    assert rows(client.get(HISTORY, {"til": (today - datetime.timedelta(days=1)).isoformat()})) == []


def test_history_list_query_count_is_constant(client, halden_user):
    client.force_login(halden_user)
    counts = []
    for n in (3, 30):
        Endring.objects.all().delete()
        for i in range(n):
            anmodning_register(kommune=kommune("3101"), aar=2025, antall=10 + i, by=None,
                               dato_sendt=datetime.date(2024, 11, 1))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(HISTORY)
        assert len(rows(response)) == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_admin_shows_history_read_only_and_per_object(client, admin_user, data):
    client.force_login(admin_user)
    response = client.get(reverse("admin:core_endring_changelist"))
    assert response.status_code == 200
    entry = Endring.objects.filter(handling="vedtak.endret").get()
    page = client.get(reverse("admin:core_endring_change", args=[entry.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<td>20</td><td>25</td>" in body
    assert client.post(reverse("admin:core_endring_change", args=[entry.pk]), {}).status_code == 403
    assert client.get(reverse("admin:core_endring_add")).status_code == 403
    # Per object: the changelist filtered on one vedtak.
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(data)
    response = client.get(reverse("admin:core_endring_changelist"),
                          {"content_type__id__exact": ct.pk, "object_id": data.pk})
    assert response.status_code == 200
    assert {e.handling for e in response.context["cl"].result_list} == {"vedtak.registrert", "vedtak.endret"}


def test_admin_history_is_scoped_for_staff_with_a_scoped_role(client, data):
    from django.contrib.auth.models import Permission

    staff = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_endring"))
    client.force_login(staff)
    response = client.get(reverse("admin:core_endring_changelist"))
    assert response.status_code == 200
    assert {e.kommune.nummer for e in response.context["cl"].result_list} == {"3101"}
    other = Endring.objects.filter(kommune__nummer="4601").first()
    response = client.get(reverse("admin:core_endring_change", args=[other.pk]))
    assert response.status_code == 302  # the admin's "does not exist" (no leak)
    assert Kommune.objects.for_user(staff).filter(nummer="4601").count() == 0
