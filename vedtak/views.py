from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from bosetting.models import Anmodning
from bosetting.views import KommuneWriteMixin
from kommuner.models import Kommune

from .forms import VedtakForm
from .models import Vedtak
from .services import vedtak_register, vedtak_update


class VedtakCreateView(KommuneWriteMixin, FormView):
    """Register a council decision; it supersedes the current one for the same year(s)."""

    form_class = VedtakForm
    heading = _("Registrer vedtak")
    template_name = "vedtak/vedtak_form.html"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # htmx: warn about reservations while typing; without JS the warning comes after saving.
        form.fields["vilkaar"].widget.attrs.update({
            "hx-get": reverse("vedtak:vilkaar_check", args=[self.kommune.nummer]),
            "hx-trigger": "keyup changed delay:400ms, change", "hx-target": "#vilkaar-advarsel",
        })
        return form

    def get_initial(self):
        return {"aar": self.aar_initial()}

    def form_valid(self, form):
        data = form.service_kwargs()
        aar = data.pop("aar")
        anmodning = (Anmodning.objects.filter(kommune=self.kommune, aar=aar)
                     .order_by("-dato_sendt", "-opprettet", "-id").first())
        try:
            obj = vedtak_register(kommune=self.kommune, aar=aar, anmodning=anmodning, by=self.request.user, **data)
        except ValidationError as exc:
            return self.service_error(form, exc)
        messages.success(self.request, _("Vedtaket er registrert."))
        if obj.forbehold:
            messages.warning(self.request, _("Vedtaket har forbehold IMDi ikke godtar: %(f)s.")
                             % {"f": ", ".join(obj.forbehold)})
        return redirect(self.kommune.get_absolute_url() + f"#aar-{aar}")


class VedtakUpdateView(VedtakCreateView):
    """Correct a registered vedtak (e.g. a typo in the case number); history keeps old → new.
    A new decision is registered as a new vedtak instead, so the earlier one stays visible."""

    heading = _("Rett vedtak")

    def dispatch(self, request, *args, **kwargs):
        self.vedtak_pk = kwargs.pop("pk")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        self.vedtak = get_object_or_404(Vedtak, pk=self.vedtak_pk, kommune=self.kommune)
        return {**super().get_form_kwargs(), "instance": self.vedtak,
                "initial": {"avventer": self.vedtak.status == "avventer"}}

    def form_valid(self, form):
        data = form.service_kwargs()
        try:
            obj = vedtak_update(vedtak=self.vedtak, by=self.request.user, **data)
        except ValidationError as exc:
            return self.service_error(form, exc)
        messages.success(self.request, _("Vedtaket er rettet."))
        return redirect(self.kommune.get_absolute_url() + f"#aar-{obj.aar}")


class VilkaarCheckView(View):
    """htmx fragment: the reservations IMDi does not accept, found in a conditions text."""

    def get(self, request, nummer):
        get_object_or_404(Kommune.objects.visible_to(request.user), nummer=nummer)
        found = Vedtak(vilkaar=request.GET.get("vilkaar", "")).forbehold
        if not found:
            return HttpResponse("")
        return HttpResponse(format_html(
            '<div class="ds-alert" data-color="warning"><p class="ds-paragraph">{}</p></div>',
            _("IMDi godtar ikke forbehold i vedtaket (fant: %(f)s).") % {"f": ", ".join(found)}))
