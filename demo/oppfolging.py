"""Demo data for `seed_demo`: dialogue and follow-ups around today, so a first `send_reminders`
run has something to send (users need an e-mail address to receive it)."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, When
from django.utils import timezone

from core.models import Rolle
from kommuner.models import Kommune
from oppfolging.choices import DialogType, Organisasjon, PunktStatus
from oppfolging.models import Dialog
from oppfolging.services import dialog_register, punkt_set_status

DEMO_TAG = "demodata"

PLAN = [
    # (days from today for the dialogue, kind, summary, [(title, due in days, status)])
    (-20, DialogType.MOETE, "Møte med rådmann og flyktningtjenesten om anmodningen for året.", [
        ("Send oversikt over ledige boliger", -5, PunktStatus.AAPEN),
        ("Avklar kapasitet i voksenopplæringen", 2, PunktStatus.PAAGAAR),
        ("Innkall til oppfølgingsmøte", -12, PunktStatus.FERDIG),
    ]),
    (-6, DialogType.TELEFON, "Telefon med kommunedirektøren om saken til kommunestyret.", [
        ("Sjekk at saken er satt opp i kommunestyret", 4, PunktStatus.AAPEN),
        ("Del erfaringer fra nabokommunen", 25, PunktStatus.AAPEN),
    ]),
]


def demo_users():
    """Statsforvalter and KS users, else superusers: whoever the demo logs in as."""
    User = get_user_model()
    users = list(User.objects.filter(is_active=True, profil__rolle__in=[Rolle.STATSFORVALTER, Rolle.KS]).order_by("pk"))
    return users or list(User.objects.filter(is_active=True, is_superuser=True).order_by("pk"))


@transaction.atomic
def seed_demo_data(users=None):
    """Idempotent: users who already have demo dialogue get nothing new. Returns dialogues created."""
    today = timezone.localdate()
    created = 0
    for user in users if users is not None else demo_users():
        if Dialog.objects.filter(opprettet_av=user, sammendrag=PLAN[0][2]).exists():  # JSON lookups differ on SQLite
            continue
        # Halden first where the user can see it (the kommune the demo and tests walk through).
        kommuner = list(Kommune.objects.for_user(user).gjeldende().order_by(
            Case(When(nummer="3101", then=0), default=1), "nummer")[:2])
        if not kommuner:
            continue
        for i, (offset, kind, summary, punkter) in enumerate(PLAN):
            kommune = kommuner[i % len(kommuner)]
            dialog = dialog_register(
                kommuner=[kommune], dato=today + datetime.timedelta(days=offset), type=kind, sammendrag=summary,
                organisasjoner=[Organisasjon.STATSFORVALTER, Organisasjon.KOMMUNEN], temaer=["bolig"],
                stikkord=[DEMO_TAG], aar=today.year, deltakere=[user], by=None,
                punkter=[{"tittel": t, "ansvarlig": user, "frist": today + datetime.timedelta(days=d)}
                         for t, d, _s in punkter],
            )
            dialog.opprettet_av = user
            dialog.save(update_fields=["opprettet_av"])
            for p, (_t, _d, status) in zip(dialog.punkter.order_by("pk"), punkter, strict=True):
                if status != PunktStatus.AAPEN:
                    punkt_set_status(punkt=p, status=status, by=None)
            created += 1
    return created
