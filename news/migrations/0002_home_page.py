"""Replace Wagtail's welcome page with the newspaper's home page."""

from django.conf import settings
from django.db import migrations


def _base36(number):
    """Treebeard's path alphabet."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while number:
        number, remainder = divmod(number, 36)
        text = digits[remainder] + text
    return text or "0"


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("news.HomePage")

    if HomePage.objects.exists():
        return
    # The welcome page Wagtail creates has the plain Page type; anything else
    # is somebody's content and stays.
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore", content_type__model="page").delete()
    content_type, _ = ContentType.objects.get_or_create(app_label="news", model="homepage")
    root = Page.objects.get(depth=1)
    last_child = Page.objects.filter(depth=2).order_by("-path").first()
    position = int(last_child.path[-4:], 36) + 1 if last_child else 1
    home = HomePage.objects.create(
        title=settings.WAGTAIL_SITE_NAME,
        draft_title=settings.WAGTAIL_SITE_NAME,
        slug="home",
        content_type=content_type,
        path=root.path + _base36(position).rjust(4, "0"),
        depth=2,
        numchild=0,
        url_path="/home/",
        locale_id=Locale.objects.order_by("pk").first().pk,
        live=True,
    )
    Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True, site_name=settings.WAGTAIL_SITE_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]
