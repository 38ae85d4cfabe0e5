import datetime

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from core.access import can, check_kommune_writable, kommune_scope_q, role_of, visible_kommune_ids
from core.mixins import FilterResultsMixin
from kommuner.models import Kommune

from . import tallcache
from .choices import MAX_AAR, MIN_AAR
from .filters import OversiktFilter
from .models import Aarslaas, Bosettingsbehov
from .oversikt import med_forrige_aar, med_summer, rad_fra_sak
from .selectors import nasjonale_rader_for, saker_for_aarene
from .tables import OversiktTable, TallColumn


def valgt_aar(request):
    """?aar= within the sane range; this year when missing or not a number."""
    try:
        aar = int(request.GET.get("aar") or datetime.date.today().year)
    except ValueError:
        aar = datetime.date.today().year
    return min(max(aar, MIN_AAR), MAX_AAR)


class OversiktView(FilterResultsMixin, ExportMixin, SingleTableMixin, TemplateView):
    """One row per kommune for a year; published figures, readable by every signed-in user.
    Opens on the user's own scope, with a switch to widen to the whole country."""

    template_name = "bosetting/oversikt.html"
    results_template_name = "bosetting/_oversikt_resultater.html"
    table_class = OversiktTable
    table_pagination = False
    export_formats = ("csv", "xlsx")

    def get_export_filename(self, export_format):
        return f"bosetting-oversikt-{self.aar}.{export_format}"

    def setup_data(self):
        request = self.request
        self.aar = valgt_aar(request)
        # Only roles bound to an office or kommuner open on their own scope; others see the country.
        self.scoped = role_of(request.user) is not None and bool(kommune_scope_q(request.user))
        self.filter = OversiktFilter(request.GET or None, queryset=Kommune.objects.all())
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
        else:
            ids = set(qs.values_list("pk", flat=True))
            rader = [r for r in national if r.kommune_id in ids]
        visible = self.visible_ids()
        if visible is not None:  # links only to pages the user may open
            for r in rader:
                if r.kommune_id not in visible:
                    r.url = None
        if self.forrige:
            med_forrige_aar(rader, [rad_fra_sak(s) for s in saker[self.aar - 1]] if historisk
                            else aarene[self.aar - 1][0])
        self._rader = self.filter.sak_filter(rader)

    @property
    def rader(self):
        self._ensure_data()
        return self._rader

    def visible_ids(self):
        """The kommuner a user bound to an office or kommuner may open (None: all), read once."""
        if not hasattr(self, "_visible"):
            self._visible = visible_kommune_ids(self.request.user)
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
        sammendrag = cache.get(nokkel)
        if sammendrag is None:
            sammendrag = {"nasjonalt": self.nasjonalt_sum(), "antall_kommuner": len(self.rader),
                          "scoped": self.scoped, "widened": self.widened}
            cache.set(nokkel, sammendrag, tallcache.TIMEOUT)
        ctx["table"] = SimpleLazyObject(lambda: self.get_table(**self.get_table_kwargs()))
        ctx["filter"] = SimpleLazyObject(self.get_filter)
        behov = Bosettingsbehov.objects.filter(aar=aar).order_by("-opprettet", "-id").first()
        n = sammendrag["nasjonalt"]
        ctx.update(
            sammendrag,
            title=_("Oversikt over bosetting %(aar)s") % {"aar": aar}, aar=aar,
            aarene=range(min(MAX_AAR, datetime.date.today().year + 1), 2013, -1),
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


class BehovView(FormView):
    """The national settlement need: every revision kept, the newest counts (admin and IMDi)."""

    template_name = "bosetting/behov.html"

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, "anmodning"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        from .forms import BehovForm

        return BehovForm

    def get_initial(self):
        return {"aar": valgt_aar(self.request)}

    def form_valid(self, form):
        from .services import behov_register

        try:
            behov_register(by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Bosettingsbehovet er registrert."))
        return redirect(f"{reverse('bosetting:behov')}?aar={form.cleaned_data['aar']}")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=_("Nasjonalt bosettingsbehov"),
                   revisjoner=Bosettingsbehov.objects.select_related("opprettet_av").order_by("-aar", "-opprettet"))
        return ctx


class AarslaasView(FormView):
    """Lock or unlock a year's figures (admin and IMDi); both are recorded."""

    template_name = "bosetting/aarslaas.html"

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, "aarslaas"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        from .forms import AarslaasForm

        return AarslaasForm

    def form_valid(self, form):
        from .services import aar_set_lock

        d = form.cleaned_data
        aar_set_lock(aar=d["aar"], laast=d["handling"] == "laas", kommentar=d["kommentar"], by=self.request.user)
        messages.success(self.request, (_("År %(aar)s er låst.") if d["handling"] == "laas"
                                        else _("År %(aar)s er låst opp.")) % {"aar": d["aar"]})
        return redirect("bosetting:aarslaas")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=_("Låsing av år"), laaser=Aarslaas.objects.select_related("endret_av"))
        return ctx


