"""Test settings: fast hashing, plain static storage, no .env surprises."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
WAGTAILADMIN_BASE_URL = SITE_URL = "http://testserver"
# Tests fix the date style so they don't depend on a developer's .env.
NASHIR_MONTH_STYLE = "dual"
NASHIR_DIGITS = "western"
NASHIR_SHOW_HIJRI = False
# One folder per pytest-xdist worker: tests clear and fill it.
MEDIA_ROOT = BASE_DIR / "var" / f"test-media{os.environ.get('PYTEST_XDIST_WORKER', '')}"
NASHIR_VIEWS_FLUSH_SECONDS = 0  # tests flush explicitly
REDIS_URL = ""
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests-ratelimit"},
}
# The live server's threads must not keep connections open past a request:
# PostgreSQL will not drop a test database that is still in use.
DATABASES["default"]["CONN_MAX_AGE"] = 0
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILFRONTENDCACHE = {}
NASHIR_REQUEST_LOG = False
