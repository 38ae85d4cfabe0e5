"""Reads for other pages (the kommune page's dialogue panel, the overview's contact columns)."""

import datetime
from dataclasses import dataclass
from functools import partial

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from core import tallcache
from core.access import can
from kommuner.models import Kommune

from .choices import DialogType
from .models import Dialog, Oppfolgingspunkt

PANEL_DIALOGER = 20
PANEL_PUNKTER = 20  # the soonest due; the rest through the follow-up list (a kommune has hundreds)


def kommune_dialog(kommune, user):
    """Dialogue timeline and open follow-ups for a kommune, as the user may see them.

    A constant number of queries (4) whatever the number of rows. The kommune page
    (rapporter.views.KommuneView) takes its last contact and open follow-ups from it.
    """
    dialoger = list(
        Dialog.objects.about_kommune(kommune, user).select_related("opprettet_av")
        .prefetch_related("deltakere", Prefetch("kommuner", to_attr="alle_kommuner"))
        .order_by("-dato", "-id")[:PANEL_DIALOGER]
    )
    punkter = list(
        Oppfolgingspunkt.objects.about_kommune(kommune, user).aktive().select_related("ansvarlig")
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
    ids = Kommune.objects.ids_for_user(user)
    return ids is None or set(dialog.kommuner.values_list("pk", flat=True)) <= set(ids)


@dataclass
class Kontakt:
    """A kommune's contact state as the user may see it (the overview's columns): the last
    dialogue (None: none registered that the user may see) and the open and overdue follow-ups."""

    dialog_id: int | None = None
    dato: datetime.date | None = None
    type: str = ""
    apne: int = 0
    forfalte: int = 0

    @property
    def type_tekst(self):
        return DialogType(self.type).label if self.type in DialogType.values else ""

    @property
    def url(self):
        return reverse("oppfolging:dialog_detail", args=[self.dialog_id]) if self.dialog_id else None


def kontakt_for_kommuner(kommune_ids, user, *, today=None, synlige=...):
    """{kommune id: Kontakt} for the kommuner in `kommune_ids` (None: every kommune) that the user
    may read (core.access) and that have a dialogue or an open follow-up: the last dialogue with
    each, and its open and overdue follow-ups.

    The whole country's answer is read in one query and cached under the dialogue counter
    (core.tallcache: every write to dialogues and follow-ups moves it) and the day; each user is
    given the kommuner in their scope of it. That is what reading their scope alone would give:
    a kommune's newest dialogue is one its readers may open, and its follow-ups are theirs too. A
    dialogue the user may open for one kommune does not tell them about another kommune in it
    (dialog_detalj hides those too). `synlige`: the user's Kommune.objects.ids_for_user, when
    the caller has read it already."""
    today = today or timezone.localdate()
    alle = tallcache.cached("kontakt", partial(_kontakt_hele_landet, today), today=today, teller=tallcache.DIALOG)
    if synlige is ...:
        synlige = Kommune.objects.ids_for_user(user)
    if kommune_ids is not None:
        kommune_ids = set(kommune_ids)
        synlige = kommune_ids if synlige is None else synlige & kommune_ids
    return alle if synlige is None else {k: v for k, v in alle.items() if k in synlige}


def _kontakt_hele_landet(today):
    """{kommune id: Kontakt} for every kommune, in one query: the newest dialogue per kommune (a
    window over the dialogue–kommune rows, not a subquery per kommune: that took over a second at
    national scale with 50 000 dialogues) and, in the same UNION, the follow-ups counted per kommune."""
    siste = (Dialog.kommuner.through.objects
             .annotate(rad=Window(RowNumber(), partition_by=F("kommune_id"),
                                  order_by=[F("dialog__dato").desc(), F("dialog_id").desc()]))
             .filter(rad=1).values_list("kommune_id", "dialog_id", "dialog__dato", "dialog__type"))
    punkter = (Oppfolgingspunkt.objects.aktive().order_by()
               .values("kommune_id").annotate(apne=Count("pk"), forfalte=Count("pk", filter=Q(frist__lt=today)))
               .values_list("kommune_id", "apne", "forfalte"))
    # One round trip: Django cannot UNION a window-filtered query with another (its QUALIFY
    # emulation adds columns), so the two compiled queries are joined here, columns by name.
    deler, params = [], []
    for qs, sql in ((siste, 'SELECT s.kommune_id, s.dialog_id, s.dialog__dato, s.dialog__type, NULL, NULL '
                             'FROM ({}) s'),
                    (punkter, 'SELECT p.kommune_id, NULL, NULL, NULL, p.apne, p.forfalte FROM ({}) p')):
        del_sql, del_params = qs.query.sql_with_params()
        deler.append(sql.format(del_sql))
        params += del_params
    sql = " UNION ALL ".join(deler)
    out = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kid, did, dato, type_, apne, forfalte in cursor.fetchall():
            k = out.setdefault(kid, Kontakt())
            if apne is None:
                k.dialog_id, k.type = did, type_ or ""
                k.dato = datetime.date.fromisoformat(dato) if isinstance(dato, str) else dato  # SQLite: text
            else:
                k.apne, k.forfalte = apne, forfalte
    return out
