"""The site's header and footer, article cards, sharing, canonical links, structured data and reading time."""

import functools
import math
from urllib.parse import quote

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext
from wagtail import hooks

from bounds.limits import MAX_ROW_ID, whole_number
from news import cards, structured_data
from news.models import ArticlePage
from pagecache.fragments import fragment
from pagecache.store import SITE

register = template.Library()

DESCRIPTION_LIMIT = 300
# Adults read Arabic aloud at about 138 words a minute (IReST, Trauzettel-Klosinski and
# Dietz 2012), and read silently about a third faster than aloud (Brysbaert 2019: 238
# against 183 in English): some 180 words a minute. Arabic words are long (clitics and
# pronouns are written joined), so the English habit of 200-250 would promise too little.
ARABIC_WORDS_PER_MINUTE = 180
# Where the footer shows the link to the page's lite edition.
EDITION_LINK_SLOT = mark_safe("<!-- edition link -->")
# Where the article's kept header shows the view count.
VIEW_COUNT_SLOT = mark_safe("<!-- view count -->")


@register.simple_tag(takes_context=True)
def article_card(context, article, **options):
    """An article's card in a list, kept rendered (news.cards)."""
    return cards.card(article, request=context.get("request"), **options)


@register.simple_tag(takes_context=True)
def site_chrome(context, part):
    """The site's header or footer, kept rendered: every page shows the same but for its current section."""
    page = context.get("page")
    values = {
        "site_name": context.get("site_name", ""),
        "menu_sections": context.get("menu_sections", []),
        "about_pages": context.get("about_pages", []),
        "footer_columns": context.get("footer_columns", []),
        "social_accounts": context.get("social_accounts", []),
        # Top-level sections are the home page's children: three steps of four in the tree path.
        "current_section_path": (getattr(page, "path", "") or "")[:12],
    }

    def render():
        return render_to_string(f"_site_{part}.html", {**values, "edition_link": EDITION_LINK_SLOT})

    # Kept under what it is made of, so a renamed section or a new about page is a new copy.
    html = fragment(f"chrome-{part}", vary=[repr(value) for value in values.values()], tags=[SITE], render=render)
    if EDITION_LINK_SLOT not in html:
        return html
    # The link to this page's lite edition names this page: filled in after the copy kept for every page.
    link = render_to_string("lite/_edition_link.html", {"request": context.get("request")})
    return mark_safe(html.replace(EDITION_LINK_SLOT, link))  # noqa: S308 - both from templates


@register.inclusion_tag("news/_sharing_meta.html", takes_context=True)
def sharing_meta(context, *, title="", description="", canonical=True, image=None, image_alt=""):
    """Canonical link, OpenGraph and X (Twitter) card tags for the page being rendered.

    An article's card shows its own image; another page's shows `image` (a Wagtail image), if given.
    """
    request = context["request"]
    page = context.get("page")
    publisher = context.get("publisher") or {}
    title = title or (page and (page.seo_title or page.title)) or context.get("site_name", "")
    description = description or (page and (page.search_description or getattr(page, "standfirst", ""))) or ""
    path = (page.get_url(request) if page is not None else None) or request.path
    number = whole_number(request.GET.get("page", ""), minimum=2, maximum=MAX_ROW_ID)
    url = structured_data.absolute_url(path + (f"?page={number}" if number else ""))
    meta = {
        "canonical": url if canonical else "",
        "url": url,
        "title": title,
        "description": Truncator(strip_tags(description)).chars(DESCRIPTION_LIMIT),
        "site_name": context.get("site_name", ""),
        "x_handle": publisher.get("x_handle", ""),
        "type": "website",
        "image": publisher.get("share_image"),
    }
    article = page if isinstance(page, ArticlePage) else None
    if article is not None:
        meta.update(
            type="article",
            published=article.first_published_at,
            modified=article.updated_at if article.was_updated else article.first_published_at,
            section=context.get("section"),
            tags=context.get("article_tags", []),
        )
        if article.featured_image:
            meta["image"] = _share_image(article.featured_image, alt=article.featured_image_caption)
    elif image is not None:
        meta["image"] = _share_image(image, alt=image_alt)
    return meta


