"""Vedtak documents uploaded before 0005 are stored under the uploaded name in a folder per kommune
and year (vedtak/3101/2025/Vedtak bosetting.pdf): a name anyone can guess. Move each to an
unguessable name, vedtak/<uuid>.pdf, the form vedtak.models.vedtak_upload_to gives new uploads,
keeping the uploaded name in dokument_navn (0005 filled it; filled here if still empty).

Idempotent: names already of that form are left alone, so a second run, or a run after a failed
one, moves only what is left. Each file is copied to its new name and the row updated; the old file
is deleted only once the transaction has committed, so a failed migration leaves every row pointing
at a file that exists (the copies made are then orphans under unguessable names). A row whose file
is missing from storage keeps its name (there is nothing to move; the download answers 404) and is
logged. Nothing figure-related changes, so no history entry is written (as in 0005)."""

import logging
import os
import re
import uuid

from django.db import migrations, transaction

UNGUESSABLE = re.compile(r"vedtak/[0-9a-f]{32}\.pdf")
logger = logging.getLogger(__name__)


def rename_documents(apps, schema_editor):
    Vedtak = apps.get_model("vedtak", "Vedtak")
    moved = []
    for vedtak in Vedtak.objects.exclude(dokument="").only("pk", "dokument", "dokument_navn").order_by("pk"):
        old = vedtak.dokument.name
        if UNGUESSABLE.fullmatch(old):
            continue
        storage = vedtak.dokument.storage
        if not storage.exists(old):
            logger.warning("vedtak %s: dokumentet %r finnes ikke i lagringen; navnet er beholdt", vedtak.pk, old)
            continue
        with storage.open(old, "rb") as content:
            new = storage.save(f"vedtak/{uuid.uuid4().hex}.pdf", content)
        Vedtak.objects.filter(pk=vedtak.pk).update(
            dokument=new, dokument_navn=vedtak.dokument_navn or os.path.basename(old)[:255])
        moved.append((storage, old))

    def delete_old():
        for storage, old in moved:
            if storage.exists(old):  # two rows may have shared one old file
                storage.delete(old)

    transaction.on_commit(delete_old, using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("vedtak", "0005_dokument_navn"),
    ]

    operations = [
        migrations.RunPython(rename_documents, migrations.RunPython.noop),
    ]
