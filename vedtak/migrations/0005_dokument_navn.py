import os

from django.db import migrations, models


def name_existing(apps, schema_editor):
    """Documents stored before this migration were stored under their uploaded name."""
    Vedtak = apps.get_model("vedtak", "Vedtak")
    for v in Vedtak.objects.exclude(dokument="").only("pk", "dokument"):
        Vedtak.objects.filter(pk=v.pk).update(dokument_navn=os.path.basename(v.dokument.name)[:255])


class Migration(migrations.Migration):

    dependencies = [
        ('vedtak', '0004_dato_omraade'),
    ]

    operations = [
        migrations.AddField(
            model_name='vedtak',
            name='dokument_navn',
            field=models.CharField(blank=True, editable=False, max_length=255, verbose_name='dokumentets filnavn'),
        ),
        migrations.RunPython(name_existing, migrations.RunPython.noop),
    ]
