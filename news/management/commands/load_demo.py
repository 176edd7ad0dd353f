import json
import secrets
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Site

from news.demo_newsroom import DEMO_DIR, SEED_ARTICLE, demo_newsroom_load
from news.models import Desk, HomePage, PublisherSettings
from news.services import about_page_publish, section_path_get_or_create

__all__ = ["SEED_ARTICLE", "Command"]

SECTIONS = [["الشرق الأوسط", "سوريا"], ["العالم"], ["اقتصاد"], ["رياضة"], ["تكنولوجيا"], ["ثقافة"], ["رأي"]]
DESKS = {
    "قسم الأخبار": "الأخبار التي يحررها فريق القسم جماعيًا دون توقيع فردي.",
    "فريق التحرير": "مواد يعدّها فريق التحرير ويراجعها رئيس التحرير.",
}
DEMO_USERS = [("editor", "Editors", "محرر", "تجريبي"), ("reporter", "Reporters", "مراسل", "تجريبي")]


class Command(BaseCommand):
    help = (
        "Load the Arabic demo newsroom: sections, desks, writers, the demo stories (news/demo/) with their "
        "illustrations, comments, corrections and reads, demo accounts; and corpus articles when the corpus is there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=400, help="How many corpus articles to load, if present.")
        parser.add_argument("--corpus", type=Path, help="JSONL of articles; default: NASHIR_DATA_DIR/arabic-news.jsonl")

    def handle(self, *, articles, corpus, verbosity, **options):
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("There is no home page; run `manage.py migrate` first.")
        if corpus is not None and not corpus.is_file():
            raise CommandError(f"No such file: {corpus}")
        for name, description in DESKS.items():
            Desk.objects.update_or_create(name=name, defaults={"description": description})
        for titles in SECTIONS:
            section_path_get_or_create(home=home, titles=titles)
        self._publisher(home)
        passwords = self._accounts()

        started = timezone.now()
        report = demo_newsroom_load(home=home, editor=get_user_model().objects.get(username="editor"), now=started)
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(
            f"Demo newsroom: {report.stories} stories ({report.created} new), {report.authors} writers, "
            f"{report.images_drawn} illustrations drawn, {report.comments_added} comments, "
            f"{report.notes_published} notes and {report.replies_published} replies published, "
            f"{report.reads_recorded} reads recorded ({seconds:.1f} s)."
        )
        self.stdout.write(f"Lead story: {unquote(report.lead.url)}")
        for label, page in report.pages.items():
            self.stdout.write(f"{label}: {unquote(page.url)}")
        go_live = timezone.localtime(report.scheduled.go_live_at)
        self.stdout.write(f"Scheduled to go live at {go_live:%H:%M} ({settings.TIME_ZONE}): {report.scheduled.title}")

        corpus = corpus or Path(settings.NASHIR_DATA_DIR) / "arabic-news.jsonl"
        if articles and corpus.is_file():
            call_command("load_articles", corpus, limit=articles, verbosity=verbosity, stdout=self.stdout)
        elif articles:
            self.stdout.write(f"No corpus at {corpus}: the demo has its own stories only.")

        for (username, group, *_names), password in zip(DEMO_USERS, passwords, strict=True):
            self.stdout.write(self.style.SUCCESS(f"Demo {group[:-1].lower()}: {username} / {password}"))
        self.stdout.write(
            "Two-step login: sign in as the demo editor and open /admin/security/ to add an authenticator app "
            "(required for Editors and superusers in production: NASHIR_REQUIRE_2FA_GROUPS)."
        )

    def _accounts(self):
        """The demo editor and reporter, with new passwords (printed at the end)."""
        passwords = []
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
            passwords.append(password)
        return passwords

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
