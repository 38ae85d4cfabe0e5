"""View mixins for every app's pages: scoped objects (core.access) and filter results updated with htmx."""

from functools import partial

from django.http import Http404
from django.utils import formats
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from .access import log_refusal


class ScopedObjectMixin:
    """For DetailView/UpdateView/DeleteView of case data: the object comes from
    `Model.objects.for_user(user)`, so another kommune's object is 404 (logged)."""

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.for_user(self.request.user) if hasattr(qs, "for_user") else qs.for_user(self.request.user)

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            log_refusal(self.request.user, "les", model=self.model._meta.label if self.model else "",
                        **{k: str(v)[:20] for k, v in self.kwargs.items()})
            raise


def _number(n):
    return formats.number_format(n, force_grouping=True)  # 1 234, as the `tall` filter


class FilterResultsMixin:
    """For list pages with the filter include (includes/filter_export.html). With JavaScript the
    filter form asks for the same URL with htmx and swaps in only the results region (count, export
    links, table), which is `results_template_name`, rendered from the same view, queryset and scope.
    Any other request, including htmx's own reload after the back button, gets the whole page; the
    response varies on HX-Request so a cache never serves the fragment as the page.

    `result_count` in the context says how many rows the filter found («Viser 1–50 av 357 kommuner.»),
    shown above the table and, after an htmx update, read out by the form's status element."""

    results_template_name = "includes/filter_results.html"
    results_target = "resultater"  # the id of the region in the results template
    result_noun = None  # (singular, plural); the table model's verbose names when not set

    def is_results_request(self):
        htmx = getattr(self.request, "htmx", None)
        return bool(htmx) and htmx.target == self.results_target and not htmx.history_restore_request

    def get_template_names(self):
        if self.is_results_request():
            return [self.results_template_name]
        return super().get_template_names()

    def result_count(self, table):
        paginator = getattr(table, "paginator", None)
        total = paginator.count if paginator else len(table.rows)
        if self.result_noun:
            singular, plural = self.result_noun
        else:
            opts = table.data.model._meta
            singular, plural = opts.verbose_name, opts.verbose_name_plural
        if not total:
            return _("Fant ingen %(navn)s.") % {"navn": plural}
        if paginator and paginator.num_pages > 1:
            return _("Viser %(fra)s–%(til)s av %(antall)s %(navn)s.") % {
                "fra": _number(table.page.start_index()), "til": _number(table.page.end_index()),
                "antall": _number(total), "navn": plural}
        return _("Viser %(antall)s %(navn)s.") % {"antall": _number(total), "navn": singular if total == 1 else plural}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # Computed when the template asks for it (a page with its own count never does).
        ctx["result_count"] = partial(self.result_count, ctx["table"])
        return ctx

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response
