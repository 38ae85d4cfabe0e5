"""Cached figures (core.tallcache): served from the cache until a change to figures moves the
version (database triggers, whatever the write path); dialogue and follow-ups leave it alone and
move their own counter, which keys the overview's contact columns; a rollback changes nothing.
The rest of the suite runs without a cache (see the Makefile), so the cached path is tested here."""

import datetime
import re

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from bosetting.models import Bosatt
from bosetting.selectors import nasjonale_rader
from bosetting.services import bosatt_register, plan_register
from core import tallcache
from core.models import Rolle
from imports.services import import_confirm, import_create
from kommuner.models import Kommune
from kommuner.services import register_load
from oppfolging.services import punkt_create
from tests.factories import kommune, profil_user
from vedtak.models import Vedtak
from vedtak.services import aar_set_lock, anmodning_register, behov_register, vedtak_register

pytestmark = [pytest.mark.django_db,
              pytest.mark.usefixtures("locmem_cache")]


@pytest.fixture
def locmem_cache():
    from django.core.cache import cache

    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                               "LOCATION": "tallcache-test"}}):
        cache.clear()
        yield
        cache.clear()


def _oslo_row(aar=2025):
    return next(r for r in nasjonale_rader(aar)[0] if r.kommunenummer == "0301")


def _page(client, params):
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get("/oversikt/", params)
    assert resp.status_code == 200
    # The CSRF token is masked afresh on every response.
    return re.sub(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+"', "", resp.content.decode()), len(ctx)


def test_second_read_is_served_from_the_cache(client, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        anmodning_register(kommune=kommune("0301"), aar=2025, antall=640)
    client.force_login(admin_user)
    first, q_cold = _page(client, {"aar": 2025})
    second, q_warm = _page(client, {"aar": 2025})
    assert second == first
    # The five reads of saker_for_aar are skipped; the version read remains.
    assert q_warm <= q_cold - 4, (q_cold, q_warm)


def test_committed_change_is_seen_at_once(django_capture_on_commit_callbacks):
    oslo = kommune("0301")
    with django_capture_on_commit_callbacks(execute=True):
        anmodning_register(kommune=oslo, aar=2025, antall=640)
    assert _oslo_row().vedtatt.verdi is None
    before = tallcache.versjon()
    with django_capture_on_commit_callbacks(execute=True):
        vedtak_register(kommune=oslo, aar=2025, antall=850)
    assert tallcache.versjon() > before
    assert _oslo_row().vedtatt.verdi == 850


def test_rolled_back_change_keeps_the_version(django_capture_on_commit_callbacks):
    before = tallcache.versjon()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                vedtak_register(kommune=kommune("0301"), aar=2025, antall=850)
                raise RuntimeError("avbrutt")
        except RuntimeError:
            pass
    assert callbacks == [] and tallcache.versjon() == before


def test_follow_ups_do_not_invalidate(django_capture_on_commit_callbacks):
    ks = profil_user(Rolle.KS)
    before = tallcache.versjon()
    with django_capture_on_commit_callbacks(execute=True):
        punkt_create(kommune=kommune("0301"), tittel="Ring rådmannen", ansvarlig=ks, frist="2025-03-01", by=ks)
    assert tallcache.versjon() == before


def _import_oslo():
    imp, preview = import_create(b"kommunenummer,kommune,aar,anmodning\n0301,Oslo,2025,641\n", filename="a.csv")
    assert preview.ok, preview.errors
    import_confirm(imp)


def _register_reload():
    # The register load writes only differences: put one back that was changed behind its back.
    Kommune.objects.filter(nummer="0301").update(navn="Kristiania")
    before = tallcache.versjon()
    register_load()
    assert Kommune.objects.get(nummer="0301").navn != "Kristiania"
    return before


def _bulk_update_bosatt():
    b = Bosatt.objects.create(kommune=kommune("0301"), aar=2025, maaned=0, antall=5)
    before = tallcache.versjon()
    b.antall = 6
    Bosatt.objects.bulk_update([b], ["antall"])
    return before


def _raw_sql_delete():
    Bosatt.objects.create(kommune=kommune("0301"), aar=2025, maaned=0, antall=5)
    before = tallcache.versjon()
    with connection.cursor() as c:
        c.execute("DELETE FROM bosetting_bosatt")
    return before


WRITE_PATHS = {
    "vedtak_register": lambda: vedtak_register(kommune=kommune("0301"), aar=2025, antall=850),
    "anmodning_register": lambda: anmodning_register(kommune=kommune("0301"), aar=2025, antall=640),
    "bosatt_register": lambda: bosatt_register(kommune=kommune("0301"), aar=2025, antall=12),
    "import_copy": _import_oslo,
    "register_load": _register_reload,
    "bulk_update": _bulk_update_bosatt,
    "queryset_update": lambda: Vedtak.objects.filter(kommune__nummer="0301").update(saksnummer="x"),
    "raw_sql": _raw_sql_delete,
    "behov_register": lambda: behov_register(aar=2025, antall=13000),
    "aar_set_lock": lambda: aar_set_lock(aar=2019, laast=True),
    # The forecast reads the plans in force (the dashboard's and the county report's, cached).
    "plan_register": lambda: plan_register(kommune=kommune("0301"), aar=2025, maaneder={3: (5, None)}),
}


@pytest.mark.parametrize("path", sorted(WRITE_PATHS))
def test_every_write_path_moves_the_version(path):
    """One mechanism (database triggers) moves the version, whatever writes the figures."""
    before = tallcache.versjon()
    returned = WRITE_PATHS[path]()
    if isinstance(returned, int):  # the path did set-up writes of its own first
        before = returned
    assert tallcache.versjon() > before


def test_admin_edit_moves_the_version(admin_client):
    v = vedtak_register(kommune=kommune("0301"), aar=2025, antall=850)
    before = tallcache.versjon()
    r = admin_client.post(f"/admin/vedtak/vedtak/{v.pk}/change/", {
        "kommune": v.kommune_id, "aar": 2025, "status": "fattet", "organ": "kommunestyre", "antall": 900,
        "kilde": "manuell", "prikket": "[]", "opprettet_0": "01.01.2025", "opprettet_1": "12:00:00"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Vedtak.objects.get(pk=v.pk).antall == 900
    assert tallcache.versjon() > before


def test_import_is_seen_at_once():
    _import_oslo()
    assert _oslo_row().anmodet.verdi == 641


def test_language_and_day_are_part_of_the_key():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    from django.utils import translation

    day = datetime.date(2025, 5, 1)
    with translation.override("nb"):
        assert tallcache.cached("t", compute, today=day) == 1
        assert tallcache.cached("t", compute, today=day) == 1
    with translation.override("nn"):
        assert tallcache.cached("t", compute, today=day) == 2
    with translation.override("nb"):
        assert tallcache.cached("t", compute, today=day + datetime.timedelta(days=1)) == 3


def test_dashboard_and_kommune_page_cached_until_a_change(client, admin_user, django_capture_on_commit_callbacks):
    oslo = kommune("0301")
    with django_capture_on_commit_callbacks(execute=True):
        anmodning_register(kommune=oslo, aar=2025, antall=640)
    client.force_login(admin_user)
    client.get("/", {"aar": 2025})
    client.get("/kommuner/0301/")
    with CaptureQueriesContext(connection) as warm_dashboard:
        assert client.get("/", {"aar": 2025}).context["d"].nasjonalt.vedtatt.verdi is None
    with CaptureQueriesContext(connection) as warm_kommune:
        assert "Vedtak for 2025" not in client.get("/kommuner/0301/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        vedtak_register(kommune=oslo, aar=2025, antall=850)
    with CaptureQueriesContext(connection) as cold_dashboard:
        assert client.get("/", {"aar": 2025}).context["d"].nasjonalt.vedtatt.verdi == 850
    with CaptureQueriesContext(connection) as cold_kommune:
        assert "Vedtak for 2025" in client.get("/kommuner/0301/").content.decode()
    assert len(warm_dashboard) < len(cold_dashboard) and len(warm_kommune) < len(cold_kommune)


def test_cached_overview_is_per_scope(client, admin_user, django_capture_on_commit_callbacks):
    """The overview's HTML is cached under the query string and the kommuner the user may open:
    the same URL read by a national user first must not hand a kommune user its links."""
    with django_capture_on_commit_callbacks(execute=True):
        for nr in ("3101", "0301"):
            anmodning_register(kommune=kommune(nr), aar=2025, antall=10)
    params = {"aar": 2025, "hele_landet": "on"}
    client.force_login(admin_user)
    national, _ = _page(client, params)
    assert 'href="/kommuner/0301/"' in national and 'href="/kommuner/3101/"' in national
    client.force_login(profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")]))
    scoped, _ = _page(client, params)
    assert 'href="/kommuner/3101/"' in scoped and 'href="/kommuner/0301/"' not in scoped
    client.force_login(admin_user)
    again, _ = _page(client, params)
    assert 'href="/kommuner/0301/"' in again


def test_one_version_read_per_block_and_a_fresh_read_after_it(client, admin_user):
    """tallcache.en_versjon: one query for the version however many keys a page builds (the
    overview's summary and national rows); outside the block every read goes to the database."""
    with tallcache.en_versjon(), CaptureQueriesContext(connection) as cq:
        v = tallcache.versjon()
        assert tallcache.key("a").split(":")[2] == str(v) and tallcache.versjon() == v
    assert len(cq.captured_queries) == 1
    bosatt_register(kommune=kommune("0301"), aar=2025, maaned=0, antall=5)
    assert tallcache.versjon() > v
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as cq:
        client.get("/oversikt/", {"aar": 2025})
    assert sum("bosetting_tallversjon" in q["sql"] for q in cq.captured_queries) == 1


# --- the dialogue counter: the overview's contact columns ------------------------------------

def _kontakt(user, today=datetime.date(2026, 3, 1)):
    from oppfolging.selectors import kontakt_for_kommuner

    with tallcache.en_versjon():
        return kontakt_for_kommuner(None, user, today=today)


def _dialog(*kommuner):
    from oppfolging.services import dialog_register

    return dialog_register(kommuner=list(kommuner), dato=datetime.date(2026, 2, 1), type="telefon",
                           sammendrag="Om boliger", by=profil_user(Rolle.KS))


def _punkt(k):
    from oppfolging.models import Oppfolgingspunkt

    return Oppfolgingspunkt.objects.create(kommune=k, tittel="Ring", ansvarlig=profil_user(Rolle.KS),
                                           frist=datetime.date(2026, 2, 1))


def _update_status(p):
    from oppfolging.models import Oppfolgingspunkt

    Oppfolgingspunkt.objects.filter(pk=p.pk).update(status="ferdig")


# (set-up before the cache is filled, the write, what the columns then say of Oslo:
# (has a last dialogue, open follow-ups))
DIALOG_WRITES = {
    "dialog_register": (lambda: None, lambda _: _dialog(kommune("0301")), (1, 0)),
    "punkt_create": (lambda: None, lambda _: _punkt(kommune("0301")), (0, 1)),
    "queryset_update": (lambda: _punkt(kommune("0301")), _update_status, (0, 0)),
    "m2m_add": (lambda: _dialog(kommune("3101")), lambda d: d.kommuner.add(kommune("0301")), (1, 0)),
    "delete": (lambda: _dialog(kommune("0301")), lambda d: d.delete(), (0, 0)),
}


@pytest.mark.parametrize("path", sorted(DIALOG_WRITES))
def test_every_dialogue_write_is_seen_in_the_cached_contact_columns(path):
    """Each write path to dialogues and follow-ups moves the dialogue counter (triggers), so the
    cached contact columns show it at once; the figures version stays put."""
    setup, write, expected = DIALOG_WRITES[path]
    ks, oslo = profil_user(Rolle.KS), kommune("0301").pk
    made = setup()
    _kontakt(ks)  # fills the cache
    tall, dialog = tallcache.versjon(), tallcache.dialogversjon()
    write(made)
    k = _kontakt(ks).get(oslo)
    assert ((0, 0) if k is None else (int(k.dialog_id is not None), k.apne)) == expected
    assert tallcache.dialogversjon() > dialog
    assert tallcache.versjon() == tall


def test_contact_columns_are_cached_once_for_all_and_given_out_by_scope():
    """A national user's read fills the cache; a kommune user then gets only their kommuner from
    it (no query for the contacts themselves), a user of another kommune nothing of Oslo."""
    _dialog(kommune("0301"))
    _dialog(kommune("3101"))
    _punkt(kommune("3101"))
    assert set(_kontakt(profil_user(Rolle.KS))) == {kommune("0301").pk, kommune("3101").pk}
    halden = profil_user(Rolle.KOMMUNE, kommuner=[kommune("3101")])
    with CaptureQueriesContext(connection) as ctx:
        kontakt = _kontakt(halden)
    assert set(kontakt) == {kommune("3101").pk} and kontakt[kommune("3101").pk].apne == 1
    assert not any("oppfolging_dialog" in q["sql"] for q in ctx.captured_queries)
    assert _kontakt(profil_user(Rolle.KOMMUNE, kommuner=[kommune("3103")])) == {}


def test_a_rolled_back_dialogue_keeps_the_counter():
    before = tallcache.dialogversjon()
    try:
        with transaction.atomic():
            _dialog(kommune("0301"))
            raise RuntimeError("avbrutt")
    except RuntimeError:
        pass
    assert tallcache.dialogversjon() == before
