"""The overview (/oversikt/): bosetting's figures per kommune with, from oppfolging, the last
contact and the open and overdue follow-ups the user may see («who is furthest behind, and what
did we agree with each?»). Here because rapporter may read both apps; bosetting may not import
oppfolging."""

import datetime

import django_filters
import django_tables2 as tables
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from bosetting.filters import OversiktFilter as BosettingOversiktFilter
from bosetting.oversikt import TJENESTE_KOLONNER, tjeneste_verdier
from bosetting.selectors import tjenester_for_kommuner
from bosetting.tables import OversiktTable as BosettingOversiktTable
from bosetting.views import OversiktView as BosettingOversiktView
from core import tallcache
from core.params import valgt_aar
from oppfolging.selectors import Kontakt, kontakt_for_kommuner

KONTAKT_DAGER = (30, 60, 90, 180)
# The front page's «Hvem ligger etter?»: the gap «Anmodet, ikke bosatt», furthest behind first.
SORT_ETTER = "-gap_anmodning_bosatt"


class OversiktFilter(BosettingOversiktFilter):
    """The overview's filters and two on the contact (applied to the rows in Python)."""

    ingen_kontakt = django_filters.ChoiceFilter(
        label=gettext_lazy("Ingen kontakt siste"), method="noop", empty_label=gettext_lazy("Alle"),
        choices=[(str(n), str(n)) for n in KONTAKT_DAGER],
    )
    forfalte = django_filters.BooleanFilter(label=gettext_lazy("Bare kommuner med forfalte oppfølginger"),
                                            method="noop", widget=forms.CheckboxInput)

    # The service columns are asked for (or implied by their filters): the overview is wide, and
    # they cost a query.
    vis_tjenester = django_filters.BooleanFilter(label=gettext_lazy("Vis tjenester og press"), method="noop",
                                                 widget=forms.CheckboxInput)
    har_asylmottak = django_filters.BooleanFilter(label=gettext_lazy("Bare kommuner med asylmottak"),
                                                  method="noop", widget=forms.CheckboxInput)
    har_press = django_filters.BooleanFilter(label=gettext_lazy("Bare kommuner som har meldt press"),
                                             method="noop", widget=forms.CheckboxInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # In the request's language (a lazy string with %-formatting would be fixed at import).
        self.filters["ingen_kontakt"].extra["choices"] = [(str(n), _("%(n)s dager") % {"n": n})
                                                           for n in KONTAKT_DAGER]

    def kontakt_filter(self, rader, today):
        """Rows whose contact the user may see and that match the contact filters (a row outside
        the user's scope has an unknown contact: it matches neither filter)."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        dager = data.get("ingen_kontakt")
        if dager:
            grense = today - datetime.timedelta(days=int(dager))
            rader = [r for r in rader if r.kontakt is not None and (r.kontakt.dato is None or r.kontakt.dato < grense)]
        if data.get("forfalte"):
            rader = [r for r in rader if r.kontakt is not None and r.kontakt.forfalte > 0]
        return rader

    @property
    def viser_tjenester(self):
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return bool(data.get("vis_tjenester") or data.get("har_asylmottak") or data.get("har_press"))

    def tjeneste_filter(self, rader):
        """Rows whose service facts the user may see and that match the service filters."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        if data.get("har_asylmottak"):
            rader = [r for r in rader if r.tjenester is not None and r.tjenester.asylmottak]
        if data.get("har_press"):
            rader = [r for r in rader if r.tjenester is not None and r.tjenester.har_press]
        return rader


def _attrs(num=False):
    return {"td": {"class": "app-num"}, "th": {"class": "app-num"}} if num else {}


class SisteKontaktColumn(tables.Column):
    """The last dialogue: its date and kind, linking to it. «Ingen registrert» when the user may
    see the kommune's dialogues and there are none; blank when unknown (out of scope, sum rows)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)

    def celle(self, k):
        if k is None:
            return ""
        if k.dato is None:
            return _("Ingen registrert")
        return format_html('<a class="ds-link" href="{}">{} {}</a>', k.url, k.dato.strftime("%d.%m.%Y"),
                           k.type_tekst.lower())

    render = celle

    def eksport(self, k):
        return None if k is None else k.dato  # a date cell (core.export)

    def value(self, value):
        return self.eksport(value)


class KontaktTypeColumn(SisteKontaktColumn):
    """The last dialogue's kind: its own column in the exports only (the page shows it with the date)."""

    def eksport(self, k):
        return None if k is None or k.dato is None else k.type_tekst


class PunktColumn(tables.Column):
    """A count of follow-ups; blank when unknown. Overdue ones are said in words («2 forfalte»)."""

    def __init__(self, *args, felt, forfalt=False, **kwargs):
        self.felt, self.forfalt = felt, forfalt
        kwargs.setdefault("empty_values", ())
        kwargs.setdefault("attrs", _attrs(num=True))
        super().__init__(*args, **kwargs)

    def celle(self, k):
        if k is None:
            return ""
        n = getattr(k, self.felt)
        if self.forfalt and n:
            return format_html('<span class="app-forfalt">{}</span>',
                               ngettext("%(n)s forfalt", "%(n)s forfalte", n) % {"n": n})
        return str(n)

    render = celle

    def eksport(self, k):
        return None if k is None else getattr(k, self.felt)

    def value(self, value):
        return self.eksport(value)


class TjenesteColumn(tables.Column):
    """One service fact of the row (bosetting.oversikt.tjeneste_verdier, attached by
    med_tjenester): blank when the user may not see it (sum rows, out of scope)."""

    def __init__(self, *args, indeks, **kwargs):
        self.indeks = indeks
        kwargs.setdefault("empty_values", ())
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    def eksport(self, r):
        return None if r is None else r.tjeneste_verdier[self.indeks]

    def celle(self, r):
        v = self.eksport(r)
        return "" if v is None else str(v)

    render = celle

    def value(self, value):
        return self.eksport(value)


class OversiktTable(BosettingOversiktTable):
    # Each reads the row's Kontakt (rapporter.oversikt.med_kontakt); sorted on plain keys.
    siste_kontakt = SisteKontaktColumn(accessor="kontakt", verbose_name=gettext_lazy("Siste kontakt"),
                                       order_by=("siste_kontakt_n",))
    siste_kontakt_type = KontaktTypeColumn(accessor="kontakt", verbose_name=gettext_lazy("Type siste kontakt"),
                                           visible=False, orderable=False)
    apne_oppfolginger = PunktColumn(accessor="kontakt", felt="apne", verbose_name=gettext_lazy("Åpne oppfølginger"),
                                    order_by=("apne_n",))
    forfalte_oppfolginger = PunktColumn(accessor="kontakt", felt="forfalte", forfalt=True,
                                        verbose_name=gettext_lazy("Forfalte oppfølginger"), order_by=("forfalte_n",))
    # Each reads the row itself, or None when its facts are hidden (med_tjenester).
    intro_plasser = TjenesteColumn(indeks=0, verbose_name=TJENESTE_KOLONNER[0][1], attrs=_attrs(num=True))
    norsk_plasser = TjenesteColumn(indeks=1, verbose_name=TJENESTE_KOLONNER[1][1], attrs=_attrs(num=True))
    asylmottak = TjenesteColumn(indeks=2, verbose_name=TJENESTE_KOLONNER[2][1])
    meldt_press = TjenesteColumn(indeks=3, verbose_name=TJENESTE_KOLONNER[3][1])

    class Meta(BosettingOversiktTable.Meta):  # django-tables2 does not inherit Meta by itself
        pass


def med_kontakt(rader, kontakt, synlige):
    """Attach to each row its Kontakt (None when unknown: a sum row, or a kommune outside the
    user's scope `synlige`, None meaning all) and the contact columns' sort keys."""
    for r in rader:
        if r.er_sum or r.kommune_id is None or (synlige is not None and r.kommune_id not in synlige):
            k = None
        else:
            k = kontakt.get(r.kommune_id) or Kontakt()
        r.kontakt = k
        # The tbody reads each column by its name; the sort keys put unknown first.
        r.siste_kontakt = r.siste_kontakt_type = r.apne_oppfolginger = r.forfalte_oppfolginger = k
        r.siste_kontakt_n = -2 if k is None else (-1 if k.dato is None else k.dato.toordinal())
        r.apne_n = -1 if k is None else k.apne
        r.forfalte_n = -1 if k is None else k.forfalte
    return rader


def med_tjenester(rader, tjenester, synlige):
    """Attach to each row its Tjenestekapasitet (`tjenester`, None when there is none or the user
    may not see it) and, under each service column's name, the row itself (None when hidden: sum
    rows, kommuner outside the user's scope)."""
    for r in rader:
        skjult = r.er_sum or r.kommune_id is None or (synlige is not None and r.kommune_id not in synlige)
        r.tjenester = None if skjult else tjenester.get(r.kommune_id)
        r.tjeneste_verdier = None if skjult else tjeneste_verdier(r.tjenester)
        r.intro_plasser = r.norsk_plasser = r.asylmottak = r.meldt_press = None if skjult else r
    return rader


class OversiktView(BosettingOversiktView):
    """/oversikt/: bosetting's overview with the contact columns and filters."""

    table_class = OversiktTable
    filterset_class = OversiktFilter

    def kontakt(self):
        """{kommune id: Kontakt} for every kommune the user may see: one query, read once."""
        if not hasattr(self, "_kontakt"):
            self._today = timezone.localdate()
            self._kontakt = kontakt_for_kommuner(None, self.request.user, today=self._today,
                                                 synlige=self.visible_ids())
        return self._kontakt

    def tjenester(self):
        """{kommune id: Tjenestekapasitet} of the year for every kommune the user may see: one
        query, only when the service columns are shown."""
        if not hasattr(self, "_tjenester"):
            self._tjenester = (tjenester_for_kommuner(self.request.user, valgt_aar(self.request))
                               if self.filter.viser_tjenester else {})
        return self._tjenester

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        if not self.get_filter().viser_tjenester:
            kwargs["exclude"] = tuple(name for name, _label in TJENESTE_KOLONNER)
        return kwargs

    def setup_data(self):
        super().setup_data()
        med_kontakt(self._rader, self.kontakt(), self.visible_ids())
        med_tjenester(self._rader, self.tjenester(), self.visible_ids())
        self._rader = self.filter.tjeneste_filter(self.filter.kontakt_filter(self._rader, self._today))

    def get_table_data(self):
        rader = med_kontakt(super().get_table_data(), self.kontakt(), self.visible_ids())
        return med_tjenester(rader, self.tjenester(), self.visible_ids())

    def inndata_nokkel(self):
        """bosetting's key and the contact state the user sees, so a new dialogue or follow-up (or
        a follow-up falling due) shows at once."""
        tilstand = sorted((kid, k.dialog_id, k.dato, k.type, k.apne, k.forfalte) for kid, k in self.kontakt().items())
        return tallcache.innholdsnokkel(super().inndata_nokkel(), self._today, tilstand)


def hvem_ligger_etter(user, aar):
    """The front page's «Hvem ligger etter?» form: the years with figures and the next, today's
    fylker (a former fylke gives an empty list today) with the user's own chosen (an office's
    first fylke, a kommune user's kommune's), and the overview's sort. Two queries."""
    from django.db.models import Exists, OuterRef

    from core.access import role_of
    from core.models import Rolle
    from kommuner.models import Fylke, Kommune
    from vedtak.models import Anmodning

    aarene = tallcache.cached("aar_med_anmodning", lambda: sorted(
        set(Anmodning.objects.order_by().values_list("aar", flat=True).distinct()), reverse=True))
    neste = datetime.date.today().year + 1
    aarene = sorted(set(aarene) | {neste}, reverse=True)
    fylker = Fylke.objects.gjeldende().order_by("nummer")
    if role_of(user) in (Rolle.STATSFORVALTER, Rolle.KOMMUNE):  # bound to an office or kommuner
        fylker = fylker.annotate(egen=Exists(Kommune.objects.for_user(user).gjeldende().filter(fylke=OuterRef("pk"))))
    fylker = list(fylker)  # with the user's own marked: one query
    egen = next((f.pk for f in fylker if getattr(f, "egen", False)), None)
    return {"aarene": aarene, "aar": aar if aar in aarene else aarene[0], "fylker": fylker, "egen_fylke": egen,
            "sort": SORT_ETTER}
