"""The written standard (Bokmål/Nynorsk) follows the user, not only the browser.

The choice lives in Django's language cookie (LocaleMiddleware reads it) and on the profile
(`Profil.sprak`). The switch (`set_language`) stores it on the profile of a signed-in user; on the
login page it is remembered in the session and stored at login. At login the profile's choice is
activated and written to the cookie, so it follows the user to another browser. Where there is no
request (the reminder e-mails) the profile's choice is used directly (`sprak_for`).
"""

from django.conf import settings
from django.utils import translation
from django.views.i18n import set_language as django_set_language

SESSION_KEY = "sprak_valgt"


def sprak_for(user):
    """The written standard for messages to this user outside a request: the profile's, else the default."""
    profil = getattr(user, "profil", None) if user is not None else None
    return profil.sprak if profil is not None else settings.LANGUAGE_CODE


def _valid(code):
    return code in dict(settings.LANGUAGES)


def set_language(request):
    """Django's switch (POST, sets the cookie and redirects), plus: a signed-in user's choice is stored
    on the profile; an anonymous choice (login page) is kept in the session until login."""
    from .services import profil_set_sprak

    response = django_set_language(request)
    code = request.POST.get("language") if request.method == "POST" else None
    if _valid(code):
        if request.user.is_authenticated:
            profil_set_sprak(user=request.user, sprak=code)
        else:
            request.session[SESSION_KEY] = code
    return response


def at_login(sender, request, user, **kwargs):
    """user_logged_in: a choice made on the login page becomes the profile's; either way the profile's
    choice is sent as the cookie (SprakMiddleware writes it on the response, a redirect), so every page
    after login is in it."""
    from .models import Profil
    from .services import profil_set_sprak

    if request is None:
        return
    profil = Profil.objects.filter(user_id=user.pk).only("sprak").first()
    if profil is None:
        return
    session = getattr(request, "session", None)
    chosen = session.pop(SESSION_KEY, None) if session is not None else None
    sprak = profil.sprak
    if _valid(chosen) and chosen != sprak:
        profil_set_sprak(user=user, sprak=chosen)
        sprak = chosen
    request.sprak_cookie = sprak


def _set_cookie(response, code):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class SprakMiddleware:
    """After AuthenticationMiddleware. Writes the cookie chosen at login, and gives a signed-in browser
    that has no language cookie yet (a new browser, a cleared cookie) the profile's choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fallback = None
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and request.user.is_authenticated:
            fallback = sprak_for(request.user)
            translation.activate(fallback)
            request.LANGUAGE_CODE = fallback
        response = self.get_response(request)
        code = getattr(request, "sprak_cookie", None)
        if code is None and fallback is not None and settings.LANGUAGE_COOKIE_NAME not in response.cookies:
            code = fallback
        if code is not None:
            _set_cookie(response, code)
        return response
