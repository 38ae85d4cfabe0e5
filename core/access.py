"""One place decides who sees and changes what.

Every list, page, form, export, import and admin view asks these functions (through the
querysets' `visible_to`/`writable_by`). Out of scope is 404; a forbidden action on a visible
object is 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Rolle

# What each role may write. "sak": vedtak, bosatt, bolig, årsaker; "dialog": dialogue and
# follow-ups; "anmodning": IMDi's requests, the national need and imports; "aarslaas": year lock.
WRITE = {
    Rolle.ADMINISTRATOR: {"sak", "dialog", "anmodning", "aarslaas", "brukere"},
    Rolle.KS: {"dialog"},
    Rolle.STATSFORVALTER: {"dialog"},
    Rolle.KOMMUNE: {"sak"},
    Rolle.IMDI: {"anmodning", "aarslaas"},
}
NATIONAL_READ = {Rolle.ADMINISTRATOR, Rolle.KS, Rolle.IMDI}


def role_of(user):
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Rolle.ADMINISTRATOR
    profil = getattr(user, "profil", None)
    return Rolle(profil.rolle) if profil else None


def kommune_scope_q(user, prefix=""):
    """A Q on Kommune (or on `prefix` + kommune) for the kommuner whose case details the user may read.

    A historic kommune belongs to the scope of the kommune(r) it became, so its old figures stay
    with its successor's users.
    """
    role = role_of(user)
    if role in NATIONAL_READ:
        return Q()
    if role == Rolle.STATSFORVALTER and user.profil.statsforvalter_id:
        office = user.profil.statsforvalter_id
        return Q(**{f"{prefix}fylke__statsforvalter_id": office, f"{prefix}gyldig_til__isnull": True}) | Q(
            **{f"{prefix}overganger__gjeldende__fylke__statsforvalter_id": office}
        )
    if role == Rolle.KOMMUNE:
        ids = list(user.profil.kommuner.values_list("pk", flat=True))
        return Q(**{f"{prefix}pk__in": ids}) | Q(**{f"{prefix}overganger__gjeldende_id__in": ids})
    return Q(pk__in=[])


def can(user, action):
    role = role_of(user)
    return role is not None and action in WRITE.get(role, set())


def require(user, action):
    if not can(user, action):
        raise PermissionDenied(_("Du har ikke tilgang til å gjøre dette."))


def check_kommune_writable(user, kommune, action):
    """Re-check inside the write's transaction that the user may change this kommune's data."""
    from kommuner.models import Kommune

    require(user, action)
    if not Kommune.objects.visible_to(user).filter(pk=kommune.pk).exists():
        raise PermissionDenied(_("Du har ikke tilgang til denne kommunen."))
