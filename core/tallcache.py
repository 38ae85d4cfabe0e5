"""Cached figures, invalidated by a version counter in the database.

One mechanism moves the version: a trigger on every table whose rows change published figures
(the case tables and the kommune register) bumps `Tallversjon` inside the writing transaction.
Each app adds the triggers for its own tables in a migration (`trigger_operation`). So the new
version becomes visible together with the change it stands for, a rollback keeps the old one,
and no write path (service, admin, bulk_update, COPY, raw SQL) can forget it. Dialogue and
follow-ups do not change figures: their triggers move a counter of their own (DIALOG), which
keys only what is read from them (the overview's contact columns), so logging a call does not
throw away every cached figure.

One function builds every key (`key`): figures version, language, today's date (a case's status
depends on the day) and the caller's parts. The counter lives in the database, not the cache, so
it holds with a per-process cache and several workers. Views say what they cache (`cached`,
`cached_many`, the `tallcache` template tag); TIMEOUT is only a safety net.
"""

import contextvars
import datetime
import hashlib
import pickle
from contextlib import contextmanager
from functools import partial

from django.core.cache import cache
from django.db import migrations
from django.utils.translation import get_language

NAVN = "tall"
DIALOG = "dialog"  # the dialogue and follow-up counter
TABLE = "bosetting_tallversjon"  # core.Tallversjon; the table kept its first name
TIMEOUT = 6 * 3600  # a safety net only: the version is what invalidates


_lest = contextvars.ContextVar("tallversjon_lest", default=None)


MERKE = "merke:"  # marker rows (core.Tallversjon, versjon 1 = set), read with the version in one query


def _les():
    from django.db.models import Q

    from .models import Tallversjon

    rows = dict(Tallversjon.objects.filter(Q(navn__in=(NAVN, DIALOG)) | Q(navn__startswith=MERKE))
                .values_list("navn", "versjon"))
    return (rows.get(NAVN, 0), frozenset(n[len(MERKE):] for n, v in rows.items() if n.startswith(MERKE) and v),
            rows.get(DIALOG, 0))


def _lest_naa():
    lest = _lest.get()
    if lest:
        return lest
    found = _les()
    if lest is not None:
        lest.extend(found)
    return found


def versjon():
    """The figures version; read once inside `en_versjon()`."""
    return _lest_naa()[0]


def dialogversjon():
    """The dialogue and follow-up counter; read in the same query as the figures version."""
    return _lest_naa()[2]


def merker():
    """The names of the markers that are set (e.g. bosetting's years with generated demo figures);
    read in the same query as the version, so a page that reads both pays one query."""
    return _lest_naa()[1]


def merker_sett(prefix, navn):
    """Set exactly the markers `navn` among those starting with `prefix` (in the writer's transaction)."""
    from .models import Tallversjon

    wanted = {MERKE + prefix + n for n in navn}
    Tallversjon.objects.filter(navn__startswith=MERKE + prefix).exclude(navn__in=wanted).delete()
    for n in wanted:
        Tallversjon.objects.update_or_create(navn=n, defaults={"versjon": 1})


@contextmanager
def en_versjon():
    """Within the block the version is read once, so every key of one page view agrees (and the
    page costs one query for it, not one per key). For reading pages only: a write inside the
    block would not be seen by later keys in it."""
    token = _lest.set([])
    try:
        yield
    finally:
        _lest.reset(token)


def _key(name, versjon_, today, parts):
    return ":".join(["tall", name, str(versjon_), get_language() or "", (today or datetime.date.today()).isoformat(),
                     *map(str, parts)])


def key(name, *parts, today=None, teller=NAVN):
    """The cache key for (figures version, language, day, parts); reads the version. With
    teller=DIALOG the dialogue counter stands in for the figures version."""
    return _key(name, dialogversjon() if teller == DIALOG else versjon(), today, parts)


def get_or_compute(cache_key, compute):
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, TIMEOUT)
    return value


def cached(name, compute, *parts, today=None, teller=NAVN):
    """compute() once per (figures version, language, day, parts): see `key`."""
    return get_or_compute(key(name, *parts, today=today, teller=teller), compute)


def cached_many(name, compute_many, items, *, today=None):
    """{item: value} for several items (e.g. years) with one version read and one cache round
    trip; compute_many(missing items) -> {item: value} fills what the cache lacks, in one go."""
    v = versjon()
    keys = {item: _key(name, v, today, (item,)) for item in items}
    found = cache.get_many(list(keys.values()))
    out = {item: found[k] for item, k in keys.items() if k in found}
    missing = [item for item in items if item not in out]
    if missing:
        computed = compute_many(missing)
        cache.set_many({keys[item]: computed[item] for item in missing}, TIMEOUT)
        out.update(computed)
    return out


def omfang(visible):
    """A short key part for a set of visible kommune pks (None: the whole country)."""
    return "alle" if visible is None else hashlib.sha256(repr(sorted(visible)).encode()).hexdigest()[:16]


def innholdsnokkel(*parts):
    """A key from the content itself (for rendered fragments: no invalidation needed)."""
    return hashlib.sha256(pickle.dumps((get_language(), *parts), pickle.HIGHEST_PROTOCOL)).hexdigest()


# --- the triggers: table names are this module's constants and the apps' own tables, never input

# The counter's name is the trigger's argument; triggers made before there were two counters
# pass none, which is the figures counter.
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION tallversjon_bump() RETURNS trigger AS $$
BEGIN
    INSERT INTO {TABLE} (navn, versjon) VALUES (COALESCE(TG_ARGV[0], '{NAVN}'), 1)
    ON CONFLICT (navn) DO UPDATE SET versjon = {TABLE}.versjon + 1;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""  # noqa: S608


def _create(tables, apps, schema_editor, teller=NAVN):
    if teller not in (NAVN, DIALOG):  # the SQL below takes it as text: a constant of this module only
        raise ValueError(teller)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_PG_FUNCTION)
        for t in tables:
            # Once per statement, also for COPY and TRUNCATE: a bulk write costs one bump.
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {t}_tallversjon ON {t}")
            schema_editor.execute(f"CREATE TRIGGER {t}_tallversjon AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                                  f"ON {t} FOR EACH STATEMENT EXECUTE FUNCTION tallversjon_bump('{teller}')")
    elif vendor == "sqlite":
        schema_editor.execute(f"INSERT OR IGNORE INTO {TABLE} (navn, versjon) VALUES ('{teller}', 0)")  # noqa: S608
        for t in tables:
            for event in ("INSERT", "UPDATE", "DELETE"):
                sql = (f"CREATE TRIGGER IF NOT EXISTS {t}_tallversjon_{event.lower()} AFTER {event} ON {t} "  # noqa: S608
                       f"BEGIN UPDATE {TABLE} SET versjon = versjon + 1 WHERE navn = '{teller}'; END")
                schema_editor.execute(sql)
    else:  # pragma: no cover - the project runs on PostgreSQL and SQLite only
        raise NotImplementedError(vendor)


def _drop(tables, apps, schema_editor, teller=NAVN):
    vendor = schema_editor.connection.vendor
    for t in tables:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {t}_tallversjon ON {t}")
        else:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {t}_tallversjon_{event}")


def trigger_operation(*tables, teller=NAVN):
    """A migration operation that makes every write to `tables` bump the figures version (or,
    with teller=DIALOG, the dialogue counter)."""
    return migrations.RunPython(partial(_create, tables, teller=teller), partial(_drop, tables, teller=teller),
                                elidable=False)
