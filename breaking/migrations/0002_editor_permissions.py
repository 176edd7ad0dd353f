"""Editors raise, correct and lower the bar; reporters do not (news migration 0003 makes the groups)."""

from django.db import migrations

from users.group_permissions import grant

EDITORS = ["view_breakingbanner", "add_breakingbanner", "change_breakingbanner"]


def grant_editors(apps, schema_editor):
    grant(apps, "Editors", "breaking", EDITORS)


class Migration(migrations.Migration):
    dependencies = [
        ("breaking", "0001_banner"),
        ("news", "0003_newsroom_groups"),
    ]

    operations = [migrations.RunPython(grant_editors, migrations.RunPython.noop)]
