"""Early-warning rules: a condition on a kommune-year that becomes a follow-up for the responsible
Statsforvalter office's users (KS's users where the office has none).

`rules_run()` evaluates every active rule for all kommuner from a constant number of queries,
creates the missing follow-ups (the unique (owner, rule key) constraint makes a second run or a
concurrent one create nothing), and closes the rule's own open follow-ups whose condition cleared.
A follow-up a rule closed is reopened if the condition comes back; one a person closed stays closed.
"""

import calendar
import datetime
import logging
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bosetting.models import Bolig
from bosetting.selectors import maaneder_for_kilder, maanedstall, plan_for_kilder, planer_ved, saker_for_aar
from bosetting.services import MAANEDSNAVN
from bosetting.status import plan_mot_bosatt, plan_til_maaned
from core.history import history_entry, history_record_bulk
from core.models import Profil, Rolle
from kommuner.models import Kommune
from vedtak.models import Anmodning

from .choices import AKTIVE, REGEL_STANDARD, PunktStatus, Regel
from .models import Oppfolgingspunkt, RegelInnstilling

log = logging.getLogger(__name__)

RULES_LOCK = 741_001  # pg advisory lock id: one rule run at a time


def regel_innstillinger():
    """{regel: (aktiv, terskel, frist_dager)}, with defaults for rules not saved yet."""
    saved = {r.regel: r for r in RegelInnstilling.objects.all()}
    out = {}
    for regel in Regel:
        r = saved.get(regel.value)
        default = REGEL_STANDARD[regel][0]
        out[regel.value] = (r.aktiv, r.terskel if r.terskel is not None else default, r.frist_dager) if r else (
            True, default, 14)
    return out


def office_recipients(office_ids):
    """{office id: [user ids]} for Statsforvalter users; offices without users get KS's users."""
    rows = Profil.objects.filter(
        Q(rolle=Rolle.STATSFORVALTER, statsforvalter_id__in=office_ids) | Q(rolle=Rolle.KS), user__is_active=True,
    ).values_list("rolle", "statsforvalter_id", "user_id").order_by("user_id")
    per_office, ks = defaultdict(list), []
    for rolle, office, uid in rows:
        if rolle == Rolle.KS:
            ks.append(uid)
        else:
            per_office[office].append(uid)
    return {o: per_office.get(o) or ks for o in office_ids}


def kommune_facts(aar, today=None):
    """Per today's kommune, its predecessors rolled up: the year's figures from the engine's Sak
    (bosetting.selectors.saker_for_aar: anmodet, svarfrist, vedtatt, bosatt) and, beside them, what
    a Sak does not carry: the first request's sent date and the housing available (Bolig).

    Unknown stays None. A suppressed figure is unknown too, and flagged (`vedtatt_skjult`: a
    vedtak was made but its number is hidden; `bosatt_skjult`: a settled cell is hidden, so the
    count is only a lower bound), so the rules do not read it as 0. With `today`, also the
    settled against the settlement plan through last month (`plan`: bosetting.status.PlanMotBosatt,
    None without a plan or with an unknown month). Eight queries in all."""
    facts, til = {}, {}
    if today is not None:
        maaneder, _fylke, _demo, revisjoner = maanedstall([aar], planer=True)  # one query
        planer = planer_ved(revisjoner, [aar], 12, i_kraft=(aar,))  # the plans in force
        til_maaned = plan_til_maaned(aar, today)
    for s in saker_for_aar(aar):
        if not s.kommune.er_gjeldende:  # a split kommune's own row: no follow-ups for it
            continue
        for k in s.kilder:
            til[k.pk] = s.kommune.pk
        facts[s.kommune.pk] = {
            "anmodet": s.anmodet, "svarfrist": s.svarfrist, "sendt": None,
            "vedtatt": s.vedtatt_eksakt, "vedtatt_skjult": s.vedtatt_prikket,
            "gap_anmodning_vedtak": s.gap_anmodning_vedtak,  # as bosetting.status.GAP defines it
            "bosatt": None if s.bosatt.skjulte else s.bosatt.verdi, "bosatt_skjult": bool(s.bosatt.skjulte),
            "bolig": None, "plan": None,
        }
        if today is not None and planer:
            plan = plan_for_kilder(planer, s.kilder, aar)
            if plan:
                facts[s.kommune.pk]["plan"] = plan_mot_bosatt(
                    plan, maaneder_for_kilder(maaneder, s.kilder, aar), til_maaned)
    for kid, sendt in Anmodning.objects.filter(aar=aar, dato_sendt__isnull=False).order_by().values_list(
            "kommune_id", "dato_sendt"):
        if kid in til:
            f = facts[til[kid]]
            f["sendt"] = min(f["sendt"] or sendt, sendt)
    for kid, bolig in Bolig.objects.filter(aar=aar, tilgjengelige__isnull=False).order_by().values_list(
            "kommune_id", "tilgjengelige"):
        if kid in til:
            f = facts[til[kid]]
            f["bolig"] = (f["bolig"] or 0) + bolig
    return facts


