"""The written standard (Bokmål/Nynorsk) follows the user, not only the browser.

The choice lives in Django's language cookie (LocaleMiddleware reads it) and on the profile
(`Profil.sprak`). The switch (`set_language`) stores a signed-in user's choice on the profile; on
the login page the choice is kept in the session and stored at login. At login the profile's choice
is written to the cookie, so it follows the user to another browser, and kept in the session, so a
signed-in browser that lost the cookie gets it back without a query. Where there is no request (the
reminder e-mails) the profile's choice is used directly (`sprak_for`).
"""

from django.conf import settings
from django.utils import translation
from django.views.i18n import set_language as django_set_language

SESSION_VALGT = "sprak_valgt"  # chosen on the login page, not yet stored on a profile
SESSION_SPRAK = "sprak"  # the signed-in user's choice


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
            request.session[SESSION_SPRAK] = code
        else:
            request.session[SESSION_VALGT] = code
    return response


def at_login(sender, request, user, **kwargs):
    """user_logged_in: a choice made on the login page becomes the profile's; either way the profile's
    choice goes into the session and, through SprakMiddleware, into the cookie of the login response
    (a redirect), so every page after login is in it."""
    from .models import Profil
    from .services import profil_set_sprak

    session = getattr(request, "session", None)
    if session is None:
        return
    chosen = session.pop(SESSION_VALGT, None)
    sprak = Profil.objects.filter(user_id=user.pk).values_list("sprak", flat=True).first()
    if sprak is None:
        return
    if _valid(chosen) and chosen != sprak:
        profil_set_sprak(user=user, sprak=chosen)
        sprak = chosen
    session[SESSION_SPRAK] = sprak
    request.sprak_cookie = sprak


def _set_cookie(response, code):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class SprakMiddleware:
    """After SessionMiddleware and LocaleMiddleware. Writes the cookie chosen at login, and gives a
    signed-in browser without the language cookie the choice kept in its session (no query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fallback = None
        session = getattr(request, "session", None)
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and session is not None:
            fallback = session.get(SESSION_SPRAK)
            if _valid(fallback):
                translation.activate(fallback)
                request.LANGUAGE_CODE = fallback
            else:
                fallback = None
        response = self.get_response(request)
        code = getattr(request, "sprak_cookie", None)
        if code is None and fallback is not None and settings.LANGUAGE_COOKIE_NAME not in response.cookies:
            code = fallback
        if code is not None:
            _set_cookie(response, code)
        return response
