"""Reminders through the real worker on the real Redis broker, delivering to a local SMTP server."""

import contextlib
import datetime
import json
import os
import signal
import socket
import time
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.utils import timezone

from oppfolging.choices import UtsendingStatus
from oppfolging.models import Utsending
from oppfolging.tasks import sweep_task
from tests.conftest import ARTIFACTS, require_broker, start_celery_worker, stop_celery_worker

from .helpers import punkt, sf_user

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


class Handler:
    def __init__(self):
        self.messages = []
        self.fail_next = 0
        self.on_message = None

    async def handle_DATA(self, server, session, envelope):
        if self.fail_next > 0:
            self.fail_next -= 1
            return "451 4.3.0 Midlertidig feil, prøv igjen"
        self.messages.append(envelope)
        if self.on_message:
            self.on_message(envelope)
        return "250 OK"

    def recipients(self):
        return sorted(r for m in self.messages for r in m.rcpt_tos)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def smtp():
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def worker_env(port, queue, **extra):
    return {"EMAIL_URL": f"smtp://127.0.0.1:{port}", "CELERY_TASK_DEFAULT_QUEUE": queue,
            "OPPFOLGING_DIGEST_TIME": "0", "OPPFOLGING_DIGEST_DAGER": "7", "OPPFOLGING_UKESAMMENDRAG_DAG": "9",
            "SITE_URL": "https://bosetting.example.no", **extra}


def purge(queue):
    from config.celery import app

    with app.connection_for_write() as conn, contextlib.suppress(Exception):  # no such queue yet
        conn.default_channel.queue_purge(queue)


@pytest.fixture(scope="module")
def mail_worker(django_db_setup, smtp):
    """A worker of our own whose e-mail goes to the local SMTP server (the shared one keeps the console)."""
    require_broker()
    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-mail"
    purge(queue)
    proc, node, log = start_celery_worker(queue, worker_env(smtp[1], queue), "celery-worker-mail.log")
    yield queue
    stop_celery_worker(proc, log)


@pytest.fixture(autouse=True)
def fresh_smtp(smtp):
    smtp[0].messages.clear()
    smtp[0].fail_next = 0
    smtp[0].on_message = None


def wait_for(check, timeout=60, what="betingelsen"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    pytest.fail(f"Ventet forgjeves på {what}")


def all_sent():
    return Utsending.objects.exists() and not Utsending.objects.exclude(status=UtsendingStatus.SENDT).exists()


def test_digest_reaches_each_user_once_and_a_second_run_sends_nothing(register, smtp, mail_worker):
    handler, _port = smtp
    today = timezone.localdate()
    users = [sf_user(email=f"bruker{i}@example.no") for i in range(3)]
    for u in users:
        punkt(u, today - datetime.timedelta(days=2))  # overdue
        punkt(u, today + datetime.timedelta(days=3))  # due soon
    sf_user(email="ingenting@example.no")  # nothing due: no mail
    sweep_task.apply_async(queue=mail_worker).get(timeout=60)
    wait_for(lambda: Utsending.objects.count() == 3 and all_sent(), what="tre sendte påminnelser")
    wait_for(lambda: len(handler.messages) == 3, timeout=10, what="tre e-poster")
    assert handler.recipients() == sorted(u.email for u in users)
    body = message_from_bytes(handler.messages[0].content)
    assert body.is_multipart()  # text and HTML
    result = sweep_task.apply_async(queue=mail_worker).get(timeout=60)
    assert result["nye"] == {}
    time.sleep(2)
    assert len(handler.messages) == 3
    assert Utsending.objects.count() == 3


def test_smtp_failure_is_retried_and_delivered_once(register, smtp, mail_worker):
    handler, _port = smtp
    handler.fail_next = 2  # the server refuses twice, then accepts
    u = sf_user(email="kari@example.no")
    punkt(u, timezone.localdate())
    sweep_task.apply_async(queue=mail_worker).get(timeout=60)
    wait_for(all_sent, what="levering etter nye forsøk")
    assert handler.recipients() == ["kari@example.no"]
    row = Utsending.objects.get()
    assert row.forsok == 3 and row.feil == ""


def test_worker_killed_after_sending_and_task_redelivered_sends_nothing_twice(register, smtp):
    """The worker dies right after the SMTP server took the message; Redis redelivers the unacked
    task to a new worker, which must not send it again."""
    require_broker()
    handler, port = smtp
    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-kill"
    purge(queue)
    # Short visibility timeout and frequent restore scans, so Redis hands the task back in seconds.
    env = worker_env(port, queue, CELERY_BROKER_TRANSPORT_OPTIONS=json.dumps(
        {"visibility_timeout": 3, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}))
    first, _node, first_log = start_celery_worker(queue, env, "celery-worker-kill-1.log")
    handler.on_message = lambda envelope: os.kill(first.pid, signal.SIGKILL)
    u = sf_user(email="kari@example.no")
    punkt(u, timezone.localdate())
    try:
        sweep_task.apply_async(queue=queue)
        wait_for(lambda: first.poll() is not None, what="at workeren dør")
        assert handler.recipients() == ["kari@example.no"]
        assert Utsending.objects.get().status == UtsendingStatus.SENDER
    finally:
        stop_celery_worker(first, first_log)
    handler.on_message = None
    second, _node, second_log = start_celery_worker(queue, env, "celery-worker-kill-2.log")
    try:
        log_path = ARTIFACTS / "celery-worker-kill-2.log"
        wait_for(lambda: "hoppet over" in log_path.read_text(), timeout=90, what="at oppgaven leveres på nytt")
    finally:
        stop_celery_worker(second, second_log)
    assert handler.recipients() == ["kari@example.no"]  # still once
