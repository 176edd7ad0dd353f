from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from news.factories import home_page
from news.management.commands.load_demo import SEED_ARTICLE
from news.services import article_create_or_update, article_data_from_seed

SHARED_DIR = Path(settings.NASHIR_DATA_DIR).parent


def parse(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "lxml")


@pytest.fixture
def home(db):
    return home_page()


@pytest.fixture
def seed_article(home):
    article, _ = article_create_or_update(home=home, data=article_data_from_seed(SEED_ARTICLE))
    return article
