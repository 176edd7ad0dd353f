"""Embeds that load nothing from the provider until the reader asks (docs/security.md, "Headers").

A reader's visit to an article is not announced to YouTube or X: the page
shows what Wagtail stored when it fetched the oEmbed (the provider's name and
the title, never the provider's thumbnail URL), and keeps the provider's HTML
in an inert <template> that `news/embeds.js` inserts on the reader's click.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

import nh3
from wagtail.embeds import embeds
from wagtail.embeds.exceptions import EmbedException

# What providers' oEmbed HTML is made of (a video's <iframe>, a post's quoted
# text). Their scripts go: the public pages' policy would refuse them anyway,
# and without them a post stays its quoted text and link.
EMBED_TAGS = {"iframe", "blockquote", "p", "a", "br", "b", "i", "em", "strong", "span", "div", "time"}
EMBED_ATTRIBUTES = {
    # frameborder and scrolling are obsolete HTML, dropped with the rest.
    "iframe": {"src", "width", "height", "title", "allow", "allowfullscreen", "referrerpolicy"},
    "a": {"href"},
    "blockquote": {"cite"},
    "time": {"datetime"},
    "*": {"lang", "dir"},
}


@dataclass(frozen=True)
class ClickToLoad:
    url: str
    provider: str
    title: str
    html: str


def embed_click_to_load(url: str) -> ClickToLoad | None:
    """The provider's stored embed for `url`, cleaned, or None when the provider has none to give."""
    try:
        embed = embeds.get_embed(url)
    except EmbedException:
        return None
    html = nh3.clean(embed.html, tags=EMBED_TAGS, attributes=EMBED_ATTRIBUTES, url_schemes={"https"})
    if not html.strip():
        return None
    host = urlsplit(url).hostname or ""
    provider = embed.provider_name or host.removeprefix("www.")
    return ClickToLoad(url=url, provider=provider, title=embed.title, html=html)
