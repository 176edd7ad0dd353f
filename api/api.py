"""The read-only JSON API (django-ninja, which Wagtail already brings): articles, sections, bylines, corrections,
live coverages.

OpenAPI at /api/v1/openapi.json, browsable docs at /api/v1/docs (served
from the app, nothing from a CDN). Every response can be cached by browsers
and CDNs for NASHIR_API_CACHE_SECONDS and carries an ETag; GET only. A
parameter it cannot use (a date out of range, an offset past any archive, a
word where a number goes) gets a 400 whose `detail` says why in Arabic.
"""

import hashlib
from datetime import datetime
from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import HttpResponseNotModified
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.renderers import JSONRenderer
from pydantic import AfterValidator
from wagtail.rich_text import expand_db_html

from api import schemas
from bounds import limits
from corrections.models import CorrectionNote
from live.feeds import public_coverages
from news.models import ArticleAuthor, ArticlePage, Author, Desk, SectionPage
from news.structured_data import absolute_url

IMAGE_SPEC = "fill-1200x675"
PAGE_SIZE = 100
# Deeper than this, a client pages by date (published_before) instead: an
# offset makes the database step over every row before it.
MAX_OFFSET = 1_000_000


class ArabicJSONRenderer(JSONRenderer):
    # Arabic as UTF-8 text, not \u escapes: half the size, and readable.
    json_dumps_params = {"ensure_ascii": False}


class ReadOnlyAPI(NinjaAPI):
    def create_response(self, request, data, *args, **kwargs):
        response = super().create_response(request, data, *args, **kwargs)
        if response.status_code == 200:
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            if etag in request.headers.get("If-None-Match", ""):
                response = HttpResponseNotModified()
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=settings.NASHIR_API_CACHE_SECONDS)
        return response


api = ReadOnlyAPI(
    title="Nashir API",
    version="1",
    description="واجهة قراءة فقط لأخبار الموقع المنشورة وتصحيحاتها. Read-only: published articles, sections, "
    "authors, desks, corrections, and live coverages with their entries. A parameter out of range gets a 400 "
    "whose `detail` says why, in Arabic.",
    urls_namespace="api",
    renderer=ArabicJSONRenderer(),
)


@api.exception_handler(ValidationError)
def parameters_refused(request, error):
    """What django-ninja answers with a 422 and pydantic's English: a 400, in Arabic, naming each parameter."""
    problems = [{"parameter": str(item["loc"][-1]), "message": _refusal(item)} for item in error.errors]
    detail = " ".join(problem["message"] for problem in problems)
    return api.create_response(request, {"detail": detail, "errors": problems}, status=400)


def _refusal(item) -> str:
    kind, context = item.get("type", ""), {**item.get("ctx", {}), "name": item["loc"][-1]}
    if kind.startswith("int_"):
        return _("المعامل %(name)s عدد صحيح، مثل 20.") % context
    if kind == "greater_than_equal":
        return _("المعامل %(name)s لا يقل عن %(ge)s.") % context
    if kind == "less_than_equal":
        return _("المعامل %(name)s لا يزيد على %(le)s.") % context
    if kind.startswith("datetime_"):
        return _("المعامل %(name)s تاريخ مثل 2020-05-17 أو 2020-05-17T09:30:00+03:00.") % context
    if kind == "string_too_long":
        return _("المعامل %(name)s أطول من %(max_length)s حرفًا.") % context
    if kind == "string_pattern_mismatch":
        return _("المعامل %(name)s معرّف من حروف وأرقام وشرطات، كما في روابط الموقع.") % context
    if kind == "value_error":
        return _("المعامل %(name)s: %(error)s") % context
    return _("قيمة المعامل %(name)s غير مقبولة.") % context


def _moment(value: datetime) -> datetime:
    """A moment within the dates the site takes; without a zone, in the site's own."""
    try:
        limits.validate_date(value)
    except DjangoValidationError as error:
        raise ValueError(error.messages[0]) from None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


RowId = Annotated[int, Field(ge=1, le=limits.MAX_ROW_ID)]
Slug = Annotated[str, Field(max_length=255, pattern=r"^[-\w]+$")]
Moment = Annotated[datetime, AfterValidator(_moment)]


class Pagination(LimitOffsetPagination):
    """`limit` and `offset` within bounds, so a request can neither ask for the whole archive nor overflow."""

    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Mapped:
    """A queryset that the paginator slices before each row becomes a dict, so a page loads only its rows."""

    def __init__(self, queryset, function):
        self.queryset, self.function = queryset, function

    def __getitem__(self, window):
        return [self.function(item) for item in self.queryset[window]]

    def __len__(self):
        return self.queryset.count()


