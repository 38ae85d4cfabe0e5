"""ScopedAdminMixin: the admin for case data obeys the same scope as the pages."""

import logging

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.models import Endring, Rolle
from tests.factories import kommune, profil_user
from vedtak.models import Vedtak
from vedtak.services import anmodning_register, vedtak_register

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.scoped_admin_urls")]


def url(name, *args):
    return reverse(f"scopetest:vedtak_vedtak_{name}", args=args)


@pytest.fixture
def vedtak():
    return {nr: vedtak_register(kommune=kommune(nr), aar=2025, antall=10) for nr in ("3101", "3103")}


@pytest.fixture
def staff_halden():
    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_vedtak", "change_vedtak",
                                                                        "add_vedtak", "delete_vedtak"]))
    return user


def form_data(v, **changes):
    data = {"kommune": v.kommune_id, "aar": v.aar, "antall": v.antall, "anmodning": "", "saksnummer": ""}
    data.update(changes)
    return data


def test_changelist_shows_only_rows_in_scope(client, staff_halden, admin_user, vedtak):
    client.force_login(staff_halden)
    response = client.get(url("changelist"))
    assert response.status_code == 200
    assert [v.kommune.nummer for v in response.context["cl"].result_list] == ["3101"]
    client.force_login(admin_user)
    assert len(client.get(url("changelist")).context["cl"].result_list) == 2


def test_other_kommunes_object_is_not_found_and_cannot_be_changed(client, staff_halden, vedtak, caplog):
    client.force_login(staff_halden)
    other = vedtak["3103"]
    assert client.get(url("change", other.pk)).status_code == 302  # "does not exist"
    response = client.post(url("change", other.pk), form_data(other, antall=99))
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.antall == 10
    with caplog.at_level(logging.WARNING, logger="bosetting.access"):
        assert client.get(url("history", other.pk)).status_code == 302
    assert any("action=admin" in r.getMessage() and "vedtak.Vedtak" in r.getMessage() for r in caplog.records)


def test_foreign_key_choices_are_scoped_and_a_tampered_kommune_is_refused(client, staff_halden, vedtak):
    other_anmodning = anmodning_register(kommune=kommune("3103"), aar=2025, antall=5)
    client.force_login(staff_halden)
    own = vedtak["3101"]
    form = client.get(url("change", own.pk)).context["adminform"].form
    assert set(form.fields["kommune"].queryset.values_list("nummer", flat=True)) >= {"3101", "0101", "3001"}
    assert not form.fields["kommune"].queryset.filter(nummer="3103").exists()
    assert not form.fields["anmodning"].queryset.filter(pk=other_anmodning.pk).exists()
    response = client.post(url("change", own.pk), form_data(own, kommune=kommune("3103").pk, antall=11))
    assert response.status_code == 200 and "kommune" in response.context["adminform"].form.errors
    response = client.post(url("change", own.pk), form_data(own, anmodning=other_anmodning.pk))
    assert "anmodning" in response.context["adminform"].form.errors
    own.refresh_from_db()
    assert own.kommune.nummer == "3101" and own.antall == 10


def test_save_in_scope_records_history(client, staff_halden, vedtak):
    client.force_login(staff_halden)
    own = vedtak["3101"]
    response = client.post(url("change", own.pk), form_data(own, antall=12, saksnummer="25/1"))
    assert response.status_code == 302
    entry = Endring.objects.for_object(own).filter(handling="vedtak.endret").get()
    assert entry.bruker == staff_halden and entry.endringer["antall"] == [10, 12]


def test_save_model_rechecks_scope_inside_the_transaction(rf, vedtak):
    """Even if the form were bypassed, the save refuses another kommune (403, logged)."""
    from django.core.exceptions import PermissionDenied
    from django.db import transaction

    from tests.core.scoped_admin_urls import site

    user = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")], is_staff=True)
    request = rf.post("/")
    request.user = user
    model_admin = site._registry[Vedtak]
    other = vedtak["3103"]
    other.antall = 50
    with pytest.raises(PermissionDenied), transaction.atomic():
        model_admin.save_model(request, other, form=None, change=True)
    moved = vedtak["3101"]
    moved.kommune = kommune("3103")
    with pytest.raises(PermissionDenied), transaction.atomic():
        model_admin.save_model(request, moved, form=None, change=True)
    assert set(Vedtak.objects.values_list("antall", "kommune__nummer")) == {(10, "3101"), (10, "3103")}


def test_roles_without_the_write_action_only_view(client, vedtak):
    user = profil_user(Rolle.KS, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_vedtak", "change_vedtak"]))
    client.force_login(user)
    own = vedtak["3101"]
    assert len(client.get(url("changelist")).context["cl"].result_list) == 2  # KS reads everything
    response = client.post(url("change", own.pk), form_data(own, antall=77))
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.antall == 10


def test_delete_records_history(client, staff_halden, vedtak):
    client.force_login(staff_halden)
    own = vedtak["3101"]
    response = client.post(url("delete", own.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Vedtak.objects.filter(pk=own.pk).exists()
    assert Endring.objects.for_object(own).filter(handling="vedtak.slettet", bruker=staff_halden).exists()
