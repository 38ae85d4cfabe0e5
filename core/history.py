"""Change history written by the services, in the same transaction as the change."""

import contextvars
import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .models import Endring

current_request_id = contextvars.ContextVar("current_request_id", default=None)


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def snapshot(obj) -> dict:
    """The object's concrete field values as JSON-able data (foreign keys as ids)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key:
            continue
        data[field.attname] = _plain(getattr(obj, field.attname))
    return data


def diff(before: dict | None, after: dict | None) -> dict:
    before, after = before or {}, after or {}
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after))
            if before.get(k) != after.get(k)}


def _require_transaction():
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Historikk skal skrives i samme transaksjon som endringen.")


def history_entry(*, obj, handling, by=None, before=None, after=None, kommune=None, aar=None, kommentar="",
                  import_ref=""):
    """Build (unsaved) an Endring for obj; None when nothing changed."""
    after = snapshot(obj) if after is None else after
    changes = diff(before, after)
    if before is not None and not changes and not kommentar:
        return None
    return Endring(
        bruker=by if getattr(by, "is_authenticated", False) else None,
        handling=handling,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        objekt=str(obj)[:200],
        kommune=kommune if kommune is not None else getattr(obj, "kommune", None),
        aar=aar if aar is not None else getattr(obj, "aar", None),
        endringer=changes,
        kommentar=kommentar,
        request_id=current_request_id.get(),
        import_ref=import_ref,
    )


def history_record(**kwargs):
    _require_transaction()
    entry = history_entry(**kwargs)
    if entry is not None:
        entry.save()
    return entry


def history_record_bulk(entries):
    _require_transaction()
    entries = [e for e in entries if e is not None]
    return Endring.objects.bulk_create(entries, batch_size=1000)


class RequestIdMiddleware:
    """Tag every change made during a request with one id, so related changes group together."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4()
        token = current_request_id.set(request.request_id)
        try:
            return self.get_response(request)
        finally:
            current_request_id.reset(token)
