"""One-time form tokens: a create form submitted twice (double click, back + resend) writes once.

The form page carries a random token in a hidden field (`{{ skjemanokkel_felt }}`, see
`skjemanokkel_context`); the first POST that ends in a redirect consumes it (a unique row in
core.Skjemanokkel, in the same transaction as the write), and a later POST with the same token
writes nothing and redirects to the first result with "Skjemaet var allerede sendt inn.". A POST
whose form is refused (no redirect) frees the token again, so the corrected form can be sent.
A POST without a (well-formed) token is treated as a fresh form: it is handled as before.
"""

import re
import secrets

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .models import Skjemanokkel

FELT = "skjemanokkel"
_FORM = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _nokkel(request):
    value = request.POST.get(FELT, "") if request.method == "POST" else ""
    return value if _FORM.fullmatch(value) else None


def skjemanokkel_context(request):
    """The hidden field for a form page: the posted token again on a refused form, else a new one."""
    token = _nokkel(request) or secrets.token_urlsafe(24)
    return mark_safe(f'<input type="hidden" name="{FELT}" value="{token}">')  # noqa: S308 - token is [A-Za-z0-9_-]


def engangs(request, handle):
    """Run `handle()` (the view's POST, returning a response) at most once per token."""
    token = _nokkel(request)
    if token is None:
        return handle()
    with transaction.atomic():
        try:
            with transaction.atomic():
                Skjemanokkel.objects.create(nokkel=token)
        except IntegrityError:
            url = Skjemanokkel.objects.filter(nokkel=token).values_list("url", flat=True).first()
            messages.info(request, _("Skjemaet var allerede sendt inn."))
            return redirect(url or request.path)
        response = handle()
        if 300 <= response.status_code < 400 and response.has_header("Location"):
            Skjemanokkel.objects.filter(nokkel=token).update(url=response["Location"][:500])
        else:
            Skjemanokkel.objects.filter(nokkel=token).delete()
        return response
