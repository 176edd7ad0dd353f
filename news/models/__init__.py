from .pages import (
    ArticleAuthor,
    ArticlePage,
    ArticleSource,
    ArticleTag,
    HomePage,
    SectionArticle,
    SectionPage,
    SourceKind,
    readable_by_anyone,
)
from .people import Author, Desk
from .publisher import POLICY_PAGES, AboutPage, PublisherSettings

__all__ = [
    "POLICY_PAGES",
    "AboutPage",
    "ArticleAuthor",
    "ArticlePage",
    "ArticleSource",
    "ArticleTag",
    "Author",
    "Desk",
    "HomePage",
    "PublisherSettings",
    "SectionArticle",
    "SectionPage",
    "SourceKind",
    "readable_by_anyone",
]
