"""The newsroom's two roles.

Reporters write and submit stories for review; Editors review, schedule and
publish. Submissions for review go to the Editors through Wagtail's default
approval workflow.
"""

from django.db import migrations

from users.group_permissions import ensure_permissions

REPORTER_PAGE_PERMISSIONS = ["add_page"]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
REPORTER_COLLECTION_PERMISSIONS = ["add_image", "choose_image", "add_document", "choose_document"]
EDITOR_COLLECTION_PERMISSIONS = REPORTER_COLLECTION_PERMISSIONS + [
    "change_image",
    "delete_image",
    "change_document",
    "delete_document",
]
REPORTER_MODEL_PERMISSIONS = [("wagtailadmin", "access_admin"), ("news", "view_author"), ("news", "view_desk")]
EDITOR_MODEL_PERMISSIONS = REPORTER_MODEL_PERMISSIONS + [
    ("news", "add_author"),
    ("news", "change_author"),
    ("news", "delete_author"),
    ("news", "add_desk"),
    ("news", "change_desk"),
    ("news", "delete_desk"),
    ("wagtailcore", "view_workflow"),
]


def _permission(Permission, app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_groups(apps, schema_editor):
    # Model permissions are normally created after all migrations have run;
    # these groups need them now.
    for app_label in ("wagtailadmin", "wagtailcore", "wagtailimages", "wagtaildocs", "news"):
        ensure_permissions(apps, app_label)

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    roles = {
        "Reporters": (REPORTER_PAGE_PERMISSIONS, REPORTER_COLLECTION_PERMISSIONS, REPORTER_MODEL_PERMISSIONS),
        "Editors": (EDITOR_PAGE_PERMISSIONS, EDITOR_COLLECTION_PERMISSIONS, EDITOR_MODEL_PERMISSIONS),
    }
    for name, (page_permissions, collection_permissions, model_permissions) in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(Permission, app, codename) for app, codename in model_permissions])
        GroupPagePermission.objects.filter(group=group).delete()
        for codename in page_permissions:
            GroupPagePermission.objects.create(
                group=group, page=root_page, permission=_permission(Permission, "wagtailcore", codename)
            )
        GroupCollectionPermission.objects.filter(group=group).delete()
        for codename in collection_permissions:
            app_label = "wagtailimages" if codename.endswith("_image") else "wagtaildocs"
            GroupCollectionPermission.objects.create(
                group=group, collection=root_collection, permission=_permission(Permission, app_label, codename)
            )

    editors = Group.objects.get(name="Editors")
    for task in GroupApprovalTask.objects.all():
        task.groups.add(editors)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_home_page"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
