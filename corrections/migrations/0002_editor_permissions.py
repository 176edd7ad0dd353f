"""Editors run the corrections queue and publish notes and replies; reporters may read the queue."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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


def grant(apps, schema_editor):
    app_config = apps.get_app_config("corrections")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for group_name, codenames in (("Editors", EDITORS), ("Reporters", REPORTERS)):
        group = Group.objects.get(name=group_name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="corrections", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("corrections", "0001_initial"),
        ("news", "0003_newsroom_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
