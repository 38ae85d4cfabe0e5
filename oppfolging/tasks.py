"""Thin tasks: beat wakes the sweep; each delivery is one ledger row by id."""

from celery import shared_task

from .reminders import TRANSIENT, sweep, utsending_deliver


@shared_task(name="oppfolging.sweep", acks_late=True)
def sweep_task():
    """Idempotent: a second run (second beat, redelivery) finds the ledger rows already there."""
    result = sweep(enqueue=deliver_task.delay)
    return {"dag": result["dag"], "nye": result["nye"], "venter": len(result["venter"])}


@shared_task(
    name="oppfolging.deliver", bind=True, acks_late=True, autoretry_for=TRANSIENT, retry_backoff=2,
    retry_backoff_max=600, retry_jitter=False, max_retries=10,
)
def deliver_task(self, utsending_id):
    """Send one reminder. SMTP errors retry with backoff (2, 4, 8 … 600 s); after the last retry
    the row still waits and the next sweep queues it again."""
    return utsending_deliver(utsending_id)


@shared_task(name="oppfolging.rules", acks_late=True)
def rules_task():
    from .rules import rules_run

    return rules_run()
