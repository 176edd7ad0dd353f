"""Pages cost a fixed number of queries, however big the archive."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # an archive large enough to show growth

MAX_QUERIES = 15


@pytest.fixture(autouse=True)
def _uncached(settings):
    """What a page costs when it is rendered, not when it comes from the page cache."""
    settings.NASHIR_PAGE_CACHE = False


def queries_for(client, url):
    client.get(url)  # warm the site-root cache, as a running server has it
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def build_archive(sections, per_section):
    author = AuthorFactory()
    built = []
    for _ in range(sections):
        section = SectionPageFactory()
        child = SectionPageFactory(parent=section, show_in_menus=False)
        for index in range(per_section):
            built.append(
                ArticlePageFactory(
                    parent=child if index % 2 else section, authors=[author], tags=["وسم"], view_count=index
                )
            )
    return built


@pytest.mark.parametrize("page", ["home", "section", "article"])
def test_query_count_is_bounded_and_does_not_grow_with_the_archive(client, home, page):
    def url_for(articles):
        if page == "home":
            return "/"
        if page == "section":
            return articles[0].get_parent().url
        return articles[0].url  # directly in a top-level section, in both archives

    small = build_archive(sections=2, per_section=3)
    small_count = queries_for(client, url_for(small))
    large = build_archive(sections=4, per_section=12)
    large_count = queries_for(client, url_for(large))
    assert large_count <= MAX_QUERIES
    assert large_count == small_count


def test_deeply_nested_article_stays_within_the_budget(client, home):
    section = SectionPageFactory()
    subsection = SectionPageFactory(parent=SectionPageFactory(parent=section))
    article = ArticlePageFactory(parent=subsection, tags=["وسم"])
    assert queries_for(client, article.url) <= MAX_QUERIES


def test_home_with_an_opinion_column_stays_within_the_budget(client, home):
    articles = build_archive(sections=3, per_section=6)
    home.opinion_section = articles[0].get_parent().specific
    home.save()
    assert queries_for(client, "/") <= MAX_QUERIES
