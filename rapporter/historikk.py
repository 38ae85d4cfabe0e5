"""The change history as pages: everything the user may read (/historikk/) and one kommune's,
predecessors included. The history itself is written by every service (core.history)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.export import TableExportMixin
from core.mixins import FilterResultsMixin
from core.models import Endring
from core.tables import EndringTable
from kommuner.models import Kommune
from kommuner.views import KommuneMixin

from .filters import EndringFilter


class EndringListView(FilterResultsMixin, TableExportMixin, SingleTableMixin, FilterView):
    """The change history the user may read, filterable by kommune, action, user and date;
    the CSV export holds the same (scoped, filtered) rows."""

    table_class = EndringTable
    filterset_class = EndringFilter
    template_name = "rapporter/endring_list.html"
    # The table paginates (one COUNT); FilterView's own paginate_by would count the rows a second time.
    table_pagination = {"per_page": 50}
    export_formats = ("csv",)
    export_name = "historikk"
    export_title = gettext_lazy("Historikk")
    caption = gettext_lazy("Endringer, nyeste først")
    result_noun = (gettext_lazy("endring"), gettext_lazy("endringer"))

    def base_queryset(self):
        return Endring.objects.for_user(self.request.user)

    def get_queryset(self):
        return self.base_queryset().select_related("kommune", "bruker", "content_type")

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        table.caption = self.caption
        return table

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("title", _("Historikk"))
        return ctx


class KommuneHistorikkView(KommuneMixin, EndringListView):
    """One kommune's history, with its predecessors' (their figures count as the kommune's)."""

    template_name = "rapporter/kommune_historikk.html"
    scope_action = "historikk"

    def base_queryset(self):
        predecessors = Kommune.objects.filter(overganger__gjeldende=self.kommune).values("pk")
        return super().base_queryset().filter(Q(kommune=self.kommune) | Q(kommune__in=predecessors))

    @property
    def caption(self):
        return _("Endringer for %(kommune)s, nyeste først") % {"kommune": self.kommune.navn_norsk}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=_("Historikk for %(kommune)s") % {"kommune": self.kommune.navn_norsk})
        return ctx
