"""View mixins that apply core.access, for the apps' views (and the other helpers' pages)."""

from django.http import Http404

from kommuner.models import Kommune

from .access import get_visible_or_404, log_refusal


class KommuneScopedMixin:
    """For pages and forms under /kommuner/<nummer>/…: `self.kommune` is the kommune from the URL,
    only if it is in the user's scope (else 404, logged). Writes still go through a service, which
    re-checks scope and role inside its transaction."""

    kommune_url_kwarg = "nummer"
    scope_action = "les"

    def dispatch(self, request, *args, **kwargs):
        self.kommune = get_visible_or_404(Kommune.objects.visible_to(request.user).with_register(), request.user,
                                          self.scope_action, nummer=kwargs[self.kommune_url_kwarg])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("kommune", self.kommune)
        return super().get_context_data(**kwargs)


class ScopedObjectMixin:
    """For DetailView/UpdateView/DeleteView of case data: the object comes from
    `Model.objects.for_user(user)`, so another kommune's object is 404 (logged)."""

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.for_user(self.request.user) if hasattr(qs, "for_user") else qs.visible_to(self.request.user)

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            log_refusal(self.request.user, "les", model=self.model._meta.label if self.model else "",
                        **{k: str(v)[:20] for k, v in self.kwargs.items()})
            raise
