"""Reminders without a worker: due windows in Oslo time, DST days, duplicate sweeps, downtime."""

import datetime
import smtplib
import threading
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction

from oppfolging.choices import UtsendingStatus, UtsendingType
from oppfolging.models import Utsending
from oppfolging.reminders import digest_recipients, oslo_now, sweep, sweep_and_deliver, utsending_deliver
from vedtak.services import anmodning_register

from .helpers import halden, punkt, sf_user, utc

D = datetime.date


@pytest.fixture(autouse=True)
def reminder_settings(settings):
    settings.OPPFOLGING_DIGEST_DAGER = 1
    settings.OPPFOLGING_DIGEST_TIME = 0
    settings.OPPFOLGING_UKESAMMENDRAG_DAG = 9  # never: the weekly summary has its own test
    settings.SITE_URL = "https://bosetting.example.no"


def run(now):
    return sweep_and_deliver(now=now)


@pytest.mark.django_db
def test_oslo_day_at_midnight_utc_boundaries():
    assert oslo_now(utc(2025, 3, 29, 22, 59)).date() == D(2025, 3, 29)
    assert oslo_now(utc(2025, 3, 29, 23, 0)).date() == D(2025, 3, 30)  # CET: UTC+1
    assert oslo_now(utc(2025, 3, 30, 21, 59)).date() == D(2025, 3, 30)
    assert oslo_now(utc(2025, 3, 30, 22, 0)).date() == D(2025, 3, 31)  # CEST: UTC+2
    assert oslo_now(utc(2025, 10, 26, 22, 59)).date() == D(2025, 10, 26)  # back to CET
    assert oslo_now(utc(2025, 10, 26, 23, 0)).date() == D(2025, 10, 27)


@pytest.mark.django_db
def test_due_window_follows_the_oslo_date_around_midnight():
    u = sf_user(email="kari@example.no")
    punkt(u, D(2025, 3, 31))
    # 23:30 in Oslo on the 29th: due the 31st is two days away, outside a one-day window.
    assert digest_recipients(oslo_now(utc(2025, 3, 29, 22, 30)).date()) == []
    # 00:30 in Oslo on the 30th (still the 29th in UTC): inside.
    assert digest_recipients(oslo_now(utc(2025, 3, 29, 23, 30)).date()) == [u.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("day", [D(2025, 3, 30), D(2025, 10, 26)])
def test_dst_day_sends_each_digest_exactly_once(day):
    u = sf_user(email="kari@example.no")
    other = sf_user(email="ola@example.no")
    punkt(u, day)  # due that day
    punkt(other, day - datetime.timedelta(days=3))  # overdue
    # A sweep every 20 minutes (UTC) across the whole Oslo day: 23, 24 or 25 local hours.
    start = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=oslo_now().tzinfo).astimezone(datetime.UTC)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0, 0),
                                    tzinfo=oslo_now().tzinfo).astimezone(datetime.UTC)
    now = start
    while now < end:
        run(now)
        now += datetime.timedelta(minutes=20)
    assert sorted(m.to[0] for m in mail.outbox) == ["kari@example.no", "ola@example.no"]
    assert set(Utsending.objects.values_list("dag", flat=True)) == {day}
    assert (end - start).total_seconds() / 3600 == (23 if day.month == 3 else 25)


@pytest.mark.django_db
def test_digest_content_links_and_nothing_for_users_with_nothing_due():
    u = sf_user(email="kari@example.no", first_name="Kari", last_name="Nordmann")
    sf_user(email="ledig@example.no")  # nothing due
    p_over = punkt(u, D(2025, 5, 1), tittel="Følg opp boligplan")
    punkt(u, D(2025, 5, 7), tittel="Langt fram")  # outside the one-day window
    run(utc(2025, 5, 5, 8))
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["kari@example.no"]
    assert "Hei Kari Nordmann" in msg.body and "Forfalt" in msg.body
    assert f"https://bosetting.example.no/oppfolging/{p_over.pk}/" in msg.body
    assert "Langt fram" not in msg.body
    html = msg.alternatives[0][0]
    assert f'href="https://bosetting.example.no/oppfolging/{p_over.pk}/"' in html
    assert "https://bosetting.example.no/profil/" in msg.body


