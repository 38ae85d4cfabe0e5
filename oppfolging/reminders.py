"""Reminders: one sweep decides what is due and writes it to the delivery ledger (Utsending);
delivery sends each ledger row at most once.

Why it is safe to run twice (two beats, two workers, a retried task):
- the sweep takes a transaction-scoped advisory lock and inserts ledger rows with
  ON CONFLICT DO NOTHING against the unique (user, kind, key); key = the Oslo day for the daily
  digest, the ISO week for the office summary, the kommune-year for a missed deadline;
- delivery tasks are queued on commit of that transaction, by id;
- delivery claims a row (VENTER → SENDER) and commits before talking to SMTP, and marks it SENDT
  after. An SMTP error (known not delivered) puts it back to VENTER and the task retries with
  backoff; a later sweep re-queues anything still VENTER, so nothing is lost. A worker killed
  between SMTP and SENDT leaves the row in SENDER and it is never sent again (at most once).

Catch-up after downtime: the first sweep after a restart sends today's digest once (not one per
missed day); digests still waiting from an earlier day are marked UTGAATT, since today's holds the
same items. Missed-deadline and weekly reminders are keyed by item/week and go out once, late.
"""

import datetime
import logging
import smtplib
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from bosetting.selectors import saker_for_aar, saker_for_aarene
from core.models import Rolle
from core.sprak import sprak_for
from kommuner.models import Kommune
from vedtak.models import Anmodning

from .choices import UtsendingStatus, UtsendingType
from .models import Oppfolgingspunkt, Utsending

log = logging.getLogger(__name__)

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
SWEEP_LOCK = 741_002
TRANSIENT = (smtplib.SMTPException, ConnectionError, TimeoutError)
FRIST_UTE_MAKS_DAGER = 90  # a missed deadline older than this is history, not a reminder


def oslo_now(now=None):
    return (now or timezone.now()).astimezone(OSLO)


def digest_dager():
    return settings.OPPFOLGING_DIGEST_DAGER


def _wants_mail():
    """Users who want reminders and can get them."""
    User = get_user_model()
    return User.objects.filter(is_active=True).exclude(email="").exclude(profil__varsler_paa=False)


def digest_recipients(today):
    """User ids with an active follow-up overdue or due within N days (one query)."""
    due = Oppfolgingspunkt.objects.forfaller_innen(today, digest_dager()).filter(ansvarlig_id=OuterRef("pk"))
    return list(_wants_mail().filter(Exists(due)).values_list("pk", flat=True))


def frist_ute_saker(today):
    """The kommune-years (today's kommuner, predecessors rolled up: the engine's Sak) whose request
    deadline passed within the last FRIST_UTE_MAKS_DAGER days with no decided number
    (`Sak.frist_ute`, the rule the status VEDTAK_MANGLER uses). One query for the years that have
    such a deadline, and the engine's five for them together."""
    earliest = today - datetime.timedelta(days=FRIST_UTE_MAKS_DAGER)
    aarene = sorted(Anmodning.objects.filter(svarfrist__lt=today, svarfrist__gte=earliest).order_by()
                    .values_list("aar", flat=True).distinct())
    if not aarene:
        return []
    return [s for saker in saker_for_aarene(aarene).values() for s in saker
            if s.kommune.er_gjeldende and s.frist_ute(today) and s.svarfrist >= earliest]


def frist_ute_recipients(today):
    """{(user id, key): data} for the kommune-years of frist_ute_saker: the kommune's users and its
    office's."""
    cases = {(s.kommune.pk, s.aar): (s.fylke.statsforvalter_id, s.svarfrist) for s in frist_ute_saker(today)}
    if not cases:
        return {}
    kommune_ids = {k for k, _a in cases}
    offices = {o for o, _f in cases.values()}
    rows = _wants_mail().filter(
        Q(profil__rolle=Rolle.KOMMUNE, profil__kommuner__in=kommune_ids)
        | Q(profil__rolle=Rolle.STATSFORVALTER, profil__statsforvalter_id__in=offices)
    ).values_list("pk", "profil__rolle", "profil__kommuner", "profil__statsforvalter_id")
    per_kommune, per_office = defaultdict(set), defaultdict(set)
    for uid, rolle, kid, office in rows:
        if rolle == Rolle.KOMMUNE:
            per_kommune[kid].add(uid)
        else:
            per_office[office].add(uid)
    out = {}
    for (kid, aar), (office, frist) in cases.items():
        for uid in per_kommune[kid] | per_office[office]:
            out[(uid, f"frist:{kid}:{aar}")] = {"kommune_id": kid, "aar": aar, "svarfrist": frist.isoformat()}
    return out


