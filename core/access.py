"""One place decides who sees and changes what.

Every list, page, form, export, import and admin view asks these functions (through the
querysets' `for_user`: `Kommune.objects.for_user(user)` applies `kommune_scope_q`, and case data is
scoped through its kommune). Out of scope is 404; a forbidden action on a visible
object is 403. Refusals are logged to "bosetting.access" (user id, action, object id; no content).
"""

import logging

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Q
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Profil, Rolle

logger = logging.getLogger("bosetting.access")

# What each role may write. "sak": vedtak, bosatt, bolig, årsaker; "dialog": dialogue and
# follow-ups; "anmodning": IMDi's requests, the national need and imports; "aarslaas": year lock;
# "brukere": users, roles and schedules; "plan": the kommune's settlement plan (places ready per
# month), entered by the kommune or on its behalf by the Statsforvalter or IMDi.
WRITE = {
    Rolle.ADMINISTRATOR: {"sak", "dialog", "anmodning", "aarslaas", "brukere", "plan"},
    Rolle.KS: {"dialog"},
    Rolle.STATSFORVALTER: {"dialog", "plan"},
    Rolle.KOMMUNE: {"sak", "plan"},
    Rolle.IMDI: {"anmodning", "aarslaas", "plan"},
}
NATIONAL_READ = {Rolle.ADMINISTRATOR, Rolle.KS, Rolle.IMDI}

_UNSET = object()


def profil_of(user):
    """The user's Profil (with its office), fetched once per user object; None without one."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_profil_cache", _UNSET)
    if cached is _UNSET:
        cached = Profil.objects.select_related("statsforvalter").filter(user_id=user.pk).first()
        user._profil_cache = cached
    return cached


def role_of(user):
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Rolle.ADMINISTRATOR
    profil = profil_of(user)
    return Rolle(profil.rolle) if profil else None


def is_national(user):
    return role_of(user) in NATIONAL_READ


def kommune_scope_q(user, prefix=""):
    """A Q on Kommune (or on `prefix` + kommune) for the kommuner whose case details the user may read.

    An empty Q() means everything. A historic kommune belongs to the scope of the kommune(r) it
    became, so its old figures stay with its successor's users. The kommune ids are a subquery,
    so building the Q costs no query of its own.
    """
    role = role_of(user)
    if role in NATIONAL_READ:
        return Q()
    profil = profil_of(user)
    if not (role == Rolle.STATSFORVALTER and profil.statsforvalter_id or role == Rolle.KOMMUNE):
        return Q(pk__in=[])
    # Built once per user object, as its profile is (a page asks several times): the subquery
    # itself is run by each query, so a change to the user's kommuner still counts at once.
    cache = user.__dict__.setdefault("_scope_q_cache", {})
    if prefix not in cache:
        cache[prefix] = Q(**{f"{prefix}pk__in": _scope_ids(role, profil)})
    return cache[prefix].copy()


def _scope_ids(role, profil):
    """The scope's kommune pks as one UNION subquery: today's kommuner, and the historic ones
    that became them. (An OR across the join to the transitions made PostgreSQL misjudge the
    scope as hundreds of kommuner and scan every dialogue link on the kommune page.) The models
    are reached through the profile's own relation, so this floor imports no app."""
    kommune = Profil.kommuner.field.related_model
    overgang = kommune._meta.get_field("overganger").related_model._default_manager.order_by()
    if role == Rolle.STATSFORVALTER:
        office = profil.statsforvalter_id
        today = kommune._default_manager.order_by().filter(fylke__statsforvalter_id=office, gyldig_til__isnull=True)
        return today.values_list("pk").union(
            overgang.filter(gjeldende__fylke__statsforvalter_id=office).values_list("historisk_id"))
    today = Profil.kommuner.through.objects.order_by().filter(profil_id=profil.pk).values_list("kommune_id")
    return today.union(overgang.filter(gjeldende_id__in=today).values_list("historisk_id"))


def users_who_see_q(kommune):
    """A Q on the user model for the active users who may read this (current) kommune's case
    details: the inverse of `kommune_scope_q`. For choosing who can own a follow-up."""
    office = kommune.fylke.statsforvalter_id
    local = Profil.kommuner.through.objects.filter(kommune_id=kommune.pk, profil__rolle=Rolle.KOMMUNE)
    return Q(is_active=True) & (
        Q(is_superuser=True)
        | Q(profil__rolle__in=NATIONAL_READ)
        | Q(profil__rolle=Rolle.STATSFORVALTER, profil__statsforvalter_id=office)
        | Q(pk__in=local.values("profil__user_id"))
    )


def can(user, action):
    role = role_of(user)
    return role is not None and action in WRITE.get(role, set())


def log_refusal(user, action, obj=None, **ids):
    """Record a refused access: who (id only), what, which object (type and id); never content."""
    target = ""
    if obj is not None:
        target = f"{obj._meta.label}:{obj.pk}"
    extra = " ".join(f"{k}={v}" for k, v in sorted(ids.items()))
    logger.warning(
        "access refused user=%s action=%s target=%s %s",
        getattr(user, "pk", None), action, target, extra,
        extra={"user_id": getattr(user, "pk", None), "action": action, "target": target},
    )


def require(user, action):
    if not can(user, action):
        log_refusal(user, action)
        raise PermissionDenied(_("Du har ikke tilgang til å gjøre dette."))


def kommune_gate(user, kommune):
    """A condition for any queryset that holds when the user may read this one kommune: reads
    about a kommune (its dialogues, follow-ups, history) filter on it instead of testing every
    row against the scope, so PostgreSQL asks once. Q() for the roles that see every kommune.
    (The kommune's own model is asked, so this ground floor imports no app.)"""
    q = kommune_scope_q(user)
    return Q(Exists(type(kommune)._default_manager.filter(q, pk=kommune.pk))) if q else Q()


def kommune_visible(user, kommune):
    """Whether the user may read this kommune's case details."""
    q = kommune_scope_q(user)
    return not q or type(kommune)._default_manager.filter(q, pk=kommune.pk).exists()


def check_kommune_writable(user, kommune, action):
    """Re-check inside the write's transaction that the user may change this kommune's data.

    Views have already answered 404 for kommuner out of scope; reaching this with one means a
    tampered id (form field, import row), so it is refused and logged.
    """
    require(user, action)
    if not kommune_visible(user, kommune):
        log_refusal(user, action, kommune)
        raise PermissionDenied(_("Du har ikke tilgang til denne kommunen."))


def get_visible_or_404(queryset, user, action="les", **lookup):
    """Fetch one object from an already scoped queryset; a miss is 404 and is logged."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        log_refusal(user, action, model=queryset.model._meta.label,
                    **{k: str(v)[:20] for k, v in lookup.items()})
        raise Http404(_("Fant ikke siden."))
    return obj


def scope_label(user):
    """A short text for the header: the role and what it is bound to."""
    role = role_of(user)
    if role is None:
        return _("Ingen rolle")
    profil = profil_of(user)
    if role == Rolle.STATSFORVALTER and profil and profil.statsforvalter_id:
        return f"{role.label}: {profil.statsforvalter.kortnavn}"
    if role == Rolle.KOMMUNE and profil:
        names = ", ".join(k.navn_norsk for k in profil.kommuner.order_by("nummer"))
        return f"{role.label}: {names}" if names else str(role.label)
    return str(role.label)
