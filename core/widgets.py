"""Form widgets shared by the apps."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SokbarFlervalg(forms.SelectMultiple):
    """A multiple choice that becomes Designsystemet's searchable multi-select (`<ds-suggestion
    data-multiple>` from @digdir/designsystemet-web) in the browser.

    The native `<select multiple>` is rendered and stays the form's value: static/js/sokbar.js
    builds the searchable control beside it, hides it and keeps it in step. Without JavaScript the
    plain select still works. The control's spoken texts come from the data attributes (Norwegian).
    """

    class Media:
        js = ("vendor/designsystemet-web/umd/index.js", "js/sokbar.js")

    def __init__(self, attrs=None, choices=()):
        texts = {
            "data-sokbar": "",
            "data-sr-added": _("Lagt til"),
            "data-sr-removed": _("Fjernet"),
            "data-sr-remove": _("Trykk for å fjerne"),
            "data-sr-empty": _("Ingen valgt"),
            "data-sr-clear": _("Tøm søket"),
            "data-sr-items": _("Valgte"),
            "data-sr-found": _("Gå til venstre for å finne %d valgte"),
            "data-sr-invalid": _("Ugyldig valg"),
            "data-sr-of": _("av"),
            "data-sr-singular": _("%d forslag"),
            "data-sr-plural": _("%d forslag"),
            "data-tomt": _("Ingen treff"),
        }
        super().__init__({**texts, **(attrs or {})}, choices)