def ukesammendrag_saker(statsforvalter_id, aar):
    """The weekly summary's lists for an office's kommuner (today's, predecessors rolled up: the
    engine's Sak): (kommune, figures) whose vedtak is below the request, and whose settled count is
    below the vedtak. A suppressed figure is not compared. Five queries."""
    under, bak = [], []
    for s in sorted(saker_for_aar(aar, Kommune.objects.filter(fylke__statsforvalter_id=statsforvalter_id)),
                    key=lambda s: s.kommune.nummer):
        if not s.kommune.er_gjeldende:  # a split kommune's own row
            continue
        tall = {"anmodet": s.anmodet, "vedtatt": s.vedtatt, "bosatt": s.bosatt.verdi}
        if (s.gap_anmodning_vedtak or 0) > 0:
            under.append((s.kommune, tall))
        if not s.bosatt.skjulte and (s.gap_vedtak_bosatt or 0) > 0:
            bak.append((s.kommune, tall))
    return under, bak


def ukesammendrag_recipients(local):
    week = local.isocalendar()
    key = f"{week.year}-U{week.week:02d}"
    rows = _wants_mail().filter(profil__rolle=Rolle.STATSFORVALTER, profil__statsforvalter__isnull=False)
    return {(uid, key): {"statsforvalter_id": office}
            for uid, office in rows.values_list("pk", "profil__statsforvalter_id")}


def _lock(key):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _del(result, navn, fn):
    """One part of the sweep in its own savepoint: a failure (bad data) is logged by name, counted
    in result["feil"], and the other parts go on. Returns the part's result, or None."""
    try:
        with transaction.atomic():
            return fn()
    except Exception as exc:  # noqa: BLE001 - one bad row must not stop every reminder
        log.error("Påminnelser: delen %s feilet: %s", navn, type(exc).__name__)
        result["feil"] += 1
        return None


def sweep(*, now=None, dry_run=False, enqueue=None, run_rules=True):
    """Decide what is due now and record it in the ledger; `enqueue(ledger id)` is called for each
    row waiting for delivery once the sweep commits (the task passes its delivery task's `delay`).

    Returns counts per kind and the ids of ledger rows waiting for delivery, and "feil": the parts
    (and rule-kommune pairs) that failed on bad data and were skipped.
    """
    from .rules import rules_run

    local = oslo_now(now)
    today = local.date()
    result = {"dag": today.isoformat(), "nye": {}, "venter": []}
    with transaction.atomic():
        _lock(SWEEP_LOCK)
        result["feil"] = 0
        if run_rules:
            result["regler"] = _del(result, "regler", lambda: rules_run(today=today))
            if result["regler"]:
                result["feil"] += result["regler"].get("feil", 0)
        # Catch-up policy: yesterday's unsent digest is replaced by today's.
        result["utgaatt"] = Utsending.objects.filter(
            type=UtsendingType.DIGEST, status=UtsendingStatus.VENTER, dag__lt=today,
        ).update(status=UtsendingStatus.UTGAATT)
        wanted = {}
        if local.hour >= settings.OPPFOLGING_DIGEST_TIME:
            for uid in _del(result, "digest", lambda: digest_recipients(today)) or ():
                wanted[(uid, UtsendingType.DIGEST, today.isoformat())] = {}
            if local.weekday() == settings.OPPFOLGING_UKESAMMENDRAG_DAG:
                rows = _del(result, "ukesammendrag", lambda: ukesammendrag_recipients(local)) or {}
                for (uid, key), data in rows.items():
                    wanted[(uid, UtsendingType.UKESAMMENDRAG, key)] = data
        for (uid, key), data in (_del(result, "frist_ute", lambda: frist_ute_recipients(today)) or {}).items():
            wanted[(uid, UtsendingType.FRIST_UTE, key)] = data
        stamp = timezone.now()
        Utsending.objects.bulk_create(
            [Utsending(bruker_id=uid, type=kind, noekkel=key, dag=today, data=data, opprettet=stamp)
             for (uid, kind, key), data in wanted.items()],
            ignore_conflicts=True, batch_size=2000,
        )
        # Rows inserted now carry this stamp; conflicting (already recorded) ones do not.
        for kind, n in Utsending.objects.filter(opprettet=stamp).values("type").annotate(n=Count("id")).values_list(
                "type", "n"):
            result["nye"][kind] = n
        pending = list(
            Utsending.objects.filter(status=UtsendingStatus.VENTER)
            .filter(Q(dag=today) | ~Q(type=UtsendingType.DIGEST)).values_list("pk", flat=True)
        )
        result["venter"] = pending
        if dry_run:
            transaction.set_rollback(True)
        elif enqueue is not None:
            # Queued after commit: a rolled-back sweep queues nothing, and the worker sees the rows.
            transaction.on_commit(lambda: [enqueue(pk) for pk in pending])
    return result


def site_url(path):
    return settings.SITE_URL.rstrip("/") + path


