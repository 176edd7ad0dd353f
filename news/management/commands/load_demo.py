import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from wagtail.images import get_image_model
from wagtail.models import Site

from news.models import Desk, HomePage, PublisherSettings
from news.services import (
    about_page_publish,
    article_create_or_update,
    article_data_from_seed,
    section_path_get_or_create,
)

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
SEED_ARTICLE = DEMO_DIR / "seed_article.json"
SECTIONS = [["الشرق الأوسط", "سوريا"], ["العالم"], ["اقتصاد"], ["رياضة"], ["تكنولوجيا"], ["ثقافة"]]
DESKS = {
    "قسم الأخبار": "الأخبار التي يحررها فريق القسم جماعيًا دون توقيع فردي.",
    "فريق التحرير": "مواد يعدّها فريق التحرير ويراجعها رئيس التحرير.",
}
DEMO_USERS = [("editor", "Editors", "محرر", "تجريبي"), ("reporter", "Reporters", "مراسل", "تجريبي")]


class Command(BaseCommand):
    help = "Load the Arabic demo newsroom: sections, desks, the seed article, real articles and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=400, help="How many corpus articles to load.")
        parser.add_argument("--corpus", type=Path, help="JSONL of articles; default: NASHIR_DATA_DIR/arabic-news.jsonl")

    def handle(self, *, articles, corpus, verbosity, **options):
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("There is no home page; run `manage.py migrate` first.")
        for name, description in DESKS.items():
            Desk.objects.update_or_create(name=name, defaults={"description": description})
        for titles in SECTIONS:
            section_path_get_or_create(home=home, titles=titles)

        self._publisher(home)
        seed, _ = article_create_or_update(home=home, data=article_data_from_seed(SEED_ARTICLE))
        self.stdout.write(f"Seed article: {seed.url}")

        corpus = corpus or Path(settings.NASHIR_DATA_DIR) / "arabic-news.jsonl"
        if articles:
            call_command("load_articles", corpus, limit=articles, verbosity=verbosity, stdout=self.stdout)

        for username, group, first_name, last_name in DEMO_USERS:
            password = secrets.token_urlsafe(9)
            user, _ = get_user_model().objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@newsroom.example",
                    "is_active": True,
                },
            )
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=group)])
            self.stdout.write(self.style.SUCCESS(f"Demo {group[:-1].lower()}: {username} / {password}"))

    def _publisher(self, home):
        """The demo newsroom's logo, sharing image and policy pages, linked in the publisher settings."""
        about = json.loads((DEMO_DIR / "about_pages.json").read_text(encoding="utf-8"))
        root = about_page_publish(parent=home, title=about["root"]["title"], paragraphs=about["root"]["paragraphs"])
        publisher = PublisherSettings.for_site(Site.objects.get(root_page=home))
        setattr(publisher, about["root"]["field"], root)
        for item in about["pages"]:
            page = about_page_publish(parent=root, title=item["title"], paragraphs=item["paragraphs"])
            setattr(publisher, item["field"], page)
        publisher.logo = _demo_image("شعار ناشر", "logo.png")
        publisher.share_image = _demo_image("بطاقة المشاركة لناشر", "share.png")
        publisher.save()


def _demo_image(title, filename):
    image = get_image_model().objects.filter(title=title).first()
    if image is None:
        with (DEMO_DIR / filename).open("rb") as handle:
            image = get_image_model().objects.create(title=title, file=ImageFile(handle, name=filename))
    return image
