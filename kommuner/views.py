from django.db.models import Q
from django.shortcuts import redirect
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from bosetting.selectors import kommune_sak_context
from core.access import get_visible_or_404
from core.mixins import FilterResultsMixin
from oppfolging.selectors import kommune_dialog

from .filters import KommuneFilter
from .models import Kommune, KommuneEndring
from .tables import KommuneTable


class KommuneListView(FilterResultsMixin, ExportMixin, SingleTableMixin, FilterView):
    model = Kommune
    table_class = KommuneTable
    filterset_class = KommuneFilter
    template_name = "kommuner/kommune_list.html"
    paginate_by = 50
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
        renumbered = Kommune.objects.filter(nummer=nummer, kun_omnummerert=True).first()
        if renumbered is not None:
            # Same kommune under an older number (register fact, public): send the reader to
            # today's page, which checks the scope itself.
            return redirect(renumbered.gjeldende.get(), permanent=False)
        self.object = get_visible_or_404(self.get_queryset(), request.user, "les", nummer=nummer)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        kommune = self.object
        overganger = list(kommune.overganger.select_related("gjeldende__fylke"))
        forgjengere = list(
            Kommune.objects.with_register().filter(overganger__gjeldende=kommune).order_by("gyldig_til", "nummer")
        )
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
        return ctx
