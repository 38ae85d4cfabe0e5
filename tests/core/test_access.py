"""Roles, scope, the user admin and the history of role changes."""

import logging

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.access import can, check_kommune_writable, kommune_scope_q, role_of, scope_label
from core.models import Endring, Profil, Rolle
from core.services import profil_save
from kommuner.models import Kommune, KommuneOvergang, Statsforvalter
from tests.factories import UserFactory, kommune, profil_user

pytestmark = pytest.mark.django_db

OFFICE = "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus"


@pytest.fixture
def office():
    return Statsforvalter.objects.get(navn=OFFICE)


def visible_numbers(user):
    return set(Kommune.objects.for_user(user).values_list("nummer", flat=True))


def with_predecessors(numbers):
    """The given (today's) kommuner and every historic kommune that became one of them, read
    straight from the register's transitions (not through core.access)."""
    numbers = set(numbers)
    return numbers | set(KommuneOvergang.objects.filter(gjeldende__nummer__in=numbers)
                         .values_list("historisk__nummer", flat=True))


def office_numbers(office):
    """Today's kommuner in the office's fylker, computed from the register's own fields."""
    return {k.nummer for k in Kommune.objects.select_related("fylke")
            if k.gyldig_til is None and k.fylke.statsforvalter_id == office.pk}


def test_anonymous_and_roleless_users_see_no_kommune(user):
    from django.contrib.auth.models import AnonymousUser

    assert visible_numbers(AnonymousUser()) == set()
    assert visible_numbers(user) == set()
    assert kommune_scope_q(user)  # a filter (that matches nothing), not the empty "everything" Q
    assert role_of(user) is None and not can(user, "sak")


def test_statsforvalter_without_an_office_sees_nothing():
    assert visible_numbers(profil_user(Rolle.STATSFORVALTER)) == set()


@pytest.mark.parametrize("rolle", [Rolle.KS, Rolle.IMDI, Rolle.ADMINISTRATOR])
def test_national_roles_see_every_kommune(rolle):
    user = profil_user(rolle)
    assert not kommune_scope_q(user)  # an empty Q: no filter
    every = set(Kommune.objects.values_list("nummer", flat=True))
    assert visible_numbers(user) == every
    assert {"0124", "0711", "4601"} <= every  # historic (Askim, Svelvik) and today's (Bergen)


def test_superuser_is_administrator(admin_user):
    assert role_of(admin_user) == Rolle.ADMINISTRATOR
    assert can(admin_user, "brukere")
    assert not kommune_scope_q(admin_user)


def test_statsforvalter_sees_its_offices_kommuner_and_their_predecessors(office):
    user = profil_user(Rolle.STATSFORVALTER, statsforvalter=office)
    seen = visible_numbers(user)
    assert seen == with_predecessors(office_numbers(office))
    assert {"3101", "0301", "3118", "3301"} <= seen  # Østfold, Oslo, Buskerud
    assert "0124" in seen  # Askim, now part of Indre Østfold
    assert "0711" in seen  # Svelvik, a Vestfold kommune that became part of Drammen (Buskerud)
    assert "4601" not in seen and "5001" not in seen  # Bergen, Trondheim
    assert "0701" not in seen  # Horten (Vestfold): another office's historic number


def test_statsforvalter_offices_do_not_overlap_on_todays_kommuner():
    """Every one of today's kommuner is seen by exactly one office."""
    todays = set(Kommune.objects.gjeldende().values_list("nummer", flat=True))
    seen_by = {}
    for office in Statsforvalter.objects.all():
        for nummer in visible_numbers(profil_user(Rolle.STATSFORVALTER, statsforvalter=office)) & todays:
            seen_by.setdefault(nummer, []).append(office.kortnavn)
    assert set(seen_by) == todays
    assert {n: o for n, o in seen_by.items() if len(o) > 1} == {}


def test_kommune_user_may_hold_several_kommuner():
    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3118"), kommune("3116")])
    seen = visible_numbers(user)
    assert seen == with_predecessors({"3118", "3116"})
    assert {"3118", "3116", "0124", "3014"} <= seen  # with Askim and the Indre Østfold of 2020–2023
    assert "3101" not in seen
    assert scope_label(user) == "Kommune: Skiptvet, Indre Østfold"


def test_kommune_user_sees_a_split_kommune_from_either_successor():
    """0720 Stokke was split between Sandefjord and Tønsberg; each successor's users see it."""
    successors = set(KommuneOvergang.objects.filter(historisk__nummer="0720")
                     .values_list("gjeldende__nummer", flat=True))
    assert len(successors) == 2
    for nummer in successors:
        seen = visible_numbers(profil_user(Rolle.KOMMUNE, kommuner=[kommune(nummer)]))
        assert seen == with_predecessors({nummer})
        assert "0720" in seen and not (successors - {nummer}) & seen


