"""The change history as pages: everything the user may read (/historikk/) and one kommune's,
predecessors included. The history itself is written by every service (core.history)."""

from functools import cached_property

import django_tables2 as tables
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.export import ClampedPaginator, TableExportMixin
from core.mixins import FilterResultsMixin
from core.models import Endring
from kommuner.models import Kommune
from kommuner.views import KommuneMixin

from .endringstekst import Endringstekster
from .filters import EndringFilter

PER_PAGE = 50
PER_PAGE_MAX = 100


class HistorikkPaginator(ClampedPaginator):
    """At most PER_PAGE_MAX entries a page, whatever `?per_page=` says."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        try:
            per_page = min(int(per_page), PER_PAGE_MAX)
        except (TypeError, ValueError, OverflowError):
            per_page = PER_PAGE
        super().__init__(object_list, per_page, *args, **kwargs)


class EndringTable(tables.Table):
    """The history in words (rapporter.endringstekst), on the page and in the export alike."""

    tidspunkt = tables.DateTimeColumn(verbose_name=gettext_lazy("Tidspunkt"), format="d.m.Y H:i")
    kommune = tables.Column(verbose_name=gettext_lazy("Kommune"), accessor="kommune", order_by=("kommune__nummer",),
                            default="–")
    handling = tables.Column(verbose_name=gettext_lazy("Hendelse"))
    objekt = tables.Column(verbose_name=gettext_lazy("Gjelder"), empty_values=())
    bruker = tables.Column(verbose_name=gettext_lazy("Endret av"), accessor="bruker_id", order_by=("bruker__username",),
                           empty_values=())
    endringer = tables.Column(verbose_name=gettext_lazy("Endringer (gammel → ny)"), orderable=False, empty_values=())

    class Meta:
        model = Endring
        fields = ["tidspunkt", "kommune", "handling", "objekt", "bruker", "endringer"]
        order_by = ["-tidspunkt"]
        empty_text = gettext_lazy("Ingen endringer passer med filteret.")

    @cached_property
    def tekster(self):
        # The page's entries (all of them for an export): their names are read once, together.
        return Endringstekster(row.record for row in self.paginated_rows)

    def render_kommune(self, value):
        return f"{value.nummer} {value.navn_norsk}"

    def render_handling(self, record):
        return self.tekster.hendelse(record)

    def render_objekt(self, record):
        return self.tekster.gjelder(record)

    def render_bruker(self, record):
        return self.tekster.hvem(record)

    def value_endringer(self, record):
        return self.tekster.endringer_tekst(record)

    def render_endringer(self, record):
        items = []
        for label, old, new in self.tekster.felter(record):
            if old is None or new is None:
                items.append(format_html("<li><strong>{}</strong>: {}</li>", label, new if old is None else old))
            else:
                items.append(format_html("<li><strong>{}</strong>: {} → {}</li>", label, old, new))
        comment = format_html("<li>{}</li>", record.kommentar) if record.kommentar else ""
        if not items and not comment:
            return "–"
        return format_html('<ul class="app-changes">{}{}</ul>', format_html_join("", "{}", ((i,) for i in items)),
                           comment)


class EndringListView(FilterResultsMixin, TableExportMixin, SingleTableMixin, FilterView):
    """The change history the user may read, filterable by kommune, action, user and date;
    the CSV export holds the same (scoped, filtered) rows."""

    table_class = EndringTable
    filterset_class = EndringFilter
    template_name = "rapporter/endring_list.html"
    # The table paginates (one COUNT); FilterView's own paginate_by would count the rows a second time.
    table_pagination = {"per_page": PER_PAGE, "paginator_class": HistorikkPaginator}
    export_formats = ("csv",)
    export_name = "historikk"
    export_title = gettext_lazy("Historikk")
    caption = gettext_lazy("Endringer, nyeste først")
    result_noun = (gettext_lazy("endring"), gettext_lazy("endringer"))

    def base_queryset(self):
        return Endring.objects.for_user(self.request.user)

    def get_queryset(self):
        # The authors' names come with the other names an entry refers to (rapporter.endringstekst).
        return self.base_queryset().select_related("kommune", "content_type")

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