def _share_image(image, *, alt):
    rendition = image.get_rendition("fill-1200x630")
    return {
        "url": structured_data.absolute_url(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": image.default_alt_text or alt,
    }


@register.simple_tag(takes_context=True)
def article_structured_data(context):
    page, publisher, request = context["page"], context["publisher"], context["request"]
    if getattr(request, "is_preview", False) or not page.first_published_at:
        return ""  # a preview is for the editor: no address or date to describe yet
    crumbs = [(ancestor.title, ancestor.get_url(request)) for ancestor in context["breadcrumbs"][1:]]
    return structured_data.json_ld(
        structured_data.news_article(
            page,
            publisher=publisher,
            authors=context["authors"],
            section=context["section"],
            tags=context["article_tags"],
            sources=context["sources"],
            notes=context.get("correction_notes", []),
        ),
        structured_data.breadcrumbs([(context["site_name"], "/"), *crumbs, (page.title, page.get_url(request))]),
    )


@register.simple_tag(takes_context=True)
def article_head(context):
    """The article's sharing tags and structured data, kept with the article until it or its discussion changes.

    About a quarter of a render whose body is kept: the share image's
    rendition, the JSON-LD with the correction notes. The page number of a
    stray `?page=` is part of the canonical address, so of the key too.
    """
    page, request = context["page"], context["request"]

    def render():
        meta = render_to_string("news/_sharing_meta.html", sharing_meta(context))
        return meta + article_structured_data(context)

    return page.kept_part("head", request, render=render, vary=[request.GET.get("page", "")], discussion=True)


@register.simple_tag(takes_context=True)
def article_figure(context):
    """The article's lead photo in its three sizes, kept with the article (an edited image is the site's change)."""
    page, request = context["page"], context["request"]
    return page.kept_part(
        "figure", request, render=lambda: render_to_string("news/_article_figure.html", {"page": page})
    )


@register.simple_tag(takes_context=True)
def article_kept(context, template_name):
    """A part of the article page made of the article's own version and the rows `_record` keeps, kept.

    Breadcrumbs, sources and tags: what they show changes only with the
    article (its tag) or the site (sections, authors), as the record does.
    """
    page, request = context["page"], context["request"]
    template = context.template.engine.get_template(template_name)
    return page.kept_part(template_name, request, render=lambda: template.render(context))


@register.simple_tag(takes_context=True)
def article_header(context):
    """The article's header, kept with the article; its view count, which every read changes, filled in after."""
    page, request = context["page"], context["request"]
    engine = context.template.engine
    # A published correction note moves `updated_at` without a new revision (corrections.services).
    updated = page.updated_at.isoformat() if page.updated_at else ""
    with context.push(view_count_slot=VIEW_COUNT_SLOT):
        header = page.kept_part(
            "header",
            request,
            render=lambda: engine.get_template("news/_article_header.html").render(context),
            vary=[updated],
        )
    views = engine.get_template("news/_article_views.html").render(context)
    return mark_safe(header.replace(VIEW_COUNT_SLOT, views))  # noqa: S308 - both from templates


@register.simple_tag(takes_context=True)
def article_share_links(context):
    """`share_links`, kept with the article: its address and title."""
    page, request = context["page"], context["request"]
    return page.kept_part("share", request, render=lambda: render_to_string("news/_share.html", share_links(context)))


@register.simple_tag(takes_context=True)
def section_structured_data(context):
    page, request = context["page"], context["request"]
    # The page's breadcrumbs, without the home page.
    crumbs = [(ancestor.title, ancestor.get_url(request)) for ancestor in context["breadcrumbs"][1:]]
    return structured_data.json_ld(
        structured_data.breadcrumbs([(context["site_name"], "/"), *crumbs, (page.title, page.get_url(request))])
    )


@register.simple_tag(takes_context=True)
def home_structured_data(context):
    return structured_data.json_ld(
        structured_data.website(context["site_name"]),
        structured_data.home_organization(context["publisher"]),
    )


@register.filter
def reading_minutes(article):
    """Whole minutes to read the article's standfirst and body, at least one."""
    words = len(f"{article.standfirst} {article.body_text()}".split())
    return max(1, math.ceil(words / ARABIC_WORDS_PER_MINUTE))


@register.inclusion_tag("news/_share.html", takes_context=True)
def share_links(context):
    """Plain links to share the article: nothing loads from another site until the reader clicks one."""
    page = context["page"]
    url = structured_data.absolute_url(page.get_url(context["request"]))
    title = page.seo_title or page.title

    def query(**params):
        # Every parameter percent-encoded in full (spaces as %20, as mailto: needs too).
        return "&".join(f"{name}={quote(value, safe='')}" for name, value in params.items())

    return {
        "url": url,
        "short_url": structured_data.absolute_url(reverse("news:short_link", args=[page.pk])),
        "links": [
            ("whatsapp", gettext("واتساب"), "https://wa.me/?" + query(text=f"{title} {url}")),
            ("telegram", gettext("تيليغرام"), "https://t.me/share/url?" + query(url=url, text=title)),
            ("x", gettext("إكس"), "https://x.com/intent/post?" + query(url=url, text=title)),
            ("facebook", gettext("فيسبوك"), "https://www.facebook.com/sharer/sharer.php?" + query(u=url)),
            ("email", gettext("البريد الإلكتروني"), "mailto:?" + query(subject=title, body=f"{title}\n{url}")),
        ],
    }


@register.simple_tag(takes_context=True)
def article_parts(context, slot):
    """What other apps show on the article page at `slot`, rendered with the page's context.

    Apps register with the Wagtail hook `article_page_parts` a function that
    returns (slot, template name) pairs: "head", "after_body",
    "reader_actions" (not in previews), "after_article" and "aside" (beside
    the story on a wide screen, after it on a phone). The news app
    names none of them; each part's data comes from `article_page_context`.
    A third item keeps the part rendered with the article (`kept_part`):
    "article" for a part made of the article's own fields alone, "discussion"
    for one that shows what others added to it too (correction notes, replies).
    """
    engine = context.template.engine
    page, request = context["page"], context["request"]
    html = []
    for register_parts in hooks.get_hooks("article_page_parts"):
        for where, name, *kept_with in register_parts():
            if where != slot:
                continue
            template = engine.get_template(name)
            if kept_with:
                discussion = kept_with[0] == "discussion"
                render = functools.partial(template.render, context)
                html.append(page.kept_part(name, request, render=render, discussion=discussion))
            else:
                html.append(template.render(context))
    return mark_safe("".join(html))  # noqa: S308 - templates
