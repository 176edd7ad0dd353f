"""Importing a WordPress export: authors, categories, tags, posts, comments, linkbacks and old addresses.

An import can be run again (after an interruption, or on a newer export): it
creates what is missing and updates what it imported before, but only while
that object is as the import left it. Whatever the newsroom changed since
(an edited title or body, a moderated comment, an unpublished or deleted
article) is left alone and listed in the report with the reason; see
ImportRecord.
"""

import csv
import hashlib
import json
import re
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import uri_to_iri
from django.utils.html import strip_tags
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.search import index
from wagtail.search.backends import get_search_backends
from wagtail.search.signal_handlers import post_save_signal_handler as index_saved

from arabic.text import slugify
from comments.models import Comment, CommentStatus, Linkback, LinkbackKind
from news.models import AboutPage, ArticlePage, Author, HomePage
from news.services import (
    ArticleData,
    article_create_or_update,
    page_slug_available,
    planner_statistics_refresh,
    section_get_or_create,
    section_path_get_or_create,
    standfirst_from,
)
from wordpress import content, wxr
from wordpress.images import SIZE_SUFFIX, Uploads
from wordpress.models import ImportedImage, ImportRecord

# Post meta keys that view-counter plugins use (Post Views Counter, WP-PostViews, Jetpack-like themes…).
VIEW_COUNT_KEYS = ("post_views_count", "views", "_post_views", "post_views", "_views", "wpb_post_views_count")
FALLBACK_SECTION = "أرشيف"
STATUS_LIVE = "publish"
STATUS_SCHEDULED = "future"
STATUS_DRAFT = ("draft", "pending", "private")
YOAST_VARIABLE = re.compile(r"%%(\w+)%%")
COMMENT_STATUS = {"1": CommentStatus.APPROVED, "0": CommentStatus.PENDING, "spam": CommentStatus.SPAM}
LINKBACK_KINDS = {"pingback": LinkbackKind.PINGBACK, "trackback": LinkbackKind.TRACKBACK}
WEB_ADDRESS = URLValidator(schemes=["http", "https"])
# Changes how an item turns into Nashir objects: a new value makes a re-run write untouched items again.
CONVERSION = 1
# The fields of comments and linkbacks that an import writes and the newsroom may change.
ROW_FIELDS = ("article", "parent", "name", "email", "body", "kind", "url", "title", "excerpt", "status")


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    # Imported before and the same in the export: not written again.
    unchanged: Counter = field(default_factory=Counter)
    # Changed or deleted in Nashir since it was imported: not written.
    kept: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    # (what, why) for everything that was not carried over whole.
    problems: list[tuple[str, str]] = field(default_factory=list)
    # (what, why) for everything left as the newsroom has it.
    left_alone: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""


