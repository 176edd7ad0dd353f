"""Test and development factories for the newsroom's content."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from news.models import ArticleAuthor, ArticlePage, ArticleSource, Author, Desk, HomePage, SectionPage, SourceKind


def home_page() -> HomePage:
    """The home page created by the migrations."""
    return HomePage.objects.get()


class DeskFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"قسم التحرير {n}")

    class Meta:
        model = Desk
        django_get_or_create = ["name"]


class AuthorFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"كاتب رقم {n}")
    role = "مراسل"

    class Meta:
        model = Author


class SectionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"قسم {n}")
    parent = factory.LazyFunction(home_page)
    show_in_menus = True
    live = True

    class Meta:
        model = SectionPage


def _paragraphs(article):
    return [
        {"type": "paragraph", "value": f"<p>الفقرة الأولى من {article.title}.</p>"},
        {"type": "heading", "value": "عنوان فرعي"},
        {"type": "paragraph", "value": "<p>الفقرة الثانية.</p>"},
    ]


def every_kind_of_block(*, embed_url: str, embed_caption: str = "تسجيل الجلسة") -> list[dict]:
    """A body with one block of each kind the editor offers, for tests that render them all."""
    return [
        {"type": "paragraph", "value": '<p>فقرة فيها <a href="https://example.org/">رابط</a>.</p>'},
        {"type": "heading", "value": "عنوان فرعي"},
        {"type": "quote", "value": {"text": "اقتباس", "speaker": "متحدث", "source": "بيان", "source_url": ""}},
        {"type": "list", "value": {"ordered": True, "items": ["أول", "ثان"]}},
        {
            "type": "image",
            "value": {
                "image": wagtail_factories.ImageFactory().pk,
                "alt_text": "وصف الصورة",
                "caption": "مدخل القلعة",
                "credit": "المصور",
            },
        },
        {"type": "embed", "value": {"embed": embed_url, "caption": embed_caption}},
    ]


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"خبر رقم {n} عن الأحداث")
    standfirst = factory.LazyAttribute(lambda article: f"مقدمة {article.title}")
    body = factory.LazyAttribute(_paragraphs)
    parent = factory.SubFactory(SectionPageFactory)
    desk = factory.SubFactory(DeskFactory, name="قسم الأخبار")
    live = True
    first_published_at = factory.Sequence(
        lambda n: datetime.datetime(2024, 1, 1, 12, tzinfo=datetime.UTC) + datetime.timedelta(hours=n)
    )
    last_published_at = factory.SelfAttribute("first_published_at")

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

    @factory.post_generation
    def authors(article, create, extracted, **kwargs):
        if extracted:
            article.bylines = [ArticleAuthor(author=author) for author in extracted]
            article.save()

    @factory.post_generation
    def sources(article, create, extracted, **kwargs):
        if extracted:
            article.sources = [
                ArticleSource(name=name, url=url, kind=kind or SourceKind.NEWSPAPER) for name, url, kind in extracted
            ]
            article.save()

    @factory.post_generation
    def tags(article, create, extracted, **kwargs):
        if extracted:
            article.tags.set(extracted)
            article.save()


def recent(minutes: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes)


class StoredEmbedFactory(DjangoModelFactory):
    """An oEmbed answer as Wagtail keeps it after asking the provider: tests render embeds without the network."""

    class Meta:
        model = Embed
        django_get_or_create = ("hash",)

    url = "https://www.youtube.com/watch?v=nashir-test"
    hash = factory.LazyAttribute(lambda embed: get_embed_hash(embed.url))
    type = "video"
    provider_name = "YouTube"
    title = "تسجيل من الوقفة"
    thumbnail_url = "https://i.ytimg.com/vi/nashir-test/hqdefault.jpg"
    width = 480
    height = 270
    html = factory.LazyAttribute(
        lambda embed: (
            '<iframe width="480" height="270" src="https://www.youtube.com/embed/nashir-test?feature=oembed" '
            'frameborder="0" allow="encrypted-media; picture-in-picture" '
            f'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen title="{embed.title}"></iframe>'
        )
    )
