"""Reads of the settlement plan (Bosettingsplan), each for its page and that page's download: the
places ready in the next months per kommune, fylke and the country (/plan/), and one kommune-year's
plan against the settled per month (/kommuner/<nr>/plan/). Writes are bosetting.services.plan_register."""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.export import Merknad
from kommuner.models import Kommune

from .models import Bosettingsplan
from .oversikt import tall_merknad
from .selectors import kommune_aar
from .services import MAANEDSNAVN
from .status import PlanMotBosatt, plan_mot_bosatt, plan_til_maaned


def neste_maaneder(antall=3, idag=None):
    """(year, month) of this month (Europe/Oslo) and the ones after it."""
    idag = idag or timezone.localdate()
    aar, maaned = idag.year, idag.month
    out = []
    for _i in range(antall):
        out.append((aar, maaned))
        aar, maaned = (aar + 1, 1) if maaned == 12 else (aar, maaned + 1)
    return out


def _sum_kjente(verdier):
    """The sum of the known values; None when none is known."""
    kjente = [v for v in verdier if v is not None]
    return sum(kjente) if kjente else None


def plan_pipeline(user, maaneder, fylke=""):
    """Places ready in `maaneder` ([(year, month)]) per kommune in the user's scope (only kommuner
    with a plan for one of them), optionally in one fylke (its number): {"grupper": [fylke with its
    "kommuner", "maaneder" sums and "sum"], "nasjonalt": {"maaneder", "sum"}}. A kommune's month
    without a plan is None (unknown, never 0); "boliger" sums the known housing units, None when
    none is known. One query whatever the number of kommuner."""
    hvor = Q()
    for a, m in maaneder:
        hvor |= Q(aar=a, maaned=m)
    qs = Bosettingsplan.objects.filter(hvor, kommune__in=Kommune.objects.for_user(user).values("pk"))
    if fylke:
        qs = qs.filter(kommune__fylke__nummer=fylke)
    rows = qs.order_by().values_list("kommune__nummer", "kommune__navn", "kommune__fylke__nummer",
                                     "kommune__fylke__navn", "aar", "maaned", "plasser", "boliger")
    kommuner, fylkesum = {}, {}
    index = {am: i for i, am in enumerate(maaneder)}
    for nr, navn, fnr, fnavn, a, m, plasser, boliger in rows:
        k = kommuner.setdefault(nr, {"nummer": nr, "navn": navn, "fylke": fnr, "fylke_navn": fnavn,
                                     "maaneder": [None] * len(maaneder), "sum": 0, "boliger": None,
                                     "url": reverse("bosetting:plan", args=[nr])})
        k["maaneder"][index[a, m]] = plasser
        k["sum"] += plasser
        if boliger is not None:
            k["boliger"] = (k["boliger"] or 0) + boliger
    for k in kommuner.values():
        f = fylkesum.setdefault(k["fylke"], {"nummer": k["fylke"], "navn": k["fylke_navn"], "kommuner": [],
                                             "maaneder": [None] * len(maaneder), "sum": 0})
        f["kommuner"].append(k)
        f["sum"] += k["sum"]
        for i, v in enumerate(k["maaneder"]):
            if v is not None:  # a month no kommune has planned stays unknown, not 0
                f["maaneder"][i] = (f["maaneder"][i] or 0) + v
    grupper = [fylkesum[n] for n in sorted(fylkesum)]
    for f in grupper:
        f["kommuner"].sort(key=lambda k: k["nummer"])
    nasjonalt = {"maaneder": [_sum_kjente(f["maaneder"][i] for f in grupper) for i in range(len(maaneder))],
                 "sum": sum(f["sum"] for f in grupper)}
    return {"grupper": grupper, "nasjonalt": nasjonalt}


