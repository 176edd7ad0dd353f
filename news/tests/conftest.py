import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

SHARED_DIR = Path(settings.NASHIR_DATA_DIR).parent


def parse(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "lxml")


def shared_file(*parts: str) -> Path:
    """A file of the sample data beside the clone (../shared), or a skip where there is none.

    A clone from a public code host has nothing beside it and `make test` must
    pass there; CI has ../shared, and there a missing file fails instead.
    """
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists() and not os.environ.get("CI"):
        pytest.skip(f"needs {path}: the sample data beside the clone (CI has it)")
    return path
