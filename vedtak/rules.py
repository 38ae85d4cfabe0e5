"""The agreement's rules, written once: which request and which vedtak are in force for a year.

Every reader uses these (the figures engine in bosetting.selectors, imports and their exports,
the early-warning rules and reminders, the county report): pure functions over rows already
fetched, and one Q for the database.
"""

import datetime

from django.db.models import Q

from .choices import AnmodningType, VedtakStatus


def letter_order(a):
    """The order IMDi's letters count in: sent date, then when they were registered."""
    return (a.dato_sendt or datetime.date.min, a.opprettet, a.pk or 0)


def request_in_force(anmodninger):
    """IMDi's number in force for a kommune-year: an adjusted request replaces, a supplementary
    one adds. Returns (total, of which unaccompanied minors), None where unknown."""
    total = ema = None
    for a in sorted(anmodninger, key=letter_order):
        if a.type == AnmodningType.TILLEGG:
            total = (total or 0) + a.antall
            if a.herav_ema is not None:
                ema = (ema or 0) + a.herav_ema
        else:
            total, ema = a.antall, a.herav_ema
    return total, ema


def vedtak_in_force_q(aar):
    """Vedtak in force for a year: not superseded, and covering it (one year, or a span).
    `aar` may be an expression (OuterRef) for subqueries."""
    return Q(erstattet_av__isnull=True, aar__lte=aar) & (Q(aar_til__gte=aar) | Q(aar_til__isnull=True, aar=aar))


def covers(v, aar):
    """Whether a vedtak (in force or not) is for the year."""
    return v.aar <= aar <= (v.aar_til or v.aar)


def vedtak_order(v):
    return (v.dato or datetime.date.min, v.opprettet, v.pk or 0)


def vedtak_in_force(vedtak, aar):
    """The vedtak that counts for a year among a kommune's rows: the newest of those in force.
    (Supersession leaves one; should two remain, the newest decision counts.)"""
    candidates = [v for v in vedtak if v.erstattet_av_id is None and covers(v, aar)]
    return max(candidates, key=vedtak_order, default=None)


def is_pending(v):
    return v is not None and v.status == VedtakStatus.AVVENTER
