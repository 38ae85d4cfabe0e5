import datetime

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from bosetting.kart import kart_data
from bosetting.oversikt import TJENESTE_KOLONNER
from bosetting.selectors import kommune_aar, kommune_sak_context, tom_sak
from bosetting.status import GAP, GAP_FELLES, KOMMUNE_GAP, STATUSREGLER
from core import tallcache
from core.access import get_visible_or_404, kommune_scope_q
from core.params import aarvalg, valgt_aar
from kommuner.models import Fylke, Kommune, KommuneEndring, KommuneOvergang
from oppfolging.selectors import kommune_dialog

from .diagram import stolper, trenddiagram
from .eksport import KILDE, RAPPORT_GAP, fylkesrapport_pdf, fylkesrapport_xlsx
from .endringstekst import med_tekst
from .hooks import oppfolging_for
from .oversikt import hvem_ligger_etter
from .selectors import dashboard_cached, fylker_for_user, fylkesrapport, prognosegrunnlag


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
        vis_prognose = d.prognose_aktiv
        maal = self.request.GET.get("maal") or "vedtak"
        prognoser = d.kommune_prognose if vis_prognose else None
        ctx.update(
            title=_("Bosetting %(aar)s") % {"aar": aar}, aar=aar, aarene=aarvalg(), d=d,
            hele_landet="on" if self.request.GET.get("hele_landet") else "",
            stolper=stolper([("behov", _("Nasjonalt behov"), behov), ("anmodet", _("Anmodet"), n.anmodet),
                             ("vedtatt", _("Vedtatt"), n.vedtatt),
                             ("bosatt", _("Bosatt hittil"), n.bosatt)]),
            trend=trenddiagram(d.trend, med_behov=d.widened),
            oppfolging=oppfolging_for(user=self.request.user),
            etter=hvem_ligger_etter(self.request.user, aar),
            vis_prognose=vis_prognose,
            # Built only when the map's HTML is not in the cache, which keys it on its inputs.
            kart=SimpleLazyObject(lambda: kart_data(d.rader, maal, prognoser=prognoser)),
            kart_nokkel=tallcache.innholdsnokkel(cache_key, maal, sorted(self.request.GET.lists())),
        )
        return ctx


class SlikRegnerViView(TemplateView):
    """«Slik regner vi»: every status with its rule, in the order they are tried, and every gap
    with its definition, from the data that computes them (bosetting.status), so the page cannot
    drift from the figures. Open to every signed-in user."""

    template_name = "rapporter/slik_regner_vi.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # The forecast's plan comparison, from this year's back-test (one query).
        today = timezone.localdate()
        ctx.update(title=_("Slik regner vi"), statusregler=STATUSREGLER, gaps=GAP, gap_felles=GAP_FELLES,
                   kalibrering=prognosegrunnlag(today.year, today).kalibrering)
        return ctx


def fylke_for_user(user, nummer):
    """The fylke if the user may see its report: national readers all, others the fylker where
    they can see a kommune (a Statsforvalter its office's fylker). Otherwise 404."""
    fylke = get_object_or_404(Fylke.objects.select_related("statsforvalter"), nummer=nummer)
    if kommune_scope_q(user) and not Kommune.objects.for_user(user).filter(fylke=fylke).exists():
        raise Http404
    return fylke


