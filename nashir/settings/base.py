"""Settings for Nashir, read from the environment.

The defaults are the embedded setup: an SQLite file beside the code, a
local-memory cache, nothing else to start. Production-safe by default: DEBUG is
off and a SECRET_KEY must come from the environment unless DEBUG is on.
Every variable is listed in `.env.example`.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105 - DEBUG only, never in production

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# The public address of the site, used for absolute links in emails, feeds and
# the admin; no trailing slash.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "nashir",
    "users",
    "arabic",
    "news",
    "readership",
    "comments",
    "corrections",
    "search",
    "api",
    "wordpress",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "corsheaders",
    "ninja",  # the API docs' Swagger UI from static files, not a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, as django-cors-headers requires; only /api/ is affected.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "nashir.urls"
WSGI_APPLICATION = "nashir.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "arabic.context_processors.language",
                "news.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while the admin or a loader writes; IMMEDIATE
    # transactions avoid "database is locked" on write upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "nashir"}}

AUTH_USER_MODEL = "users.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Arabic first; the interface strings are marked for translation so an
# English catalogue can follow.
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Damascus")

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# On one small server without a front web server the application serves the
# uploaded images itself; behind nginx this is turned off.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsroom@localhost")

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# search.Posting's covering index is for PostgreSQL, where the table is the search
# index; on SQLite the table stays empty (FTS5 indexes instead).
SILENCED_SYSTEM_CHECKS = ["models.W040"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Task runs and page-created notices are routine; keep the console for what matters.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Wagtail
WAGTAIL_SITE_NAME = env.str("SITE_NAME", default="ناشر")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ALLOW_UNICODE_SLUGS = True
# No avatars from gravatar.com: the admin must not send editors' email hashes
# to an outside service (and this machine cannot reach it anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAIL_DATE_FORMAT = "Y-m-d"
WAGTAIL_DATETIME_FORMAT = "Y-m-d H:i"

# Nashir: how dates and numbers read on the public site (see arabic.dates).
# Month names: "dual" (مايو/أيار), "gulf" (مايو) or "levantine" (أيار).
NASHIR_MONTH_STYLE = env.str("NASHIR_MONTH_STYLE", default="dual")
# Digits: "western" (2020) or "arabic" (٢٠٢٠).
NASHIR_DIGITS = env.str("NASHIR_DIGITS", default="western")
NASHIR_SHOW_HIJRI = env.bool("NASHIR_SHOW_HIJRI", default=False)
# Items newer than this many hours show a relative time (منذ 5 دقائق).
NASHIR_RELATIVE_HOURS = env.int("NASHIR_RELATIVE_HOURS", default=24)
# Reader forms (comments, corrections, replies): a form sent faster than this
# after it was shown is a robot's; and how often one address or one email may
# send, as "count/seconds".
NASHIR_FORM_MIN_SECONDS = env.int("NASHIR_FORM_MIN_SECONDS", default=3)
NASHIR_RATE_PER_IP = env.str("NASHIR_RATE_PER_IP", default="5/600")
NASHIR_RATE_PER_EMAIL = env.str("NASHIR_RATE_PER_EMAIL", default="3/600")
# Feeds carry the whole article body (True) or the standfirst only (False).
NASHIR_FEED_FULL_CONTENT = env.bool("NASHIR_FEED_FULL_CONTENT", default=False)

# The read-only JSON API: how long browsers and CDNs may keep a response, and
# which web sites may call it from a browser ("*": any; the API needs no cookie).
NASHIR_API_CACHE_SECONDS = env.int("NASHIR_API_CACHE_SECONDS", default=60)
NASHIR_API_CORS_ORIGINS = env.list("NASHIR_API_CORS_ORIGINS", default=["*"])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_ALL_ORIGINS = "*" in NASHIR_API_CORS_ORIGINS
CORS_ALLOWED_ORIGINS = [origin for origin in NASHIR_API_CORS_ORIGINS if origin != "*"]
# Buffered reads are written to the database every this many seconds by each
# server process (0: only by `manage.py flush_views`).
NASHIR_VIEWS_FLUSH_SECONDS = env.int("NASHIR_VIEWS_FLUSH_SECONDS", default=30)
# Behind nginx or a CDN, the request header that carries the reader's address,
# as Django names it (e.g. HTTP_X_FORWARDED_FOR). Empty: REMOTE_ADDR.
NASHIR_TRUSTED_PROXY_HEADER = env.str("NASHIR_TRUSTED_PROXY_HEADER", default="")
# Where the shared sample data lives (demo content and benchmarks).
NASHIR_DATA_DIR = env.path("NASHIR_DATA_DIR", default=BASE_DIR.parent / "shared" / "data")

if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=SITE_URL.startswith("https://"))
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_CONTENT_TYPE_NOSNIFF = True
