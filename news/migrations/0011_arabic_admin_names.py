"""Wagtail's own records that editors read, in Arabic.

Wagtail creates the review workflow and its task as "Moderators approval"
(«تقديم إلى Moderators approval», «بانتظار Moderators approval») and the top of
the page tree as "Root", the first thing the page explorer shows. Names an
operator has changed are left alone.
"""

from django.db import migrations

# (Wagtail's name, the Arabic one)
WORKFLOW = ("Moderators approval", "مراجعة المحررين")
TASK = ("Moderators approval", "موافقة المحررين")
ROOT_PAGE = ("Root", "كل المواقع")


def rename(apps, *, old, new):
    """`old` and `new` pick the side of each pair: 0 for Wagtail's names, 1 for the Arabic ones."""
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow.objects.filter(name=WORKFLOW[old]).update(name=WORKFLOW[new])
    Task.objects.filter(name=TASK[old]).update(name=TASK[new])
    Page.objects.filter(depth=1, title=ROOT_PAGE[old]).update(title=ROOT_PAGE[new], draft_title=ROOT_PAGE[new])


def names_to_arabic(apps, schema_editor):
    rename(apps, old=0, new=1)


def names_to_english(apps, schema_editor):
    rename(apps, old=1, new=0)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0010_section_entries_live_only"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(names_to_arabic, names_to_english)]
