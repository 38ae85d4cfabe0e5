"""Writes to users' roles and scope. The role decides the user's Django group; every change of
role, office, kommuner or admin flags is recorded in the history in the same transaction."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import roles
from .access import require
from .history import history_record
from .models import Profil, Rolle


def access_snapshot(user) -> dict:
    """What decides a user's access, as JSON-able data (kommuner by number)."""
    profil = Profil.objects.filter(user_id=user.pk).select_related("statsforvalter").first()
    return {
        "rolle": profil.rolle if profil else None,
        "statsforvalter": profil.statsforvalter.kortnavn if profil and profil.statsforvalter_id else None,
        "kommuner": sorted(profil.kommuner.values_list("nummer", flat=True)) if profil else [],
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }


def groups_sync(user):
    """The user is in exactly the group of its role (superusers in Administrator)."""
    profil = Profil.objects.filter(user_id=user.pk).first()
    wanted = Rolle.ADMINISTRATOR if user.is_superuser else (profil.rolle if profil else None)
    role_groups = [Group.objects.get_or_create(name=name)[0] for name in roles.ROLES]
    user.groups.remove(*[g for g in role_groups if g.name != wanted])
    if wanted:
        user.groups.add(next(g for g in role_groups if g.name == wanted))


def access_changed(*, user, before, by=None, kommentar="", import_ref=""):
    """After a user's access was edited (admin form, service, import): sync groups and record history."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Rolleendringer skal registreres i samme transaksjon som endringen.")
    groups_sync(user)
    after = access_snapshot(user)
    handling = "bruker.opprettet" if before is None else "bruker.tilgang_endret"
    return history_record(obj=user, handling=handling, by=by, before=before, after=after, kommune=None,
                          aar=None, kommentar=kommentar, import_ref=import_ref)


@transaction.atomic
def profil_save(*, user, rolle, statsforvalter=None, kommuner=(), by=None):
    """Give a user a role and its scope (one office for Statsforvalter; kommuner for Kommune)."""
    if by is not None:
        require(by, "brukere")
    before = access_snapshot(user) if user.pk else None
    _profil_set(user, rolle, statsforvalter, kommuner)
    return access_changed(user=user, before=before, by=by)


def profil_check(*, rolle, statsforvalter=None, kommuner=()):
    """Does the scope fit the role? Raises ValidationError by field (also asked by the user import,
    so a row shows all its errors at once)."""
    kommuner = list(kommuner)
    errors = {}
    if rolle == Rolle.KOMMUNE and not kommuner:
        errors["kommuner"] = [_("En kommunebruker må knyttes til minst én kommune.")]
    elif rolle != Rolle.KOMMUNE and kommuner:
        errors["kommuner"] = [_("Bare kommunebrukere knyttes til kommuner.")]
    elif any(k.gyldig_til is not None for k in kommuner):
        errors["kommuner"] = [_("Velg dagens kommuner, ikke historiske.")]
    try:
        Profil(rolle=rolle, statsforvalter=statsforvalter).clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


def _profil_set(user, rolle, statsforvalter, kommuner):
    """Validate and store the role and its scope; the caller records the change (access_changed)."""
    kommuner = list(kommuner)
    profil_check(rolle=rolle, statsforvalter=statsforvalter, kommuner=kommuner)
    profil = Profil.objects.select_for_update().filter(user=user).first() or Profil(user=user)
    profil.rolle, profil.statsforvalter = rolle, statsforvalter
    profil.full_clean()
    profil.save()
    profil.kommuner.set(kommuner)
    user._profil_cache = profil
    return profil


# The user's own fields an import sets (is_active is access: access_snapshot records it).
BRUKER_FELT = ("username", "first_name", "last_name", "email")


def bruker_felt(user) -> dict:
    return {name: getattr(user, name) for name in BRUKER_FELT}


@transaction.atomic
def bruker_import(*, user, rolle, statsforvalter=None, kommuner=(), by=None, import_ref=""):
    """Create or update one user with its role and scope (a row of the admin's user import).

    A new user gets an unusable password and sets one through the password reset. History:
    the user's own fields as "bruker.importert" (new) or "bruker.endret", and the access as the
    admin records it (access_changed: "bruker.opprettet" / "bruker.tilgang_endret").
    """
    if by is not None:
        require(by, "brukere")
    new = user.pk is None
    if new:
        before_felt = before_access = None
        user.set_unusable_password()
    else:
        old = get_user_model().objects.select_for_update().get(pk=user.pk)
        before_felt, before_access = bruker_felt(old), access_snapshot(old)
    user.full_clean()
    user.save()
    _profil_set(user, rolle, statsforvalter, kommuner)
    history_record(obj=user, handling="bruker.importert" if new else "bruker.endret", by=by, before=before_felt,
                   after=bruker_felt(user), kommune=None, aar=None, import_ref=import_ref)
    access_changed(user=user, before=before_access, by=by, import_ref=import_ref)
    return user


def profil_set_sprak(*, user, sprak):
    """Store the user's written standard (nb/nn). A display preference, not access or case data, so
    no history row; nothing is written when it is unchanged. Returns whether it changed."""
    if sprak not in dict(settings.LANGUAGES):
        raise ValueError(f"Ukjent målform: {sprak!r}")
    return bool(Profil.objects.filter(user_id=user.pk).exclude(sprak=sprak).update(sprak=sprak))


@transaction.atomic
def bruker_epost_set(*, user, epost, by=None):
    """Set a user's e-mail address (their own on /profil/, an administrator's, or the demo seed's).

    Validated as an address; unique among users, ignoring case (a reminder must reach one person,
    and an address is how a person is recognised); blank removes it, which turns reminders off
    in practice. History "bruker.epost_endret" with the old and new address. Returns whether it
    changed."""
    from django.core.validators import validate_email

    User = get_user_model()
    if by is not None and by.pk != user.pk:
        require(by, "brukere")
    epost = User.objects.normalize_email((epost or "").strip())
    if epost:
        try:
            validate_email(epost)
        except ValidationError as exc:
            raise ValidationError({"email": [_("Skriv en gyldig e-postadresse.")]}) from exc
        if User.objects.filter(email__iexact=epost).exclude(pk=user.pk).exists():
            raise ValidationError({"email": [_("Adressen brukes allerede av en annen bruker.")]})
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.email == epost:
        return False
    before = {"email": locked.email}
    locked.email = user.email = epost
    locked.save(update_fields=["email"])
    history_record(obj=locked, handling="bruker.epost_endret", by=by, before=before, after={"email": epost},
                   kommune=None, aar=None)
    return True