def pipeline_table(pipeline, maaneder, *, samlet_navn):
    """The pipeline page's table for a download (core.export.file_response): headers and the same
    rows as the page, each kommune, each fylke's sum, and the last row the whole (`samlet_navn`:
    «Hele landet», or «Sum» for a part of it)."""
    headers = [_("Kommunenummer"), _("Kommune"), _("Fylke"),
               *(f"{MAANEDSNAVN[m - 1]} {a}" for a, m in maaneder), _("Sum tre måneder"), _("Boliger")]
    rows = []
    for f in pipeline["grupper"]:
        for k in f["kommuner"]:
            rows.append([k["nummer"], k["navn"], f["navn"], *k["maaneder"], k["sum"], k["boliger"]])
        rows.append(["", _("Sum %(navn)s") % {"navn": f["navn"]}, f["navn"], *f["maaneder"], f["sum"], None])
    if pipeline["grupper"]:
        nasjonalt = pipeline["nasjonalt"]
        rows.append(["", samlet_navn, "", *nasjonalt["maaneder"], nasjonalt["sum"], None])
    return headers, rows


def plan_per_maaned(kommune, aar, *, aaret=False):
    """One kommune-year, month by month: the plan in force ("plan": the Bosettingsplan row, or
    None), the settled from the figures engine (bosetting.selectors.kommune_aar: a Tall, or None)
    and both accumulated (the plan's None when the year has no plan). Also whether it has a plan.
    `aaret`: the year's entry of kommune_aar when the caller has it (None: no figures), so only the
    plan is read."""
    plan = {p.maaned: p for p in Bosettingsplan.objects.filter(kommune=kommune, aar=aar)}
    if aaret is False:
        aaret = next((y for y in kommune_aar(kommune) if y["aar"] == aar), None)
    bosatt = {m["maaned"]: m for m in (aaret["maaneder"] if aaret else [])}
    rader, plan_cum = [], 0
    for m, navn in enumerate(MAANEDSNAVN, start=1):
        p = plan.get(m)
        if p is not None:
            plan_cum += p.plasser
        b = bosatt.get(m)
        rader.append({"maaned": m, "navn": navn, "plan": p, "plan_kumulativt": plan_cum if plan else None,
                      "bosatt": b["antall"] if b else None, "bosatt_kumulativt": b["kumulativt"] if b else None})
    return rader, bool(plan)


@dataclass(frozen=True)
class PlanStatus:
    """A kommune-year's settlement plan against the settled, as the plan page and the kommune
    page's header say it: `mot_plan` (bosetting.status.PlanMotBosatt, None when the plan covers
    no month that is over or a month's settled figure is unknown), through `til_navn`; `dekket`:
    the plan covers a month that is over (so a None `mot_plan` means an unknown figure)."""

    har_plan: bool
    mot_plan: PlanMotBosatt | None
    til_navn: str
    dekket: bool = False


def plan_status(rader, aar, today=None):
    """PlanStatus of plan_per_maaned's rows on `today` (the months that are over)."""
    til = plan_til_maaned(aar, today or timezone.localdate())
    har_plan = any(r["plan"] for r in rader)
    mot_plan = plan_mot_bosatt({r["maaned"]: r["plan"].plasser for r in rader if r["plan"]},
                               {r["maaned"]: r["bosatt"].eksakt for r in rader if r["bosatt"]}, til)
    dekket = any(r["plan"] and r["maaned"] <= til for r in rader)
    return PlanStatus(har_plan, mot_plan, str(MAANEDSNAVN[til - 1]) if til else "", dekket)


def _tall(t):
    """A Tall for a download: the number; blank when unknown; a suppressed one blank with its
    marker («skjult») in the column after it (core.export.with_marker_columns)."""
    if t is None:
        return None
    return Merknad(tall_merknad(t)) if t.skjulte else t.verdi


def plan_mot_bosatt_table(rader):
    """The kommune plan page's table for a download: the same columns and rows as the page."""
    headers = [_("Måned"), _("Plasser klare"), _("Boliger"), _("Bosatt"), _("Plan akkumulert"),
               _("Bosatt akkumulert")]
    rows = [[str(r["navn"]), r["plan"].plasser if r["plan"] else None, r["plan"].boliger if r["plan"] else None,
             _tall(r["bosatt"]), r["plan_kumulativt"], r["bosatt_kumulativt"]] for r in rader]
    return headers, rows