def _treff(regel, f, terskel, today, pace):
    """The follow-up text when `regel` holds for one kommune's facts, else None."""
    anmodet, vedtatt, bosatt, bolig = f.get("anmodet"), f.get("vedtatt"), f.get("bosatt"), f.get("bolig")
    if regel == Regel.INGEN_VEDTAK and anmodet is not None and vedtatt is None and not f.get("vedtatt_skjult"):
        late = f.get("sendt") and today >= f["sendt"] + datetime.timedelta(weeks=terskel or 0)
        past = f.get("svarfrist") and today > f["svarfrist"]
        if late or past:
            return _("Ingen vedtak registrert (anmodet %(a)s)") % {"a": anmodet}
    gap = f.get("gap_anmodning_vedtak")
    if regel == Regel.VEDTAK_UNDER and vedtatt and gap is not None and gap >= max(terskel or 1, 1):
        return _("Vedtak %(v)s under anmodning %(a)s") % {"v": vedtatt, "a": anmodet}
    if regel == Regel.VEDTAK_NULL and anmodet and vedtatt == 0:
        return _("Vedtak om 0 (anmodet %(a)s)") % {"a": anmodet}
    if regel == Regel.BOSETTING_BAK and vedtatt and bosatt is not None:
        expected = vedtatt * pace
        if bosatt < expected * (1 - (terskel or 0) / 100):
            return _("Bosatt %(b)s av %(v)s, forventet ca. %(e)s nå") % {
                "b": bosatt, "v": vedtatt, "e": round(expected)}
    if regel == Regel.BOLIG_MANGLER and vedtatt and bolig is not None and not f.get("bosatt_skjult"):
        gjenstaar = vedtatt - (bosatt or 0)
        if gjenstaar > 0 and bolig + (terskel or 0) < gjenstaar:
            return _("%(b)s boliger, %(g)s gjenstår å bosette") % {"b": bolig, "g": gjenstaar}
    plan = f.get("plan")
    if regel == Regel.BAK_PLAN and plan is not None and plan.planlagt and plan.andel_bak > (terskel or 0) / 100:
        return _("Bosatt %(b)s mot %(p)s planlagte plasser til og med %(m)s") % {
            "b": plan.bosatt, "p": plan.planlagt, "m": MAANEDSNAVN[plan.til_maaned - 1]}
    return None


def evaluate(facts, innstillinger, today, aar, feil=None):
    """Yield (regel, kommune_id, text) for each rule whose condition holds (`facts` as from
    kommune_facts; a rule never fires on a suppressed figure). Pure function.

    One rule failing for one kommune (bad data, e.g. a date arithmetic overflows on) is logged
    with the rule and kommune id, appended to `feil` as (regel, kommune_id), and the rest goes on."""
    year_start = datetime.date(aar, 1, 1)
    days = 366 if calendar.isleap(aar) else 365
    pace = min(max((today - year_start).days + 1, 0), days) / days
    on = [(r, v[1]) for r, v in innstillinger.items() if v[0]]
    for kid, f in facts.items():
        for regel, terskel in on:
            try:
                text = _treff(regel, f, terskel, today, pace)
            except Exception as exc:  # noqa: BLE001 - one bad row must not stop every reminder
                log.error("Regel %s feilet for kommune %s: %s", regel, kid, type(exc).__name__)
                if feil is not None:
                    feil.append((regel, kid))
                continue
            if text is not None:
                yield regel, kid, text


