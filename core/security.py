"""Content-Security-Policy header from settings.CSP_POLICY (no third-party package needed), and
the second factor required of administrators."""

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
