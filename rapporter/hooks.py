"""Hooks to other apps' data that is not in this branch yet.

HOOK (oppfølging, issue of helper C): follow-ups live in `oppfolging/`. Until that app is merged,
`oppfolging_for` returns empty data of the shape the dashboard, the county report and the kommune
header expect. The lead replaces the body with a call into oppfolging's selectors.
"""

from dataclasses import dataclass, field


@dataclass
class Oppfolging:
    """Follow-ups for a user, a fylke or a kommune, as the reports show them."""

    apne: list = field(default_factory=list)  # open follow-ups (objects with tittel, frist, kommune, url)
    forfalte: list = field(default_factory=list)  # open and past their due date
    utforte: list = field(default_factory=list)  # done (for the county report)
    neste: object | None = None  # the next one due (kommune header)
    tilgjengelig: bool = False  # False while the oppfolging app is not installed


def oppfolging_for(*, user=None, fylke=None, kommune=None, aar=None):
    """Open, overdue and done follow-ups in scope. Empty until oppfolging is wired in."""
    return Oppfolging()
