"""Editors moderate comments and set the comment rules."""

from django.db import migrations

from users.group_permissions import grant

CODENAMES = ["view_comment", "change_comment", "delete_comment", "change_commentsettings"]


def grant_editors(apps, schema_editor):
    grant(apps, "Editors", "comments", CODENAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("news", "0003_newsroom_groups"),
    ]

    operations = [migrations.RunPython(grant_editors, migrations.RunPython.noop)]
