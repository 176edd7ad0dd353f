"""The demo newsroom: stories written for Nashir, their writers and illustrations, and what readers did with them.

Everything comes from news/demo/ (see its README) and goes through the
services the site itself uses: articles through `article_create_or_update`;
what readers did (news/demo/reader_activity.json) is loaded by the apps that
own it, on the `demo_newsroom_loaded` signal: comments by the comments app,
corrections and replies by the corrections app, reads by the readership app
through its buffer as the view beacon records them. Story dates are relative
to the moment of loading, so the demo always has fresh news. Loading again
updates what is there and adds only what is missing.
"""

import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from news.demo_illustrations import illustration, portrait
from news.models import ArticlePage, Author, HomePage, SectionPage
from news.services import ArticleData, article_create_or_update, article_data_from_seed
from news.signals import demo_newsroom_loaded

DEMO_DIR = Path(__file__).resolve().parent / "demo"
SEED_ARTICLE = DEMO_DIR / "seed_article.json"
KEY_PREFIX = "nashir-demo:"
COLLECTION = "العرض التجريبي"
CREDIT = "رسم توضيحي: ناشر"
SECTION_PALETTES = {
    "سوريا": "syria",
    "الشرق الأوسط": "region",
    "العالم": "world",
    "اقتصاد": "economy",
    "رياضة": "sports",
    "تكنولوجيا": "technology",
    "ثقافة": "culture",
    "رأي": "opinion",
}
# Demo readers and commenters come from documentation addresses (RFC 3849, RFC 5737, in the apps
# that load them) and say what they are in their user agent.
DEMO_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) NashirDemoReader/1.0"
# The srcset sizes of news/_article_card.html.
CARD_RENDITIONS = ["fill-160x90", "fill-320x180", "fill-480x270"]
LEAD_RENDITIONS = ["fill-480x270", "fill-800x450", "fill-1200x675"]
OPINION_SECTION = "رأي"


@dataclass
class DemoReport:
    stories: int = 0
    created: int = 0
    images_drawn: int = 0
    authors: int = 0
    comments_added: int = 0
    notes_published: int = 0
    replies_published: int = 0
    reads_recorded: int = 0
    lead: ArticlePage | None = None
    scheduled: ArticlePage | None = None
    articles: dict = field(default_factory=dict)
    # Pages the apps loaded on `demo_newsroom_loaded` and want named at the end of the load, by label.
    pages: dict = field(default_factory=dict)


def demo_newsroom_load(*, home: HomePage, editor=None, now: datetime | None = None) -> DemoReport:
    """Publish the demo stories and everything around them; `editor` signs the notes and replies."""
    now = now or timezone.now()
    report = DemoReport()
    with transaction.atomic():
        collection = _collection()
        authors = {item["key"]: _author(item, collection, report) for item in _read("authors.json")["authors"]}
        report.authors = len(authors)
        seed = json.loads(SEED_ARTICLE.read_text(encoding="utf-8"))
        data = article_data_from_seed(SEED_ARTICLE)
        data.featured_image, data.featured_image_caption = _story_image(seed, collection, report)
        report.articles["seed"], _ = article_create_or_update(home=home, data=data)
        for story in demo_stories():
            article = _story_publish(
                home=home, story=story, authors=authors, collection=collection, now=now, report=report
            )
            report.articles[story["key"]] = article
            report.lead = article if story.get("lead") else report.lead
            report.scheduled = article if "schedule_in_hours" in story else report.scheduled
        _lead_choose(home, report.lead)
        _opinion_choose(home)
    # Each app loads its part in transactions of its own (reads go through the readership buffer's flush).
    activity = _read("reader_activity.json")
    demo_newsroom_loaded.send(sender=DemoReport, report=report, activity=activity, editor=editor, now=now)
    _renditions_prepare(report)
    return report


def demo_stories() -> list[dict]:
    """Every demo story, from news/demo/stories/*.json, in file order."""
    stories = []
    for path in sorted((DEMO_DIR / "stories").glob("*.json")):
        stories += json.loads(path.read_text(encoding="utf-8"))
    return stories


def demo_external_id(key: str) -> str:
    return f"{KEY_PREFIX}{key}"


