from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction


@shared_task(name="imports.confirm", acks_late=True)
def import_confirm_task(import_id, user_id=None):
    """Run a large import in the worker. Idempotent: an import already written does nothing."""
    from .models import Import, ImportStatus
    from .services import import_confirm

    imp = Import.objects.filter(pk=import_id).first()
    if imp is None or imp.status == ImportStatus.IMPORTERT:
        return "ingenting å gjøre"
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        import_confirm(imp, user=user)
    except ValidationError as exc:
        with transaction.atomic():
            Import.objects.filter(pk=import_id).update(status=ImportStatus.FEILET,
                                                       melding="\n".join(exc.messages[:50]))
        return "feilet"
    return "importert"
