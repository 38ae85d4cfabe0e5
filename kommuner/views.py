import datetime

from django.db.models import Q
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from bosetting import tallcache
from bosetting.selectors import kommune_aar, kommune_sak_context, tom_sak
from core.access import get_visible_or_404
from oppfolging.selectors import kommune_dialog

from .filters import KommuneFilter
from .models import Kommune, KommuneEndring, KommuneOvergang
from .tables import KommuneTable


class KommuneListView(ExportMixin, SingleTableMixin, FilterView):
    model = Kommune
    table_class = KommuneTable
    filterset_class = KommuneFilter
    template_name = "kommuner/kommune_list.html"
    # The table paginates (one COUNT); FilterView's own paginate_by would count the rows a second time.
    table_pagination = {"per_page": 50}
    export_formats = ("csv", "xlsx")
    export_name = "kommuner"

    def get_queryset(self):
        return Kommune.objects.with_register()


class KommuneDetailView(DetailView):
    model = Kommune
    slug_field = "nummer"
    slug_url_kwarg = "nummer"
    template_name = "kommuner/kommune_detail.html"

    def get_queryset(self):
        # Case details are scoped: another kommune's page is 404 (core.access).
        return Kommune.objects.visible_to(self.request.user).with_register()

    def get(self, request, *args, **kwargs):
        nummer = kwargs["nummer"]
        self.object = self.get_queryset().filter(nummer=nummer).first()
        if self.object is None or self.object.kun_omnummerert:
            renumbered = self.object or Kommune.objects.filter(nummer=nummer, kun_omnummerert=True).first()
            if renumbered is not None:
                # Same kommune under an older number (register fact, public): send the reader to
                # today's page, which checks the scope itself.
                return redirect(renumbered.gjeldende.get(), permanent=False)
            get_visible_or_404(self.get_queryset(), request.user, "les", nummer=nummer)  # 404, logged
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        kommune = self.object
        # One read of the register's transitions from and into this kommune.
        rows = list(KommuneOvergang.objects.filter(Q(historisk=kommune) | Q(gjeldende=kommune))
                    .select_related("gjeldende__fylke", "historisk__fylke__statsforvalter"))
        overganger = [o for o in rows if o.historisk_id == kommune.pk]
        inn = [o for o in rows if o.gjeldende_id == kommune.pk]
        forgjengere = sorted({o.historisk for o in inn},
                             key=lambda k: (k.gyldig_til is None, k.gyldig_til or datetime.date.min, k.nummer))
        codes = {kommune.nummer, *(k.nummer for k in forgjengere)}
        ctx.update(
            overganger=overganger,
            delt=any(o.delt for o in overganger),
            merknader=sorted({o.merknad for o in overganger if o.merknad}),
            forgjengere=forgjengere,
            endringer=KommuneEndring.objects.filter(Q(gammel_kode__in=codes) | Q(ny_kode__in=codes)),
            title=str(kommune),
        )
        ctx.update(kommune_dialog(kommune, self.request.user))  # oppfolging (helper C): dialogue panel
        ctx.update(kommune_sak_context(kommune, self.request.user))
        ctx["aarene_html"], ctx["sak_i_aar"] = self.aarene(ctx, inn)
        return ctx

    def aarene(self, ctx, inn):
        """The years' HTML and this year's Sak (for the header), cached per figures version
        (bosetting.tallcache): the years are most of the page's reads and rendering."""
        kommune, aar = self.object, datetime.date.today().year

        def compute():
            aarene = kommune_aar(kommune, overganger_inn=inn)
            ctx["aarene"] = aarene
            html = render_to_string("kommuner/_aarene.html", {
                "aarene": aarene, "object": kommune, "kan_skrive_sak": ctx["kan_skrive_sak"],
                "laaste_aar": ctx["laaste_aar"]})
            return html, next((d["sak"] for d in aarene if d["aar"] == aar), None) or tom_sak(kommune, aar)
        return tallcache.cached("kommune", compute, kommune.pk, ctx["kan_skrive_sak"], ctx["laaste_aar"])
