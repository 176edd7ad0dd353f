"""schema.org JSON-LD for search engines: NewsArticle, BreadcrumbList, WebSite and NewsMediaOrganization.

Each function returns plain dicts; `json_ld` serializes them for a
`<script type="application/ld+json">` element. URLs are absolute and
percent-encoded (Arabic slugs included), dates are ISO 8601 with offsets.
"""

import json
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from news.models import PublisherSettings

HEADLINE_LIMIT = 110
# Google asks for article images in these aspect ratios, at least 1200 px wide.
ARTICLE_IMAGE_SPECS = ("fill-1200x675", "fill-1200x900", "fill-1200x1200")


def absolute_url(path_or_url: str) -> str:
    """`path_or_url` against SITE_URL, with non-ASCII characters percent-encoded."""
    if not path_or_url.startswith(("http://", "https://")):
        path_or_url = settings.SITE_URL.rstrip("/") + path_or_url
    parts = urlsplit(path_or_url)
    return urlunsplit(parts._replace(path=quote(parts.path, safe="/%"), query=quote(parts.query, safe="=&%")))


def json_ld(*items) -> str:
    """<script> elements for `items`, escaped so that no text can close the element."""
    scripts = []
    for item in items:
        if not item:
            continue
        text = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        scripts.append(f'<script type="application/ld+json">{text}</script>')
    return mark_safe("\n".join(scripts))  # noqa: S308 - JSON with <, > and & escaped above


def headline(title: str) -> str:
    """The title within Google's 110 characters, cut at a word."""
    if len(title) <= HEADLINE_LIMIT:
        return title
    return title[: HEADLINE_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def image_object(image, spec: str) -> dict:
    return _rendition_object(image.get_rendition(spec))


def article_images(image) -> list[dict]:
    """The image in Google's three aspect ratios, in one query."""
    renditions = image.get_renditions(*ARTICLE_IMAGE_SPECS)
    return [_rendition_object(renditions[spec]) for spec in ARTICLE_IMAGE_SPECS]


def _rendition_object(rendition) -> dict:
    return {
        "@type": "ImageObject",
        "url": absolute_url(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
    }


def publisher_info(site) -> dict:
    """What every page says about its publisher, computed once and cached with the menu (see navigation).

    `organization` is the NewsMediaOrganization; `share_image` the fallback
    sharing image (url, width, height, alt) or None.
    """
    publisher = PublisherSettings.for_site(site)
    policies = {schema_property: page for schema_property, _label, page in publisher.policy_pages()}
    share_image = None
    if publisher.share_image:
        rendition = publisher.share_image.get_rendition("fill-1200x630")
        share_image = {
            "url": absolute_url(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "alt": publisher.share_image.default_alt_text or "",
        }
    no_bylines = policies.get("noBylinesPolicy")
    return {
        "organization": organization(site, publisher, policies),
        "share_image": share_image,
        "share_image_object": publisher.share_image and image_object(publisher.share_image, ARTICLE_IMAGE_SPECS[0]),
        "x_handle": publisher.x_handle.lstrip("@"),
        "no_bylines_url": absolute_url(no_bylines.url) if no_bylines else "",
    }


def organization(site, publisher: PublisherSettings, policies) -> dict:
    """The publisher as a NewsMediaOrganization, with its policy pages."""
    data = {
        "@type": "NewsMediaOrganization",
        "@id": absolute_url("/") + "#publisher",
        "name": site.site_name or settings.WAGTAIL_SITE_NAME,
        "url": absolute_url("/"),
    }
    if publisher.logo:
        data["logo"] = image_object(publisher.logo, "max-600x60")
    for schema_property, page in policies.items():
        if schema_property and page is not None:
            data[schema_property] = absolute_url(page.url)
    accounts = [f"https://x.com/{publisher.x_handle.lstrip('@')}"] if publisher.x_handle else []
    accounts += [url for _label, url in publisher.social_accounts()]
    if accounts:
        data["sameAs"] = accounts
    return data


def website(name) -> dict:
    """The site, with a SearchAction so search engines can offer a search box for it."""
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "@id": absolute_url("/") + "#website",
        "url": absolute_url("/"),
        "name": name,
        "inLanguage": "ar",
        "publisher": {"@id": absolute_url("/") + "#publisher"},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute_url(reverse("search:search")) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def home_organization(publisher) -> dict:
    return {"@context": "https://schema.org", **publisher["organization"]}


def breadcrumbs(items) -> dict:
    """A BreadcrumbList of [(name, url)], from the home page down to the current page."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute_url(url)}
            for position, (name, url) in enumerate(items, start=1)
        ],
    }


def credits(authors, desk, *, publisher) -> list[dict]:
    """The named authors as Persons; without any, the desk as an Organization (with the no-bylines policy)."""
    people = [
        {"@type": "Person", "name": author.name, "url": absolute_url(reverse("news:author", args=[author.slug]))}
        for author in authors
    ]
    if desk and not people:
        organization = {
            "@type": "Organization",
            "name": desk.name,
            "url": absolute_url(reverse("news:desk", args=[desk.slug])),
        }
        if publisher["no_bylines_url"]:
            organization["publishingPrinciples"] = publisher["no_bylines_url"]
        people = [organization]
    return people


def news_article(article, *, publisher, authors, section, tags, sources, notes) -> dict:
    """The NewsArticle of an article page; `publisher` is `publisher_info`."""
    url = absolute_url(article.url)
    published = article.first_published_at
    modified = article.updated_at if article.was_updated else published
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url + "#article",
        "headline": headline(article.title),
        "description": strip_tags(article.standfirst),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": "ar",
        "datePublished": localtime(published).isoformat(),
        "dateModified": localtime(modified).isoformat(),
        "author": credits(authors, article.desk, publisher=publisher),
        "publisher": publisher["organization"],
        "articleSection": section.title,
        "isAccessibleForFree": True,
    }
    if article.featured_image:
        data["image"] = article_images(article.featured_image)
    elif publisher["share_image_object"]:
        data["image"] = [publisher["share_image_object"]]
    if tags:
        data["keywords"] = [tag.name for tag in tags]
    if sources:
        data["citation"] = [
            {"@type": "CreativeWork", "name": source.name, **({"url": source.url} if source.url else {})}
            for source in sources
        ]
    if notes:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": note.text,
                "datePublished": localtime(note.published_at).isoformat(),
                "url": url + f"#note-{note.pk}",
            }
            for note in notes
        ]
    return data
