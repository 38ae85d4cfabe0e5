"""The register's list page, and the two pieces every page under /kommuner/<nummer>/ builds on:
`KommuneMixin` (the kommune from the URL, in scope or 404, logged) and `KommuneFormView` (one
generic form on a kommune's case; the apps' form views only name form, service and texts)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.access import check_kommune_writable, get_visible_or_404
from core.export import TableExportMixin
from core.mixins import FilterResultsMixin
from core.params import valgt_aar
from core.skjema import engangs, skjemanokkel_context

from .filters import KommuneFilter
from .models import Kommune
from .tables import KommuneTable


class KommuneListView(FilterResultsMixin, TableExportMixin, SingleTableMixin, FilterView):
    model = Kommune
    table_class = KommuneTable
    filterset_class = KommuneFilter
    template_name = "kommuner/kommune_list.html"
    # The table paginates (one COUNT); FilterView's own paginate_by would count the rows a second time.
    table_pagination = {"per_page": 50}
    export_formats = ("csv", "xlsx")
    export_name = "kommuner"
    export_title = gettext_lazy("Kommuner")

    def get_queryset(self):
        return Kommune.objects.with_register()

    def get_table_kwargs(self):
        # Widened to the country, a user bound to an office or kommuner gets links to their own only.
        f = getattr(self, "filterset", None)
        if f is not None and f.egne is not None and f.widened:
            return {"lenke_til": set(f.egne.values_list("pk", flat=True))}
        return {}


class KommuneMixin:
    """For pages and forms under /kommuner/<nummer>/…: `self.kommune` is the kommune from the URL,
    only if it is in the user's scope (else 404, logged). With `write_action` set, today's kommuner
    only, and a user who may not change its case gets 403 (logged); the service checks both again
    inside its transaction."""

    kommune_url_kwarg = "nummer"
    scope_action = "les"
    write_action = None

    def dispatch(self, request, *args, **kwargs):
        qs = Kommune.objects.for_user(request.user).with_register()
        if self.write_action:
            qs = qs.gjeldende()
        self.kommune = get_visible_or_404(qs, request.user, self.write_action or self.scope_action,
                                          nummer=kwargs[self.kommune_url_kwarg])
        if self.write_action:
            check_kommune_writable(request.user, self.kommune, self.write_action)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("kommune", self.kommune)
        return super().get_context_data(**kwargs)


class KommuneFormView(KommuneMixin, FormView):
    """One form on a kommune's case: the form's data go to `service(kommune=…, by=user, **data)`,
    a ValidationError from the service lands on the form (nothing written), success goes back to
    the kommune page at the year. Subclasses name `form_class`, `service`, `heading` and
    `success_message`; `save()` is the hook for a service with other arguments."""

    template_name = "kommuner/kommune_form.html"
    write_action = "sak"
    service = None  # staticmethod(app service)
    heading = ""
    success_message = ""

    def get_initial(self):
        return {"aar": valgt_aar(self.request)}

    def service_kwargs(self, form):
        return form.service_kwargs() if hasattr(form, "service_kwargs") else dict(form.cleaned_data)

    def save(self, data):
        return self.service(kommune=self.kommune, by=self.request.user, **data)

    def after_save(self, obj):
        """Messages beyond the success message (e.g. a warning about the saved object)."""

    def form_valid(self, form):
        try:
            obj = self.save(self.service_kwargs(form))
        except ValidationError as exc:
            return self.service_error(form, exc)
        messages.success(self.request, self.success_message)
        self.after_save(obj)
        return redirect(self.kommune.get_absolute_url() + f"#aar-{obj.aar}")

    def service_error(self, form, exc):
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return self.form_invalid(form)

    def post(self, request, *args, **kwargs):
        # One-time form token (core/skjema.py): a second submit of the same form writes nothing.
        return engangs(request, lambda: super(KommuneFormView, self).post(request, *args, **kwargs))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(heading=self.heading, title=f"{self.heading} – {self.kommune.navn}",
                   skjemanokkel=skjemanokkel_context(self.request))
        return ctx
