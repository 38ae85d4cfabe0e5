"""Demo data for `seed_demo`: dialogue and follow-ups around today, so a first `send_reminders`
run has something to send to several demo users (their e-mail addresses come from seed_demo).

Each demo meeting exists once, with the people who were there as participants: KS and the
Statsforvalter sit in the same meeting, and both see it because it concerns kommuner in both their
scopes (DialogQuerySet.for_user). Follow-ups are shared out among KS, the office and the kommune
users, with deadlines passed, close and further off.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bosetting.choices import Aarsak
from core.models import Rolle
from kommuner.models import Kommune
from oppfolging.choices import DialogType, Organisasjon, PunktStatus
from oppfolging.models import Dialog
from oppfolging.services import dialog_register, punkt_set_status

KS, SF, KOMMUNE = "ks", "statsforvalter", "kommune"
Org = Organisasjon

# One entry per demo dialogue: days from today, kind, kommuner (numbers), who was there (roles; the
# kommune's own users for KOMMUNE), organisations present, themes (Aarsak), keywords, summary, and
# follow-ups (title, kommune, responsible role, due in days, status).
PLAN = [
    {
        "dager": -21, "type": DialogType.MOETE, "kommuner": ["3101"], "deltakere": [KS, SF, KOMMUNE],
        "organisasjoner": [Org.KS, Org.STATSFORVALTER, Org.KOMMUNEN],
        "temaer": [Aarsak.BOLIG, Aarsak.KAPASITET_TJENESTE], "stikkord": ["anmodning", "boligplan"],
        "sammendrag": "Møte med kommunedirektøren og flyktningtjenesten i Halden om anmodningen: kommunen vil "
                      "bosette, men mangler egnede boliger, og flyktningtjenesten har to ledige stillinger.",
        "punkter": [
            ("Send oversikt over ledige kommunale boliger", "3101", KOMMUNE, -5, PunktStatus.AAPEN),
            ("Undersøk Husbankens ordninger for utleieboliger til flyktninger", "3101", KS, 3, PunktStatus.PAAGAAR),
            ("Send referat fra møtet til deltakerne", "3101", SF, -14, PunktStatus.FERDIG),
        ],
    },
    {
        "dager": -10, "type": DialogType.KONFERANSE, "kommuner": ["3118", "3116", "3103"],
        "deltakere": [KS, SF, KOMMUNE], "organisasjoner": [Org.KS, Org.STATSFORVALTER, Org.IMDI, Org.KOMMUNEN],
        "temaer": [Aarsak.VOKSENOPPLAERING, Aarsak.ARBEIDSMARKED], "stikkord": ["regionmøte", "introduksjonsprogram"],
        "sammendrag": "Regionmøte i Mysen for Indre Østfold, Skiptvet og Moss om plasser i introduksjonsprogrammet "
                      "og voksenopplæringen, og om samarbeid med NAV om arbeidsrettede tiltak.",
        "punkter": [
            ("Avklar hvor mange plasser voksenopplæringen har neste halvår", "3118", KOMMUNE, 2, PunktStatus.AAPEN),
            ("Følg opp Moss om når saken skal til kommunestyret", "3103", SF, -2, PunktStatus.AAPEN),
            ("Del erfaringer fra interkommunalt introduksjonsprogram", "3116", KS, 20, PunktStatus.AAPEN),
        ],
    },
    {
        "dager": -4, "type": DialogType.TELEFON, "kommuner": ["3101"], "deltakere": [SF],
        "organisasjoner": [Org.STATSFORVALTER, Org.KOMMUNEN], "temaer": [Aarsak.OEKONOMI],
        "stikkord": ["kommunestyresak"],
        "sammendrag": "Telefon med kommunedirektøren i Halden om saken til kommunestyret: formannskapet ønsker "
                      "tall for hva bosettingen koster og hvilke tilskudd kommunen får.",
        "punkter": [
            ("Sjekk at saken er satt opp i kommunestyret", "3101", SF, 4, PunktStatus.AAPEN),
            ("Send KS' beregninger av kostnader per bosatt", "3101", KS, 1, PunktStatus.AAPEN),
        ],
    },
]


def _first(qs):
    return qs.filter(is_active=True).order_by("pk").first()


def _people(kommuner):
    """The demo's KS user, the office's user for the kommuner, and each kommune's own user (or None)."""
    User = get_user_model()
    office = kommuner[0].fylke.statsforvalter_id if kommuner else None
    return {
        KS: _first(User.objects.filter(profil__rolle=Rolle.KS)),
        SF: _first(User.objects.filter(profil__rolle=Rolle.STATSFORVALTER, profil__statsforvalter_id=office)),
        KOMMUNE: {k.nummer: _first(User.objects.filter(profil__rolle=Rolle.KOMMUNE, profil__kommuner=k))
                  for k in kommuner},
    }


@transaction.atomic
def seed_demo_data():
    """Idempotent: a demo dialogue that already exists (same summary) is not made again. Needs the
    office's or KS's demo user (someone to be responsible); returns the dialogues created."""
    today = timezone.localdate()
    numbers = {n for d in PLAN for n in d["kommuner"]}
    kommuner = {k.nummer: k for k in Kommune.objects.gjeldende().filter(nummer__in=numbers)
                .select_related("fylke")}
    existing = set(Dialog.objects.filter(sammendrag__in=[d["sammendrag"] for d in PLAN])
                   .values_list("sammendrag", flat=True))
    people = _people([kommuner[n] for n in sorted(kommuner)])
    host = people[SF] or people[KS]
    created = 0
    for d in PLAN:
        if d["sammendrag"] in existing or host is None or not all(n in kommuner for n in d["kommuner"]):
            continue

        def who(role, nummer=None):
            return people[KOMMUNE].get(nummer) if role == KOMMUNE else people[role]

        deltakere = {u for role in d["deltakere"]
                     for u in ([who(KOMMUNE, n) for n in d["kommuner"]] if role == KOMMUNE else [who(role)]) if u}
        dialog = dialog_register(
            kommuner=[kommuner[n] for n in d["kommuner"]], dato=today + datetime.timedelta(days=d["dager"]),
            type=d["type"], sammendrag=d["sammendrag"], organisasjoner=[o.value for o in d["organisasjoner"]],
            temaer=[t.value for t in d["temaer"]], stikkord=list(d["stikkord"]), aar=today.year,
            deltakere=sorted(deltakere, key=lambda u: u.pk), by=None, opprettet_av=host,
            punkter=[{"tittel": t, "kommune": kommuner[n], "ansvarlig": who(role, n) or host,
                      "frist": today + datetime.timedelta(days=days)} for t, n, role, days, _s in d["punkter"]],
        )
        for p, (*_rest, status) in zip(dialog.punkter.order_by("pk"), d["punkter"], strict=True):
            if status != PunktStatus.AAPEN:
                punkt_set_status(punkt=p, status=status, by=None)
        created += 1
    return created
