"""Editors run the corrections queue and publish notes and replies; reporters may read the queue."""

from django.db import migrations

from users.group_permissions import grant

EDITORS = [
    "view_readersubmission",
    "change_readersubmission",
    "view_correctionnote",
    "add_correctionnote",
    "view_publishedreply",
    "add_publishedreply",
    "view_commentrequest",
    "add_commentrequest",
    "change_commentrequest",
    "delete_commentrequest",
]
REPORTERS = ["view_readersubmission", "view_correctionnote", "view_publishedreply", "view_commentrequest"]


def grant_groups(apps, schema_editor):
    grant(apps, "Editors", "corrections", EDITORS)
    grant(apps, "Reporters", "corrections", REPORTERS)


class Migration(migrations.Migration):
    dependencies = [
        ("corrections", "0001_initial"),
        ("news", "0003_newsroom_groups"),
    ]

    operations = [migrations.RunPython(grant_groups, migrations.RunPython.noop)]