def regel_noekkel(regel, kommune_id, aar):
    return f"{regel}:{kommune_id}:{aar}"


@transaction.atomic
def rules_run(*, today=None):
    """Evaluate the rules for the current year; returns {"opprettet": n, "lukket": n, "gjenaapnet": n,
    "feil": n} ("feil": the rule-kommune pairs that failed on bad data and were skipped)."""
    today = today or timezone.localdate()
    aar = today.year
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RULES_LOCK])
    innstillinger = regel_innstillinger()
    feil = []
    hits = list(evaluate(kommune_facts(aar, today), innstillinger, today, aar, feil=feil))
    kommuner = Kommune.objects.in_bulk({kid for _r, kid, _t in hits})
    offices = {k.pk: k.fylke.statsforvalter_id for k in Kommune.objects.select_related("fylke").filter(
        pk__in=kommuner)}
    recipients = office_recipients(set(offices.values()))
    wanted = {}
    for regel, kid, text in hits:
        kommune = kommuner[kid]
        for uid in recipients.get(offices[kid], []):
            wanted[(uid, regel_noekkel(regel, kid, aar))] = (regel, kommune, text)
    existing = {
        (p.ansvarlig_id, p.regel_noekkel): p
        for p in Oppfolgingspunkt.objects.select_for_update(of=("self",)).select_related("kommune").filter(
            regel__in=Regel.values, regel_noekkel__endswith=f":{aar}")
    }
    now = timezone.now()
    new, reopen, close, entries = [], [], [], []
    for (uid, key), (regel, kommune, text) in wanted.items():
        p = existing.get((uid, key))
        if p is None:
            try:
                frist = today + datetime.timedelta(days=innstillinger[regel][2])
            except (OverflowError, TypeError) as exc:
                log.error("Regel %s feilet for kommune %s: %s", regel, kommune.pk, type(exc).__name__)
                feil.append((regel, kommune.pk))
                continue
            new.append(Oppfolgingspunkt(
                tittel=f"{Regel(regel).label}: {kommune.navn_norsk} {aar}"[:300], beskrivelse=text, ansvarlig_id=uid,
                frist=frist, kommune=kommune, regel=regel, regel_noekkel=key, opprettet=now, endret=now,
            ))
        elif p.lukket_av_regel and p.status == PunktStatus.FERDIG:
            p.status, p.lukket_av_regel, p.endret = PunktStatus.AAPEN, False, now
            reopen.append(p)
    # A rule that failed for a kommune says nothing about it: its follow-ups stay as they are.
    uavklart = {regel_noekkel(regel, kid, aar) for regel, kid in feil}
    for key, p in existing.items():
        if key not in wanted and key[1] not in uavklart and p.status in AKTIVE:
            p.status, p.lukket_av_regel, p.endret = PunktStatus.FERDIG, True, now
            close.append(p)
    # A concurrent run may have inserted some meanwhile: those conflict and are skipped.
    Oppfolgingspunkt.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    saved = []
    if new:
        saved = list(Oppfolgingspunkt.objects.select_related("kommune").filter(
            regel_noekkel__in={p.regel_noekkel for p in new}, opprettet=now))
        entries += [history_entry(obj=p, handling="oppfolging.regel_opprettet") for p in saved]
    Oppfolgingspunkt.objects.bulk_update(reopen + close, ["status", "lukket_av_regel", "endret"])
    entries += [history_entry(obj=p, handling="oppfolging.regel_gjenaapnet", before={"status": PunktStatus.FERDIG},
                              after={"status": p.status}) for p in reopen]
    entries += [history_entry(obj=p, handling="oppfolging.regel_lukket", before={"status": "aktiv"},
                              after={"status": p.status}) for p in close]
    history_record_bulk(entries)
    return {"opprettet": len(saved), "lukket": len(close), "gjenaapnet": len(reopen), "feil": len(feil)}
