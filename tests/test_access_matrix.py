"""The generated access matrix: every URL of the project × every role × in/out of scope.

URL classifications live in tests/access_registry.py (read its docstring to add a view). The
expected answers below are written out by hand, independent of core.access, so a change in
the scope rules that lets a role see or write more shows up here.
"""

import csv
import io
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import Profil, Rolle
from tests.access_registry import ADMIN, OPEN, SCOPED, URLS

ROLES = ["anonym", "uten_rolle", "admin", "ks", "imdi", "statsforvalter", "kommune"]
SIGNED_IN_ROLES = [r for r in ROLES if r != "anonym"]
SCOPES = {"egen": "3101", "nabo": "3103", "fjern": "4601"}
OFFICE = "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus"

# Which kommuner' case details each role reads ("egen" Halden, "nabo" Moss, "fjern" Bergen).
READS = {
    "uten_rolle": set(),
    "admin": {"egen", "nabo", "fjern"},
    "ks": {"egen", "nabo", "fjern"},
    "imdi": {"egen", "nabo", "fjern"},
    "statsforvalter": {"egen", "nabo"},
    "kommune": {"egen"},
}
# Who may perform each write action (on what it can read).
WRITERS = {
    "sak": {"admin", "kommune"},
    "dialog": {"admin", "ks", "statsforvalter"},
    "anmodning": {"admin", "imdi"},
    "aarslaas": {"admin", "imdi"},
    "brukere": {"admin"},
    "plan": {"admin", "imdi", "statsforvalter", "kommune"},
}
# Models whose admin never offers "add" (history, login records).
ADMIN_MODEL_VIEWS = ("changelist", "add", "change", "history", "delete")
# Plus django-import-export's views on the admins that offer them (core.admin.ImportExportAdminMixin):
# "import" (the form and its preview), "process_import" (the confirm step, POST only), "export".
# Anonymous users meet the site's login first (LoginRequiredMiddleware); signed-in non-staff the admin's.
LOGINS = ("/logg-inn/", "/admin/login/")


# --- The URL resolver --------------------------------------------------------------------