@pytest.mark.django_db
def test_each_recipient_gets_the_mail_in_their_own_written_standard():
    nn = sf_user(email="nynorsk@example.no", first_name="Eli", last_name="Sæle")
    nb = sf_user(email="bokmal@example.no")
    nn.profil.sprak = "nn"
    nn.profil.save()
    for u in (nn, nb):
        punkt(u, D(2025, 5, 1))
        punkt(u, D(2025, 5, 2))
    run(utc(2025, 5, 5, 8))
    mails = {m.to[0]: m for m in mail.outbox}
    ny, bm = mails["nynorsk@example.no"], mails["bokmal@example.no"]
    assert ny.subject == "Oppfølging: 2 punkt forfalt eller med frist snart"
    assert bm.subject == "Oppfølging: 2 punkter forfalt eller med frist snart"
    assert "Alle dine oppfølgingspunkt:" in ny.body and "påminningar" in ny.body and "påminnelser" not in ny.body
    assert "Alle dine oppfølgingspunkter:" in bm.body and "påminnelser" in bm.body and "påminningar" not in bm.body
    assert '<html lang="nn">' in ny.alternatives[0][0] and "Slå av påminningar" in ny.alternatives[0][0]
    assert '<html lang="nb">' in bm.alternatives[0][0]
    assert (ny.extra_headers["Content-Language"], bm.extra_headers["Content-Language"]) == ("nn", "nb")


@pytest.mark.django_db
def test_user_who_switched_reminders_off_gets_nothing():
    u = sf_user(email="kari@example.no")
    u.profil.varsler_paa = False
    u.profil.save()
    punkt(u, D(2025, 5, 1))
    run(utc(2025, 5, 5, 8))
    assert mail.outbox == []


@pytest.mark.django_db
def test_command_twice_same_day_sends_once_and_dry_run_sends_nothing():
    u = sf_user(email="kari@example.no")
    punkt(u, D(2025, 5, 1))
    call_command("send_reminders", "--date", "2025-05-05", "--dry-run")
    assert mail.outbox == [] and not Utsending.objects.exists()
    call_command("send_reminders", "--date", "2025-05-05")
    call_command("send_reminders", "--date", "2025-05-05")
    assert len(mail.outbox) == 1
    call_command("send_reminders", "--date", "2025-05-06")
    assert len(mail.outbox) == 2  # a new day, a new digest


@pytest.mark.django_db
def test_restart_after_downtime_sends_todays_digest_once_not_a_backlog():
    u = sf_user(email="kari@example.no")
    punkt(u, D(2025, 5, 1))
    # Yesterday's sweep recorded the digest, then the worker was down for a day.
    sweep(now=utc(2025, 5, 4, 8), enqueue=None)
    assert Utsending.objects.get().status == UtsendingStatus.VENTER
    for hour in range(6, 12):  # hours of sweeps after the restart
        run(utc(2025, 5, 5, hour))
    assert len(mail.outbox) == 1
    assert dict(Utsending.objects.values_list("dag", "status")) == {
        D(2025, 5, 4): UtsendingStatus.UTGAATT, D(2025, 5, 5): UtsendingStatus.SENDT}


@pytest.mark.django_db
def test_smtp_failure_leaves_the_row_waiting_and_the_next_try_delivers():
    u = sf_user(email="kari@example.no")
    punkt(u, D(2025, 5, 1))
    now = utc(2025, 5, 5, 8)
    row_id = sweep(now=now, enqueue=None)["venter"][0]
    down = smtplib.SMTPServerDisconnected("nede")
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=down), \
            pytest.raises(smtplib.SMTPServerDisconnected):
        utsending_deliver(row_id, now=now)
    row = Utsending.objects.get(pk=row_id)
    assert row.status == UtsendingStatus.VENTER and "nede" in row.feil
    assert utsending_deliver(row_id, now=now) == UtsendingStatus.SENDT
    assert len(mail.outbox) == 1
    assert Utsending.objects.get(pk=row_id).status == UtsendingStatus.SENDT
    assert utsending_deliver(row_id, now=now) == "hoppet over"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_row_claimed_by_a_worker_that_died_is_never_sent_again():
    u = sf_user(email="kari@example.no")
    punkt(u, D(2025, 5, 1))
    now = utc(2025, 5, 5, 8)
    row_id = sweep(now=now, enqueue=None)["venter"][0]
    Utsending.objects.filter(pk=row_id).update(status=UtsendingStatus.SENDER)  # died after SMTP
    assert utsending_deliver(row_id, now=now) == "hoppet over"
    run(now)
    assert mail.outbox == []


