from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from core import tallcache
from core.access import can, kommune_scope_q, role_of
from core.export import TableExportMixin
from core.mixins import FilterResultsMixin
from core.params import MIN_AAR, aarvalg, valgt_aar
from kommuner.models import Kommune
from kommuner.views import KommuneFormView
from vedtak.models import Aarslaas, Bosettingsbehov

from .filters import OversiktFilter
from .forms import AarsakerForm, BoligForm, BosattForm
from .oversikt import med_forrige_aar, med_summer, rad_fra_sak
from .selectors import nasjonale_rader_for, saker_for_aarene
from .services import aarsaker_save, bolig_save, bosatt_register
from .tables import OversiktTable, TallColumn


class OversiktView(FilterResultsMixin, TableExportMixin, SingleTableMixin, TemplateView):
    """One row per kommune for a year; published figures, readable by every signed-in user.
    Opens on the user's own scope, with a switch to widen to the whole country.

    Served at /oversikt/ by rapporter.oversikt.OversiktView, which adds the contact columns
    from oppfolging (a layer above this one)."""

    template_name = "bosetting/oversikt.html"
    results_template_name = "bosetting/_oversikt_resultater.html"
    table_class = OversiktTable
    filterset_class = OversiktFilter
    table_pagination = False
    export_formats = ("csv", "xlsx")

    def get(self, request, *args, **kwargs):
        # One read of the figures version for the summary's key, the national rows' keys and the
        # page's notice about generated demo figures (read with the version: rendered in the block).
        with tallcache.en_versjon():
            response = super().get(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            return response

    def get_export_title(self):
        return _("Oversikt %(aar)s") % {"aar": valgt_aar(self.request)}

    def get_export_filename(self, export_format):
        return f"bosetting-oversikt-{self.aar}.{export_format}"

    def setup_data(self):
        request = self.request
        self.aar = valgt_aar(request)
        # Only roles bound to an office or kommuner open on their own scope; others see the country.
        self.scoped = role_of(request.user) is not None and bool(kommune_scope_q(request.user))
        self.filter = self.filterset_class(request.GET or None, queryset=Kommune.objects.all())
        qs = self.filter.qs if self.filter.is_bound else Kommune.objects.all()
        self.widened = not self.scoped or self.filter.vis_hele_landet
        if not self.widened:
            qs = qs.filter(pk__in=self.visible_ids())
        historisk = self.filter.vis_historisk
        # Today's rows are the same whoever asks: the country's rows come from the cache and
        # the filtered set keeps its kommuner, so a scoped user costs no second round of queries.
        self.forrige = self.filter.vis_forrige and self.aar > MIN_AAR
        aarene = nasjonale_rader_for([self.aar - 1, self.aar] if self.forrige and not historisk else [self.aar])
        national, self.nasjonalt = aarene[self.aar]
        if historisk:
            saker = saker_for_aarene([self.aar - 1, self.aar] if self.forrige else [self.aar], qs, historisk=True)
            rader = [rad_fra_sak(s, url=s.kommune.get_absolute_url()) for s in saker[self.aar]]
        elif self.filtrerer_kommuner():
            ids = set(qs.values_list("pk", flat=True))
            rader = [r for r in national if r.kommune_id in ids]
        else:  # no filter on the kommuner themselves: no query for their ids
            visible = self.visible_ids() if not self.widened else None
            rader = list(national) if visible is None else [r for r in national if r.kommune_id in visible]
        visible = self.visible_ids()
        if visible is not None:  # links only to pages the user may open
            for r in rader:
                if r.kommune_id not in visible:
                    r.url = None
        if self.forrige:
            med_forrige_aar(rader, [rad_fra_sak(s) for s in saker[self.aar - 1]] if historisk
                            else aarene[self.aar - 1][0])
        self._rader = self.filter.sak_filter(rader)

    def filtrerer_kommuner(self):
        """Whether a filter that narrows the kommuner in SQL (search, fylke, office) is in use."""
        f = self.filter
        if not f.is_bound:
            return False
        if not f.form.is_valid():
            return True
        return any(f.form.cleaned_data.get(name) not in (None, "") for name, flt in f.filters.items()
                   if flt.method != "noop")

    @property
    def rader(self):
        self._ensure_data()
        return self._rader

    def visible_ids(self):
        """The kommuner a user bound to an office or kommuner may open (None: all), read once."""
        if not hasattr(self, "_visible"):
            self._visible = Kommune.objects.ids_for_user(self.request.user)
        return self._visible

    def inndata_nokkel(self):
        """The cache key of everything the page shows besides the figures themselves (which the
        figures version in the key covers): the query string, the user's role kind and the
        kommuner they may open. Under it: the summary below and the filter, table and map HTML."""
        visible = self.visible_ids()
        params = sorted((k, v) for k, v in self.request.GET.lists() if k != self.export_trigger_param)
        return tallcache.key("oversikt", tallcache.innholdsnokkel(params), role_of(self.request.user) is not None,
                             tallcache.omfang(visible))

    def get_table_kwargs(self):
        self._ensure_data()
        if not self.forrige:
            return {}
        f = self.aar - 1
        return {
            "extra_columns": [
                ("anmodet_forrige", TallColumn(verbose_name=_("Anmodning %(aar)s") % {"aar": f},
                                               order_by=("anmodet_forrige_n",))),
                ("vedtatt_forrige", TallColumn(verbose_name=_("Vedtak %(aar)s") % {"aar": f},
                                               order_by=("vedtatt_forrige_n",))),
                ("anmodet", TallColumn(verbose_name=_("Anmodning %(aar)s") % {"aar": self.aar},
                                       order_by=("anmodet_n",))),
                ("vedtatt", TallColumn(verbose_name=_("Vedtak %(aar)s") % {"aar": self.aar},
                                       order_by=("vedtatt_n",))),
            ],
            "sequence": ("kommunenummer", "kommune", "fylke", "anmodet_forrige", "vedtatt_forrige", "anmodet",
                         "vedtatt", "..."),
        }

    def get_table_data(self):
        if self.request.GET.get(self.export_trigger_param):
            return list(self.rader)  # exactly the filtered kommune rows, no sum rows
        return med_summer(self.rader)

    def get_context_data(self, **kwargs):
        # SingleTableMixin would build the table here; it is built only if the template renders it
        # (not when its HTML comes from the cache).
        ctx = super(SingleTableMixin, self).get_context_data(**kwargs)
        aar = valgt_aar(self.request)
        nokkel = self.inndata_nokkel()
        # The rows are read (from the cache of national rows) only when something is not cached.
        sammendrag = tallcache.get_or_compute(nokkel, lambda: {
            "nasjonalt": self.nasjonalt_sum(), "antall_kommuner": len(self.rader),
            "scoped": self.scoped, "widened": self.widened})
        ctx["table"] = SimpleLazyObject(lambda: self.get_table(**self.get_table_kwargs()))
        ctx["filter"] = SimpleLazyObject(self.get_filter)
        behov = Bosettingsbehov.objects.filter(aar=aar).order_by("-opprettet", "-id").first()
        n = sammendrag["nasjonalt"]
        ctx.update(
            sammendrag,
            title=_("Oversikt over bosetting %(aar)s") % {"aar": aar}, aar=aar,
            aarene=aarvalg(),
            behov=behov,
            andel_av_behov=(n.vedtatt.verdi / behov.antall) if behov and behov.antall and n.vedtatt.verdi else None,
            laast=Aarslaas.objects.filter(aar=aar, laast=True).exists(),
            kan_redigere_behov=can(self.request.user, "anmodning"),
            kan_laase=can(self.request.user, "aarslaas"),
            # The filter form, table and map depend on nothing else: their HTML is cached under it.
            fragment_nokkel=nokkel,
        )
        return ctx

    def _ensure_data(self):
        if not hasattr(self, "_rader"):
            self.setup_data()

    def nasjonalt_sum(self):
        self._ensure_data()
        return self.nasjonalt

    def get_filter(self):
        self._ensure_data()
        return self.filter


class BosattView(KommuneFormView):
    form_class = BosattForm
    service = staticmethod(bosatt_register)
    heading = gettext_lazy("Registrer bosatte")
    success_message = gettext_lazy("Bosettingstallene er lagret.")


class BoligView(KommuneFormView):
    form_class = BoligForm
    service = staticmethod(bolig_save)
    heading = gettext_lazy("Boligkapasitet")
    success_message = gettext_lazy("Boligkapasiteten er lagret.")


class AarsakerView(KommuneFormView):
    form_class = AarsakerForm
    service = staticmethod(aarsaker_save)
    heading = gettext_lazy("Årsaker til avvik")
    success_message = gettext_lazy("Årsakene er lagret.")
