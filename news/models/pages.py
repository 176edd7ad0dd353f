"""The page tree: one home page, nestable sections, and articles inside sections."""

import copy
import functools
import html
import re
from collections import Counter

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Length, Substr
from django.http import HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.redirects.models import Redirect
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from news.blocks import ArticleBodyBlock
from news.forms import ArticlePageForm, NewsPageForm
from pagecache.fragments import PUBLICATION_KEPT_SECONDS, fragment, kept
from pagecache.memo import any_view_restriction, site_wide
from pagecache.store import CONTENT, SITE, article_tag, discussion_tag, tag_request

# Where rich text breaks a line: kept as a line break in plain text so words don't run together.
BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|h[1-6]|li|blockquote)>", re.IGNORECASE)
# How many recent tagged stories are weighed when picking related ones.
RELATED_TAG_WINDOW = 200


def readable_by_anyone(relation: str = "") -> Q:
    """The one rule for what the public may see: live, and neither the page nor one above it restricted.

    A page under a view restriction (password, logged-in readers, groups)
    answers with a login or password form; every list, feed, sitemap, search
    result and API answer must hide it the same way, and with it whatever is
    shown beside it (the corrections log lists notes on articles). `relation`
    applies the rule to the page a row points at, e.g. "article__".

    Whether any restriction exists is read when this is called: build the
    query for each request, never once at import.
    """
    live = Q(**{f"{relation}live": True})
    if not any_view_restriction():
        return live  # most sites restrict nothing: no subquery to build and run
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef(f"{relation}path"), 1, Length("page__path")),
    )
    return live & ~Exists(restricted)


class PublishedPageQuerySet(PageQuerySet):
    def published(self):
        """Pages that anyone may read (`readable_by_anyone`).

        Unlike Wagtail's `public()`, which first loads every view restriction,
        this excludes restricted subtrees inside the same query.
        """
        return self.filter(readable_by_anyone())


class FewPagesManager(PageManager.from_queryset(PublishedPageQuerySet)):
    """For page types with few pages (the home page, sections): queries start from the type's own table.

    Pages are ordered by tree path by default, and treebeard filters the tree
    with `path LIKE 'prefix%'`, which SQLite cannot answer from an index: to
    save a sort of a few rows, SQLite walks the path index of every page in
    the archive (50 ms at 100,000 articles). Restricting to the ids in the
    type's own table makes it look up those few pages and sort them instead.
    """

    def get_queryset(self):
        own_ids = models.QuerySet(self.model).values("pk")
        return super().get_queryset().filter(pk__in=own_ids)


class RestrictionsMixin:
    """Wagtail looks up a page's view restrictions each time it serves it (two queries); most sites have none."""

    def get_view_restrictions(self):
        if not any_view_restriction():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class TypedRoutingMixin:
    """Route to a child in one query of its own type.

    Wagtail's default routing loads each path segment twice (the base page,
    then its specific type); the news tree knows which types live where.
    """

    def route(self, request, path_components):
        if path_components:
            slug, remaining = path_components[0], path_components[1:]
            candidates = [SectionPage.objects.all()]
            if not remaining and self.specific_class is SectionPage:
                candidates.insert(0, ArticlePage.objects.select_related("desk"))
            for queryset in candidates:
                child = queryset.child_of(self).filter(slug=slug).first()
                if child is not None:
                    return child.route(request, remaining)
        return super().route(request, path_components)


@functools.cache
def _article_at_sql() -> str:
    """The query for the article at an address (its slug, then its full path), built once per process.

    Building the ORM's SQL for an article (some 45 columns of two tables)
    costs several times what running it does, on every request for an
    article. Unordered: the address names one page, and Django's ordering by
    path costs more to build than to run. The desk is not joined: a render
    shows it only in the kept header and structured data.
    """
    articles = ArticlePage.objects.filter(slug="", url_path="").order_by()[:1]
    sql, _params = articles.query.sql_with_params()
    return sql