class _Importer:
    def __init__(self, report, home, uploads, section_map):
        self.report, self.home, self.uploads = report, home, uploads
        self.section_map = section_map or {}
        self.site = self.site_title = ""
        self.authors, self.sections = {}, {}
        # Attachments by WordPress post ID, and featured images whose attachment comes later in the file.
        self.attachments, self.pending_thumbnails = {}, []
        self.pages = {}  # about pages by WordPress post ID, for their children

    def channel(self, channel):
        self.site = urlsplit(channel.base_site_url or channel.link).netloc or channel.title
        self.site_title = channel.title
        for author in channel.authors:
            key = f"wp:{self.site}:{author.login}"
            record = Author.objects.filter(external_id=key).first()
            if record is None:
                record = Author.objects.create(name=author.display_name[:150], external_id=key)
                self.report.created["authors"] += 1
            self.authors[author.login] = record
        categories = {term.slug: term for term in channel.terms if term.kind == "category"}
        for slug in categories:
            self._section(slug, categories)
        # Archive addresses under WordPress's default bases: /category/parent/child/ and /tag/slug/.
        for slug in categories:
            chain, term = [], categories[slug]
            while term is not None:
                chain.insert(0, unquote(term.slug))
                term = categories.get(term.parent)
            self._redirect("/category/" + "/".join(chain) + "/", page=self.sections[slug])
            if len(chain) > 1:  # WordPress answers a subcategory by its own slug too
                self._redirect(f"/category/{chain[-1]}/", page=self.sections[slug])
        for term in channel.terms:
            if term.kind == "tag" and term.name:
                tag_slug = Tag().slugify(term.name)  # as taggit will make it when the first post brings the tag
                self._redirect(f"/tag/{unquote(term.slug)}/", link=reverse("news:tag", args=[tag_slug]))

    def _section(self, slug, categories):
        """The section for category `slug`, its parents created first (sections nest like categories)."""
        if slug in self.sections:
            return self.sections[slug]
        term = categories[slug]
        mapped = self.section_map.get(unquote(term.slug)) or self.section_map.get(term.name)
        if mapped:
            section = section_path_get_or_create(home=self.home, titles=mapped)
            self.sections[slug] = section
            return section
        parent = self._section(term.parent, categories) if term.parent in categories else self.home
        existed = parent.get_children().filter(title=term.name).exists()
        section = section_get_or_create(parent=parent, title=term.name)
        if not existed:
            self.report.created["sections"] += 1
        self.sections[slug] = section
        return section

    def item(self, item):
        label = f"{item.post_type} {item.post_id} «{item.title[:60]}»"
        if item.post_type == "attachment":
            self._attachment(item, label)
            return
        if item.post_type == "page":
            self._page(item, label)
            return
        if item.post_type != "post":
            self.report.skipped[item.post_type or "unknown"] += 1
            return
        if item.status not in (STATUS_LIVE, STATUS_SCHEDULED, *STATUS_DRAFT):
            self.report.skipped[f"post ({item.status})"] += 1
            return
        if self._too_large(item, "post", label):
            return
        key = f"wp:{self.site}:{item.post_id}"
        article = ArticlePage.objects.filter(external_id=key).first()
        record = ImportRecord.objects.filter(external_id=key).first()
        reason = _left_alone(record, article, _article_state)
        source = self._source(item)
        if reason or (record is not None and record.source == source):
            if reason:
                self._keep("articles", label, reason)
            else:
                self.report.unchanged["articles"] += 1
            if article is not None:
                with transaction.atomic():
                    self._discussion(article, item, label)
            return
        converted = self._converted(item, "post", label)
        if converted is None:
            return
        for dropped in converted.dropped:
            self.report.problems.append((label, f"left out: {dropped}"))
        with transaction.atomic():
            data = self._data(item, converted)
            thumbnail = _int(item.meta.get("_thumbnail_id"))
            if thumbnail in self.attachments:
                data.featured_image = self._image(*self.attachments[thumbnail])
            article, created = article_create_or_update(home=self.home, data=data)
            _remember(key, source, _article_state(article))
            if thumbnail and thumbnail not in self.attachments:
                self.pending_thumbnails.append((article.pk, thumbnail, label))
            self._discussion(article, item, label)
        (self.report.created if created else self.report.updated)["articles"] += 1

    def _discussion(self, article, item, label):
        """The post's comments and linkbacks, and its old addresses if the article is live."""
        self._comments(article, item, label)
        if article.live:
            self._redirect(item.link, page=article)
            self._redirect(f"/?p={item.post_id}", page=article)

    def _source(self, item):
        """Digest of what the article is made from: the item (not its comments), the uploads and the section."""
        values = {name: value for name, value in vars(item).items() if name != "comments"}
        categories = [slug for domain, slug, _name in item.terms if domain == "category"]
        section = next((self.sections[slug].pk for slug in categories if slug in self.sections), None)
        return _digest([CONVERSION, values, str(self.uploads.root or ""), section])

    def _too_large(self, item, kind, label):
        """True, reported, for an item whose body is over NASHIR_IMPORT_MAX_ITEM_BYTES."""
        size, limit = len(item.content.encode()), settings.NASHIR_IMPORT_MAX_ITEM_BYTES
        if size <= limit:
            return False
        self.report.skipped[f"{kind} (too large)"] += 1
        self.report.problems.append(
            (
                label,
                f"not imported: its body is {_size(size)}, over the limit of {_size(limit)} "
                "(NASHIR_IMPORT_MAX_ITEM_BYTES)",
            )
        )
        return True

    def _keep(self, kind, label, reason):
        self.report.kept[kind] += 1
        self.report.left_alone.append((label, reason))

    def _attachment(self, item, label):
        alt = item.meta.get("_wp_attachment_image_alt", "") or item.title
        self.attachments[item.post_id] = (item.attachment_url, alt)
        if item.attachment_url:
            self._image(item.attachment_url, alt)

    def _image(self, url, title):
        known = ImportedImage.objects.filter(source_url=SIZE_SUFFIX.sub("", url)[:500], image__isnull=False).exists()
        image = self.uploads.image(url, title=title)
        if image is None:
            self.report.problems.append((url, "file not found in the uploads folder; the original URL is kept"))
            self.report.skipped["images (missing file)"] += 1
        elif not known:
            self.report.created["images"] += 1
        return image

    def finish(self):
        """Featured images whose attachment came after the post in the file."""
        for article_pk, thumbnail, label in self.pending_thumbnails:
            if thumbnail not in self.attachments:
                self.report.problems.append((label, f"featured image {thumbnail} is not in the export"))
                continue
            image = self._image(*self.attachments[thumbnail])
            if image is not None:
                ArticlePage.objects.filter(pk=article_pk).update(featured_image=image)
                article = ArticlePage.objects.get(pk=article_pk)
                ImportRecord.objects.filter(external_id=article.external_id).update(state=_article_state(article))

    def _data(self, item, converted):
        categories = [slug for domain, slug, _name in item.terms if domain == "category"]
        section = next((self.sections[slug] for slug in categories if slug in self.sections), None)
        if section is None:
            section = section_get_or_create(parent=self.home, title=FALLBACK_SECTION)
        published = item.date_gmt or _local_date(item.date_local) or timezone.now()
        paragraphs = [strip_tags(b["value"]) for b in converted.blocks if b["type"] == "paragraph"]
        excerpt = " ".join(strip_tags(item.excerpt).split())
        return ArticleData(
            external_id=f"wp:{self.site}:{item.post_id}",
            title=item.title.strip()[:255] or f"#{item.post_id}",
            standfirst=excerpt or (standfirst_from(paragraphs) if paragraphs else item.title),
            body=converted.blocks,
            first_published_at=published,
            section_path=[ancestor.title for ancestor in section.get_ancestors(inclusive=True)[2:]],
            authors=[self.authors[item.creator]] if item.creator in self.authors else [],
            desk="" if item.creator in self.authors else "قسم الأخبار",
            tags=[name for domain, _slug, name in item.terms if domain == "post_tag"][:20],
            view_count=_view_count(item.meta),
            slug=unquote(item.slug)[:200],
            live=item.status == STATUS_LIVE,
            go_live_at=published if item.status == STATUS_SCHEDULED else None,
            seo_title=self._yoast(item.meta.get("_yoast_wpseo_title", ""), item),
            search_description=self._yoast(item.meta.get("_yoast_wpseo_metadesc", ""), item),
        )

    def _yoast(self, text, item):
        """A Yoast SEO template with its common variables filled in (%%title%%, %%sitename%%, %%sep%%…)."""
        if not text:
            return ""
        values = {"title": item.title, "sitename": self.site_title, "sep": "-", "excerpt": strip_tags(item.excerpt)}
        text = YOAST_VARIABLE.sub(lambda match: values.get(match.group(1), ""), text)
        return " ".join(text.split()).strip(" -|")

    def _comments(self, article, item, label):
        keys = {comment.id: f"wp:{self.site}:comment:{comment.id}" for comment in item.comments}
        records = ImportRecord.objects.in_bulk(keys.values(), field_name="external_id")
        existing = {**Comment.objects.in_bulk(keys.values(), field_name="external_id")}
        existing.update(Linkback.objects.in_bulk(keys.values(), field_name="external_id"))
        by_wordpress_id = {}
        for comment in sorted(item.comments, key=lambda c: c.id):
            key, what = keys[comment.id], f"comment {comment.id} on {label}"
            if comment.type in LINKBACK_KINDS:
                self._linkback(article, comment, key, records.get(key), existing.get(key), what)
                continue
            status = COMMENT_STATUS.get(comment.approved)
            if status is None:
                self.report.skipped[f"comment ({comment.approved})"] += 1
                continue
            parent = by_wordpress_id.get(comment.parent_id)
            if parent is not None and parent.parent_id:
                parent = parent.parent  # Nashir threads one level deep: a reply to a reply joins the thread
            values = {
                "article": article,
                "parent": parent,
                "name": comment.author[:80] or "—",
                "email": comment.email[:254],
                "body": " ".join(strip_tags(comment.content).split())[:3000] or "—",
                "status": status,
                "ip_address": comment.ip or None,
            }
            saved = self._guarded(
                Comment, "comments", key, records.get(key), existing.get(key), values, comment.date_gmt, what
            )
            if saved is not None:
                by_wordpress_id[comment.id] = saved

    def _linkback(self, article, comment, key, record, existing, what):
        """An approved pingback or trackback, kept as a link to the article from another site."""
        kind = LINKBACK_KINDS[comment.type]
        if comment.approved != "1":
            self.report.skipped[f"{kind} (not approved)"] += 1
            return
        url = comment.url.strip()
        try:
            WEB_ADDRESS(url)
        except ValidationError:
            url = ""
        if not url or len(url) > 500:
            self.report.skipped[f"{kind} (no http or https address)"] += 1
            self.report.problems.append((what, f"{kind} without an http or https address: {comment.url[:100]!r}"))
            return
        title = " ".join(strip_tags(comment.author).split())[:200] or urlsplit(url).hostname
        values = {
            "article": article,
            "kind": kind,
            "url": url,
            "title": title,
            "excerpt": " ".join(strip_tags(comment.content).split())[:1000],
            "status": CommentStatus.APPROVED,
        }
        self._guarded(Linkback, "linkbacks", key, record, existing, values, comment.date_gmt, what)

    def _guarded(self, model, kind, key, record, existing, values, created_at, what):
        """Create or update the `model` row `key` from `values`, unless the newsroom changed it since the import.

        Returns the row as it now is (None if it was deleted in Nashir).
        """
        reason = _left_alone(record, existing, _row_state)
        if reason:
            self._keep(kind, what, reason)
            return existing
        source = _digest([values, created_at])
        if record is not None and record.source == source:
            self.report.unchanged[kind] += 1
            return existing
        row, created = model.objects.update_or_create(external_id=key, defaults=values)
        if created_at:
            model.objects.filter(pk=row.pk).update(created_at=created_at)
        _remember(key, source, _row_state(row))
        (self.report.created if created else self.report.updated)[kind] += 1
        return row

    def _converted(self, item, kind, label):
        """The item's body as blocks; None, reported, when nothing is left of it."""
        converted = content.convert(item.content, image_for=lambda src, alt: self._image(src, alt or item.title))
        if not converted.blocks:
            self.report.skipped[f"{kind} (empty)"] += 1
            self.report.problems.append((label, "no content"))
            return None
        return converted

    def _page(self, item, label):
        """A WordPress page as an about page (under its parent page if that came first)."""
        if item.status not in (STATUS_LIVE, *STATUS_DRAFT):
            self.report.skipped[f"page ({item.status})"] += 1
            return
        if self._too_large(item, "page", label):
            return
        key = f"wp:{self.site}:{item.post_id}"
        page = AboutPage.objects.filter(external_id=key).first()
        record = ImportRecord.objects.filter(external_id=key).first()
        reason = _left_alone(record, page, _page_state)
        source = _digest([CONVERSION, {name: value for name, value in vars(item).items() if name != "comments"}])
        if reason or (record is not None and record.source == source):
            if reason:
                self._keep("pages", label, reason)
            else:
                self.report.unchanged["pages"] += 1
            if page is not None:
                self.pages[item.post_id] = page
            return
        converted = self._converted(item, "page", label)
        if converted is None:
            return
        with transaction.atomic():
            created = page is None
            if created:
                parent = self.pages.get(item.parent_id, self.home)
                slug = page_slug_available(parent=parent, slug=slugify(unquote(item.slug) or item.title) or "page")
                page = AboutPage(title=item.title[:255], slug=slug, body=converted.blocks, external_id=key, live=False)
                parent.add_child(instance=page)
            else:
                page.title, page.body = item.title[:255], converted.blocks
            revision = page.save_revision(clean=False)
            if item.status == STATUS_LIVE:
                revision.publish()
                page.refresh_from_db()
                self._redirect(item.link, page=page)
                self._redirect(f"/?page_id={item.post_id}", page=page)
            _remember(key, source, _page_state(page))
        self.pages[item.post_id] = page
        (self.report.created if created else self.report.updated)["pages"] += 1

    def _redirect(self, old, *, page=None, link=""):
        """A permanent redirect from an old WordPress address to a page (or a path), unless that address has one."""
        if not old:
            return
        old_path = uri_to_iri(Redirect.normalise_path(old))
        target = page.url if page is not None else link
        if not target or old_path in ("", "/") or old_path == uri_to_iri(Redirect.normalise_path(target)):
            return
        existing = Redirect.objects.filter(old_path=old_path, site=None).first()
        if existing is None:
            Redirect.objects.create(
                old_path=old_path,
                site=None,
                redirect_page=page,
                redirect_link="" if page is not None else link,
                is_permanent=True,
            )
            self.report.created["redirects"] += 1
        elif (existing.redirect_page_id, existing.redirect_link) != (page.pk if page else None, "" if page else link):
            self._keep("redirects", old_path, "it already redirects elsewhere in Nashir")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _size(size):
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def _plain(value):
    """JSON for what json.dumps does not know: dates, and model instances by their key."""
    if isinstance(value, datetime):
        return value.isoformat()
    pk = getattr(value, "pk", None)
    return pk if pk is not None else str(value)


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=_plain).encode()).hexdigest()


