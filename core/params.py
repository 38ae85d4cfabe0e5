"""Request parameters every page reads the same way."""

import datetime

# The years the case can hold (a year outside is a typo, not a plan).
MIN_AAR, MAX_AAR = 2010, 2040


def valgt_aar(request):
    """?aar= within the sane range; this year when missing or not a number."""
    try:
        aar = int(request.GET.get("aar") or datetime.date.today().year)
    except ValueError:
        aar = datetime.date.today().year
    return min(max(aar, MIN_AAR), MAX_AAR)


def aarvalg():
    """The years offered in a year picker, newest first (next year included)."""
    return range(min(MAX_AAR, datetime.date.today().year + 1), 2013, -1)


def kommunenummer(value):
    """A kommune number as typed: '0101', '101' (Excel dropped the zero), 101 or 101.0; four
    digits, or None when it is not a number."""
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or not 1 <= len(text) <= 4:
        return None
    return text.zfill(4)


def dato_i_omraade(value):
    """A date the case can hold: 1.1.MIN_AAR – 31.12.MAX_AAR (9999-12-31 is a typo, and date
    arithmetic on it overflows). A model field validator, so forms, admin and services all get it."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    if value is not None and not datetime.date(MIN_AAR, 1, 1) <= value <= datetime.date(MAX_AAR, 12, 31):
        raise ValidationError(
            gettext("Datoen må være mellom %(fra)s og %(til)s.") % {
                "fra": f"01.01.{MIN_AAR}", "til": f"31.12.{MAX_AAR}"},
            code="dato_utenfor")
