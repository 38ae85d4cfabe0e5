from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.access import can, get_visible_or_404, require
from core.export import TableExportMixin
from core.mixins import FilterResultsMixin
from core.services import bruker_epost_set
from core.skjema import engangs, skjemanokkel_context

from . import selectors, services
from .filters import OppfolgingspunktFilter
from .forms import DialogForm, ProfilForm, PunktEndreForm, PunktFormSet, StatusForm
from .models import Dialog, Oppfolgingspunkt
from .tables import OppfolgingspunktTable


def _apply_errors(form, exc):
    """Put a service's ValidationError on the form, field by field where it can."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class PunktListView(FilterResultsMixin, TableExportMixin, SingleTableMixin, FilterView):
    table_class = OppfolgingspunktTable
    filterset_class = OppfolgingspunktFilter
    template_name = "oppfolging/punkt_list.html"
    results_template_name = "oppfolging/_punkt_results.html"
    # The table paginates (one COUNT); FilterView's own paginate_by would count the rows a second time.
    table_pagination = {"per_page": 50}
    export_formats = ("csv", "xlsx")
    export_name = "oppfolgingspunkter"
    export_title = gettext_lazy("Oppfølging")

    def get_queryset(self):
        return Oppfolgingspunkt.objects.for_user(self.request.user).select_related("kommune", "ansvarlig", "dialog")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=_("Oppfølging"), kan_skrive=can(self.request.user, "dialog"))
        return ctx


class PunktBulkDoneView(View):
    def post(self, request):
        ids = _ids(request.POST.getlist("velg"))
        if ids is None:
            messages.error(request, _("Valget av punkter var ugyldig. Ingen punkter ble endret."))
        elif ids:
            n = services.punkt_bulk_done(ids=ids, by=request.user)
            messages.success(request, _("%(n)s punkter markert som ferdige.") % {"n": n})
        else:
            messages.warning(request, _("Velg minst ett punkt."))
        nxt = request.POST.get("next", "")
        # Only a path on this site; anything else (a bare word, another host) goes to the list.
        if not (nxt.startswith("/") and url_has_allowed_host_and_scheme(nxt, {request.get_host()},
                                                                        request.is_secure())):
            nxt = reverse("oppfolging:punkt_list")
        return redirect(nxt)


MAX_ID = 2**63 - 1


def _ids(values):
    """The chosen ids as ints, or None when one is not an id (not ASCII digits, or out of range)."""
    ids = []
    for v in values:
        if not (v.isascii() and v.isdigit()) or not 0 < int(v) <= MAX_ID:
            return None
        ids.append(int(v))
    return ids


class PunktDetailView(DetailView):
    template_name = "oppfolging/punkt_detail.html"
    context_object_name = "punkt"

    def get_queryset(self):
        return Oppfolgingspunkt.objects.for_user(self.request.user).select_related(
            "kommune", "ansvarlig", "dialog", "opprettet_av")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", StatusForm(initial={"status": self.object.status}))
        ctx.update(title=self.object.tittel, kan_skrive=can(self.request.user, "dialog"))
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = StatusForm(request.POST)
        if form.is_valid():
            try:
                services.punkt_set_status(punkt=self.object, status=form.cleaned_data["status"], by=request.user,
                                          kommentar=form.cleaned_data["kommentar"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Status er oppdatert."))
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DialogCreateView(FormView):
    template_name = "oppfolging/dialog_form.html"
    form_class = DialogForm

    def dispatch(self, request, *args, **kwargs):
        require(request.user, "dialog")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kommune = self.request.GET.get("kommune")
        if kommune and self.request.method == "GET":
            kwargs["initial"] = {**kwargs.get("initial", {}), "kommuner": [kommune]}
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("formset", PunktFormSet(
            self.request.POST if self.request.method == "POST" else None, prefix="punkt",
            form_kwargs={"user": self.request.user}))
        ctx["title"] = _("Registrer dialog")
        ctx["skjemanokkel"] = skjemanokkel_context(self.request)
        return ctx

    def post(self, request, *args, **kwargs):
        # One-time form token (core/skjema.py): a second submit of the same form writes nothing.
        return engangs(request, lambda: self._post(request))

    def _post(self, request):
        form = self.get_form()
        formset = PunktFormSet(request.POST, prefix="punkt", form_kwargs={"user": request.user})
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                dialog = services.dialog_register(
                    kommuner=data["kommuner"], dato=data["dato"], type=data["type"], sammendrag=data["sammendrag"],
                    organisasjoner=data["organisasjoner"], deltakere=data["deltakere"],
                    deltakere_fritekst=data["deltakere_fritekst"], temaer=data["temaer"], stikkord=data["stikkord"],
                    aar=data["aar"], punkter=formset.punkter(), by=request.user,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Dialogen er registrert."))
                return redirect(dialog)
        return self.render_to_response(self.get_context_data(form=form, formset=formset), status=400)


class DialogUpdateView(FormView):
    """Change a registered dialogue. Open to those who may write dialogue and who have every one
    of its kommuner in scope (a dialogue they see only part of is not theirs to change)."""

    template_name = "oppfolging/dialog_form.html"
    form_class = DialogForm

    def dispatch(self, request, *args, **kwargs):
        self.dialog = get_visible_or_404(Dialog.objects.for_user(request.user), request.user, pk=kwargs["pk"])
        require(request.user, "dialog")
        if not selectors.dialog_kan_endres(self.dialog, request.user):
            raise PermissionDenied(_("Dialogen gjelder også kommuner du ikke har tilgang til."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, initial=DialogForm.initial_from(self.dialog))
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=_("Endre dialog"), dialog=self.dialog, endre=True)
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.dialog_update(
                dialog=self.dialog, kommuner=data["kommuner"], dato=data["dato"], type=data["type"],
                sammendrag=data["sammendrag"], organisasjoner=data["organisasjoner"], deltakere=data["deltakere"],
                deltakere_fritekst=data["deltakere_fritekst"], temaer=data["temaer"], stikkord=data["stikkord"],
                aar=data["aar"], by=self.request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Dialogen er endret."))
        return redirect(self.dialog)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PunktUpdateView(FormView):
    """Change a follow-up's text, owner and due date."""

    template_name = "oppfolging/punkt_form.html"
    form_class = PunktEndreForm

    def dispatch(self, request, *args, **kwargs):
        self.punkt = get_visible_or_404(
            Oppfolgingspunkt.objects.for_user(request.user).select_related("kommune__fylke", "ansvarlig"),
            request.user, pk=kwargs["pk"])
        require(request.user, "dialog")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "punkt": self.punkt}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=_("Endre oppfølgingspunkt"), punkt=self.punkt)
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.punkt_update(punkt=self.punkt, tittel=data["tittel"], ansvarlig=data["ansvarlig"],
                                  frist=data["frist"], beskrivelse=data["beskrivelse"], by=self.request.user,
                                  kommentar=data["kommentar"])
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Oppfølgingspunktet er endret."))
        return redirect(self.punkt)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DialogDetailView(DetailView):
    template_name = "oppfolging/dialog_detail.html"
    context_object_name = "dialog"

    def get_queryset(self):
        # Only what the viewer may see of a multi-kommune dialogue (issue 16, defect 8).
        return selectors.dialog_detalj_qs(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = str(self.object)
        ctx.update(selectors.dialog_detalj(self.object, self.request.user))
        ctx["kan_skrive_punkt"] = can(self.request.user, "dialog")
        ctx["kan_endre"] = ctx["kan_skrive_punkt"] and not ctx["skjulte_kommuner"]
        return ctx


class ProfilView(View):
    """The user's own settings: e-mail address and reminders on or off."""

    template_name = "oppfolging/profil.html"

    def get(self, request):
        profil = getattr(request.user, "profil", None)
        form = ProfilForm(user=request.user, initial={
            "email": request.user.email, "varsler_paa": profil.varsler_paa if profil else True})
        return render(request, self.template_name, {"form": form, "profil": profil, "title": _("Min profil")})

    def post(self, request):
        profil = getattr(request.user, "profil", None)
        if profil is None:
            raise PermissionDenied(_("Brukeren har ingen profil."))
        form = ProfilForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                with transaction.atomic():
                    bruker_epost_set(user=request.user, epost=form.cleaned_data["email"], by=request.user)
                    services.profil_set_varsler(user=request.user, paa=form.cleaned_data["varsler_paa"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Innstillingene er lagret."))
                return redirect("profil")
        return render(request, self.template_name, {"form": form, "profil": profil, "title": _("Min profil")},
                      status=400)