def _digests(fields: dict) -> dict:
    return {name: _digest(value)[:16] for name, value in fields.items()}


def _article_state(article) -> dict:
    """A digest of each article field the newsroom may change, read back from the database."""
    article = ArticlePage.objects.get(pk=article.pk)
    return _digests(
        {
            "title": [article.title, article.draft_title],
            "slug": article.slug,
            "standfirst": article.standfirst,
            "body": article.body.get_prep_value(),
            "published": article.live,
            "scheduled": article.go_live_at,
            "section": article.path[: -article.steplen],
            "tags": sorted(article.tags.names()),
            "authors": [byline.author_id for byline in article.bylines.all()],
            "desk": article.desk_id,
            "featured image": article.featured_image_id,
            "SEO title": article.seo_title,
            "search description": article.search_description,
            # A draft saved or a revision published in the admin.
            "revision": article.latest_revision_id,
        }
    )


def _page_state(page) -> dict:
    page = AboutPage.objects.get(pk=page.pk)
    return _digests(
        {
            "title": [page.title, page.draft_title],
            "slug": page.slug,
            "body": page.body.get_prep_value(),
            "published": page.live,
            "place": page.path[: -page.steplen],
            "revision": page.latest_revision_id,
        }
    )


def _row_state(row) -> dict:
    """Comments and linkbacks: every field the import writes (a moderation decision changes "status")."""
    fields = {field.name: field.attname for field in row._meta.concrete_fields if field.name in ROW_FIELDS}
    return _digests({name: getattr(row, attname) for name, attname in fields.items()})


