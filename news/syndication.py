"""What every feed shares: nothing that XML cannot carry, and plain text sent as text.

Django's feed generators raise on a control character, so one stored in a
title or a correction note (which is never edited) would turn the whole feed
into a server error; these generators drop such characters from every value
they are given, whatever is in the database.

A feed says whether its descriptions are HTML (an article's whole body) or
plain text (a standfirst, a correction note, which may quote a reader). Plain
text goes out as `type="text"` in Atom and escaped in RSS, whose description
readers take as HTML: either way `<script>` is shown, never run.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.template.defaultfilters import linebreaksbr
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.functional import Promise
from wagtail import hooks

from arabic.text import strip_control_characters


def xml_text(value):
    """`value` (text, or lists and dicts of it) without what XML 1.0 cannot carry; anything else as it is."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list | tuple):
        return type(value)(xml_text(item) for item in value)
    if isinstance(value, dict):
        return {key: xml_text(item) for key, item in value.items()}
    return value


class _XmlSafe:
    """Every value given to the generator, for the feed or an item, is made XML-safe first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*xml_text(args), **xml_text(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*xml_text(args), **xml_text(kwargs))


class RssFeed(_XmlSafe, Rss201rev2Feed):
    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        item = self.items[-1]
        if item.get("description_type") == "text" and item["description"] is not None:
            item["description"] = linebreaksbr(item["description"], autoescape=True)


class AtomFeed(_XmlSafe, Atom1Feed):
    def add_item_elements(self, handler, item):
        # Atom does not order an entry's elements: the summary, with its type, comes last.
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": item.get("description_type", "html")})


class SafeFeed(Feed):
    """A feed in RSS (`feed_type = AtomFeed` for Atom) whose item descriptions are plain text.

    `descriptions_are_html()` says otherwise, for a feed that carries sanitized HTML.
    """

    feed_type = RssFeed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # Django's feed writes each element into the response as a chunk of its own,
        # some 1,500 for 20 items, and a WSGI server sends each with a write of its
        # own: 13 ms of a 21 ms feed under gunicorn. Joined, it goes out at once.
        response.content = response.content
        return response

    def descriptions_are_html(self) -> bool:
        return False

    def item_extra_kwargs(self, item):
        kind = "html" if self.descriptions_are_html() else "text"
        return {**super().item_extra_kwargs(item), "description_type": kind}


SYNDICATED_PAGES_HOOK = "register_syndicated_pages"


@dataclass(frozen=True)
class SyndicatedPages:
    """Pages of another app that the site's feed and sitemaps list beside articles (hook `register_syndicated_pages`,
    whose function returns one of these), so that `news` names no app above it.

    `pages()`: the public ones (`readable_by_anyone`), with `first_published_at`;
    `feed_item(page)`: the page as the site's feed tells it (the keys of an article's item, `news.feeds`);
    `lastmod(page)`: its last substantive change, for the sitemap.
    """

    name: str
    pages: Callable
    feed_item: Callable[..., dict]
    lastmod: Callable[..., datetime]


def syndicated_pages() -> list[SyndicatedPages]:
    return [register() for register in hooks.get_hooks(SYNDICATED_PAGES_HOOK)]
