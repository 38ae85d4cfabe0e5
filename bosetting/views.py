from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from django_tables2 import SingleTableMixin

from core import tallcache
from core.access import can, check_kommune_writable, kommune_scope_q, role_of
from core.export import TableExportMixin, file_response, sheet_title
from core.mixins import FilterResultsMixin
from core.params import MAX_AAR, MIN_AAR, aarvalg, valgt_aar
from core.skjema import engangs, skjemanokkel_context
from kommuner.models import Fylke, Kommune
from kommuner.views import KommuneFormView, KommuneMixin
from vedtak.models import Aarslaas, Bosettingsbehov

from .filters import OversiktFilter
from .forms import AarsakerForm, BoligForm, BosattForm, PlanForm, TjenesterForm
from .models import Bosettingsplan, Planrevisjon, Tjenestekapasitet
from .oversikt import med_forrige_aar, med_summer, rad_fra_sak
from .plan import (
    neste_maaneder,
    pipeline_table,
    plan_mot_bosatt_table,
    plan_per_maaned,
    plan_pipeline,
    plan_status,
)
from .selectors import nasjonale_rader_for, saker_for_aarene
from .services import (
    MAANEDSNAVN,
    aarsaker_save,
    bolig_save,
    bosatt_register,
    plan_endringer_tekst,
    plan_register,
    tjenester_save,
)
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