def _left_alone(record, existing, state) -> str:
    """Why the import must not write to `existing`; "" when it may (it is new, or as the last import left it)."""
    if record is None:
        return "" if existing is None else "imported by an earlier version that kept no record of what it wrote"
    if existing is None:
        return "deleted in Nashir after the import"
    changed = [name for name, digest in state(existing).items() if record.state.get(name) != digest]
    return f"changed in Nashir after the import ({', '.join(changed)})" if changed else ""


def _remember(key, source, state):
    ImportRecord.objects.update_or_create(external_id=key, defaults={"source": source, "state": state})


def _view_count(meta):
    for key in VIEW_COUNT_KEYS:
        digits = re.sub(r"\D", "", meta.get(key, ""))
        if digits:
            return int(digits)
    return 0


def _local_date(value):
    try:
        return timezone.make_aware(datetime.strptime(value, "%Y-%m-%d %H:%M:%S"))
    except (TypeError, ValueError):
        return None


def section_map_read(path) -> dict[str, list[str]]:
    """{category slug or name: [section, subsection…]} from a CSV file of `category,Section / Subsection` rows."""
    mapping = {}
    with open(path, encoding="utf-8-sig", newline="") as rows:
        for number, row in enumerate(csv.reader(rows), start=1):
            if not row or not row[0].strip() or row[0].startswith("#"):
                continue
            if len(row) < 2 or not row[1].strip():
                raise ValueError(f"line {number}: expected «category,Section / Subsection»")
            mapping[unquote(row[0].strip())] = [title.strip() for title in row[1].split("/") if title.strip()]
    return mapping


