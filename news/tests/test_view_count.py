"""A story shows how many have read it once someone has: a new one shows no «👁 0»."""

import pytest
from django.core.cache import cache

from news.factories import ArticlePageFactory
from news.models import ArticlePage
from testing.helpers import parse

pytestmark = pytest.mark.django_db


def test_a_new_story_shows_no_view_count(client, home, whole_pages_off):
    article = ArticlePageFactory(title="خبر جديد لم يقرأه أحد")
    page = parse(client.get(article.url))
    assert page.select_one(".article__title").get_text() == "خبر جديد لم يقرأه أحد"
    # The eye is drawn by the stylesheet before .article__views.
    assert page.select_one(".article__views") is None


def test_a_read_story_shows_its_count(client, home, whole_pages_off):
    article = ArticlePageFactory()
    ArticlePage.objects.filter(pk=article.pk).update(view_count=7)
    cache.clear()  # the article's kept parts
    assert parse(client.get(article.url)).select_one(".article__view-count").get_text() == "7"
