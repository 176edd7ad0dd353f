from .pages import ArticleAuthor, ArticlePage, ArticleSource, ArticleTag, HomePage, SectionPage, SourceKind
from .people import Author, Desk

__all__ = [
    "ArticleAuthor",
    "ArticlePage",
    "ArticleSource",
    "ArticleTag",
    "Author",
    "Desk",
    "HomePage",
    "SectionPage",
    "SourceKind",
]
