"""A sample scoped write view, in the pattern the apps' views follow, to prove the matrix's POST
machinery (tests/test_access_matrix.py::test_post_machinery_on_a_sample_view)."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_http_methods

from config.urls import urlpatterns as project_urls
from core.access import get_visible_or_404, require
from kommuner.models import Kommune
from vedtak.services import vedtak_register


class SampleForm(forms.Form):
    antall = forms.IntegerField(min_value=0)
    # Optional: a user with several kommuner picks one; only visible kommuner are valid choices.
    kommune = forms.ModelChoiceField(queryset=Kommune.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommune"].queryset = Kommune.objects.for_user(user)


@require_http_methods(["GET", "POST"])
def sample_vedtak_create(request, nummer):
    kommune = get_visible_or_404(Kommune.objects.for_user(request.user), request.user, "sak", nummer=nummer)
    if request.method == "GET":
        require(request.user, "sak")  # only those who may register see the form
        return HttpResponse("skjema")
    form = SampleForm(request.POST, user=request.user)
    if not form.is_valid():
        return HttpResponse(str(form.errors), status=200)
    vedtak_register(kommune=form.cleaned_data["kommune"] or kommune, aar=2025, antall=form.cleaned_data["antall"],
                    by=request.user)  # re-checks scope and role inside the transaction (403)
    return redirect(kommune)


@require_http_methods(["POST"])
def sample_vedtak_create_unchecked(request, nummer):
    """The mistake the tampering check is for: any kommune is a valid choice and nothing re-checks it."""
    kommune = get_visible_or_404(Kommune.objects.for_user(request.user), request.user, "sak", nummer=nummer)
    form = SampleForm(request.POST, user=request.user)
    form.fields["kommune"].queryset = Kommune.objects.all()
    if not form.is_valid():
        return HttpResponse(str(form.errors), status=200)
    vedtak_register(kommune=form.cleaned_data["kommune"] or kommune, aar=2025, antall=form.cleaned_data["antall"])
    return redirect(kommune)


urlpatterns = [
    *project_urls,
    path("prove/<str:nummer>/vedtak/", sample_vedtak_create, name="sample_vedtak_create"),
    path("prove/<str:nummer>/vedtak/ukontrollert/", sample_vedtak_create_unchecked,
         name="sample_vedtak_create_unchecked"),
]
