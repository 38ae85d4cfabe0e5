"""Dialogues the system registered for a person (the demo data) kept «Systemet» as the author of
their history entry: name the person who registered the dialogue (Dialog.opprettet_av)."""

from django.db import migrations


def forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Dialog = apps.get_model("oppfolging", "Dialog")
    Endring = apps.get_model("core", "Endring")
    ct = ContentType.objects.filter(app_label="oppfolging", model="dialog").first()
    if ct is None:
        return
    authors = dict(Dialog.objects.filter(opprettet_av__isnull=False).values_list("pk", "opprettet_av_id"))
    entries = list(Endring.objects.filter(content_type=ct, handling="dialog.registrert", bruker__isnull=True))
    for e in entries:
        e.bruker_id = authors.get(int(e.object_id)) if e.object_id.isdigit() else None
    Endring.objects.bulk_update([e for e in entries if e.bruker_id], ["bruker"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("oppfolging", "0003_dato_omraade"),
        ("core", "0004_skjemanokkel"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