class FylkesrapportVelgView(TemplateView):
    """«Fylkesrapport» in the menu: the user's own fylke's report when they see one fylke, else
    a list of the fylker they may see."""

    template_name = "rapporter/fylkesrapport_velg.html"

    def get(self, request, *args, **kwargs):
        self.fylker = list(fylker_for_user(request.user))
        if len(self.fylker) == 1:
            return redirect("rapporter:fylkesrapport", nummer=self.fylker[0].nummer)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=_("Fylkesrapport"), fylker=self.fylker)
        return ctx


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
            oppfolging = oppfolging_for(user=request.user, fylke=self.fylke, aar=self.aar)
            resp = HttpResponse(fylkesrapport_pdf(self.rapport, oppfolging=oppfolging, laget=timezone.now()),
                                content_type="application/pdf")
            resp["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
            return resp
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            title=_("Bosetting i %(fylke)s %(aar)s") % {"fylke": self.fylke.navn, "aar": self.aar},
            r=self.rapport, aar=self.aar, neste=self.aar + 1, aarene=aarvalg(), gap=RAPPORT_GAP, gaps=KOMMUNE_GAP,
            gap_felles=GAP_FELLES, kilde=KILDE, tjeneste_kolonner=TJENESTE_KOLONNER,
            oppfolging=oppfolging_for(user=self.request.user, fylke=self.fylke, aar=self.aar),
        )
        return ctx


TOPP_PUNKTER = 5  # open follow-ups on the kommune page's first screen; the rest through the list


class KommuneView(DetailView):
    """One kommune's story: this year's status, the case per year, dialogue and follow-ups, the
    timeline and the register facts (a report of one kommune, hence here)."""

    model = Kommune
    slug_field = "nummer"
    slug_url_kwarg = "nummer"
    template_name = "rapporter/kommune.html"

    def get_queryset(self):
        # Case details are scoped: another kommune's page is 404 (core.access).
        return Kommune.objects.for_user(self.request.user).with_register()

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
        # One read of the figures version for the page's keys and its demo notice (as the overview).
        with tallcache.en_versjon():
            response = self.render_to_response(self.get_context_data(object=self.object))
            response.render()
            return response

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
        ctx.update(kommune_dialog(kommune, self.request.user))
        ctx.update(kommune_sak_context(kommune, self.request.user))
        ctx.update(self.siste_kontakt(ctx))
        ctx["tidslinje"] = med_tekst(ctx["tidslinje"])  # the history in words (rapporter.endringstekst)
        ctx["aarene_html"], ctx["sak_i_aar"], _maaneder = self.aarene(ctx, inn)
        return ctx

    @staticmethod
    def siste_kontakt(ctx):
        """The last contact and the follow-ups on top of the page, from what the dialogue panel
        has read (oppfolging.selectors.kommune_dialog): no queries of their own. What was agreed
        are the last dialogue's follow-ups among the open ones."""
        siste = ctx["dialoger"][0] if ctx["dialoger"] else None
        punkter = ctx["aapne_punkter"]
        return {"siste_dialog": siste,
                "siste_avtalt": [p for p in punkter if siste is not None and p.dialog_id == siste.pk],
                "topp_punkter": punkter[:TOPP_PUNKTER],
                "flere_topp_punkter": len(punkter) > TOPP_PUNKTER or ctx["flere_punkter"]}

    def aarene(self, ctx, inn):
        """The years' HTML, this year's Sak (for the header) and its months (for the plan line;
        None without figures), cached per figures version (core.tallcache): the years are most of
        the page's reads and rendering."""
        kommune, aar = self.object, datetime.date.today().year

        def compute():
            aarene = kommune_aar(kommune, overganger_inn=inn)
            ctx["aarene"] = aarene
            html = render_to_string("rapporter/_aarene.html", {
                "aarene": aarene, "object": kommune, "kan_skrive_sak": ctx["kan_skrive_sak"],
                "laaste_aar": ctx["laaste_aar"], "aar": aar,
                "i_aar": next((d for d in aarene if d["aar"] == aar), None),
                "andre_aar": [d for d in aarene if d["aar"] != aar]})
            i_aar = next((d for d in aarene if d["aar"] == aar), None)
            return (html, (i_aar or {}).get("sak") or tom_sak(kommune, aar),
                    i_aar["maaneder"] if i_aar else None)
        return tallcache.cached("kommune-aar", compute, kommune.pk, ctx["kan_skrive_sak"], ctx["laaste_aar"])
