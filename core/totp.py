"""Registering and using a TOTP authenticator app (django-otp)."""

import base64

import segno
from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .history import history_record


class TotpForm(forms.Form):
    kode = forms.CharField(label=_("Kode fra autentiseringsappen"), max_length=8,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_kode(self):
        code = self.cleaned_data["kode"].replace(" ", "")
        if not self.device.verify_token(code):
            raise forms.ValidationError(_("Koden stemmer ikke. Prøv den neste koden appen viser."))
        return code


def device_for(user):
    """The user's confirmed device, else its pending one (created on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="Autentiseringsapp", confirmed=False)
    return device


def qr_svg(device):
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title=str(_("QR-kode for autentiseringsappen")))


def secret_text(device):
    return base64.b32encode(device.bin_key).decode()


@transaction.atomic
def totp_confirm(request, device):
    """After a valid code: confirm a new device (recorded in the history) and mark the session verified."""
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        history_record(obj=device.user, handling="bruker.totp_registrert", by=device.user, before={"totp": False},
                       after={"totp": True}, kommune=None, aar=None)
    otp_login(request, device)
