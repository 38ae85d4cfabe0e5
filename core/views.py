from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from kommuner.models import Kommune

from .filters import EndringFilter
from .mixins import KommuneScopedMixin
from .models import Endring
from .tables import EndringTable
from .totp import TotpForm, device_for, qr_svg, secret_text, totp_confirm


@login_not_required
def health(request):
    """Liveness for load balancers: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class TotpView(FormView):
    """Register an authenticator app (QR code) or enter its code: the administrators' second factor."""

    template_name = "core/totp.html"
    form_class = TotpForm

    def dispatch(self, request, *args, **kwargs):
        self.device = device_for(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "device": self.device}

    def form_valid(self, form):
        totp_confirm(self.request, self.device)
        return redirect(self.get_success_url())

    def get_success_url(self):
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(target, {self.request.get_host()}, self.request.is_secure()):
            return target
        return "/"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=_("Totrinnsinnlogging"), device=self.device,
                   next=self.request.POST.get("next") or self.request.GET.get("next", ""))
        if not self.device.confirmed:
            ctx.update(qr=mark_safe(qr_svg(self.device)), secret=secret_text(self.device))  # noqa: S308 - segno's SVG
        return ctx


class EndringListView(ExportMixin, SingleTableMixin, FilterView):
    """The change history the user may read, filterable by kommune, action, user and date;
    the CSV export holds the same (scoped, filtered) rows."""

    table_class = EndringTable
    filterset_class = EndringFilter
    template_name = "core/endring_list.html"
    # The table paginates (one COUNT); FilterView's own paginate_by would count the rows a second time.
    table_pagination = {"per_page": 50}
    export_formats = ("csv",)
    export_name = "historikk"
    caption = gettext_lazy("Endringer, nyeste først")

    def base_queryset(self):
        return Endring.objects.visible_to(self.request.user)

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


class KommuneHistorikkView(KommuneScopedMixin, EndringListView):
    """One kommune's history, with its predecessors' (their figures count as the kommune's)."""

    template_name = "core/kommune_historikk.html"
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