class PlanView(KommuneMixin, FormView):
    """A kommune-year's settlement plan: the form (prefilled from the plan in force), plan against
    settled per month (the settled months from the figures engine, bosetting.selectors.kommune_aar),
    a chart with the table as its text, and every revision. Readers of the kommune read it; the
    kommune, its Statsforvalter, IMDi and administrators change it (core.access "plan")."""

    template_name = "bosetting/plan.html"
    form_class = PlanForm
    plan_action = "plan"

    def kan_endre(self):
        return self.kommune.er_gjeldende and can(self.request.user, self.plan_action)

    def post(self, request, *args, **kwargs):
        if not self.kommune.er_gjeldende:
            raise PermissionDenied(_("Du har ikke tilgang til å gjøre dette."))
        check_kommune_writable(request.user, self.kommune, self.plan_action)
        return engangs(request, lambda: super(PlanView, self).post(request, *args, **kwargs))

    def get_aar(self):
        if self.request.method == "POST":
            try:
                return min(max(int(self.request.POST.get("aar")), MIN_AAR), MAX_AAR)
            except (TypeError, ValueError):
                return valgt_aar(self.request)
        return valgt_aar(self.request)

    def get_initial(self):
        initial = {"aar": self.get_aar()}
        for p in Bosettingsplan.objects.filter(kommune=self.kommune, aar=initial["aar"]):
            initial[f"plasser_{p.maaned}"], initial[f"boliger_{p.maaned}"] = p.plasser, p.boliger
        return initial

    def form_valid(self, form):
        try:
            rev = plan_register(kommune=self.kommune, by=self.request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        if rev is None:
            messages.info(self.request, _("Planen er uendret."))
        else:
            messages.success(self.request, _("Bosettingsplanen er lagret."))
        aar = form.cleaned_data["aar"]
        return redirect(reverse("bosetting:plan", args=[self.kommune.nummer]) + f"?aar={aar}")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        aar = self.get_aar()
        rader, har_plan = plan_per_maaned(self.kommune, aar)
        maks = max([r["plan"].plasser for r in rader if r["plan"]]
                   + [r["bosatt"].verdi or 0 for r in rader if r["bosatt"]] + [1])
        for r in rader:
            r["plan_prosent"] = round(100 * r["plan"].plasser / maks) if r["plan"] else 0
            r["bosatt_prosent"] = round(100 * (r["bosatt"].verdi or 0) / maks) if r["bosatt"] else 0
        status = plan_status(rader, aar)
        revisjoner = list(Planrevisjon.objects.filter(kommune=self.kommune, aar=aar).select_related("av")
                          .order_by("nummer"))
        forrige = {}
        for rev in revisjoner:
            rev.endret_tekst = plan_endringer_tekst(forrige, rev.maaneder())
            forrige = rev.maaneder()
        heading = _("Bosettingsplan %(aar)s") % {"aar": aar}
        ctx.update(aar=aar, aarene=aarvalg(), rader=rader, revisjoner=revisjoner[::-1], kan_endre=self.kan_endre(),
                   mot_plan=status.mot_plan, til_maaned_navn=status.til_navn, plan_dekket=status.dekket,
                   har_plan=har_plan, heading=heading, title=f"{heading} – {self.kommune.navn}",
                   laast=Aarslaas.objects.filter(aar=aar, laast=True).exists(),
                   skjemanokkel=skjemanokkel_context(self.request))
        return ctx


class PlanPipelineView(TemplateView):
    """Places ready in the next three months (this month and the two after, Europe/Oslo) per
    kommune in the user's scope, summed per fylke and for the country: the pipeline IMDi
    distributes against. Three queries whatever the number of kommuner."""

    template_name = "bosetting/plan_pipeline.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        maaneder = neste_maaneder(3)
        fylker, valgt = pipeline_fylke(self.request)
        ctx.update(title=_("Plasser klare de neste tre månedene"), **plan_pipeline(self.request.user, maaneder, valgt),
                   maaneder=[{"aar": a, "maaned": m, "navn": MAANEDSNAVN[m - 1]} for a, m in maaneder],
                   fylker=fylker, valgt_fylke=valgt, bundet=bool(kommune_scope_q(self.request.user)))
        return ctx


def pipeline_fylke(request):
    """Today's fylker, and the one chosen with ?fylke= (its number; "" for all)."""
    fylker = list(Fylke.objects.filter(gyldig_til__isnull=True).order_by("nummer"))
    valgt = request.GET.get("fylke", "")
    return fylker, (valgt if any(f.nummer == valgt for f in fylker) else "")


def _download_format(request):
    return "xlsx" if request.GET.get("format") == "xlsx" else "csv"


def plan_pipeline_export(request):
    """The pipeline page's table as CSV or XLSX (?format=xlsx), with its ?fylke=: the same rows
    (bosetting.plan.plan_pipeline, the user's scope)."""
    maaneder = neste_maaneder(3)
    _fylker, valgt = pipeline_fylke(request)
    samlet = _("Sum") if valgt or kommune_scope_q(request.user) else _("Hele landet")
    headers, rows = pipeline_table(plan_pipeline(request.user, maaneder, valgt), maaneder, samlet_navn=samlet)
    a, m = maaneder[0]
    return file_response(_download_format(request), sheet_title(_("Plasser klare")), headers, rows,
                         f"plasser-klare-{a}-{m:02d}{'-' + valgt if valgt else ''}")


class PlanExportView(KommuneMixin, View):
    """The kommune plan page's table (plan against settled per month, ?aar=) as CSV or XLSX."""

    def get(self, request, *args, **kwargs):
        aar = valgt_aar(request)
        headers, rows = plan_mot_bosatt_table(plan_per_maaned(self.kommune, aar)[0])
        title = sheet_title(_("Bosettingsplan %(aar)s") % {"aar": aar})
        return file_response(_download_format(request), title, headers, rows,
                             f"bosettingsplan-{self.kommune.nummer}-{aar}")


class TjenesterView(KommuneMixin, FormView):
    """A kommune-year's services and pressure: places in the introduction programme and Norwegian
    training, the asylum reception centre, pressure notes. Every reader of the kommune reads it;
    those who may change the kommune's case ("sak") get the form too."""

    template_name = "bosetting/tjenester.html"
    form_class = TjenesterForm
    write_action_post = "sak"

    def kan_endre(self):
        return self.kommune.er_gjeldende and can(self.request.user, self.write_action_post)

    def post(self, request, *args, **kwargs):
        if not self.kommune.er_gjeldende:
            raise PermissionDenied(_("Du har ikke tilgang til å gjøre dette."))
        check_kommune_writable(request.user, self.kommune, self.write_action_post)
        return engangs(request, lambda: super(TjenesterView, self).post(request, *args, **kwargs))

    def get_aar(self):
        kilde = self.request.POST if self.request.method == "POST" else self.request.GET
        try:
            return min(max(int(kilde.get("aar")), MIN_AAR), MAX_AAR)
        except (TypeError, ValueError):
            return valgt_aar(self.request)

    def raden(self):
        if not hasattr(self, "_rad"):
            self._rad = Tjenestekapasitet.objects.filter(kommune=self.kommune, aar=self.get_aar()).first()
        return self._rad

    def get_initial(self):
        initial = {"aar": self.get_aar()}
        if self.raden():
            initial.update({name: getattr(self.raden(), name) for name in self.form_class.base_fields if name != "aar"})
        return initial

    def form_valid(self, form):
        try:
            obj = tjenester_save(kommune=self.kommune, by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Tjenester og press er lagret."))
        return redirect(reverse("bosetting:tjenester", args=[self.kommune.nummer]) + f"?aar={obj.aar}")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        aar = self.get_aar()
        heading = _("Tjenester og press %(aar)s") % {"aar": aar}
        ctx.update(aar=aar, aarene=aarvalg(), rad=self.raden(), kan_endre=self.kan_endre(), heading=heading,
                   title=f"{heading} – {self.kommune.navn}",
                   laast=Aarslaas.objects.filter(aar=aar, laast=True).exists(),
                   skjemanokkel=skjemanokkel_context(self.request))
        return ctx