def test_write_rights_per_role(office):
    assert can(profil_user(Rolle.KOMMUNE, kommuner=[kommune()]), "sak")
    assert not can(profil_user(Rolle.KOMMUNE, kommuner=[kommune()]), "anmodning")
    assert can(profil_user(Rolle.IMDI), "anmodning") and not can(profil_user(Rolle.IMDI), "sak")
    assert can(profil_user(Rolle.KS), "dialog") and not can(profil_user(Rolle.KS), "sak")
    assert can(profil_user(Rolle.STATSFORVALTER, statsforvalter=office), "dialog")


def test_out_of_scope_write_is_refused_and_logged(caplog):
    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")])
    with caplog.at_level(logging.WARNING, logger="bosetting.access"), pytest.raises(PermissionDenied):
        check_kommune_writable(user, kommune("3103"), "sak")
    record = caplog.records[-1]
    assert record.name == "bosetting.access"
    assert f"user={user.pk}" in record.getMessage() and "kommuner.Kommune:" in record.getMessage()
    assert user.username not in record.getMessage()  # ids only, nothing personal
    check_kommune_writable(user, kommune("3101"), "sak")  # own kommune passes


def test_profil_save_sets_group_and_records_history(office, admin_user):
    user = UserFactory()
    profil_save(user=user, rolle=Rolle.STATSFORVALTER, statsforvalter=office, by=admin_user)
    assert list(user.groups.values_list("name", flat=True)) == ["Statsforvalter"]
    profil_save(user=user, rolle=Rolle.KOMMUNE, kommuner=[kommune("3101")], by=admin_user)
    assert list(user.groups.values_list("name", flat=True)) == ["Kommune"]
    entry = Endring.objects.for_object(user).first()
    assert entry.bruker == admin_user and entry.handling == "bruker.tilgang_endret"
    assert entry.endringer["rolle"] == ["Statsforvalter", "Kommune"]
    assert entry.endringer["kommuner"] == [[], ["3101"]]
    assert entry.endringer["statsforvalter"] == [office.kortnavn, None]


def test_profil_save_validates_scope(office):
    user = UserFactory()
    with pytest.raises(ValidationError, match="minst én kommune"):
        profil_save(user=user, rolle=Rolle.KOMMUNE)
    with pytest.raises(ValidationError, match="ett embete"):
        profil_save(user=user, rolle=Rolle.STATSFORVALTER)
    with pytest.raises(ValidationError, match="historiske"):
        profil_save(user=user, rolle=Rolle.KOMMUNE, kommuner=[kommune("0124")])
    assert not Profil.objects.filter(user=user).exists()


def test_only_administrators_may_change_roles():
    ks = profil_user(Rolle.KS)
    with pytest.raises(PermissionDenied):
        profil_save(user=UserFactory(), rolle=Rolle.KS, by=ks)


def test_admin_user_form_changes_role_and_records_history_in_one_go(client, admin_user, office):
    target = profil_user(Rolle.KS)
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200 and "rolle og tilgang" in page.content.decode().lower()
    data = {
        "username": target.username, "first_name": target.first_name, "last_name": target.last_name,
        "email": target.email, "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00",
        "profil-TOTAL_FORMS": "1", "profil-INITIAL_FORMS": "1", "profil-MIN_NUM_FORMS": "1",
        "profil-MAX_NUM_FORMS": "1", "profil-0-id": target.profil.pk, "profil-0-user": target.pk,
        "profil-0-rolle": "Statsforvalter", "profil-0-statsforvalter": office.pk, "profil-0-varsler_paa": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    target.refresh_from_db()
    assert target.profil.rolle == Rolle.STATSFORVALTER
    assert list(target.groups.values_list("name", flat=True)) == ["Statsforvalter"]
    entry = Endring.objects.for_object(target).get()
    assert entry.bruker == admin_user and entry.endringer["rolle"] == ["KS", "Statsforvalter"]

    # A Kommune role without a kommune is refused with a clear message; nothing changes.
    data["profil-0-rolle"], data["profil-0-statsforvalter"] = "Kommune", ""
    response = client.post(url, data)
    assert response.status_code == 200
    assert "minst én kommune" in response.content.decode()
    assert Endring.objects.for_object(target).count() == 1


def test_user_admin_is_for_administrators_only(client, office):
    staff = profil_user(Rolle.IMDI, is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_seed_demo_creates_one_user_per_role(monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("DEMO_PASSWORD", "Et-sterkt-demopassord-1")
    call_command("seed_demo")
    recorded = Endring.objects.count()
    call_command("seed_demo")
    expected = {"demo-admin": "Administrator", "demo-ks": "KS", "demo-imdi": "IMDi",
                "demo-statsforvalter": "Statsforvalter", "demo-halden": "Kommune", "demo-indre": "Kommune"}
    for username, group in expected.items():
        assert Group.objects.get(name=group).user_set.filter(username=username).exists(), username
    assert visible_numbers(Profil.objects.get(user__username="demo-halden").user) >= {"3101", "0101", "3001"}
    assert Profil.objects.get(user__username="demo-statsforvalter").statsforvalter.navn == OFFICE
    assert sorted(Profil.objects.get(user__username="demo-indre").kommuner.values_list("nummer", flat=True)) == [
        "3116", "3118"]
    # Idempotent: the second run changed nothing, so it recorded nothing.
    assert Endring.objects.count() == recorded
