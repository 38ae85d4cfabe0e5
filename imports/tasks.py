from celery import shared_task

from .services import import_run


@shared_task(name="imports.confirm", acks_late=True)
def import_confirm_task(import_id, user_id=None):
    """Run a large import in the worker (imports.services.import_run): idempotent, and a failure
    marks the import failed."""
    return import_run(import_id, user_id)
