"""The select built in Python (core.renderers) gives the same HTML as Django's templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test.html import parse_html

from core.renderers import FormRenderer


class Skjema(forms.Form):
    enkel = forms.ChoiceField(choices=[("", "Alle"), ("a", "Å <b>&"), ("1", "Én")], required=False)
    grupper = forms.ChoiceField(choices=[("Øst", [("01", "Østfold"), ("02", "Akershus")]), ("x", "Annet")])
    flere = forms.MultipleChoiceField(choices=[("n", "Nei"), ("j", "Ja \"sikkert\"")], required=False)
    tall = forms.TypedChoiceField(choices=[(1, "En"), (2, "To")], coerce=int, disabled=True)


@pytest.mark.parametrize("data", [None, {"enkel": "a", "grupper": "02", "flere": ["n", "j"], "tall": 2}])
def test_select_html_equals_djangos(data):
    ours = Skjema(data, renderer=FormRenderer())
    django = Skjema(data, renderer=DjangoTemplates())
    for name in ("enkel", "grupper", "flere", "tall"):
        attrs = {"class": "ds-input", "aria-describedby": "x_error", "data-x": 'a"b'}
        mine, theirs = ours[name].as_widget(attrs=attrs), django[name].as_widget(attrs=attrs)
        assert parse_html(mine) == parse_html(theirs), (name, mine, theirs)
        assert "<select" in mine and "&lt;b&gt;&amp;" in str(ours["enkel"].as_widget())


def test_other_widgets_still_use_djangos_templates():
    html = Skjema(renderer=FormRenderer())["enkel"].as_widget(widget=forms.TextInput())
    assert html.startswith("<input") and 'name="enkel"' in html
