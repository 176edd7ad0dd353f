import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with empty caches (site root paths, pages; rate limits and used form stamps)."""
    from django.core.cache import caches

    for alias in ("default", "ratelimit"):
        caches[alias].clear()
    yield
    for alias in ("default", "ratelimit"):
        caches[alias].clear()


@pytest.fixture
def whole_pages_off(settings):
    """Every request renders its page: what a test sees comes from the parts kept between renders."""
    settings.NASHIR_PAGE_CACHE = False


@pytest.fixture
def home(db):
    from news.factories import home_page

    return home_page()


@pytest.fixture
def seed_article(home):
    from news.management.commands.load_demo import SEED_ARTICLE
    from news.services import article_create_or_update, article_data_from_seed

    article, _ = article_create_or_update(home=home, data=article_data_from_seed(SEED_ARTICLE))
    return article
