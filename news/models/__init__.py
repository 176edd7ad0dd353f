from .people import Author, Desk
from .pages import ArticleAuthor, ArticlePage, ArticleSource, ArticleTag, HomePage, SectionPage, SourceKind

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
