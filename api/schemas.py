"""What the API shows of each object: published content and public names, never an email or a draft."""

from datetime import datetime

from ninja import Schema


class Link(Schema):
    name: str
    slug: str
    url: str


class PageRef(Schema):
    id: int
    title: str
    url: str


class Image(Schema):
    url: str
    width: int
    height: int
    alt: str


class ArticleSummary(Schema):
    id: int
    title: str
    standfirst: str
    url: str
    short_url: str
    first_published_at: datetime
    updated_at: datetime | None
    section: PageRef | None
    authors: list[Link]
    desk: Link | None
    tags: list[str]
    image: Image | None


class Block(Schema):
    """One block of the body. `value` depends on `type`:

    paragraph: HTML; heading: text; quote: {text, speaker, source, source_url};
    image: {url, width, height, alt, caption, credit}; list: {ordered, items};
    embed: {url, caption}.
    """

    type: str
    value: str | dict


class Source(Schema):
    name: str
    url: str
    kind: str


class Correction(Schema):
    kind: str
    text: str
    published_at: datetime
    supersedes: int | None


class Reply(Schema):
    organisation: str
    name: str
    role: str
    statement: str
    published_at: datetime


class ArticleDetail(ArticleSummary):
    body: list[Block]
    sources: list[Source]
    corrections: list[Correction]
    replies: list[Reply]


class Section(Schema):
    id: int
    title: str
    description: str
    url: str
    parent_id: int | None


class Author(Schema):
    name: str
    slug: str
    role: str
    bio: str
    url: str


class Desk(Schema):
    name: str
    slug: str
    description: str
    url: str


class CorrectionEntry(Schema):
    id: int
    kind: str
    text: str
    published_at: datetime
    article: PageRef


class Coverage(Schema):
    """A live coverage; `feed` and `entries` name where its entries are."""

    id: int
    title: str
    summary: str
    url: str
    is_open: bool
    first_published_at: datetime
    last_entry_at: datetime | None
    section: PageRef | None
    desk: Link | None
    image: Image | None
    entries: str
    feed: str


class EntrySource(Schema):
    name: str
    url: str


class EntryCorrection(Schema):
    text: str
    published_at: datetime


class LiveEntry(Schema):
    """A published entry of a coverage; `body` is HTML, `url` the entry's place on the coverage's page."""

    id: int
    headline: str
    body: str
    posted_at: datetime
    published_at: datetime | None
    pinned: bool
    url: str
    author: Link | None
    image: Image | None
    sources: list[EntrySource]
    corrections: list[EntryCorrection]


class ParameterError(Schema):
    parameter: str
    message: str


class Error(Schema):
    """What went wrong, in Arabic; for a refused parameter, each one in `errors`."""

    detail: str
    errors: list[ParameterError] = []