class KommuneWriteMixin:
    """Forms on a kommune's case: the kommune must be visible (else 404) and writable (else 403);
    the service checks both again inside its transaction."""

    template_name = "bosetting/kommune_form.html"
    heading = ""
    action = "sak"

    def dispatch(self, request, *args, **kwargs):
        self.kommune = get_object_or_404(Kommune.objects.visible_to(request.user).with_register(),
                                         nummer=kwargs["nummer"], gyldig_til__isnull=True)
        check_kommune_writable(request.user, self.kommune, self.action)
        return super().dispatch(request, *args, **kwargs)

    def aar_initial(self):
        return valgt_aar(self.request)

    def get_initial(self):
        return {"aar": self.aar_initial()}

    def service_error(self, form, exc):
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return self.form_invalid(form)

    def done(self, aar, message):
        messages.success(self.request, message)
        return redirect(self.kommune.get_absolute_url() + f"#aar-{aar}")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(kommune=self.kommune, heading=self.heading, title=f"{self.heading} – {self.kommune.navn}")
        return ctx


class BosattView(KommuneWriteMixin, FormView):
    heading = _("Registrer bosatte")

    def get_form_class(self):
        from .forms import BosattForm

        return BosattForm

    def form_valid(self, form):
        from .services import bosatt_register

        d = dict(form.cleaned_data)
        aar = d.pop("aar")
        try:
            bosatt_register(kommune=self.kommune, aar=aar, by=self.request.user, **d)
        except ValidationError as exc:
            return self.service_error(form, exc)
        return self.done(aar, _("Bosettingstallene er lagret."))


class BoligView(KommuneWriteMixin, FormView):
    heading = _("Boligkapasitet")

    def get_form_class(self):
        from .forms import BoligForm

        return BoligForm

    def form_valid(self, form):
        from .services import bolig_save

        d = dict(form.cleaned_data)
        aar = d.pop("aar")
        try:
            bolig_save(kommune=self.kommune, aar=aar, by=self.request.user, **d)
        except ValidationError as exc:
            return self.service_error(form, exc)
        return self.done(aar, _("Boligkapasiteten er lagret."))


class AarsakerView(KommuneWriteMixin, FormView):
    heading = _("Årsaker til avvik")

    def get_form_class(self):
        from .forms import AarsakerForm

        return AarsakerForm

    def form_valid(self, form):
        from .services import aarsaker_save

        d = dict(form.cleaned_data)
        aar = d.pop("aar")
        try:
            aarsaker_save(kommune=self.kommune, aar=aar, by=self.request.user, **d)
        except ValidationError as exc:
            return self.service_error(form, exc)
        return self.done(aar, _("Årsakene er lagret."))


class AnmodningView(KommuneWriteMixin, FormView):
    """IMDi's request letter (ordinary, adjusted or supplementary); admin and IMDi users."""

    heading = _("Registrer anmodning")
    action = "anmodning"

    def get_form_class(self):
        from .forms import AnmodningForm

        return AnmodningForm

    def form_valid(self, form):
        from .services import anmodning_register

        d = dict(form.cleaned_data)
        aar, antall = d.pop("aar"), d.pop("antall")
        try:
            anmodning_register(kommune=self.kommune, aar=aar, antall=antall, by=self.request.user, **d)
        except ValidationError as exc:
            return self.service_error(form, exc)
        return self.done(aar, _("Anmodningen er registrert."))
