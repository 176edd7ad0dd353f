"""What a page render asks of the shared cache: on a scaled-out site each call is a round trip to Redis."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from news.factories import ArticlePageFactory, SectionPageFactory
from pagecache import store

pytestmark = pytest.mark.django_db


@pytest.fixture
def version_reads(monkeypatch):
    """The tags of each read of tag versions from the cache, in order."""
    reads = []
    read = store._read_versions

    def spy(tags):
        reads.append(sorted(tags))
        return read(tags)

    monkeypatch.setattr(store, "_read_versions", spy)
    return reads


def test_a_render_reads_the_site_and_content_tags_in_one_call(whole_pages_off, client, home, version_reads):
    article = ArticlePageFactory(parent=SectionPageFactory(parent=home), title="حلب تستعيد الكهرباء")
    for url in ("/", article.url, "/feed/"):
        client.get(url)  # the process's memo and the kept parts, as on a worker that has served a while
    for url in ("/", "/feed/"):
        version_reads.clear()
        assert client.get(url).status_code == 200
        assert version_reads == [[store.CONTENT, store.SITE]], url
    version_reads.clear()
    response = client.get(article.url)
    assert "حلب تستعيد الكهرباء" in response.content.decode()
    # The article's own two tags, which its last render declared, come with the site's and the content's.
    own = [store.article_tag(article.pk), store.discussion_tag(article.pk)]
    assert version_reads == [sorted([store.CONTENT, store.SITE, *own])]


def test_the_first_render_of_an_address_reads_the_article_tags_once_it_is_found(
    whole_pages_off, client, home, version_reads
):
    article = ArticlePageFactory(parent=SectionPageFactory(parent=home))
    client.get("/")  # the process's memo
    version_reads.clear()
    client.get(article.url)
    own = [store.article_tag(article.pk), store.discussion_tag(article.pk)]
    assert version_reads == [[store.CONTENT, store.SITE], sorted(own)]

    # What an edit bumps between two renders is read again, not taken from what the last one read.
    version_reads.clear()
    revision = article.get_latest_revision_as_object()
    revision.title = "عنوان بعد التعديل"
    revision.save_revision().publish()
    response = client.get(article.url)
    assert "عنوان بعد التعديل" in response.content.decode()
    assert version_reads[-1] == sorted([store.CONTENT, store.SITE, *own])


def test_the_redis_store_makes_one_client_per_connection_pool():
    """Django's makes a redis.Redis per call, each filling some 170 response callbacks (cachestores.backends)."""
    store_settings = {"default": {"BACKEND": "cachestores.backends.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=store_settings):
        client = caches.create_connection("default")._cache
        first, second = client.get_client(), client.get_client(write=True)
        assert first is second
        assert first.connection_pool is client._get_connection_pool(write=False)
