"""Reading a WordPress export (WXR 1.1/1.2) as a stream, safely.

defusedxml refuses entity declarations (billion laughs) and external
entities; `iterparse` hands over one element at a time and each finished
<item> is cleared, so memory stays flat however large the file.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

# WordPress.org writes http://, WordPress.com https://; versions 1.0 to 1.2.
WP_NAMESPACE = re.compile(r"https?://wordpress\.org/export/1\.\d/")
EXCERPT_NAMESPACE = re.compile(r"https?://wordpress\.org/export/1\.\d/excerpt/")
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


class WXRError(Exception):
    """The file cannot be read as a WordPress export; the message says why (and where)."""


@dataclass
class Author:
    login: str
    display_name: str
    email: str = ""


@dataclass
class Term:
    kind: str  # "category" or "tag"
    slug: str
    name: str
    parent: str = ""  # parent category slug


@dataclass
class Comment:
    id: int
    parent_id: int
    author: str
    email: str
    url: str
    ip: str
    date_gmt: datetime | None
    content: str
    approved: str  # "1", "0", "spam", "trash"
    type: str


@dataclass
class Item:
    post_id: int
    post_type: str
    status: str
    title: str
    link: str
    slug: str
    creator: str
    content: str
    excerpt: str
    date_gmt: datetime | None
    date_local: str
    parent_id: int
    sticky: bool
    attachment_url: str = ""
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # (domain, slug, name)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    authors: list[Author] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _namespace(tag):
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _children(element):
    """{local name: text} of the direct children in the WordPress namespaces (first one wins)."""
    values = {}
    for child in element:
        namespace = _namespace(child.tag)
        if namespace == "" or WP_NAMESPACE.fullmatch(namespace):
            values.setdefault(_local(child.tag), (child.text or "").strip())
    return values


def _gmt(value):
    """A `post_date_gmt`-style string as an aware datetime; None for WordPress's empty 0000-00-00."""
    if not value or value.startswith("0000"):
        return None
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _item(element) -> Item:
    values = _children(element)
    content = excerpt = ""
    terms, meta, comments = [], {}, []
    for child in element:
        local, namespace = _local(child.tag), _namespace(child.tag)
        if child.tag == CONTENT:
            content = child.text or ""
        elif local == "encoded" and EXCERPT_NAMESPACE.fullmatch(namespace):
            excerpt = child.text or ""
        elif local == "category" and namespace == "":
            terms.append((child.get("domain", ""), child.get("nicename", ""), (child.text or "").strip()))
        elif local == "postmeta":
            meta_values = _children(child)
            meta[meta_values.get("meta_key", "")] = meta_values.get("meta_value", "")
        elif local == "comment":
            comment = _children(child)
            comments.append(
                Comment(
                    id=_int(comment.get("comment_id")),
                    parent_id=_int(comment.get("comment_parent")),
                    author=comment.get("comment_author", ""),
                    email=comment.get("comment_author_email", ""),
                    url=comment.get("comment_author_url", ""),
                    ip=comment.get("comment_author_IP", ""),
                    date_gmt=_gmt(comment.get("comment_date_gmt")),
                    content=comment.get("comment_content", ""),
                    approved=comment.get("comment_approved", "0"),
                    type=comment.get("comment_type", ""),
                )
            )
    creator = element.findtext(DC_CREATOR) or ""
    return Item(
        post_id=_int(values.get("post_id")),
        post_type=values.get("post_type", ""),
        status=values.get("status", ""),
        title=values.get("title", ""),
        link=values.get("link", ""),
        slug=values.get("post_name", ""),
        creator=creator.strip(),
        content=content,
        excerpt=excerpt,
        date_gmt=_gmt(values.get("post_date_gmt")),
        date_local=values.get("post_date", ""),
        parent_id=_int(values.get("post_parent")),
        sticky=values.get("is_sticky") == "1",
        attachment_url=values.get("attachment_url", ""),
        terms=terms,
        meta=meta,
        comments=comments,
    )


def read(path) -> Iterator[Channel | Item]:
    """The channel (once, before the first item) and then each item, as they come in the file.

    Raises WXRError for a file that is not well-formed (with its line), or that
    declares entities or refers to external ones.
    """
    channel = Channel()
    channel_sent = False
    try:
        events = iterparse(str(path), events=("start", "end"), forbid_dtd=False)
        depth = 0
        for event, element in events:
            if event == "start":
                depth += 1
                continue
            depth -= 1
            local = _local(element.tag)
            if local == "item" and depth == 2:
                if not channel_sent:
                    channel_sent = True
                    yield channel
                yield _item(element)
                element.clear()
            elif depth == 2 and not channel_sent:
                _channel_element(channel, element)
        if not channel_sent:
            yield channel
    except DefusedXmlException as error:
        raise WXRError(f"refused: the file declares or refers to entities ({type(error).__name__})") from None
    except ParseError as error:
        line, column = error.position
        raise WXRError(f"not a well-formed XML file at line {line}, column {column}: {error.msg}") from None


def _channel_element(channel, element):
    local, namespace = _local(element.tag), _namespace(element.tag)
    if namespace == "" and local in ("title", "link"):
        setattr(channel, local, (element.text or "").strip())
    elif not WP_NAMESPACE.fullmatch(namespace):
        return
    elif local == "base_site_url":
        channel.base_site_url = (element.text or "").strip()
    elif local == "author":
        values = _children(element)
        channel.authors.append(
            Author(
                login=values.get("author_login", ""),
                display_name=values.get("author_display_name") or values.get("author_login", ""),
                email=values.get("author_email", ""),
            )
        )
    elif local == "category":
        values = _children(element)
        channel.terms.append(
            Term(
                "category",
                values.get("category_nicename", ""),
                values.get("cat_name", ""),
                values.get("category_parent", ""),
            )
        )
    elif local == "tag":
        values = _children(element)
        channel.terms.append(Term("tag", values.get("tag_slug", ""), values.get("tag_name", "")))
