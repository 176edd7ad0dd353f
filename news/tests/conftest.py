from pathlib import Path

from bs4 import BeautifulSoup
from django.conf import settings

SHARED_DIR = Path(settings.NASHIR_DATA_DIR).parent


def parse(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "lxml")
