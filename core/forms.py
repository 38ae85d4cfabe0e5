"""Forms shared by every app: the login form."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _


def _check_username_length(form):
    username = form.cleaned_data.get("username") or ""
    limit = form.fields["username"].max_length
    if limit and len(username) > limit:
        # Refused here, before authenticate(): django-axes would try to store it (at most 255).
        raise forms.ValidationError(_("Brukernavnet kan ikke være lengre enn %(antall)s tegn.") % {"antall": limit},
                                    code="max_length")
    return username


class InnloggingForm(AuthenticationForm):
    """Django's login form, with the username's length checked (Django sets only the widget's)."""

    def clean_username(self):
        return _check_username_length(self)


class AdminInnloggingForm(AdminAuthenticationForm):
    def clean_username(self):
        return _check_username_length(self)
