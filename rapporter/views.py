import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from bosetting import tallcache
from bosetting.choices import MAX_AAR
from bosetting.views import valgt_aar
from core.access import kommune_scope_q
from kommuner.models import Fylke, Kommune

from .diagram import stolper, trenddiagram
from .eksport import fylkesrapport_pdf, fylkesrapport_xlsx
from .hooks import oppfolging_for
from .kart import kart_data
from .selectors import dashboard_cached, fylkesrapport


def aarvalg():
    return range(min(MAX_AAR, datetime.date.today().year + 1), 2013, -1)


class DashboardView(TemplateView):
    """The landing page: the national picture, opened on the user's own scope (widen with
    ?hele_landet=on); every figure here is published, so the whole country is open to all."""

    template_name = "rapporter/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        aar = valgt_aar(self.request)
        d, cache_key = dashboard_cached(self.request.user, aar, hele_landet=bool(self.request.GET.get("hele_landet")))
        n = d.nasjonalt
        behov = d.behov.antall if d.behov else None
        vis_prognose = d.nasjonal_prognose.har_prognose and d.nasjonal_prognose.maaned < 12
        maal = self.request.GET.get("maal") or "vedtak"
        prognoser = d.kommune_prognose if vis_prognose else None
        ctx.update(
            title=_("Bosetting %(aar)s") % {"aar": aar}, aar=aar, aarene=aarvalg(), d=d,
            hele_landet="on" if self.request.GET.get("hele_landet") else "",
            stolper=stolper([("behov", _("Nasjonalt behov"), behov), ("anmodet", _("Anmodet"), n.anmodet.verdi),
                             ("vedtatt", _("Vedtatt"), n.vedtatt.verdi),
                             ("bosatt", _("Bosatt hittil"), n.bosatt.verdi)]),
            trend=trenddiagram(d.trend),
            oppfolging=oppfolging_for(user=self.request.user),
            vis_prognose=vis_prognose,
            # Built only when the map's HTML is not in the cache, which keys it on its inputs.
            kart=SimpleLazyObject(lambda: kart_data(d.rader, maal, prognoser=prognoser)),
            kart_nokkel=tallcache.innholdsnokkel(cache_key, maal, sorted(self.request.GET.lists())),
        )
        return ctx


def fylke_for_user(user, nummer):
    """The fylke if the user may see its report: national readers all, others the fylker where
    they can see a kommune (a Statsforvalter its office's fylker). Otherwise 404."""
    fylke = get_object_or_404(Fylke.objects.select_related("statsforvalter"), nummer=nummer)
    if kommune_scope_q(user) and not Kommune.objects.visible_to(user).filter(fylke=fylke).exists():
        raise Http404
    return fylke


class FylkesrapportView(TemplateView):
    """The KS county slide, live: page, print, ?_export=xlsx and ?_export=pdf."""

    template_name = "rapporter/fylkesrapport.html"

    def get(self, request, *args, **kwargs):
        self.fylke = fylke_for_user(request.user, kwargs["nummer"])
        self.aar = valgt_aar(request)
        self.rapport = fylkesrapport(self.fylke, self.aar, request.user)
        fmt = request.GET.get("_export")
        name = f"bosetting-fylke-{self.fylke.nummer}-{self.aar}"
        if fmt == "xlsx":
            resp = HttpResponse(fylkesrapport_xlsx(self.rapport),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            resp["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return resp
        if fmt == "pdf":
            resp = HttpResponse(fylkesrapport_pdf(self.rapport), content_type="application/pdf")
            resp["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
            return resp
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            title=_("Bosetting i %(fylke)s %(aar)s") % {"fylke": self.fylke.navn, "aar": self.aar},
            r=self.rapport, aar=self.aar, neste=self.aar + 1, aarene=aarvalg(),
            oppfolging=oppfolging_for(user=self.request.user, fylke=self.fylke, aar=self.aar),
        )
        return ctx
