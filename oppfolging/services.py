"""Writes for dialogue and follow-ups. Each: one transaction, scope re-checked inside it,
validated, saved, history recorded in the same transaction. `by=None` is the system."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import check_kommune_writable, require, users_who_see_q
from core.history import history_entry, history_record, history_record_bulk, snapshot
from kommuner.models import Kommune

from .choices import ALLOWED_TRANSITIONS, PunktStatus
from .models import Dialog, DialogplanSteg, Oppfolgingspunkt, RegelInnstilling


def _check_kommuner(by, kommuner):
    if by is None:
        return
    require(by, "dialog")
    ids = {k.pk for k in kommuner}
    visible = set(Kommune.objects.for_user(by).gjeldende().filter(pk__in=ids).values_list("pk", flat=True))
    if visible != ids:
        raise PermissionDenied(_("Du har ikke tilgang til denne kommunen."))


def _check_owner(ansvarlig, kommune):
    """A follow-up's owner must be someone who may see its kommune (else the reminder would point
    to a page that answers 404, and the owner would learn of a kommune out of their scope)."""
    if not get_user_model().objects.filter(users_who_see_q(kommune), pk=ansvarlig.pk).exists():
        raise ValidationError({"ansvarlig": _("%(navn)s har ikke tilgang til %(kommune)s og kan ikke være ansvarlig.")
                               % {"navn": ansvarlig.get_full_name() or ansvarlig.get_username(),
                                  "kommune": kommune.navn_norsk}})


def _punkt_new(*, kommune, tittel, ansvarlig, frist, by, dialog=None, beskrivelse="", status=PunktStatus.AAPEN,
               **extra):
    _check_owner(ansvarlig, kommune)
    punkt = Oppfolgingspunkt(kommune=kommune, tittel=tittel, ansvarlig=ansvarlig, frist=frist, dialog=dialog,
                             beskrivelse=beskrivelse, status=status, opprettet_av=by if by else None, **extra)
    punkt.full_clean()
    punkt.save()
    history_record(obj=punkt, handling="oppfolging.opprettet", by=by, kommune=kommune)
    return punkt


@transaction.atomic
def dialog_register(*, kommuner, dato, type, sammendrag, by=None, deltakere=(), punkter=(), opprettet_av=None,
                    **fields):
    """Log a dialogue with one or several kommuner, and the follow-ups agreed in it.

    `punkter`: dicts with tittel, ansvarlig, frist, kommune (one of the dialogue's kommuner), beskrivelse.
    `opprettet_av`: the person who registered it when the system writes it for them (`by=None`,
    e.g. the demo data); the dialogue and its history name that person, not «Systemet».
    """
    author = by or opprettet_av
    kommuner = list(Kommune.objects.select_for_update().filter(pk__in=[k.pk for k in kommuner]).order_by("pk"))
    if not kommuner:
        raise ValidationError({"kommuner": _("Velg minst én kommune.")})
    _check_kommuner(by, kommuner)
    dialog = Dialog(dato=dato, type=type, sammendrag=sammendrag, opprettet_av=author, **fields)
    dialog.full_clean()
    dialog.save()
    dialog.kommuner.set(kommuner)
    dialog.deltakere.set(deltakere)
    for k in kommuner:
        history_record(obj=dialog, handling="dialog.registrert", by=author, kommune=k, aar=dialog.aar)
    ids = {k.pk for k in kommuner}
    for p in punkter:
        kommune = p.get("kommune") or (kommuner[0] if len(kommuner) == 1 else None)
        if kommune is None or kommune.pk not in ids:
            raise ValidationError({"punkter": _("Oppfølgingspunktet må gjelde en av kommunene i dialogen.")})
        _punkt_new(kommune=kommune, tittel=p["tittel"], ansvarlig=p["ansvarlig"], frist=p["frist"],
                   beskrivelse=p.get("beskrivelse", ""), dialog=dialog, by=author)
    return dialog


def _dialog_people(dialog):
    """The dialogue's kommuner and participants by name, for its history (a person reads it)."""
    return {
        "kommuner": ", ".join(sorted(k.navn_norsk for k in dialog.kommuner.all())),
        "deltakere": ", ".join(sorted(u.get_full_name() or u.get_username() for u in dialog.deltakere.all())),
    }


@transaction.atomic
def dialog_update(*, dialog, kommuner, dato, type, sammendrag, by=None, deltakere=(), kommentar="", **fields):
    """Change a registered dialogue. The user must have every kommune it held and every kommune it
    will hold in scope; one history entry per kommune touched, with old → new."""
    dialog = Dialog.objects.select_for_update().get(pk=dialog.pk)
    before_kommuner = list(dialog.kommuner.all())
    new = list(Kommune.objects.select_for_update().filter(pk__in=[k.pk for k in kommuner]).order_by("pk"))
    if not new:
        raise ValidationError({"kommuner": _("Velg minst én kommune.")})
    _check_kommuner(by, {k.pk: k for k in before_kommuner + new}.values())
    if dialog.punkter.exclude(kommune_id__in=[k.pk for k in new]).exists():
        raise ValidationError({"kommuner": _("Dialogen har oppfølgingspunkter for en kommune du tok bort. "
                                             "Behold kommunen, eller flytt punktene først.")})
    before = {**snapshot(dialog), **_dialog_people(dialog)}
    dialog.dato, dialog.type, dialog.sammendrag = dato, type, sammendrag
    for name, value in fields.items():
        setattr(dialog, name, value)
    dialog.full_clean()
    dialog.save()
    dialog.kommuner.set(new)
    dialog.deltakere.set(deltakere)
    after = {**snapshot(dialog), **_dialog_people(dialog)}
    if after == before:
        return dialog
    for k in {k.pk: k for k in before_kommuner + new}.values():
        history_record(obj=dialog, handling="dialog.endret", by=by, before=before, after=after, kommune=k,
                       aar=dialog.aar, kommentar=kommentar)
    return dialog


@transaction.atomic
def punkt_update(*, punkt, tittel, ansvarlig, frist, beskrivelse="", by=None, kommentar=""):
    """Change what a follow-up is, who owns it and by when; the owner must see its kommune."""
    punkt = Oppfolgingspunkt.objects.select_for_update(of=("self",)).select_related("kommune__fylke").get(pk=punkt.pk)
    if by is not None:
        check_kommune_writable(by, punkt.kommune, "dialog")
    before = snapshot(punkt)
    if ansvarlig.pk != punkt.ansvarlig_id:
        _check_owner(ansvarlig, punkt.kommune)
    punkt.tittel, punkt.ansvarlig, punkt.frist, punkt.beskrivelse = tittel, ansvarlig, frist, beskrivelse
    punkt.full_clean()
    if snapshot(punkt) == before:
        return punkt
    punkt.endret = timezone.now()
    punkt.save()
    history_record(obj=punkt, handling="oppfolging.endret", by=by, before=before, kommentar=kommentar)
    return punkt


@transaction.atomic
def punkt_create(*, kommune, tittel, ansvarlig, frist, by=None, dialog=None, beskrivelse=""):
    kommune = Kommune.objects.select_for_update().get(pk=kommune.pk)
    _check_kommuner(by, [kommune])
    return _punkt_new(kommune=kommune, tittel=tittel, ansvarlig=ansvarlig, frist=frist, by=by, dialog=dialog,
                      beskrivelse=beskrivelse)


def _transition(punkt, status):
    if status == punkt.status:
        return False
    if status not in ALLOWED_TRANSITIONS[PunktStatus(punkt.status)]:
        raise ValidationError({"status": _("Kan ikke endre status fra «%(fra)s» til «%(til)s».") % {
            "fra": punkt.get_status_display(), "til": PunktStatus(status).label}})
    punkt.status = status
    punkt.endret = timezone.now()
    return True


@transaction.atomic
def punkt_set_status(*, punkt, status, by=None, kommentar=""):
    punkt = Oppfolgingspunkt.objects.select_for_update().get(pk=punkt.pk)
    if by is not None:
        check_kommune_writable(by, punkt.kommune, "dialog")
    before = snapshot(punkt)
    if _transition(punkt, status):
        punkt.lukket_av_regel = False
        punkt.save()
        history_record(obj=punkt, handling="oppfolging.status", by=by, before=before, kommentar=kommentar)
    return punkt


@transaction.atomic
def punkt_bulk_done(*, ids, by):
    """Mark many follow-ups done; only those the user may change, others are left untouched.

    Returns the number changed.
    """
    require(by, "dialog")
    visible = Kommune.objects.for_user(by).values("pk")
    punkter = list(
        Oppfolgingspunkt.objects.select_for_update().filter(pk__in=ids, kommune_id__in=visible)
        .exclude(status=PunktStatus.FERDIG).order_by("pk")
    )
    entries = []
    changed = []
    for punkt in punkter:
        before = snapshot(punkt)
        try:
            moved = _transition(punkt, PunktStatus.FERDIG)
        except ValidationError:
            continue  # e.g. cancelled: closing it needs a reopen first
        if moved:
            punkt.lukket_av_regel = False
            changed.append(punkt)
            entries.append(history_entry(obj=punkt, handling="oppfolging.status", by=by, before=before))
    Oppfolgingspunkt.objects.bulk_update(changed, ["status", "endret", "lukket_av_regel"])
    history_record_bulk(entries)
    return len(changed)


@transaction.atomic
def dialogplan_apply(*, anmodning, by=None):
    """Create the office's standard steps as follow-ups for a newly registered request.

    Owners: the office's users. Keyed per step and kommune-year, so a second call (or an adjusted
    or supplementary request) creates nothing. Meant to be called inside `anmodning_register`.
    """
    from .rules import office_recipients

    kommune = Kommune.objects.select_related("fylke").get(pk=anmodning.kommune_id)
    steg = list(DialogplanSteg.objects.filter(statsforvalter_id=kommune.fylke.statsforvalter_id, aktiv=True))
    if not steg:
        return []
    start = anmodning.dato_sendt or timezone.localdate()
    users = office_recipients([kommune.fylke.statsforvalter_id]).get(kommune.fylke.statsforvalter_id, [])
    rows = [
        Oppfolgingspunkt(
            kommune=kommune, tittel=f"{s.tittel} – {kommune.navn_norsk} {anmodning.aar}", ansvarlig_id=uid,
            frist=start + datetime.timedelta(days=s.dager_etter),
            regel_noekkel=f"plan:{s.pk}:{kommune.pk}:{anmodning.aar}",
        )
        for s in steg for uid in users
    ]
    now = timezone.now()
    for r in rows:
        r.opprettet = r.endret = now
    Oppfolgingspunkt.objects.bulk_create(rows, ignore_conflicts=True)
    saved = list(Oppfolgingspunkt.objects.select_related("kommune").filter(
        regel_noekkel__in={r.regel_noekkel for r in rows}, opprettet=now))
    history_record_bulk([history_entry(obj=p, handling="oppfolging.dialogplan", by=by) for p in saved])
    return saved


@transaction.atomic
def profil_set_varsler(*, user, paa):
    """The user's own switch for e-mail reminders."""
    from core.models import Profil

    profil = Profil.objects.select_for_update().get(user=user)
    before = snapshot(profil)
    profil.varsler_paa = paa
    profil.save(update_fields=["varsler_paa"])
    history_record(obj=profil, handling="profil.varsler", by=user, before=before, kommune=None)
    return profil


# --- Settings: early-warning rules and the offices' dialogue plans --------------------------
# Administrators' settings ("brukere": users, roles and schedules in core.access.WRITE). The admin
# (forms, list editing, import) writes them only through these functions, so history is kept.
INNSTILLING_ACTION = "brukere"


def _innstilling_record(obj, label, before, by, kommentar, import_ref):
    handling = f"{label}.endret"
    if before is None:
        handling = f"{label}.importert" if import_ref else f"{label}.registrert"
    return history_record(obj=obj, handling=handling, by=by, before=before, kommune=None, aar=None,
                          kommentar=kommentar, import_ref=import_ref)


@transaction.atomic
def regel_innstilling_save(*, regel, aktiv, terskel, frist_dager, by=None, kommentar="", import_ref=""):
    """Switch an early-warning rule and set its threshold; creates the rule's row the first time.
    `terskel=None` means the rule's default (oppfolging.choices.REGEL_STANDARD), never 0."""
    if by is not None:
        require(by, INNSTILLING_ACTION)
    innstilling = RegelInnstilling.objects.select_for_update().filter(regel=regel).first()
    before = snapshot(innstilling) if innstilling else None
    innstilling = innstilling or RegelInnstilling(regel=regel)
    innstilling.aktiv, innstilling.terskel, innstilling.frist_dager = aktiv, terskel, frist_dager
    innstilling.full_clean()
    if before is not None and snapshot(innstilling) == before:
        return innstilling  # nothing changed: nothing written
    innstilling.save()
    _innstilling_record(innstilling, "regelinnstilling", before, by, kommentar, import_ref)
    return innstilling


@transaction.atomic
def regel_innstilling_delete(*, innstilling, by=None, kommentar=""):
    """Remove a rule's row: the rule then runs with its defaults."""
    if by is not None:
        require(by, INNSTILLING_ACTION)
    innstilling = RegelInnstilling.objects.select_for_update().get(pk=innstilling.pk)
    history_record(obj=innstilling, handling="regelinnstilling.slettet", by=by, before=snapshot(innstilling),
                   after={}, kommune=None, aar=None, kommentar=kommentar)
    innstilling.delete()


@transaction.atomic
def dialogplan_steg_save(*, statsforvalter, tittel, dager_etter, aktiv=True, steg=None, by=None, kommentar="",
                         import_ref=""):
    """Create (`steg=None`) or change a standard step of an office's dialogue plan."""
    if by is not None:
        require(by, INNSTILLING_ACTION)
    before = None
    if steg is not None and steg.pk:
        steg = DialogplanSteg.objects.select_for_update().get(pk=steg.pk)
        before = snapshot(steg)
    else:
        steg = DialogplanSteg()
    steg.statsforvalter, steg.tittel, steg.dager_etter, steg.aktiv = statsforvalter, tittel, dager_etter, aktiv
    steg.full_clean()
    if before is not None and snapshot(steg) == before:
        return steg
    steg.save()
    _innstilling_record(steg, "dialogplansteg", before, by, kommentar, import_ref)
    return steg


@transaction.atomic
def dialogplan_steg_delete(*, steg, by=None, kommentar=""):
    """Remove a step; follow-ups already made from it stay."""
    if by is not None:
        require(by, INNSTILLING_ACTION)
    steg = DialogplanSteg.objects.select_for_update().get(pk=steg.pk)
    history_record(obj=steg, handling="dialogplansteg.slettet", by=by, before=snapshot(steg), after={},
                   kommune=None, aar=None, kommentar=kommentar)
    steg.delete()


def on_anmodning_registered(sender, *, anmodning, by=None, **kwargs):
    """vedtak.signals.anmodning_registered: the office's standard steps become follow-ups."""
    dialogplan_apply(anmodning=anmodning, by=by)
