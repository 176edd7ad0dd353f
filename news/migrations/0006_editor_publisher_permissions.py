"""Editors keep the publisher settings: logo, sharing image and policy pages."""

from django.db import migrations

from users.group_permissions import grant


def grant_editors(apps, schema_editor):
    grant(apps, "Editors", "news", ["change_publishersettings"])


class Migration(migrations.Migration):
    dependencies = [("news", "0005_publisher")]

    operations = [migrations.RunPython(grant_editors, migrations.RunPython.noop)]
