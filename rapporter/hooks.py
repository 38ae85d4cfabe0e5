"""Follow-ups (oppfolging) as the dashboard, the county report and the kommune header show them."""

from dataclasses import dataclass, field

from django.utils import timezone

# At most this many follow-ups per list on a page; the full list is /oppfolging/.
LIMIT = 20


@dataclass
class Oppfolging:
    """Follow-ups for a user, a fylke or a kommune, as the reports show them."""

    apne: list = field(default_factory=list)  # open follow-ups (objects with tittel, frist, kommune, url)
    forfalte: list = field(default_factory=list)  # open and past their due date
    utforte: list = field(default_factory=list)  # done (for the county report)
    neste: object | None = None  # the next one due (kommune header)
    tilgjengelig: bool = True
    antall_apne: int = 0
    antall_utforte: int = 0


@dataclass
class Punkt:
    tittel: str
    frist: object
    kommune: str
    url: str


def _punkt(p, kommune=None):
    """`kommune`: the follow-up's kommune when the caller has it (its row was read without it)."""
    kommune = kommune or (p.kommune if p.kommune_id else None)
    return Punkt(p.tittel, p.frist, kommune.navn_norsk if kommune else "", p.get_absolute_url())


def oppfolging_for(*, user=None, fylke=None, kommune=None, aar=None):
    """Open, overdue and done follow-ups the user may see: the user's own on the dashboard, a
    fylke's on the county report, a kommune's in its header. Three queries at most."""
    from django.db.models import Count, Q

    from oppfolging.choices import AKTIVE, PunktStatus
    from oppfolging.models import Oppfolgingspunkt

    today = timezone.localdate()
    qs = Oppfolgingspunkt.objects.for_user(user).select_related("kommune")
    if kommune is not None:
        qs = qs.filter(kommune=kommune)
    elif fylke is not None:
        qs = qs.filter(Q(kommune__fylke=fylke) | Q(kommune__overganger__gjeldende__fylke=fylke)).distinct()
        if aar:
            qs = qs.filter(Q(dialog__aar=aar) | Q(dialog__aar__isnull=True) | Q(frist__year=aar))
    elif user is not None:
        qs = qs.filter(ansvarlig=user)
    counts = qs.aggregate(apne=Count("pk", filter=Q(status__in=AKTIVE), distinct=True),
                          utforte=Count("pk", filter=Q(status=PunktStatus.FERDIG), distinct=True))
    active = [_punkt(p) for p in qs.filter(status__in=AKTIVE).order_by("frist", "pk")[:LIMIT]]
    done = [_punkt(p) for p in qs.filter(status=PunktStatus.FERDIG).order_by("-frist", "-pk")[:LIMIT]] \
        if fylke is not None else []
    return Oppfolging(
        apne=[p for p in active if p.frist >= today],
        forfalte=[p for p in active if p.frist < today],
        utforte=done,
        neste=active[0] if active else None,
        antall_apne=counts["apne"],
        antall_utforte=counts["utforte"],
    )