def wxr_import(path, *, uploads=None, section_map=None, dry_run=False, progress=None) -> ImportReport:
    """Import the export at `path`, each post in its own transaction: a failure stops nothing else,
    and an interrupted run keeps what it finished (a re-run updates, never duplicates).

    With `dry_run`, everything runs inside one transaction that is rolled back,
    so the report says exactly what would happen.
    """
    if not dry_run:
        return _run(path, uploads, section_map, progress)
    with transaction.atomic():
        report = _run(path, uploads, section_map, progress)
        transaction.set_rollback(True)
    return report


def _run(path, uploads, section_map, progress):
    report = ImportReport()
    importer = _Importer(report, HomePage.objects.first(), Uploads(uploads), section_map)
    with _admin_search_deferred() as saved:
        try:
            for element in wxr.read(path):
                if isinstance(element, wxr.Channel):
                    importer.channel(element)
                    continue
                try:
                    importer.item(element)
                except Exception as error:
                    report.skipped[f"{element.post_type} (error)"] += 1
                    label = f"{element.post_type} {element.post_id}"
                    report.problems.append((label, f"{type(error).__name__}: {error}"))
                if progress:
                    progress(1)
        except wxr.WXRError as error:
            report.error = str(error)
        importer.finish()
    _admin_search_update(saved)
    if saved:
        planner_statistics_refresh()
    return report


