"""The estimate's pages and their downloads: the country by fylke, a fylke by kommune, one kommune
by year. The figures are okonomi.beregning's; the views read the parameters, check the scope and
render (or write the same table as CSV/XLSX through core.export).

Scope: the country page's sum is the whole country only for the roles that read every kommune;
for the others every row and sum is made of the kommuner they may read (a Statsforvalter's office,
a kommune user's own kommune), and says so. A fylke with none of them is 404, as is a kommune
outside the scope (core.access)."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from bosetting.oversikt import tall_merknad
from core.access import get_visible_or_404, kommune_scope_q
from core.export import Merknad, file_response, with_marker_columns
from core.params import aarvalg, valgt_aar
from kommuner.models import Fylke, Kommune

from . import beregning


def ks_valgt(request):
    """?ks=på: the KS-proposal scenario is on (off by default)."""
    return request.GET.get("ks") in ("on", "1", "ja")


def fylke_or_404(user, nummer):
    """Today's fylke, if the user may read at least one of its kommuner."""
    fylke = get_object_or_404(Fylke.objects.select_related("statsforvalter"), nummer=nummer, gyldig_til__isnull=True)
    if kommune_scope_q(user) and not Kommune.objects.for_user(user).filter(fylke=fylke).exists():
        raise Http404
    return fylke


def _celle(t):
    """A Tall as an export cell: the number when exact, else a Merknad (blank number) or blank."""
    if t is None:
        return None
    if not t.skjulte:
        return t.verdi
    if t.ovre and t.verdi is not None:
        return Merknad(_("høyst %(n)s (%(k)s skjult)") % {"n": t.verdi, "k": t.skjulte})
    return Merknad(tall_merknad(t))


def tabell(rader, sum_rad, *, ks, forste):
    """(headers, rows) of the page's table for the downloads, with marker columns for figures that
    are not exact numbers (core.export.with_marker_columns)."""
    headers = [forste, _("Bosatt"), _("Tilskudd over fem år, anslag (kr)"),
               _("Tilskudd over fem år, øvre variant, anslag (kr)"), _("Kostnad over fem år, anslag (kr)"),
               _("Differanse, anslag (kr)"), _("Differanse, øvre variant, anslag (kr)")]
    if ks:
        headers += [_("Herav KS' forslag, anslag (kr)")]
    rows = []
    for r in [*rader, *([sum_rad] if sum_rad else [])]:
        row = [f"{r.nummer} {r.navn}".strip(), _celle(r.personer), _celle(r.tilskudd), _celle(r.tilskudd_hoy),
               _celle(r.kostnad), _celle(r.differanse), _celle(r.differanse_hoy)]
        if ks:
            row.append(_celle(r.ks_tillegg))
        rows.append(row)
    return with_marker_columns(headers, rows, range(1, len(headers)))


class AnslagMixin:
    """The year and the scenario switch, read the same way on every page of the estimate."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.aar = valgt_aar(request)
        self.ks = ks_valgt(request)

    def felles(self):
        return {"aar": self.aar, "aarene": aarvalg(), "ks": self.ks, "ks_param": "on" if self.ks else ""}


class NasjonalView(AnslagMixin, TemplateView):
    template_name = "okonomi/nasjonal.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        o = beregning.nasjonal(self.request.user, self.aar, ks=self.ks)
        ctx.update(self.felles(), o=o, title=_("Tilskudd og kostnad %(aar)s (anslag)") % {"aar": self.aar},
                   forste=_("Fylke"))
        return ctx


class NasjonalEksportView(AnslagMixin, View):
    def get(self, request, *args, **kwargs):
        o = beregning.nasjonal(request.user, self.aar, ks=self.ks)
        headers, rows = tabell(o.rader, o.sum, ks=self.ks, forste=_("Fylke"))
        return file_response(request.GET.get("format"), _("Anslag %(aar)s") % {"aar": self.aar}, headers, rows,
                             f"tilskudd-kostnad-{self.aar}")


class FylkeView(AnslagMixin, TemplateView):
    template_name = "okonomi/fylke.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        fylke = fylke_or_404(self.request.user, kwargs["nummer"])
        o = beregning.fylke(self.request.user, fylke, self.aar, ks=self.ks)
        ctx.update(self.felles(), o=o, fylke=fylke, forste=_("Kommune"),
                   title=_("Tilskudd og kostnad i %(fylke)s %(aar)s (anslag)") % {"fylke": fylke.navn, "aar": self.aar})
        return ctx


class FylkeEksportView(AnslagMixin, View):
    def get(self, request, *args, **kwargs):
        fylke = fylke_or_404(request.user, kwargs["nummer"])
        o = beregning.fylke(request.user, fylke, self.aar, ks=self.ks)
        headers, rows = tabell(o.rader, o.sum, ks=self.ks, forste=_("Kommune"))
        return file_response(request.GET.get("format"), _("Anslag %(fylke)s %(aar)s") % {
            "fylke": fylke.navn, "aar": self.aar}, headers, rows, f"tilskudd-kostnad-{fylke.nummer}-{self.aar}")


def _kommune(user, nummer):
    return get_visible_or_404(Kommune.objects.for_user(user).gjeldende().select_related("fylke"), user, "les",
                              nummer=nummer)


def _kommune_aarene():
    return [a for a in aarvalg() if a <= datetime.date.today().year]


class KommuneView(AnslagMixin, TemplateView):
    template_name = "okonomi/kommune.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        kommune = _kommune(self.request.user, kwargs["nummer"])
        aarene = beregning.kommune(kommune, _kommune_aarene(), ks=self.ks)
        merknader = [f"{a.aar}: {m}" for a, s in aarene for m in s.merknader(ks=self.ks)]
        ctx.update(self.felles(), kommune=kommune, aarene=aarene, rader=[a for a, _s in aarene], forste=_("År"),
                   merknader=merknader, satser=aarene[0][1] if aarene else beregning.satser_for(self.aar),
                   title=_("Tilskudd og kostnad for %(kommune)s (anslag)") % {"kommune": kommune.navn})
        return ctx


class KommuneEksportView(AnslagMixin, View):
    def get(self, request, *args, **kwargs):
        kommune = _kommune(request.user, kwargs["nummer"])
        aarene = beregning.kommune(kommune, _kommune_aarene(), ks=self.ks)
        headers, rows = tabell([a for a, _s in aarene], None, ks=self.ks, forste=_("År"))
        return file_response(request.GET.get("format"), _("Anslag %(kommune)s") % {"kommune": kommune.navn},
                             headers, rows, f"tilskudd-kostnad-{kommune.nummer}")
