"""Writes to what was settled: bosatt, housing, reasons. Each service uses the case helpers of
vedtak.services (one transaction, kommune lock, scope, the year lock, validation, history)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.history import history_record, snapshot
from vedtak.services import guard, lock_kommune, save_case

from .models import Aarsaker, Bolig, Bosatt, Bosettingsplan, Planrevisjon, Tjenestekapasitet

MAKS_TALL = 2147483647  # the database's integer
MAANEDSNAVN = (gettext_lazy("januar"), gettext_lazy("februar"), gettext_lazy("mars"), gettext_lazy("april"),
               gettext_lazy("mai"), gettext_lazy("juni"), gettext_lazy("juli"), gettext_lazy("august"),
               gettext_lazy("september"), gettext_lazy("oktober"), gettext_lazy("november"),
               gettext_lazy("desember"))


@transaction.atomic
def bosatt_register(*, kommune, aar, maaned=0, by=None, **figures):
    """Register (or correct) the settled figures for a month, or for the whole year (maaned=0)."""
    kommune = lock_kommune(kommune)
    guard(by, kommune, "sak", aar)
    obj = Bosatt.objects.filter(kommune=kommune, aar=aar, maaned=maaned).first()
    before = snapshot(obj) if obj else None
    obj = obj or Bosatt(kommune=kommune, aar=aar, maaned=maaned)
    for name, value in figures.items():
        setattr(obj, name, value)
    return save_case(obj, by=by, handling="bosatt.endret" if before else "bosatt.registrert", before=before)


@transaction.atomic
def bolig_save(*, kommune, aar, by=None, **fields):
    kommune = lock_kommune(kommune)
    guard(by, kommune, "sak", aar)
    obj = Bolig.objects.filter(kommune=kommune, aar=aar).first()
    before = snapshot(obj) if obj else None
    obj = obj or Bolig(kommune=kommune, aar=aar)
    for name, value in fields.items():
        setattr(obj, name, value)
    return save_case(obj, by=by, handling="bolig.endret" if before else "bolig.registrert", before=before)


@transaction.atomic
def tjenester_save(*, kommune, aar, by=None, **fields):
    """Register (or correct) a kommune-year's service capacity and pressure notes."""
    kommune = lock_kommune(kommune)
    guard(by, kommune, "sak", aar)
    obj = Tjenestekapasitet.objects.filter(kommune=kommune, aar=aar).first()
    before = snapshot(obj) if obj else None
    obj = obj or Tjenestekapasitet(kommune=kommune, aar=aar)
    for name, value in fields.items():
        setattr(obj, name, value)
    return save_case(obj, by=by, handling="tjenester.endret" if before else "tjenester.registrert", before=before)


@transaction.atomic
def aarsaker_save(*, kommune, aar, aarsaker, fritekst="", by=None):
    kommune = lock_kommune(kommune)
    guard(by, kommune, "sak", aar)
    obj = Aarsaker.objects.filter(kommune=kommune, aar=aar).first()
    before = snapshot(obj) if obj else None
    obj = obj or Aarsaker(kommune=kommune, aar=aar)
    obj.aarsaker, obj.fritekst = sorted(set(aarsaker)), fritekst
    return save_case(obj, by=by, handling="aarsaker.endret" if before else "aarsaker.registrert", before=before)


def _plan_tall(value, *, required):
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAKS_TALL:
        raise ValidationError(_("Plasser og boliger må være hele tall fra 0 til %(maks)s.") % {"maks": MAKS_TALL})
    return value


def plan_endringer_tekst(before, after):
    """What a revision changed, in words: «mars: 5 → 8 plasser; april: ny, 4 plasser»."""
    def vis(v):
        plasser, boliger = v
        text = _("%(n)s plasser") % {"n": plasser}
        return text if boliger is None else text + " " + _("(%(n)s boliger)") % {"n": boliger}

    deler = []
    for m in range(1, 13):
        old, new = before.get(m), after.get(m)
        if old == new:
            continue
        navn = MAANEDSNAVN[m - 1]
        if old is None:
            deler.append(_("%(maaned)s: %(ny)s") % {"maaned": navn, "ny": vis(new)})
        elif new is None:
            deler.append(_("%(maaned)s: %(gammel)s fjernet") % {"maaned": navn, "gammel": vis(old)})
        else:
            deler.append(_("%(maaned)s: %(gammel)s → %(ny)s") % {"maaned": navn, "gammel": vis(old), "ny": vis(new)})
    return "; ".join(deler)


@transaction.atomic
def plan_register(*, kommune, aar, maaneder, by=None, import_ref=""):
    """Revise a kommune-year's settlement plan: `maaneder` is {month: (plasser, boliger)} for the
    months given (plasser None: that month's plan is removed; months not given stay as they are).
    The whole plan after the revision is kept as a new Planrevisjon (numbered, who, when), the
    Bosettingsplan rows become its months, and the change is recorded in words. Returns the
    revision, or None when nothing changed. `import_ref`: the import that made the revision."""
    kommune = lock_kommune(kommune)
    guard(by, kommune, "plan", aar)
    clean = {}
    for m, (plasser, boliger) in maaneder.items():
        if not isinstance(m, int) or not 1 <= m <= 12:
            raise ValidationError(_("Ukjent måned: %(m)s") % {"m": m})
        if plasser is None:
            if boliger is not None:
                raise ValidationError(_("Oppgi plasser for en måned med boliger."))
            clean[m] = None
        else:
            clean[m] = (_plan_tall(plasser, required=True), _plan_tall(boliger, required=False))
    rows = {p.maaned: p for p in Bosettingsplan.objects.filter(kommune=kommune, aar=aar)}
    before = {m: (p.plasser, p.boliger) for m, p in rows.items()}
    after = dict(before)
    for m, v in clean.items():
        if v is None:
            after.pop(m, None)
        else:
            after[m] = v
    if after == before:
        return None
    forrige = Planrevisjon.objects.filter(kommune=kommune, aar=aar).order_by("-nummer").first()
    rev = Planrevisjon.objects.create(
        kommune=kommune, aar=aar, nummer=(forrige.nummer + 1) if forrige else 1,
        plan={str(m): list(v) for m, v in sorted(after.items())},
        av=by if getattr(by, "is_authenticated", False) else None)
    Bosettingsplan.objects.filter(kommune=kommune, aar=aar, maaned__in=[m for m in before if m not in after]).delete()
    for m, (plasser, boliger) in after.items():
        if before.get(m) == (plasser, boliger):
            continue
        row = rows.get(m) or Bosettingsplan(kommune=kommune, aar=aar, maaned=m)
        row.plasser, row.boliger, row.revisjon = plasser, boliger, rev
        row.full_clean()
        row.save()
    history_record(obj=rev, handling="plan.revidert", by=by, before={"plan": forrige.plan} if forrige else None,
                   kommune=kommune, aar=aar,
                   after={"plan": rev.plan}, kommentar=plan_endringer_tekst(before, after), import_ref=import_ref)
    return rev
