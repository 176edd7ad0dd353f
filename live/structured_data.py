"""The coverage as a schema.org LiveBlogPosting, built with the articles' helpers (news.structured_data)."""

from django.utils.html import strip_tags
from django.utils.timezone import localtime

from news import structured_data

# The latest entries described in the page; older ones are on the page and in the feed.
UPDATES_LIMIT = 50


def coverage_times(coverage, entries) -> tuple:
    """When the coverage began (its first publication or its first entry, whichever came first) and, once
    closed, when it ended (its last entry, or the publication that closed it). An open coverage has no end yet."""
    moments = [entry.published_at or entry.posted_at for entry in entries]
    start = min(filter(None, [coverage.first_published_at, *(entry.posted_at for entry in entries)]))
    end = None if coverage.is_open else max(moments, default=coverage.last_published_at)
    return start, end


def live_blog_posting(coverage, *, entries, publisher, section) -> dict:
    """The LiveBlogPosting of a coverage page; `entries` its published entries, `publisher` `publisher_info`."""
    url = structured_data.absolute_url(coverage.url)
    start, end = coverage_times(coverage, entries)
    newest = sorted(entries, key=lambda entry: (entry.published_at or entry.posted_at, entry.pk), reverse=True)
    modified = max([coverage.last_published_at, *(entry.published_at or entry.posted_at for entry in newest[:1])])
    desk_credit = structured_data.credits([], coverage.desk, publisher=publisher)
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": url + "#live",
        "headline": structured_data.headline(coverage.title),
        "description": strip_tags(coverage.summary),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": "ar",
        "datePublished": localtime(coverage.first_published_at).isoformat(),
        "dateModified": localtime(modified).isoformat(),
        "coverageStartTime": localtime(start).isoformat(),
        "publisher": publisher["organization"],
        "articleSection": section.title,
        "isAccessibleForFree": True,
        "liveBlogUpdate": [
            _update(entry, url=url, coverage=coverage, publisher=publisher) for entry in newest[:UPDATES_LIMIT]
        ],
    }
    if end is not None:
        data["coverageEndTime"] = localtime(end).isoformat()
    if desk_credit:
        data["author"] = desk_credit
    if coverage.lead_image:
        data["image"] = structured_data.article_images(coverage.lead_image)
    elif publisher["share_image_object"]:
        data["image"] = [publisher["share_image_object"]]
    return data


def _update(entry, *, url, coverage, publisher) -> dict:
    data = {
        "@type": "BlogPosting",
        "@id": url + entry.anchor(),
        "url": url + entry.anchor(),
        "headline": structured_data.headline(entry.title_text()),
        "datePublished": localtime(entry.published_at or entry.posted_at).isoformat(),
        "articleBody": entry.body_text(),
    }
    author = structured_data.credits([entry.author] if entry.author else [], coverage.desk, publisher=publisher)
    if author:
        data["author"] = author
    if entry.image:
        data["image"] = structured_data.image_object(entry.image, structured_data.ARTICLE_IMAGE_SPECS[0])
    return data
