"""Content-Security-Policy header from settings.CSP_POLICY (no third-party package needed), the
second factor required of administrators, and the client address and password-spraying limit of
the login lockout (django-axes)."""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = "; ".join(f"{name} {' '.join(values)}" for name, values in settings.CSP_POLICY.items())
        self.name = ("Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY
                     else "Content-Security-Policy")

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(self.name, self.header)
        return response


class AdminTwoFactorMiddleware:
    """With ADMIN_TOTP_REQUIRED, an administrator signed in with a password only is sent to the
    TOTP page (register an app, or enter its code) before anything else opens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ADMIN_TOTP_REQUIRED and self._needs_code(request):
            return redirect(f"{reverse('core:totp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _needs_code(request):
        from core.access import role_of
        from core.models import Rolle

        user = request.user
        if not user.is_authenticated or user.is_verified() or role_of(user) != Rolle.ADMINISTRATOR:
            return False
        open_paths = {reverse("core:totp"), reverse("logout"), reverse("health")}
        return request.path_info not in open_paths and not request.path_info.startswith(settings.STATIC_URL)


class SessionRefreshMiddleware:
    """Sliding inactivity expiry without a database write on every request: a signed-in session
    is saved again (which restarts its SESSION_COOKIE_AGE) once SESSION_REFRESH_SECONDS have
    passed since its last save, so a user is signed out between AGE − REFRESH and AGE after
    their last request. Saving on every request was a third of a page's queries, and a write."""

    KEY = "_fornyet"

    @classmethod
    def at_login(cls, sender, request, user, **kwargs):
        """Login saves the session anyway: start the refresh interval there."""
        import time

        if hasattr(request, "session"):
            request.session[cls.KEY] = int(time.time())

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and session.get("_auth_user_id"):
            import time

            if time.time() - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[self.KEY] = int(time.time())
        return response


class NulBytesMiddleware:
    """A NUL byte in the path or query string is never a real address: 400 (Django's bad request
    handler) before any view passes it to the database, which refuses it with an error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            from django.core.exceptions import SuspiciousOperation

            raise SuspiciousOperation("NUL byte in the request address")
        return self.get_response(request)


def client_ip(request):
    """The client address for the login lockout (settings.AXES_CLIENT_IP_CALLABLE).

    Without BEHIND_PROXY, REMOTE_ADDR only: an X-Forwarded-For the client sent is ignored. With
    it, the PROXY_COUNT-th address from the right of X-Forwarded-For: each of our proxies appends
    the peer it saw, so that entry was written by the outermost proxy we trust and everything to
    its left is the client's own say. A missing, short or malformed header falls back to
    REMOTE_ADDR (the proxy), never to an address the client chose. (django-ipware's strict mode
    also refuses a forged chain, but then answers with no address at all, or the proxy's for every
    client behind an office proxy that adds its own entry.)"""
    remote = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    if len(chain) < settings.PROXY_COUNT:
        return remote
    candidate = chain[-settings.PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LoginSprayHandler(AxesDatabaseHandler):
    """django-axes' database handler (lockout per username and address), and one limit more: an
    address that has failed to sign in with LOGIN_SPRAY_LIMIT different usernames within the
    cool-off is refused for every username until those attempts expire (password spraying). The
    lockout page (registration/lockout.html) tells the two apart by request.axes_spraying."""

    def is_locked(self, request, credentials=None):
        if super().is_locked(request, credentials):
            return True
        if self.is_spraying(request):
            request.axes_spraying = True
            return True
        return False

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        """A login refused for spraying reaches here as a failure (axes' backend raises
        PermissionDenied): mark it locked out, so the middleware answers with the lockout page."""
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and getattr(request, "axes_spraying", False):
            request.axes_locked_out = True
            request.axes_credentials = credentials

    @staticmethod
    def is_spraying(request):
        from axes.helpers import get_cool_off
        from axes.models import AccessAttempt
        from django.utils import timezone

        limit = settings.LOGIN_SPRAY_LIMIT
        ip = getattr(request, "axes_ip_address", None) or client_ip(request)
        if not limit or not ip:
            return False
        attempts = AccessAttempt.objects.filter(ip_address=ip, failures_since_start__gt=0)
        cool_off = get_cool_off(request)
        if cool_off:
            attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
        return attempts.values("username").distinct().count() >= limit
