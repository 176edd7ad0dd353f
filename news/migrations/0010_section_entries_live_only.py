from django.db import migrations


def unpublished_entries_delete(apps, schema_editor):
    """Section rows are now kept for live articles only (news.listings.section_entries_sync)."""
    SectionArticle = apps.get_model("news", "SectionArticle")
    SectionArticle.objects.filter(article__live=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0009_section_entries"),
    ]

    operations = [
        migrations.RunPython(unpublished_entries_delete, migrations.RunPython.noop),
    ]
