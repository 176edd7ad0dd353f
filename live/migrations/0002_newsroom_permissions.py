"""Reporters post entries and correction notes (a draft, unless the coverage lets them publish); Editors publish."""

from django.db import migrations

from users.group_permissions import grant

REPORTER_PERMISSIONS = [
    "view_liveentry",
    "add_liveentry",
    "change_liveentry",
    "view_liveentrycorrection",
    "add_liveentrycorrection",
]
EDITOR_PERMISSIONS = REPORTER_PERMISSIONS + ["delete_liveentry", "publish_liveentry"]


def grant_newsroom(apps, schema_editor):
    grant(apps, "Reporters", "live", REPORTER_PERMISSIONS)
    grant(apps, "Editors", "live", EDITOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("live", "0001_live_coverage"), ("news", "0003_newsroom_groups")]

    operations = [migrations.RunPython(grant_newsroom, migrations.RunPython.noop)]
