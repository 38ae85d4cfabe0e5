from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from bosetting.models import Anmodning
from bosetting.views import KommuneWriteMixin

from .forms import VedtakForm
from .services import vedtak_register


class VedtakCreateView(KommuneWriteMixin, FormView):
    """Register a council decision; it supersedes the current one for the same year(s)."""

    form_class = VedtakForm
    heading = _("Registrer vedtak")

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
