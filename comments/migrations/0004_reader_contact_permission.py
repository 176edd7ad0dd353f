"""Commenters' email, IP address and browser: only Editors see them in the admin."""

from django.db import migrations

from users.group_permissions import grant


def grant_editors(apps, schema_editor):
    grant(apps, "Editors", "comments", ["view_reader_contact"])


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_external_ids"),
        ("news", "0003_newsroom_groups"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="comment",
            options={
                "ordering": ["created_at"],
                "permissions": [("view_reader_contact", "رؤية بريد المعلّق وعنوان IP والمتصفح")],
                "verbose_name": "تعليق",
                "verbose_name_plural": "التعليقات",
            },
        ),
        migrations.RunPython(grant_editors, migrations.RunPython.noop),
    ]