class HomePage(RestrictionsMixin, TypedRoutingMixin, Page):
    lead_article = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("الخبر الرئيسي"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("إذا تُرك فارغًا يظهر أحدث خبر منشور."),
    )
    opinion_section = models.ForeignKey(
        "news.SectionPage",
        verbose_name=_("قسم الرأي"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("تظهر أحدث مقالاته مع صور كتّابها في عمود جانبي من الصفحة الرئيسية، لا في كتلة أقسام."),
    )

    content_panels = Page.content_panels + [FieldPanel("lead_article"), FieldPanel("opinion_section")]

    objects = FewPagesManager()

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage", "news.AboutPage"]
    max_count = 1
    base_form_class = NewsPageForm

    class Meta:
        verbose_name = _("الصفحة الرئيسية")

    def route(self, request, path_components):
        # Most requests are for articles, and an article's address is unique:
        # one indexed query (slug, then the full path) instead of one per section on the way.
        if len(path_components) >= 2:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            for article in ArticlePage.objects.raw(_article_at_sql(), [path_components[-1], url_path]):
                return article.route(request, [])
        return super().route(request, path_components)

    def serve(self, request, *args, **kwargs):
        # WordPress's "?p=123" and "?page_id=45" links point at the home page, which exists, so the
        # redirects middleware (it acts on 404s only) never sees them.
        if request.GET.get("p", "").isdigit() or request.GET.get("page_id", "").isdigit():
            old_path = Redirect.normalise_path(request.get_full_path())
            redirect = Redirect.get_for_site(self.get_site()).filter(old_path=old_path).first()
            if redirect is not None and redirect.link:
                return HttpResponsePermanentRedirect(redirect.link)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        # Imported here: these modules build on these models.
        from news import cards, listings

        context = super().get_context(request, *args, **kwargs)
        lead, latest, blocks = listings.home_rows(self, request)
        lead_cards, latest_cards, *block_cards = cards.card_lists(
            [
                ([lead] if lead else [], {"lead": True, "heading_tag": "h2", "show_standfirst": True}),
                (latest, {}),
                *((rows, {}) for _section, rows in blocks),
            ],
            request=request,
        )
        context.update(
            lead_card=next(iter(lead_cards), None),
            latest_cards=latest_cards,
            section_blocks=[
                (section, section_cards)
                for (section, _rows), section_cards in zip(blocks, block_cards, strict=True)
                if section_cards
            ],
        )
        return context


class SectionPage(RestrictionsMixin, TypedRoutingMixin, Page):
    description = models.TextField(_("وصف القسم"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("description")]

    objects = FewPagesManager()

    parent_page_types = ["news.HomePage", "news.SectionPage"]
    # Page types of the apps above (live coverage) are named in the settings, not here.
    subpage_types = ["news.SectionPage", "news.ArticlePage", *settings.NASHIR_SECTION_CHILD_PAGE_TYPES]
    base_form_class = NewsPageForm
    # A new top-level section appears in the header and gets a block on the home page.
    show_in_menus_default = True

    class Meta:
        verbose_name = _("قسم")
        verbose_name_plural = _("الأقسام")

    @classmethod
    def in_menu_under(cls, root) -> list["SectionPage"]:
        """The live sections in the menu directly under `root`, in tree order (kept per process: see pagecache.memo)."""

        def sections():
            return list(cls.objects.child_of(root).published().in_menu().order_by("path"))

        return [copy.copy(section) for section in site_wide(("menu-sections", root.pk), sections)]

    def get_context(self, request, *args, **kwargs):
        # Imported here: it builds on these models.
        from news import listings

        context = super().get_context(request, *args, **kwargs)
        page_obj, cards = listings.section_cards(request, self)

        def around():
            # Sections move, are renamed or published with the site's tag.
            subsections = list(SectionPage.objects.child_of(self).published().order_by("path"))
            return {"breadcrumbs": list(self.get_ancestors()[1:]), "subsections": subsections}

        context.update(
            **kept("section-around", vary=[self.pk], tags=[SITE], compute=around),
            page_obj=page_obj,
            cards=cards,
        )
        return context


class ArticlePageQuerySet(PublishedPageQuerySet):
    def in_section(self, section):
        """Articles filed anywhere under `section`, newest first.

        Read through `SectionArticle`'s (section, date) index: treebeard's
        `descendant_of` is a `path LIKE 'prefix%'` that SQLite cannot answer
        from the path index, so "the newest 4 of a small section" walked the
        date index across the whole archive.
        """
        return self.filter(section_entries__section=section).order_by("-section_entries__first_published_at")

    def for_listing(self):
        """What a card in a list needs, loaded in a fixed number of queries.

        The body, the largest column, is left in the database: no card shows it.
        """
        return (
            self.defer("body")
            .select_related("desk", "featured_image")
            .annotate(**card_annotations())
            .prefetch_related(Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author")))
        )

    def card_rows(self):
        """What tells whether each article's card is kept (news.cards), without loading the articles."""
        annotations = card_annotations()
        return self.annotate(**annotations).values(
            "pk", "live_revision_id", "last_published_at", "first_published_at", *annotations
        )


def card_annotations() -> dict:
    """Figures other apps show on each article's card, by name (comments: `comment_count`).

    Registered with the Wagtail hook `article_card_annotations` as functions
    returning {name: query expression over the article}; a card is kept until
    one of them changes (news.cards).
    """
    annotations = {}
    for annotate in hooks.get_hooks("article_card_annotations"):
        annotations.update(annotate())
    return annotations


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(RestrictionsMixin, Page):
    standfirst = models.TextField(
        _("المقدمة"),
        max_length=600,
        help_text=_("تظهر تحت العنوان وفي قوائم الأخبار ونتائج البحث."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("نص الخبر"))
    desk = models.ForeignKey(
        "news.Desk",
        verbose_name=_("قسم التحرير"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_("يُوقَّع الخبر باسم القسم عندما لا يُذكر كاتب."),
    )
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("الوسوم"))
    featured_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("الصورة الرئيسية"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    featured_image_caption = models.CharField(_("تعليق الصورة الرئيسية"), max_length=255, blank=True)
    # Moves only on a substantive change: an edit the editor marks as one, or a
    # published correction, clarification or reply. Never on a re-save.
    updated_at = models.DateTimeField(_("آخر تحديث"), null=True, blank=True, editable=False)
    view_count = models.PositiveIntegerField(_("عدد المشاهدات"), default=0, editable=False)
    comments_open = models.BooleanField(_("التعليقات مفتوحة"), default=True)
    # The key of the record this article was imported from (a JSONL line, a
    # WordPress post), so that re-running an import updates instead of duplicating.
    external_id = models.CharField(max_length=255, unique=True, null=True, blank=True, editable=False)
    # «متابعة»: the earlier story this one develops; both pages show the chain (news/follow_ups.py).
    follows = models.ForeignKey(
        "self",
        verbose_name=_("متابعة لخبر"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        help_text=_("الخبر السابق الذي يتابعه هذا الخبر؛ يظهر على الخبرين تسلسل القصة ويُنبَّه قارئ الخبر الأقدم."),
    )

    objects = ArticlePageManager()

    content_panels = [
        FieldPanel("title", heading=_("العنوان الرئيسي")),
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [InlinePanel("bylines", label=_("كاتب"), heading=_("الكتّاب")), FieldPanel("desk")],
            heading=_("التوقيع"),
        ),
        MultiFieldPanel(
            [FieldPanel("featured_image"), FieldPanel("featured_image_caption")], heading=_("الصورة الرئيسية")
        ),
        FieldPanel("body"),
        InlinePanel("sources", label=_("مصدر"), heading=_("المصادر")),
        FieldPanel("tags"),
        PageChooserPanel("follows", page_type="news.ArticlePage"),
        FieldPanel("substantive_update"),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("comments_open")]

    search_fields = Page.search_fields + [
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.FilterField("first_published_at"),
    ]

    parent_page_types = ["news.SectionPage"]
    subpage_types = []
    base_form_class = ArticlePageForm
    exclude_fields_in_copy = ["view_count", "external_id"]

    class Meta:
        verbose_name = _("خبر")
        verbose_name_plural = _("الأخبار")

    def with_content_json(self, content):
        # Revisions carry the view count and update time as they were when
        # saved, and this instance may be stale too: publishing must not roll
        # the live values back, so read them from the database.
        page = super().with_content_json(content)
        live = ArticlePage.objects.filter(pk=self.pk).values("view_count", "external_id", "updated_at").first()
        if live:
            page.view_count, page.external_id = live["view_count"], live["external_id"]
            if live["updated_at"] and (page.updated_at is None or page.updated_at < live["updated_at"]):
                page.updated_at = live["updated_at"]
        return page

    # The providers' frames are allowed only where a reader can ask for one (nashir.middleware);
    # a preview is rendered without serve(), so both mark their response.
    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        response.shows_embeds = self.has_embeds()
        return response

    def serve_preview(self, request, mode_name):
        response = super().serve_preview(request, mode_name)
        response.shows_embeds = self.has_embeds()
        return response

    def has_embeds(self) -> bool:
        # The stored blocks' types, without making each block's value as the page shows it.
        return any(block["type"] == "embed" for block in self.body.raw_data)

    @property
    def authors(self):
        return [byline.author for byline in self.bylines.all()]

    def body_text(self):
        """The body as plain text, a paragraph per block: what search indexes and snippets quote."""
        parts = []
        for block in self.body:
            value = block.value
            if block.block_type == "paragraph":
                parts.append(html.unescape(strip_tags(BLOCK_END.sub("\n", value.source))))
            elif block.block_type == "heading":
                parts.append(value)
            elif block.block_type == "quote":
                parts.extend([value["text"], value["speaker"]])
            elif block.block_type == "list":
                parts.extend(value["items"])
            elif block.block_type in ("image", "embed"):
                parts.append(value["caption"])
        return "\n\n".join(part.strip() for part in parts if part and part.strip())

    @property
    def was_updated(self):
        """True when the story changed substantively after it first went out."""
        return bool(self.updated_at and self.first_published_at and self.updated_at > self.first_published_at)

    def related_articles(self, *, tags, section, limit=4):
        """Stories sharing the most of `tags` (among the recent ones), then the newest in `section`.

        Both candidate lists are read through indexes with a limit, so the cost
        does not grow with the size of the section or the popularity of a tag.
        """
        shared = Counter()
        if tags:
            tagged = (
                ArticleTag.objects.filter(readable_by_anyone("content_object__"), tag__in=tags)
                .exclude(content_object_id=self.pk)
                .order_by("-content_object__first_published_at")
                .values_list("content_object_id", flat=True)[:RELATED_TAG_WINDOW]
            )
            shared.update(tagged)
        by_tags = [pk for pk, _ in shared.most_common(limit)]
        siblings = ArticlePage.objects.published().in_section(section).exclude(pk=self.pk).values("pk")[:limit]
        # The related cards show no byline, so nothing more is loaded for them.
        candidates = (
            ArticlePage.objects.published()
            .filter(Q(pk__in=by_tags) | Q(pk__in=siblings))
            .defer("body")
            .select_related("featured_image")
        )
        rank = {pk: index for index, pk in enumerate(by_tags)}
        ordered = sorted(candidates, key=lambda a: (rank.get(a.pk, limit), -a.first_published_at.timestamp()))
        return ordered[:limit]

    def get_context(self, request, *args, **kwargs):
        # Stored for readers until this article, or what others added to it (comments, notes), changes.
        tag_request(request, article_tag(self.pk), discussion_tag(self.pk))
        context = super().get_context(request, *args, **kwargs)
        record = self._record(request)
        context.update(
            **record,
            section=record["breadcrumbs"][-1],
            **self._fragments(request, tags=record["article_tags"], section=record["breadcrumbs"][-1]),
        )
        # What other apps show on the page (comments, corrections and replies), registered in their
        # wagtail_hooks.py as fn(page, request, **kwargs) returning a dict; the keyword arguments are
        # those given to `serve` (the comments view passes a reader's bound form).
        for contribute in hooks.get_hooks("article_page_context"):
            context.update(contribute(self, request, **kwargs))
        return context

    def _is_live_view(self, request):
        """A reader's view of the published article, which may reuse kept parts (a preview may not)."""
        return bool(self.live and self.pk and not getattr(request, "is_preview", False))

    def _version(self):
        published = self.last_published_at.timestamp() if self.last_published_at else None
        return [self.pk, self.live_revision_id, published]

    def _record(self, request):
        """The rows the page shows beside the article's own fields: sections, bylines, sources, tags, follow-ups."""

        def compute():
            from news.follow_ups import story_chain

            return {
                "story_chain": story_chain(self, request),
                "breadcrumbs": list(self.get_ancestors()[1:]),
                "authors": [byline.author for byline in self.bylines.select_related("author")],
                "sources": list(self.sources.all()),
                "article_tags": list(self.tags.all()),
            }

        if not self._is_live_view(request):
            return compute()
        # Publishing or saving the live article bumps its tag; a moved or renamed section, an author, the site's.
        return kept(
            "record",
            vary=self._version(),
            tags=[SITE, article_tag(self.pk)],
            compute=compute,
            seconds=PUBLICATION_KEPT_SECONDS,
        )

    def _fragments(self, request, *, tags, section):
        """The body and the related stories, rendered, or kept from an earlier render of this version."""

        def body():
            return render_to_string("news/_article_body.html", {"page": self, "request": request})

        def related():
            articles = self.related_articles(tags=tags, section=section)
            return render_to_string("news/_related_articles.html", {"related_articles": articles, "request": request})

        if not self._is_live_view(request):
            return {"article_body": body(), "related_stories": related()}
        return {
            # A new revision or a save of the live article (its tag) renders the body again; a comment does not.
            "article_body": self.kept_part("body", request, render=body),
            # Any article published or withdrawn may change the related stories.
            "related_stories": fragment("related", vary=[self.pk], tags=[SITE, CONTENT], render=related),
        }

    def kept_part(self, name, request, *, render, vary=(), discussion=False):
        """HTML of this version of the article that `render()` makes from a template, kept between renders.

        Kept until the article is saved or published (its tag) or the site
        changes (sections, authors, settings), and with `discussion` until
        what others added to it changes too (correction notes, comments); a
        preview renders it afresh. `vary`: whatever else it depends on.
        """
        if not self._is_live_view(request):
            return render()
        tags = [SITE, article_tag(self.pk), *([discussion_tag(self.pk)] if discussion else [])]
        return fragment(
            name, vary=[*self._version(), *vary], tags=tags, render=render, seconds=PUBLICATION_KEPT_SECONDS
        )


class SectionArticle(models.Model):
    """An article filed under a section, directly or through a subsection: one row per such section.

    Derived from the page tree (`news.listings.section_entries_sync` keeps it)
    so that listings by section read the (section, date) index instead of the
    tree, and a section's articles are counted from the index alone. Only
    live articles have rows; listings still filter on `live` as well.
    """

    # Both keys are served by the indexes below.
    section = models.ForeignKey(SectionPage, on_delete=models.CASCADE, related_name="+", db_index=False)
    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="section_entries", db_index=False)
    first_published_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "section"], name="news_sectionarticle_unique")]
        indexes = [models.Index(fields=["section", "first_published_at"], name="news_sectionarticle_newest")]

    def __str__(self):
        return f"{self.section_id} → {self.article_id}"


class ArticleAuthor(Orderable):
    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        "news.Author", verbose_name=_("الكاتب"), on_delete=models.PROTECT, related_name="bylines"
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = _("كاتب")
        verbose_name_plural = _("الكتّاب")


class SourceKind(models.TextChoices):
    NEWSPAPER = "newspaper", _("صحيفة")
    OFFICIAL_STATEMENT = "statement", _("بيان رسمي")
    NEWS_AGENCY = "agency", _("وكالة أنباء")
    BROADCASTER = "broadcaster", _("قناة أو إذاعة")
    SOCIAL_MEDIA = "social", _("وسائل التواصل الاجتماعي")
    DOCUMENT = "document", _("وثيقة")


class ArticleSource(Orderable):
    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="sources")
    name = models.CharField(_("اسم المصدر"), max_length=200, help_text=_("مثال: صحيفة عكاظ"))
    url = models.URLField(_("الرابط"), max_length=500, blank=True)
    kind = models.CharField(_("النوع"), max_length=20, choices=SourceKind.choices, default=SourceKind.NEWSPAPER)

    panels = [FieldPanel("name"), FieldPanel("url"), FieldPanel("kind")]

    class Meta(Orderable.Meta):
        verbose_name = _("مصدر")
        verbose_name_plural = _("المصادر")

    def __str__(self):
        return self.name
