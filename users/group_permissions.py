"""Helpers for data migrations that give the newsroom groups their permissions.

Django creates model permissions only after all migrations have run; a
migration that grants them must create them first.
"""

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps, app_label: str) -> None:
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, group_name: str, app_label: str, codenames) -> None:
    ensure_permissions(apps, app_label)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    Group.objects.get(name=group_name).permissions.add(*permissions)