@contextmanager
def _admin_search_deferred():
    """Wagtail's admin search index is not updated object by object during an import; yields what was saved.

    Its SQLite backend recomputes an average over the whole index after every
    object it adds, which made an import slow down as the archive grew: 24 of
    the 58 s it took to add 300 posts to a 29,000-post archive. Wagtail's
    receivers, which queue an index update for each saved object, are
    disconnected meanwhile; what was saved ({model: {pk, …}}: pages, authors,
    images) is indexed in batches at the end (_admin_search_update).
    Receivers belong to the process: anything else it saves meanwhile waits
    for the end too, which suits a command, not a web process.
    """
    saved = defaultdict(set)

    def remember(sender, instance, raw=False, **kwargs):
        if not raw:
            saved[sender].add(instance.pk)

    deferred = [model for model in index.get_indexed_models() if post_save.disconnect(index_saved, sender=model)]
    for model in deferred:
        post_save.connect(remember, sender=model, weak=False)
    try:
        yield saved
    finally:
        for model in deferred:
            post_save.disconnect(remember, sender=model)
            post_save.connect(index_saved, sender=model)


def _admin_search_update(saved, batch_size=500):
    """Index what this import saved in the admin search, a batch at a time, each in its own transaction.

    A task worker may be indexing what editors save meanwhile. The backend
    looks for existing entries and then inserts the others; in one
    transaction (on SQLite, one write lock) the worker cannot add an entry
    in between, which made the insert fail at the end of an import.
    """
    backends = list(get_search_backends(with_auto_update=True))
    for model, pks in saved.items():
        pks = sorted(pks)
        for start in range(0, len(pks), batch_size):
            objects = list(model.get_indexed_objects().filter(pk__in=pks[start : start + batch_size]))
            with transaction.atomic():
                for backend in backends:
                    backend.add_bulk(model, objects)
