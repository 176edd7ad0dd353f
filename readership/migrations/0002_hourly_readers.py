"""Readers per article and hour, which the most-read lists rank by."""

from django.db import migrations, models
from django.db.models import F


def readers_from_reads(apps, schema_editor):
    # Hours counted before readers were: their reads are the nearest measure.
    apps.get_model("readership", "HourlyViews").objects.update(readers=F("views"))


class Migration(migrations.Migration):
    dependencies = [
        ("readership", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="hourlyviews",
            name="readers",
            field=models.PositiveIntegerField(default=0, verbose_name="القراء"),
        ),
        migrations.RunPython(readers_from_reads, migrations.RunPython.noop),
    ]