def walk(patterns, namespace=None, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace]))
            yield from walk(p.url_patterns, ns or None, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield name, prefix + str(p.pattern)


def admin_model_names():
    """admin:<app>_<model>_<view> for every registered ModelAdmin → (model, view)."""
    from import_export.admin import ExportMixin, ImportMixin

    names = {}
    for model, model_admin in admin.site._registry.items():
        views = list(ADMIN_MODEL_VIEWS)
        if isinstance(model_admin, ImportMixin):
            views += ["import", "process_import"]
        if isinstance(model_admin, ExportMixin):
            views += ["export"]
        for view in views:
            names[f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"] = (model, view)
    return names


ALL_URLS = list(walk(get_resolver().url_patterns))
NAMED = sorted({name for name, _ in ALL_URLS if name})
ADMIN_MODELS = admin_model_names()


def test_every_url_is_classified():
    unclassified = [n for n in NAMED if n not in URLS and n not in ADMIN_MODELS]
    assert unclassified == [], (
        f"Uklassifiserte URL-er: {unclassified}. Legg dem inn i tests/access_registry.py (se toppen av filen)."
    )
    # Unnamed patterns only where the admin adds them (redirects to the change page, catch-all).
    unnamed = [route for name, route in ALL_URLS if not name and not route.startswith("admin/")]
    assert unnamed == [], f"URL-er uten navn kan ikke klassifiseres: {unnamed}"


def test_registry_has_no_stale_entries():
    assert sorted(set(URLS) - set(NAMED)) == []


def test_case_data_admins_are_scoped():
    """Every ModelAdmin for a model that belongs to a kommune uses ScopedAdminMixin."""
    from core.admin import ScopedAdminMixin
    from kommuner.models import Kommune

    unscoped = [
        model._meta.label for model, model_admin in admin.site._registry.items()
        if model is not Kommune and any(getattr(f, "related_model", None) is Kommune and f.name == "kommune"
                                        for f in model._meta.get_fields())
        and model._meta.label != "core.Endring"  # scoped by its own get_queryset (tested)
        and not isinstance(model_admin, ScopedAdminMixin)
    ]
    assert unscoped == []


# --- The world: one user per role and case data in three kommuner ------------------------


@dataclass
class World:
    users: dict
    kommuner: dict

    def kommune(self, scope):
        return self.kommuner[scope]


def make_user(username, rolle=None, *, superuser=False, kommuner=(), office=None):
    # No password hashing: the matrix signs in with force_login.
    user = get_user_model().objects.create(username=username, is_staff=superuser, is_superuser=superuser,
                                           first_name=username.capitalize())
    if rolle:
        profil = Profil.objects.create(user=user, rolle=rolle, statsforvalter=office)
        profil.kommuner.set(kommuner)
        user.groups.add(Group.objects.get_or_create(name=rolle)[0])
    return user


@pytest.fixture
def world(db):
    from kommuner.models import Kommune, Statsforvalter
    from vedtak.services import vedtak_register

    kommuner = {scope: Kommune.objects.get(nummer=nr) for scope, nr in SCOPES.items()}
    office = Statsforvalter.objects.get(navn=OFFICE)
    users = {
        "uten_rolle": make_user("m-uten-rolle"),
        "admin": make_user("m-admin", superuser=True),
        "ks": make_user("m-ks", Rolle.KS),
        "imdi": make_user("m-imdi", Rolle.IMDI),
        "statsforvalter": make_user("m-sf", Rolle.STATSFORVALTER, office=office),
        "kommune": make_user("m-kommune", Rolle.KOMMUNE, kommuner=[kommuner["egen"]]),
    }
    for k in kommuner.values():
        vedtak_register(kommune=k, aar=2025, antall=10)  # case data (and history) in every kommune
    return World(users=users, kommuner=kommuner)


def client_as(client, world, role):
    client.logout()
    if role != "anonym":
        client.force_login(world.users[role])
    return client


# --- Expected answers -----------------------------------------------------------------------


def expected_get(spec, role, scope):
    if spec.kind == SCOPED and role not in ("anonym",) and scope not in READS[role]:
        return 404  # out of scope is never revealed, whatever else the view does
    if role in spec.expect:
        return spec.expect[role]
    if role != "anonym" and "*signed_in" in spec.expect:
        return spec.expect["*signed_in"]
    if spec.kind == OPEN:
        return spec.get_ok
    if role == "anonym":
        return 302
    if spec.kind == ADMIN:
        return spec.get_ok if role == "admin" else 302
    if spec.form and role not in WRITERS[spec.write]:
        return 403
    return spec.get_ok


def expected_post(spec, role, scope):
    if role == "anonym":
        return 302
    if spec.kind == SCOPED and scope not in READS[role]:
        return 404
    if role not in WRITERS[spec.write]:
        return 403
    return spec.post_ok


def url_for(name, spec, world, scope):
    kwargs = {}
    if spec.kwargs:
        kwargs = spec.kwargs(world, world.kommune(scope) if spec.kind == SCOPED else None)
    return reverse(name, kwargs=kwargs)


def scopes_for(spec):
    return list(SCOPES) if spec.kind == SCOPED else [None]


# --- The matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(URLS))
def test_get_matrix(client, world, name):
    assert get_matrix_failures(client, world, name, URLS[name]) == []


def get_matrix_failures(client, world, name, spec):
    wrong = []
    for role in ROLES:
        for scope in scopes_for(spec):
            url = url_for(name, spec, world, scope)
            response = client_as(client, world, role).get(url)
            want = expected_get(spec, role, scope)
            if response.status_code != want:
                wrong.append(f"{role}/{scope}: GET {url} → {response.status_code}, ventet {want}")
            elif want == 302 and role == "anonym" and spec.kind != OPEN and not response.url.startswith(LOGINS):
                wrong.append(f"{role}: GET {url} sendte til {response.url}, ikke innlogging")
    return wrong


def post_matrix_failures(client, world, name, spec):
    wrong = []
    for role in ROLES:
        for scope in scopes_for(spec):
            url = url_for(name, spec, world, scope)
            before = spec.written(world)
            response = client_as(client, world, role).post(url, spec.post(world, world.kommune(scope or "egen")))
            want = expected_post(spec, role, scope)
            allowed = role != "anonym" and want == spec.post_ok
            after = spec.written(world)
            if response.status_code != want:
                wrong.append(f"{role}/{scope}: POST {url} → {response.status_code}, ventet {want}")
            if not allowed and after != before:
                wrong.append(f"{role}/{scope}: POST {url} ble avvist, men skrev likevel")
            if allowed and after == before:
                wrong.append(f"{role}/{scope}: POST {url} skulle skrive, men skrev ikke")
    return wrong


def scoped_writer(action):
    """The role that may perform the action but only on some kommuner: the one tampering could help."""
    return next((role for role in ("kommune", "statsforvalter") if role in WRITERS[action]), None)


def tamper_failures(client, world, name, spec):
    role = scoped_writer(spec.write)
    if role is None:
        return [f"{name}: ingen rolle med avgrenset omfang kan «{spec.write}», så tamper prøver ingenting"]
    client_as(client, world, role)
    url = url_for(name, spec, world, "egen")
    counted = spec.tamper_written or spec.written
    variants = spec.tamper(world)
    wrong = []
    for tampered in variants if isinstance(variants, list) else [variants]:
        before = counted(world)
        response = client.post(url, {**spec.post(world, world.kommune("egen")), **tampered})
        if response.status_code not in (200, 302, 400, 403, 404):
            wrong.append(f"{role}: POST {name} med {tampered} → {response.status_code}")
        if counted(world) != before:
            wrong.append(f"{role}: POST {name} med {tampered} skrev likevel")
    # The control: the same post on the own kommune writes, so the refusals above were the tampering's.
    before = spec.written(world)
    client.post(url, spec.post(world, world.kommune("egen")))
    if spec.written(world) == before:
        wrong.append(f"{role}: POST {name} uten endret kommune skrev ikke; kontrollen beviser ingenting")
    return wrong


WRITE_URLS = sorted(n for n, s in URLS.items() if s.write)
TAMPER_URLS = sorted(n for n, s in URLS.items() if s.tamper)


def test_every_scoped_write_is_tampered():
    """Each write a scope-bound role may make is also tried with another kommune in its body."""
    assert sorted(n for n in WRITE_URLS if scoped_writer(URLS[n].write) and n not in TAMPER_URLS) == []


@pytest.mark.parametrize("name", WRITE_URLS)
def test_post_matrix_nothing_written_when_refused(client, world, name):
    assert post_matrix_failures(client, world, name, URLS[name]) == []


@pytest.mark.parametrize("name", TAMPER_URLS)
def test_tampered_kommune_in_form_is_refused(client, world, name):
    assert tamper_failures(client, world, name, URLS[name]) == []


@pytest.mark.urls("tests.matrix_sample_urls")
def test_post_machinery_on_a_sample_view(client, world):
    """The POST and tampering checks catch what they should, on a view written like the apps'."""
    from tests.access_registry import Url, kommune_kwargs
    from vedtak.models import Vedtak

    spec = Url(SCOPED, kwargs=kommune_kwargs, form=True, write="sak", post=lambda w, k: {"antall": 7},
               written=lambda w: Vedtak.objects.count(), tamper=lambda w: {"kommune": w.kommune("nabo").pk})
    assert get_matrix_failures(client, world, "sample_vedtak_create", spec) == []
    assert post_matrix_failures(client, world, "sample_vedtak_create", spec) == []
    assert tamper_failures(client, world, "sample_vedtak_create", spec) == []
    # Writes happened exactly for the writers on what they can read: admin ×3, kommune ×1, and the
    # kommune user's untampered control post.
    assert Vedtak.objects.filter(antall=7).count() == 5
    # And the checks fail where they should: a spec claiming KS may write is caught.
    wrong = post_matrix_failures(client, world, "sample_vedtak_create",
                                 Url(SCOPED, kwargs=kommune_kwargs, write="dialog", post=spec.post,
                                     written=spec.written))
    assert any(w.startswith("ks/egen") for w in wrong) and any("kommune/egen" in w for w in wrong)
    # A view that lets the body choose any kommune is caught writing to it.
    in_nabo = Vedtak.objects.filter(kommune=world.kommune("nabo")).count
    before = in_nabo()
    wrong = tamper_failures(client, world, "sample_vedtak_create_unchecked", spec)
    assert wrong == [f"kommune: POST sample_vedtak_create_unchecked med {spec.tamper(world)} skrev likevel"]
    assert in_nabo() == before + 1


def test_tampered_kommune_in_url_and_filter_is_refused(client, world):
    """URL: another kommune's page is 404. Filter: another kommune's id is an invalid choice."""
    client_as(client, world, "kommune")
    for name in ("rapporter:kommune_detail", "rapporter:kommune_historikk"):
        assert client.get(reverse(name, args=[SCOPES["nabo"]])).status_code == 404
    response = client.get(reverse("rapporter:endring_list"), {"kommune": world.kommune("nabo").pk})
    assert response.status_code == 200
    assert list(response.context["table"].page.object_list) == []


LIST_URLS = sorted(n for n, s in URLS.items() if s.list)


@pytest.mark.parametrize("name", LIST_URLS)
def test_list_query_count_for_scoped_users(client, world, name):
    spec = URLS[name]
    counts = {}
    for role in ("admin", "statsforvalter", "kommune"):
        url = url_for(name, spec, world, "egen" if spec.kind == SCOPED else None)
        client_as(client, world, role).get(url)  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts[role] = len(ctx.captured_queries)
    assert counts["statsforvalter"] <= counts["admin"] + 3, counts
    assert counts["kommune"] <= counts["admin"] + 3, counts


EXPORT_URLS = sorted(n for n, s in URLS.items() if s.export)


@pytest.mark.parametrize("name", EXPORT_URLS)
def test_exports_respect_scope(client, world, name):
    from kommuner.models import Kommune

    spec = URLS[name]
    for role in ("statsforvalter", "kommune", "admin"):
        url = url_for(name, spec, world, "egen" if spec.kind == SCOPED else None)
        response = client_as(client, world, role).get(url, spec.export)
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        numbers = {r[spec.export_kommune_column][:4] for r in rows if r[spec.export_kommune_column][:4].isdigit()}
        allowed = {n for scope, n in SCOPES.items() if role == "admin" or scope in READS[role]}
        assert numbers == allowed, (role, numbers)
        if role != "admin":
            visible = set(Kommune.objects.for_user(world.users[role]).values_list("nummer", flat=True))
            assert numbers <= visible


# --- The admin: every registered model ------------------------------------------------------


def _admin_samples():
    """One row for registered models the world leaves empty, so their object pages are opened too."""
    import datetime

    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.utils import timezone
    from django_celery_beat import models as beat
    from django_otp.plugins.otp_totp.models import TOTPDevice

    now = timezone.now()
    attempt = {"user_agent": "test", "ip_address": "10.0.0.1", "username": "x", "http_accept": "*/*",
               "path_info": "/logg-inn/"}
    return {
        AccessAttempt: lambda: AccessAttempt.objects.create(**attempt, failures_since_start=1, get_data="",
                                                            post_data=""),
        AccessLog: lambda: AccessLog.objects.create(**attempt),
        AccessFailureLog: lambda: AccessFailureLog.objects.create(**attempt, locked_out=False),
        beat.IntervalSchedule: lambda: beat.IntervalSchedule.objects.create(every=1, period="days"),
        beat.CrontabSchedule: lambda: beat.CrontabSchedule.objects.create(minute="0", hour="3"),
        beat.SolarSchedule: lambda: beat.SolarSchedule.objects.create(event="sunrise", latitude=59.9,
                                                                      longitude=10.7),
        beat.ClockedSchedule: lambda: beat.ClockedSchedule.objects.create(clocked_time=now + datetime.timedelta(1)),
        TOTPDevice: lambda: TOTPDevice.objects.create(user=get_user_model().objects.first(), name="app"),
        beat.PeriodicTask: lambda: beat.PeriodicTask.objects.create(
            name="test", task="core.ping", interval=beat.IntervalSchedule.objects.create(every=1, period="days")),
    }


def admin_object(model, world):
    """The first row of the model, made by its factory (tests/factories.py) or sample when there is none."""
    from tests.factories import factory_for

    obj = model._default_manager.order_by("pk").first()
    if obj is None:
        make = _admin_samples().get(model) or factory_for(model)
        obj = make() if make else None
    return obj


def _admin_allows(model, action, world):
    """What the ModelAdmin itself grants a superuser (read-only admins refuse add/delete)."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = world.users["admin"]
    model_admin = admin.site._registry[model]
    return getattr(model_admin, f"has_{action}_permission")(request)


@pytest.mark.parametrize("name", sorted(ADMIN_MODELS))
def test_admin_matrix(client, world, name):
    model, view = ADMIN_MODELS[name]
    if view in ("change", "history", "delete"):
        obj = admin_object(model, world)
        assert obj is not None, f"Ingen {model._meta.label} å åpne: legg en factory i tests/factories.py"
        url = reverse(name, args=[obj.pk])
    else:
        url = reverse(name)
    wrong = []
    for role in ROLES:
        response = client_as(client, world, role).get(url)
        if role != "admin":
            # No role is staff in the matrix: the admin sends everyone else to its login page
            # (staff without the role: tests/core/test_admin_import_export.py).
            if response.status_code != 302 or not response.url.startswith(LOGINS):
                wrong.append(f"{role}: GET {url} → {response.status_code}")
            continue
        if view == "changelist":
            want = {200}
        elif view == "add":
            want = {200} if _admin_allows(model, "add", world) else {403}
        elif view == "history":
            want = {200, 302}  # ScopedAdminMixin sends history to the Endring list
        elif view == "delete":
            want = {200} if _admin_allows(model, "delete", world) else {403}
        elif view == "process_import":
            want = {405}  # the confirm step is POST only
        else:
            want = {200}
        if response.status_code not in want:
            wrong.append(f"superbruker: GET {url} → {response.status_code}, ventet {want}")
    assert wrong == []
