"""Reads for other pages (the kommune page's dialogue panel)."""

from django.db.models import Prefetch

from core.access import can

from .models import Dialog, Oppfolgingspunkt

PANEL_DIALOGER = 20
PANEL_PUNKTER = 20  # the soonest due; the rest through the follow-up list (a kommune has hundreds)


def kommune_dialog(kommune, user):
    """Dialogue timeline and open follow-ups for a kommune, as the user may see them.

    A constant number of queries (4) whatever the number of rows. The kommune page
    (rapporter.views.KommuneView) takes its last contact and open follow-ups from it.
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


def dialog_detalj_qs(user):
    """Dialogues for the dialogue page, with only what `user` may see of them.

    A dialogue with several kommuner is open to a user of any one of them, but its follow-ups
    are filtered through the one scope rule (Oppfolgingspunkt.objects.for_user) into
    `synlige_punkter`, and `alle_kommuner` holds every kommune for `dialog_detalj` to split.
    """
    return Dialog.objects.for_user(user).select_related("opprettet_av").prefetch_related(
        "deltakere", Prefetch("kommuner", to_attr="alle_kommuner"),
        Prefetch("punkter", to_attr="synlige_punkter",
                 queryset=Oppfolgingspunkt.objects.for_user(user).select_related("ansvarlig", "kommune")
                 .order_by("frist", "id")))


def dialog_detalj(dialog, user):
    """Context for templates/oppfolging/dialog_detail.html: the kommuner the user may see
    (names and links), whether others were left out (no count), and the visible follow-ups."""
    from kommuner.models import Kommune

    ids = Kommune.objects.ids_for_user(user)
    alle = list(getattr(dialog, "alle_kommuner", None) or dialog.kommuner.all())
    synlige = [k for k in alle if ids is None or k.pk in ids]
    punkter = getattr(dialog, "synlige_punkter", None)
    if punkter is None:
        punkter = list(Oppfolgingspunkt.objects.for_user(user).filter(dialog=dialog)
                       .select_related("ansvarlig", "kommune").order_by("frist", "id"))
    return {"synlige_kommuner": synlige, "skjulte_kommuner": len(synlige) < len(alle), "punkter": punkter}


def dialog_kan_endres(dialog, user):
    """Whether `user` has every kommune of the dialogue in scope (the rule for changing it)."""
    from kommuner.models import Kommune

    ids = Kommune.objects.ids_for_user(user)
    return ids is None or set(dialog.kommuner.values_list("pk", flat=True)) <= set(ids)
