from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .totp import TotpForm, device_for, qr_svg, secret_text, totp_confirm


def bad_request(request, exception):
    """The 400 page (config.urls.handler400), rendered without the request: a request refused as
    bad (a NUL byte, a form body that is not UTF-8, a SuspiciousOperation) may be too broken for
    context processors. Django's own handler runs the CSRF check first, which reads the form body
    again and fails on it (a form POST in iso-8859-1 ended in a 500)."""
    return HttpResponseBadRequest(render_to_string("400.html"))


def server_error(request):
    """The 500 page (config.urls.handler500), for the same reason without the request or the CSRF
    check: whatever failed (the database, the form body) must not fail the error page too."""
    return HttpResponseServerError(render_to_string("500.html"))


def _check(probe):
    try:
        probe()
    except Exception as exc:  # noqa: BLE001 - a health check reports any failure, it never raises
        return {"status": "feil", "feil": type(exc).__name__}
    return {"status": "ok"}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    key = "helse:probe"
    cache.set(key, "1", 10)
    if cache.get(key) not in ("1", None):  # a dummy cache (tests) keeps nothing: that is fine
        raise RuntimeError("cache")


def _broker():
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1)


@login_not_required
def health(request):
    """Health for load balancers and operators, as JSON: the database, the cache and the Celery
    broker (or "ikke i bruk" when tasks run eagerly). 503 when any of them fails."""
    checks = {"database": _check(_database), "cache": _check(_cache),
              "broker": _check(_broker) if settings.CELERY_BROKER_URL else {"status": "ikke i bruk"}}
    ok = all(c["status"] != "feil" for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "feil", **checks}, status=200 if ok else 503)


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
