"""Readers' contact email and IP address: Editors see them in the queue, Reporters do not."""

from django.db import migrations, models

from users.group_permissions import grant


def grant_editors(apps, schema_editor):
    grant(apps, "Editors", "corrections", ["view_reader_contact"])


class Migration(migrations.Migration):
    dependencies = [
        ("corrections", "0002_editor_permissions"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="readersubmission",
            options={
                "ordering": ["-created_at"],
                "permissions": [("view_reader_contact", "رؤية بريد القارئ وعنوان IP")],
                "verbose_name": "طلب تصحيح أو رد",
                "verbose_name_plural": "طلبات التصحيح والرد",
            },
        ),
        migrations.AlterField(
            model_name="readersubmission",
            name="ip_address",
            field=models.GenericIPAddressField(blank=True, null=True, verbose_name="عنوان IP"),
        ),
        migrations.RunPython(grant_editors, migrations.RunPython.noop),
    ]