@pytest.mark.django_db
def test_deadline_passed_without_vedtak_goes_to_kommune_and_office_once():
    from core.models import Rolle
    from tests.factories import profil_user

    office = sf_user(email="sf@example.no")
    kommune_user = profil_user(Rolle.KOMMUNE, kommuner=[halden()], email="halden@example.no")
    profil_user(Rolle.KOMMUNE, kommuner=[halden()], email="")  # no address: skipped
    anmodning_register(kommune=halden(), aar=2025, antall=20, dato_sendt=D(2025, 1, 10), svarfrist=D(2025, 4, 1))
    run(utc(2025, 4, 1, 12))
    assert mail.outbox == []  # the deadline day itself is not late
    run(utc(2025, 4, 2, 12))
    run(utc(2025, 4, 3, 12))
    frist = [m for m in mail.outbox if "Svarfristen" in m.subject]
    assert sorted(m.to[0] for m in frist) == [kommune_user.email, office.email]
    assert "https://bosetting.example.no/kommuner/3101/" in frist[0].body


@pytest.mark.django_db
def test_weekly_office_summary(settings):
    from vedtak.services import vedtak_register

    settings.OPPFOLGING_UKESAMMENDRAG_DAG = 0  # Monday
    u = sf_user(email="sf@example.no")
    anmodning_register(kommune=halden(), aar=2025, antall=20, dato_sendt=D(2025, 1, 10))
    vedtak_register(kommune=halden(), aar=2025, antall=10, dato=D(2025, 2, 1))
    with mock.patch("django.utils.timezone.localdate", return_value=D(2025, 5, 5)):
        run(utc(2025, 5, 5, 8))  # a Monday
        run(utc(2025, 5, 6, 8))
    weekly = [m for m in mail.outbox if "Ukesammendrag" in m.subject]
    assert [m.to for m in weekly] == [[u.email]]
    assert "Halden" in weekly[0].body


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_enqueues_nothing(register):
    u = sf_user(email="kari@example.no")
    punkt(u, D(2025, 5, 1))
    delay = mock.Mock()
    with pytest.raises(RuntimeError), transaction.atomic():
        sweep(now=utc(2025, 5, 5, 8), enqueue=delay)
        raise RuntimeError("avbrutt")
    assert delay.call_count == 0
    assert not Utsending.objects.exists()
    sweep(now=utc(2025, 5, 5, 8), enqueue=delay)
    assert delay.call_count == 1


@pytest.mark.django_db(transaction=True)
def test_two_beats_firing_at_once_record_and_queue_one_reminder(register):
    users = [sf_user(email=f"u{i}@example.no") for i in range(5)]
    for user in users:
        punkt(user, D(2025, 5, 1))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def beat():
        try:
            barrier.wait()
            results.append(sweep(now=utc(2025, 5, 5, 8), enqueue=delay))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    # A stand-in queue shared by both threads: a real one would reach a worker left running by
    # the Celery tests.
    delay = mock.Mock()
    threads = [threading.Thread(target=beat) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Utsending.objects.filter(type=UtsendingType.DIGEST).count() == 5
    assert sorted(r["nye"].get(UtsendingType.DIGEST, 0) for r in results) == [0, 5]
    for pk in Utsending.objects.values_list("pk", flat=True):
        utsending_deliver(pk, now=utc(2025, 5, 5, 8))
        utsending_deliver(pk, now=utc(2025, 5, 5, 8))  # the duplicate queued by the second beat
    assert len(mail.outbox) == 5
