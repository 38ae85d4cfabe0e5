"""Reads for other pages (the kommune page's dialogue panel)."""

from django.db.models import Prefetch

from core.access import can

from .models import Dialog, Oppfolgingspunkt

PANEL_DIALOGER = 20
PANEL_PUNKTER = 20  # the soonest due; the rest through the follow-up list (a kommune has hundreds)


def kommune_dialog(kommune, user):
    """Dialogue timeline and open follow-ups for a kommune, as the user may see them.

    A constant number of queries (4) whatever the number of rows. Context for
    templates/oppfolging/_kommune_panel.html.
    """
    dialoger = list(
        Dialog.objects.for_user(user).filter(kommuner=kommune).select_related("opprettet_av")
        .prefetch_related("deltakere", Prefetch("kommuner", to_attr="alle_kommuner"))
        .order_by("-dato", "-id")[:PANEL_DIALOGER]
    )
    punkter = list(
        Oppfolgingspunkt.objects.for_user(user).filter(kommune=kommune).aktive().select_related("ansvarlig")
        .order_by("frist", "id")[:PANEL_PUNKTER + 1]
    )
    return {"dialog_kommune": kommune, "dialoger": dialoger, "aapne_punkter": punkter[:PANEL_PUNKTER],
            "flere_punkter": len(punkter) > PANEL_PUNKTER, "kan_skrive_dialog": can(user, "dialog")}