def _read(name):
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def _collection() -> Collection:
    """The image collection that holds the demo's drawings, so that editors can tell them apart."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=COLLECTION).first()
    return existing or root.add_child(name=COLLECTION)


def _image(*, collection, title, alt, drawing, draw, report) -> object:
    """The demo image called `title`, drawn by calling `draw` unless it already shows `drawing`."""
    Image = get_image_model()
    # Files are named after what they show: a story whose motif or palette changed is drawn again.
    name = hashlib.sha1(drawing.encode()).hexdigest()[:16]  # noqa: S324 - a file name, not security
    image = Image.objects.filter(collection=collection, title=title).first()
    if image is not None and name in image.file.name:
        if image.description != alt:
            image.description = alt
            image.save(update_fields=["description"])
        return image
    if image is None:
        image = Image(title=title, collection=collection)
    else:
        image.renditions.all().delete()
        image.file.delete(save=False)
    data = draw()
    image.file = ImageFile(io.BytesIO(data), name=f"{name}.jpg")
    image.file_size, image.file_hash = len(data), hashlib.sha1(data).hexdigest()  # noqa: S324 - Wagtail's own hash
    image.description = alt
    image.save()
    report.images_drawn += 1
    return image


def demo_illustration(*, title: str, alt: str, motif: str, palette: str, seed: str, report) -> object:
    """A drawn demo image in the demo's collection, for other apps' demo pages (drawn once, kept on reload)."""
    return _image(
        collection=_collection(),
        title=title,
        alt=alt,
        drawing=json.dumps([motif, palette, seed]),
        draw=lambda: illustration(motif=motif, palette=palette, seed=seed),
        report=report,
    )


def _author(item, collection, report) -> Author:
    look = item["portrait"]
    photo = _image(
        collection=collection,
        title=f"صورة {item['name']}",
        alt=f"صورة رمزية مرسومة لـ{item['name']}",
        drawing=json.dumps(["portrait", item["key"], look], sort_keys=True),
        draw=lambda: portrait(
            palette=look["palette"],
            seed=item["key"],
            hair=look.get("hair", "short"),
            glasses=look.get("glasses", False),
            beard=look.get("beard", False),
        ),
        report=report,
    )
    author, _ = Author.objects.update_or_create(
        external_id=demo_external_id(f"author:{item['key']}"),
        defaults={"name": item["name"], "role": item["role"], "bio": item["bio"], "photo": photo},
    )
    return author


def _palette(spec, section_path):
    return spec.get("palette") or SECTION_PALETTES.get(section_path[-1], "opinion")


def _story_image(story, collection, report, spec=None):
    """The featured image (or `spec`, an image in the body) of `story` and its caption with the credit."""
    spec = spec or story["image"]
    section = story.get("section", ["رأي"])
    seed = f"{story.get('key') or story.get('external_id')}:{spec['caption']}"
    image = _image(
        collection=collection,
        title=f"{spec['caption']} ({story['title'][:120]})",
        alt=spec["alt"],
        drawing=json.dumps([spec["motif"], _palette(spec, section), seed]),
        draw=lambda: illustration(motif=spec["motif"], palette=_palette(spec, section), seed=seed),
        report=report,
    )
    return image, f"{spec['caption']} ({CREDIT})"


def _body(story, collection, report) -> list[dict]:
    """StreamField data from the story's body: paragraphs, sub-headings, quotations, lists and images."""
    blocks = []
    for item in story["body"]:
        if isinstance(item, str):
            blocks.append({"type": "paragraph", "value": f"<p>{escape(item)}</p>"})
        elif "heading" in item:
            blocks.append({"type": "heading", "value": item["heading"]})
        elif "quote" in item:
            value = {"text": item["quote"], "speaker": item.get("speaker", ""), "source": item.get("source", "")}
            blocks.append({"type": "quote", "value": {**value, "source_url": ""}})
        elif "list" in item:
            blocks.append({"type": "list", "value": {"ordered": item.get("ordered", False), "items": item["list"]}})
        elif "image" in item:
            spec = item["image"]
            image, _caption = _story_image(story, collection, report, spec)
            value = {"image": image.pk, "alt_text": spec["alt"], "caption": spec["caption"], "credit": CREDIT}
            blocks.append({"type": "image", "value": value})
        else:
            raise ValueError(f"{story['key']}: unknown body item {item!r}")
    return blocks


def _story_publish(*, home, story, authors, collection, now, report) -> ArticlePage:
    external_id = demo_external_id(story["key"])
    scheduled = "schedule_in_hours" in story
    if scheduled and _still_scheduled(external_id, now):
        report.stories += 1
        return ArticlePage.objects.get(external_id=external_id)
    image, caption = _story_image(story, collection, report)
    data = ArticleData(
        external_id=external_id,
        title=story["title"],
        standfirst=story["standfirst"],
        body=_body(story, collection, report),
        first_published_at=now - timedelta(hours=story.get("hours_ago", 0)),
        section_path=story["section"],
        desk=story.get("desk", ""),
        authors=[authors[key] for key in story.get("authors", [])],
        sources=story.get("sources", []),
        tags=story.get("tags", []),
        featured_image=image,
        featured_image_caption=caption,
    )
    if scheduled:
        _unschedule(external_id)
        data.live, data.go_live_at = False, now + timedelta(hours=story["schedule_in_hours"])
    article, created = article_create_or_update(home=home, data=data)
    report.stories += 1
    report.created += created
    return article


def _still_scheduled(external_id, now) -> bool:
    article = ArticlePage.objects.filter(external_id=external_id).first()
    if article is None or article.live:
        return False
    revision = article.scheduled_revision
    return bool(revision and revision.approved_go_live_at > now)


def _unschedule(external_id) -> None:
    """Take the scheduled story back to a draft (it may have gone live since), to schedule it again."""
    article = ArticlePage.objects.filter(external_id=external_id).first()
    if article is None:
        return
    if article.live:
        article.unpublish()
    article.revisions.exclude(approved_go_live_at=None).update(approved_go_live_at=None)
    # A story that goes live again is dated by its new publication.
    ArticlePage.objects.filter(pk=article.pk).update(first_published_at=None, last_published_at=None)


def _renditions_prepare(report) -> None:
    """The sizes the home page shows, made now rather than by the first visitor's request."""
    for article in report.articles.values():
        if article.featured_image is not None:
            specs = [*CARD_RENDITIONS, *LEAD_RENDITIONS] if article == report.lead else CARD_RENDITIONS
            article.featured_image.get_renditions(*specs)


def _lead_choose(home, lead) -> None:
    if lead is None or home.lead_article_id == lead.pk:
        return
    home = Page.objects.get(pk=home.pk).specific  # the latest state, not a caller's copy
    home.lead_article = lead
    home.save_revision().publish()


def _opinion_choose(home) -> None:
    """The demo's «رأي» section stands beside the news on the home page, its writers' photos with their pieces."""
    opinion = SectionPage.objects.child_of(home).filter(title=OPINION_SECTION).first()
    home = Page.objects.get(pk=home.pk).specific
    if opinion is None or home.opinion_section_id == opinion.pk:
        return
    home.opinion_section = opinion
    home.save_revision().publish()