class ArticleFilters(Schema):
    section: RowId | None = None
    tag: Slug | None = None
    author: Slug | None = None
    desk: Slug | None = None
    published_after: Moment | None = None
    published_before: Moment | None = None


def _articles():
    return (
        ArticlePage.objects.published()
        .select_related("desk", "featured_image")
        .prefetch_related("tags", Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author")))
        .order_by("-first_published_at", "-pk")
    )


@api.get(
    "/articles",
    response={200: list[schemas.ArticleSummary], 404: schemas.Error},
    tags=["articles"],
    summary="Published articles, newest first",
)
@paginate(Pagination)
def article_list(request, filters: Query[ArticleFilters]):
    articles = _articles().defer("body")
    if filters.section is not None:
        section = SectionPage.objects.published().filter(pk=filters.section).first()
        if section is None:
            raise HttpError(404, "لا يوجد قسم بهذا الرقم.")
        articles = articles.in_section(section).order_by("-section_entries__first_published_at", "-pk")
    if filters.tag:
        articles = articles.filter(tags__slug=filters.tag)
    if filters.author:
        articles = articles.filter(bylines__author__slug=filters.author)
    if filters.desk:
        articles = articles.filter(desk__slug=filters.desk)
    if filters.published_after:
        articles = articles.filter(first_published_at__gte=filters.published_after)
    if filters.published_before:
        articles = articles.filter(first_published_at__lt=filters.published_before)
    sections = _sections_by_path()
    return Mapped(articles, lambda article: _summary(article, sections))


@api.get(
    "/articles/{article_id}",
    response={200: schemas.ArticleDetail, 404: schemas.Error},
    tags=["articles"],
    summary="One published article with its body, sources, corrections and replies",
)
def article_detail(request, article_id: RowId):
    article = _articles().filter(pk=article_id).first()
    if article is None:
        raise HttpError(404, "لا يوجد خبر منشور بهذا الرقم.")
    notes = CorrectionNote.objects.filter(article=article).order_by("published_at")
    return {
        **_summary(article, _sections_by_path()),
        "body": [_block(block) for block in article.body],
        "sources": [{"name": s.name, "url": s.url, "kind": s.kind} for s in article.sources.all()],
        "corrections": [
            {"kind": n.kind, "text": n.text, "published_at": n.published_at, "supersedes": n.supersedes_id}
            for n in notes
        ],
        "replies": [
            {
                "organisation": r.organisation,
                "name": r.name,
                "role": r.role,
                "statement": r.statement,
                "published_at": r.published_at,
            }
            for r in article.published_replies.order_by("published_at")
        ],
    }


@api.get("/sections", response=list[schemas.Section], tags=["sections"], summary="Live sections in tree order")
def section_list(request):
    sections = list(SectionPage.objects.published().order_by("path"))
    by_path = {section.path: section.pk for section in sections}
    return [
        {
            "id": section.pk,
            "title": section.title,
            "description": section.description,
            "url": absolute_url(section.url),
            "parent_id": by_path.get(section.path[: -SectionPage.steplen]),
        }
        for section in sections
    ]


@api.get("/authors", response=list[schemas.Author], tags=["bylines"], summary="Authors")
@paginate(Pagination)
def author_list(request):
    return Mapped(
        Author.objects.order_by("name"),
        lambda author: {**_link(author, "news:author"), "role": author.role, "bio": author.bio},
    )


@api.get("/desks", response=list[schemas.Desk], tags=["bylines"], summary="Desks (bylines of the newsroom)")
@paginate(Pagination)
def desk_list(request):
    return Mapped(
        Desk.objects.order_by("name"), lambda desk: {**_link(desk, "news:desk"), "description": desk.description}
    )


@api.get(
    "/corrections", response=list[schemas.CorrectionEntry], tags=["corrections"], summary="Corrections, newest first"
)
@paginate(Pagination)
def correction_list(request):
    notes = CorrectionNote.objects.published().select_related("article").order_by("-published_at", "-pk")
    return Mapped(
        notes,
        lambda note: {
            "id": note.pk,
            "kind": note.kind,
            "text": note.text,
            "published_at": note.published_at,
            "article": {"id": note.article_id, "title": note.article.title, "url": absolute_url(note.article.url)},
        },
    )


@api.get("/live", response=list[schemas.Coverage], tags=["live"], summary="Live coverages, newest first")
@paginate(Pagination)
def coverage_list(request):
    sections = _sections_by_path()
    return Mapped(public_coverages().order_by("-first_published_at", "-pk"), lambda c: _coverage(c, sections))


@api.get(
    "/live/{coverage_id}",
    response={200: schemas.Coverage, 404: schemas.Error},
    tags=["live"],
    summary="One live coverage",
)
def coverage_detail(request, coverage_id: RowId):
    return _coverage(_public_coverage(coverage_id), _sections_by_path())


@api.get(
    "/live/{coverage_id}/entries",
    response={200: list[schemas.LiveEntry], 404: schemas.Error},
    tags=["live"],
    summary="A coverage's published entries, newest first; `after` (an entry's id) for those published since it",
)
@paginate(Pagination)
def coverage_entries(request, coverage_id: RowId, after: RowId | None = None):
    coverage = _public_coverage(coverage_id)
    entries = coverage.published_entries()
    if after is not None:
        anchor = coverage.entries.published().filter(pk=after).first()
        if anchor is None:
            raise HttpError(404, "لا يوجد تحديث منشور بهذا الرقم في هذه التغطية.")
        entries = entries.published_after(anchor)
    url = absolute_url(coverage.url)
    return Mapped(entries.newest_first(), lambda entry: _entry(entry, url))


def _public_coverage(coverage_id):
    coverage = public_coverages().filter(pk=coverage_id).first()
    if coverage is None:
        raise HttpError(404, "لا توجد تغطية مباشرة منشورة بهذا الرقم.")
    return coverage


def _coverage(coverage, sections):
    section = sections.get(coverage.path[: -coverage.steplen])
    return {
        "id": coverage.pk,
        "title": coverage.title,
        "summary": coverage.summary,
        "url": absolute_url(coverage.url),
        "is_open": coverage.is_open,
        "first_published_at": coverage.first_published_at,
        "last_entry_at": coverage.newest_entry,
        "section": _section(section),
        "desk": _link(coverage.desk, "news:desk") if coverage.desk else None,
        "image": _image(coverage.lead_image),
        "entries": absolute_url(reverse("api:coverage_entries", args=[coverage.pk])),
        "feed": absolute_url(reverse("live:feed", args=[coverage.pk])),
    }


def _entry(entry, coverage_url):
    return {
        "id": entry.pk,
        "headline": entry.headline,
        "body": expand_db_html(entry.body),
        "posted_at": entry.posted_at,
        "published_at": entry.published_at,
        "pinned": entry.pinned,
        "url": coverage_url + entry.anchor(),
        "author": _link(entry.author, "news:author") if entry.author else None,
        "image": _image(entry.image),
        "sources": [{"name": source.name, "url": source.url} for source in entry.sources.all()],
        "corrections": [{"text": note.text, "published_at": note.published_at} for note in entry.corrections.all()],
    }


def _image(image):
    if image is None:
        return None
    rendition = image.get_rendition(IMAGE_SPEC)
    return {
        "url": absolute_url(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": image.default_alt_text or "",
    }


def _section(section):
    # None for a story whose section was unpublished without it (it is still live, and still served).
    if section is None:
        return None
    return {"id": section.pk, "title": section.title, "url": absolute_url(section.url)}


def _sections_by_path():
    return {section.path: section for section in SectionPage.objects.live().only("pk", "title", "path", "url_path")}


def _summary(article, sections):
    section = sections.get(article.path[: -ArticlePage.steplen])
    image = _image(article.featured_image)
    return {
        "id": article.pk,
        "title": article.title,
        "standfirst": article.standfirst,
        "url": absolute_url(article.url),
        "short_url": absolute_url(reverse("news:short_link", args=[article.pk])),
        "first_published_at": article.first_published_at,
        "updated_at": article.updated_at if article.was_updated else None,
        "section": _section(section),
        "authors": [_link(byline.author, "news:author") for byline in article.bylines.all()],
        "desk": _link(article.desk, "news:desk") if article.desk else None,
        "tags": [tag.name for tag in article.tags.all()],
        "image": image,
    }


def _link(entity, url_name):
    return {"name": entity.name, "slug": entity.slug, "url": absolute_url(reverse(url_name, args=[entity.slug]))}


def _block(block):
    value = block.value
    if block.block_type == "paragraph":
        return {"type": "paragraph", "value": expand_db_html(value.source)}
    if block.block_type == "heading":
        return {"type": "heading", "value": value}
    if block.block_type == "quote":
        return {
            "type": "quote",
            "value": {key: value[key] or "" for key in ("text", "speaker", "source", "source_url")},
        }
    if block.block_type == "image":
        rendition = value["image"].get_rendition("width-1200")
        return {
            "type": "image",
            "value": {
                "url": absolute_url(rendition.url),
                "width": rendition.width,
                "height": rendition.height,
                "alt": value["alt_text"],
                "caption": value["caption"],
                "credit": value["credit"],
            },
        }
    if block.block_type == "list":
        return {"type": "list", "value": {"ordered": bool(value["ordered"]), "items": list(value["items"])}}
    return {
        "type": "embed",
        "value": {"url": value["embed"].url if value["embed"] else "", "caption": value["caption"]},
    }
