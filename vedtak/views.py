from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from core.access import can, get_visible_or_404
from core.params import valgt_aar
from kommuner.views import KommuneFormView, KommuneMixin

from .choices import VedtakStatus
from .forms import AarslaasForm, AnmodningForm, BehovForm, VedtakForm
from .models import Aarslaas, Anmodning, Bosettingsbehov, Vedtak
from .services import aar_set_lock, anmodning_register, behov_register, vedtak_register, vedtak_update


class AnmodningView(KommuneFormView):
    """IMDi's request letter (ordinary, adjusted or supplementary); admin and IMDi users."""

    form_class = AnmodningForm
    service = staticmethod(anmodning_register)
    write_action = "anmodning"
    heading = gettext_lazy("Registrer anmodning")
    success_message = gettext_lazy("Anmodningen er registrert.")


class VedtakCreateView(KommuneFormView):
    """Register a council decision; it supersedes the one in force for the same year(s)."""

    form_class = VedtakForm
    template_name = "vedtak/vedtak_form.html"
    heading = gettext_lazy("Registrer vedtak")
    success_message = gettext_lazy("Vedtaket er registrert.")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # htmx: warn about reservations while typing; without JS the warning comes after saving.
        form.fields["vilkaar"].widget.attrs.update({
            "hx-get": reverse("vedtak:vilkaar_check", args=[self.kommune.nummer]),
            "hx-trigger": "keyup changed delay:400ms, change", "hx-target": "#vilkaar-advarsel",
        })
        return form

    def save(self, data):
        aar = data.pop("aar")
        anmodning = (Anmodning.objects.filter(kommune=self.kommune, aar=aar)
                     .order_by("-dato_sendt", "-opprettet", "-id").first())
        return vedtak_register(kommune=self.kommune, aar=aar, anmodning=anmodning, by=self.request.user, **data)

    def after_save(self, obj):
        if obj.forbehold:
            messages.warning(self.request, _("Vedtaket har forbehold IMDi ikke godtar: %(f)s.")
                             % {"f": ", ".join(obj.forbehold)})


class VedtakUpdateView(VedtakCreateView):
    """Correct a registered vedtak (e.g. a typo in the case number); history keeps old → new.
    A new decision is registered as a new vedtak instead, so the earlier one stays visible."""

    heading = gettext_lazy("Rett vedtak")
    success_message = gettext_lazy("Vedtaket er rettet.")

    def dispatch(self, request, *args, **kwargs):
        self.vedtak_pk = kwargs.pop("pk")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        self.vedtak = get_object_or_404(Vedtak, pk=self.vedtak_pk, kommune=self.kommune)
        return {**super().get_form_kwargs(), "instance": self.vedtak,
                "initial": {"avventer": self.vedtak.status == VedtakStatus.AVVENTER}}

    def save(self, data):
        return vedtak_update(vedtak=self.vedtak, by=self.request.user, **data)

    def after_save(self, obj):
        pass


class VilkaarCheckView(KommuneMixin, View):
    """htmx fragment: the reservations IMDi does not accept, found in a conditions text."""

    def get(self, request, nummer):
        found = Vedtak(vilkaar=request.GET.get("vilkaar", "")).forbehold
        if not found:
            return HttpResponse("")
        return HttpResponse(format_html(
            '<div class="ds-alert" data-color="warning"><p class="ds-paragraph">{}</p></div>',
            _("IMDi godtar ikke forbehold i vedtaket (fant: %(f)s).") % {"f": ", ".join(found)}))


class VedtakDokumentView(KommuneMixin, View):
    """The vedtak's PDF, only for a user who may read the kommune's case: the kommune from the URL
    (in scope or 404, logged) and the vedtak among that kommune's (another kommune's is 404).
    Always a download, never shown inline, and the browser may not guess another type."""

    def get(self, request, nummer, pk):
        qs = Vedtak.objects.for_user(request.user).filter(kommune=self.kommune).exclude(dokument="")
        vedtak = get_visible_or_404(qs, request.user, "les", pk=pk)
        try:
            fil = vedtak.dokument.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("Fant ikke dokumentet.")) from exc
        response = FileResponse(fil, as_attachment=True, filename=vedtak.dokument_navn or "vedtak.pdf",
                                content_type="application/pdf")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "sandbox"
        return response


class RequireActionMixin:
    action = None

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, self.action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class BehovView(RequireActionMixin, FormView):
    """The national settlement need: every revision kept, the newest counts (admin and IMDi)."""

    template_name = "vedtak/behov.html"
    form_class = BehovForm
    action = "anmodning"

    def get_initial(self):
        return {"aar": valgt_aar(self.request)}

    def form_valid(self, form):
        try:
            behov_register(by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Bosettingsbehovet er registrert."))
        return redirect(f"{reverse('vedtak:behov')}?aar={form.cleaned_data['aar']}")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=_("Nasjonalt bosettingsbehov"),
                   revisjoner=Bosettingsbehov.objects.select_related("opprettet_av").order_by("-aar", "-opprettet"))
        return ctx


class AarslaasView(RequireActionMixin, FormView):
    """Lock or unlock a year's figures (admin and IMDi); both are recorded."""

    template_name = "vedtak/aarslaas.html"
    form_class = AarslaasForm
    action = "aarslaas"

    def form_valid(self, form):
        d = form.cleaned_data
        aar_set_lock(aar=d["aar"], laast=d["handling"] == "laas", kommentar=d["kommentar"], by=self.request.user)
        messages.success(self.request, (_("År %(aar)s er låst.") if d["handling"] == "laas"
                                        else _("År %(aar)s er låst opp.")) % {"aar": d["aar"]})
        return redirect("vedtak:aarslaas")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=_("Låsing av år"), laaser=Aarslaas.objects.select_related("endret_av"))
        return ctx
