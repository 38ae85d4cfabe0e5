"""Cached national figures, invalidated by a version counter in the database.

Every committed change to case figures (through the history hook in core.history) or to the
kommune register bumps `Tallversjon`; cache keys include the version, the language and today's
date (a case's status depends on the day), so a stale entry is never read. The counter lives in
the database, not the cache, so it holds with a per-process cache and two gunicorn workers.
The bump runs after commit: a reader that races it caches fresh data under the old version at
worst, which nobody reads again.
"""

import datetime
import hashlib
import pickle

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils.translation import get_language

# Changes to objects of these apps change published figures; dialogue and follow-ups do not.
FIGURE_APPS = frozenset({"bosetting", "vedtak", "kommuner"})
NAVN = "tall"
TIMEOUT = 6 * 3600  # a safety net only: the version is what invalidates


def versjon():
    from .models import Tallversjon

    return Tallversjon.objects.filter(navn=NAVN).values_list("versjon", flat=True).first() or 0


def bump():
    """Now (outside a transaction) or after the current transaction commits."""
    transaction.on_commit(_bump, robust=True)


def _bump():
    from .models import Tallversjon

    if not Tallversjon.objects.filter(navn=NAVN).update(versjon=F("versjon") + 1):
        Tallversjon.objects.bulk_create([Tallversjon(navn=NAVN, versjon=1)], ignore_conflicts=True)


def on_history(sender, app_labels, **kwargs):
    if FIGURE_APPS & set(app_labels):
        bump()


def _key(name, versjon_, today, parts):
    return ":".join(["tall", name, str(versjon_), get_language() or "", (today or datetime.date.today()).isoformat(),
                     *map(str, parts)])


def key(name, *parts, today=None):
    """The cache key for (figures version, language, day, parts); reads the version."""
    return _key(name, versjon(), today, parts)


def get_or_compute(cache_key, compute):
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, TIMEOUT)
    return value


def cached(name, compute, *parts, today=None):
    """compute() once per (figures version, language, day, parts)."""
    return get_or_compute(key(name, *parts, today=today), compute)


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