def build_message(row, today):
    """The e-mail for a ledger row, or None when there is nothing to tell any more; subject and body
    in the recipient's written standard (the profile's, Bokmål without one)."""
    sprak = sprak_for(row.bruker)
    with translation.override(sprak):
        msg = _build_message(row, today)
    if msg is not None:
        msg.extra_headers["Content-Language"] = sprak
    return msg


def _build_message(row, today):
    user = row.bruker
    ctx = {"user": user, "dag": today, "site_url": settings.SITE_URL.rstrip("/"),
           "profil_url": site_url(reverse("profil"))}
    if row.type == UtsendingType.DIGEST:
        punkter = list(Oppfolgingspunkt.objects.forfaller_innen(today, digest_dager()).filter(ansvarlig=user)
                       .select_related("kommune").order_by("frist", "pk"))
        if not punkter:
            return None
        for p in punkter:
            p.url = site_url(p.get_absolute_url())
        ctx.update(forfalte=[p for p in punkter if p.frist < today], kommende=[p for p in punkter if p.frist >= today],
                   dager=digest_dager(), liste_url=site_url(reverse("oppfolging:punkt_list") + "?visning=mine"))
        subject = translation.ngettext("Oppfølging: %(n)s punkt forfalt eller med frist snart",
                                       "Oppfølging: %(n)s punkter forfalt eller med frist snart",
                                       len(punkter)) % {"n": len(punkter)}
    elif row.type == UtsendingType.FRIST_UTE:
        kommune = Kommune.objects.filter(pk=row.data.get("kommune_id")).first()
        if kommune is None:
            return None
        ctx.update(kommune=kommune, aar=row.data["aar"], svarfrist=datetime.date.fromisoformat(row.data["svarfrist"]),
                   kommune_url=site_url(kommune.get_absolute_url()))
        subject = translation.gettext("Svarfristen er ute: %(k)s har ikke registrert vedtak for %(aar)s") % {
            "k": kommune.navn_norsk, "aar": row.data["aar"]}
    else:
        under, bak = ukesammendrag_saker(row.data.get("statsforvalter_id"), today.year)
        for k, _f in under + bak:
            k.url = site_url(k.get_absolute_url())
        if not under and not bak:
            return None
        ctx.update(under=under, bak=bak)
        subject = translation.gettext("Ukesammendrag for embetet: bosetting og vedtak")
    text = render_to_string(f"oppfolging/email/{row.type}.txt", ctx)
    html = render_to_string(f"oppfolging/email/{row.type}.html", ctx)
    msg = EmailMultiAlternatives(subject=subject, body=text, to=[user.email],
                                 headers={"X-Bosetting-Utsending": str(row.pk)})
    msg.attach_alternative(html, "text/html")
    return msg


def utsending_deliver(pk, *, now=None):
    """Send one ledger row at most once. Raises a TRANSIENT error when SMTP fails (the row waits again)."""
    today = oslo_now(now).date()
    with transaction.atomic():
        row = (Utsending.objects.select_for_update(skip_locked=True, of=("self",))
               .select_related("bruker", "bruker__profil").filter(pk=pk, status=UtsendingStatus.VENTER).first())
        if row is None:
            return "hoppet over"  # sent, being sent by another worker, or no longer due
        if row.type == UtsendingType.DIGEST and row.dag < today:
            row.status = UtsendingStatus.UTGAATT
            row.save(update_fields=["status"])
            return row.status
        profil = getattr(row.bruker, "profil", None)
        message = None
        if row.bruker.is_active and row.bruker.email and (profil is None or profil.varsler_paa):
            message = build_message(row, today)
        if message is None:
            row.status = UtsendingStatus.TOM
            row.save(update_fields=["status"])
            return row.status
        row.status, row.forsok = UtsendingStatus.SENDER, row.forsok + 1
        row.save(update_fields=["status", "forsok"])
    # The claim is committed: whatever happens from here, this row is never sent by anyone else.
    try:
        message.send()
    except TRANSIENT as exc:
        Utsending.objects.filter(pk=pk, status=UtsendingStatus.SENDER).update(
            status=UtsendingStatus.VENTER, feil=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    Utsending.objects.filter(pk=pk).update(status=UtsendingStatus.SENDT, sendt=timezone.now(), feil="")
    return UtsendingStatus.SENDT


def sweep_and_deliver(*, now=None, dry_run=False):
    """For `send_reminders` (cron, tests): the same sweep, then delivery in this process."""
    result = sweep(now=now, dry_run=dry_run)
    if dry_run:
        return result
    sent = defaultdict(int)
    for pk in result["venter"]:
        try:
            sent[str(utsending_deliver(pk, now=now))] += 1
        except TRANSIENT as exc:
            log.warning("Utsending %s feilet, prøves igjen ved neste kjøring: %s", pk, exc)
            sent["feilet"] += 1
    result["levert"] = dict(sent)
    return result

