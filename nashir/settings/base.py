"""Settings for Nashir, read from the environment.

The defaults are the embedded setup: an SQLite file beside the code, a
local-memory cache, nothing else to start. Production-safe by default: DEBUG is
off and a SECRET_KEY must come from the environment unless DEBUG is on.
Every variable is listed in `.env.example`.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

from .media import s3_storages

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
    # Below the feature apps, which use them: `bounds` registers the `<id:…>`
    # path converter, and editor_forms' hooks must run before any admin form is built.
    "bounds",
    "editor_forms",
    "cachestores",
    "users",
    "staff",
    "arabic",
    "news",
    "readership",
    "breaking",
    "readers",
    "comments",
    "corrections",
    "live",
    "search",
    "lite",
    "api",
    "wordpress",
    "pagecache",
    "operations",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
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
    "django_tasks",
    "django_tasks_db",
    "ninja",  # the API docs' Swagger UI from static files, not a CDN
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
]

MIDDLEWARE = [
    # Outermost, so that its line has the time of everything below, cache hits included.
    "operations.middleware.RequestLogMiddleware",
    # A page from the cache skips everything below (and was stored with their headers).
    "pagecache.middleware.PageCacheMiddleware",
    # Below the page cache: a hit needs no site.
    "pagecache.middleware.SiteMiddleware",
    # Below the page cache, so a stored page keeps these headers.
    "nashir.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, as django-cors-headers requires; only /api/ is affected.
    "corsheaders.middleware.CorsMiddleware",
    # The public site in LANGUAGE_CODE for every reader; the admin in each editor's own language (Wagtail).
    "arabic.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag and 304 for what the page cache does not keep (the API sets its own).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle staff sessions end; staff with a second factor pass it before any admin page.
    "staff.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Sees the views' exceptions first (django-axes' has no exception hook).
    "operations.middleware.DatabaseBusyMiddleware",
    # Last, as django-axes asks: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
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
    # transactions avoid "database is locked" on write upgrades. A write waits
    # up to `timeout` seconds for another one to finish (SQLite's busy timeout;
    # a busy_timeout pragma in init_command would override it) before the
    # reader is asked to send again (operations.database.database_busy).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# Without Redis the cache is embedded. "memory" is per process: right for
# `runserver` and one process. Several server processes (gunicorn workers) must
# share it, or one worker would go on serving a page another has just
# invalidated: "disk" keeps it in an SQLite-backed store under var/cache/
# (diskcache), shared by every process on the machine.
CACHE_STORE = env.str("NASHIR_CACHE", default="redis" if REDIS_URL else "memory")
# A shared store may fail (Redis stopped, the disk full): the wrapper in
# cachestores.backends then serves pages without it, logs the fault and reports it on
# /health/, and takes the store back when it answers.
if CACHE_STORE == "redis":
    CACHES = {
        "default": {
            "BACKEND": "cachestores.backends.FaultTolerantCache",
            "STORE": "cachestores.backends.RedisCache",
            "LOCATION": REDIS_URL,
            # An unreachable Redis costs a request at most this, once per retry interval.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
elif CACHE_STORE == "disk":
    CACHES = {
        "default": {
            "BACKEND": "cachestores.backends.FaultTolerantCache",
            "STORE": "cachestores.backends.DiskCache",
            "LOCATION": env.str("NASHIR_CACHE_DIR", default=str(BASE_DIR / "var" / "cache")),
            "TIMEOUT": 300,
            "OPTIONS": {"size_limit": env.int("NASHIR_CACHE_BYTES", default=512 * 1024 * 1024)},
        }
    }
elif CACHE_STORE == "memory":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "nashir"}}
else:
    raise ImproperlyConfigured(f"NASHIR_CACHE must be redis, disk or memory, not {CACHE_STORE!r}.")
# Rate-limit counters and used form stamps (operations.clients) in a cache of
# their own, which no number of stored pages can push out: in memory a store
# with its own size, on disk a directory of its own, in Redis a key prefix of
# their own on the same server (Redis evicts only when given a maxmemory, and
# then from every key alike: NASHIR_RATE_LIMIT_REDIS_URL gives them another one).
if CACHE_STORE == "redis":
    RATE_LIMIT_REDIS_URL = env.str("NASHIR_RATE_LIMIT_REDIS_URL", default=REDIS_URL)
    CACHES["ratelimit"] = {**CACHES["default"], "LOCATION": RATE_LIMIT_REDIS_URL, "KEY_PREFIX": "ratelimit"}
elif CACHE_STORE == "disk":
    CACHES["ratelimit"] = {
        **CACHES["default"],
        "LOCATION": str(Path(CACHES["default"]["LOCATION"]) / "ratelimit"),
        "OPTIONS": {"size_limit": 64 * 1024 * 1024},
    }
else:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "nashir-ratelimit",
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }

# Background work (scheduled publishing, search index, email) through Django's
# task framework. "database": queued in the database and run by
# `manage.py db_worker` (production); "immediate": run at once inside the
# request (development, tests).
TASKS_BACKEND = env.str("NASHIR_TASKS", default="immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
    }
}

AUTH_USER_MODEL = "users.User"
# django-axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "staff.validators.GuessablePasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Arabic first; the interface strings are marked for translation so an
# English catalogue can follow.
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# The project's catalogue overrides Wagtail's and Django's where their Arabic is wrong.
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["arabic.formats"]
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
# Where `manage.py backup` writes its archives by default, and where `restore`
# keeps the snapshot of the database and media it replaces.
NASHIR_BACKUP_DIR = env.path("NASHIR_BACKUP_DIR", default=BASE_DIR / "var" / "backups")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "operations.staticfiles.StaticFilesStorage"},
}
# Where uploads live (docs/deployment.md, "Where uploads live"): "filesystem",
# MEDIA_ROOT (a folder every server mounts when there are several), or "s3", a
# private bucket of an S3-compatible store whose renditions alone readers may
# fetch, from the store or from a CDN at NASHIR_S3_CUSTOM_DOMAIN.
NASHIR_MEDIA_STORAGE = env.str("NASHIR_MEDIA_STORAGE", default="filesystem")
if NASHIR_MEDIA_STORAGE == "s3":
    STORAGES.update(
        s3_storages(
            bucket=env.str("NASHIR_S3_BUCKET"),
            endpoint_url=env.str("NASHIR_S3_ENDPOINT_URL", default=""),
            region=env.str("NASHIR_S3_REGION", default=""),
            access_key=env.str("NASHIR_S3_ACCESS_KEY_ID", default=""),
            secret_key=env.str("NASHIR_S3_SECRET_ACCESS_KEY", default=""),
            custom_domain=env.str("NASHIR_S3_CUSTOM_DOMAIN", default=""),
        )
    )
elif NASHIR_MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"NASHIR_MEDIA_STORAGE must be filesystem or s3, not {NASHIR_MEDIA_STORAGE!r}.")
# Renditions in STORAGES["renditions"] when there is one, else with the originals.
WAGTAILIMAGES_RENDITION_STORAGE = "operations.media.rendition_storage_get"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsroom@localhost")
# A mail server as one URL, e.g. smtp+tls://user:password@mail.example:587
# (sets EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, ... at once).
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Size limits, each refused with a message rather than paid for in memory:
# a request's body apart from its files (reader forms, the admin's page
# editor; Django answers 400 above it); an image's pixels (decoding takes
# about 4 bytes a pixel: 40 megapixels is a 7,700x5,200 photo, 160 MB); one
# post or page of a WordPress import (a body over it is skipped and reported).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env.int("WAGTAILIMAGES_MAX_IMAGE_PIXELS", default=40_000_000)
NASHIR_IMPORT_MAX_ITEM_BYTES = env.int("NASHIR_IMPORT_MAX_ITEM_BYTES", default=1024 * 1024)

# search.Posting's covering index is for PostgreSQL, where the table is the search
# index; on SQLite the table stays empty (FTS5 indexes instead).
SILENCED_SYSTEM_CHECKS = [
    "models.W040",
    # HSTS for every subdomain, and a place on the browsers' preload list, are
    # decisions about the whole domain that cannot be taken back quickly; the
    # operator makes them (SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD).
    "security.W005",
    "security.W021",
]

# One JSON line per request on stderr (operations.middleware): method, path,
# status, duration, cache state. NASHIR_REQUEST_LOG=0 turns it off.
NASHIR_REQUEST_LOG = env.bool("NASHIR_REQUEST_LOG", default=True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"message": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "requests": {"class": "logging.StreamHandler", "formatter": "message"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Task runs and page-created notices are routine; keep the console for what matters.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # Every login attempt is already in the audit log and django-axes' tables.
        "axes": {"level": "WARNING"},
        # The request log replaces django.server's and gunicorn's access lines.
        "nashir.requests": {"handlers": ["requests"], "level": "INFO", "propagate": False},
    },
}

# Wagtail
WAGTAIL_SITE_NAME = env.str("SITE_NAME", default="ناشر")
WAGTAILADMIN_BASE_URL = SITE_URL
# Page types of the feature apps that editors may add inside a section, besides sections and articles.
NASHIR_SECTION_CHILD_PAGE_TYPES = ["live.LiveCoveragePage"]
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ALLOW_UNICODE_SLUGS = True
# No avatars from gravatar.com: the admin must not send editors' email hashes
# to an outside service (and this machine cannot reach it anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor a request to releases.wagtail.org from every superuser's dashboard (which
# the admin's Content-Security-Policy refuses anyway): updates come with Nashir's.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "news.image_forms.ImageForm"
# How the admin's date pickers write and read dates: Python strftime formats
# (Wagtail turns them into the picker's own), and among the input formats
# Django accepts, so a saved go-live time comes back as a date the form takes.
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"

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
# ...and one shown longer ago than this has expired (the reader sends it again,
# text kept). Longer than a stored page and its kept form live (pagecache).
NASHIR_FORM_MAX_SECONDS = env.int("NASHIR_FORM_MAX_SECONDS", default=3600)
NASHIR_RATE_PER_IP = env.str("NASHIR_RATE_PER_IP", default="5/600")
NASHIR_RATE_PER_EMAIL = env.str("NASHIR_RATE_PER_EMAIL", default="3/600")
# Days a reader's IP address and browser are kept with what they sent (spam and
# abuse are dealt with by then); the task worker erases older ones every day.
NASHIR_READER_DATA_DAYS = env.int("NASHIR_READER_DATA_DAYS", default=30)
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
# Reads one address may add in an hour across the site (0: no limit). Many
# readers can share one address (offices, mobile networks): keep it generous.
NASHIR_VIEWS_PER_ADDRESS_PER_HOUR = env.int("NASHIR_VIEWS_PER_ADDRESS_PER_HOUR", default=300)
# Behind nginx or a CDN, the request header that carries the reader's address,
# as Django names it (e.g. HTTP_X_FORWARDED_FOR). Empty: REMOTE_ADDR.
NASHIR_TRUSTED_PROXY_HEADER = env.str("NASHIR_TRUSTED_PROXY_HEADER", default="")
# Where the shared sample data lives (demo content and benchmarks).
NASHIR_DATA_DIR = env.path("NASHIR_DATA_DIR", default=BASE_DIR.parent / "shared" / "data")

# Full pages for anonymous readers (pagecache): how long a stored page counts as
# fresh (publishing and the other events apps tell pagecache.invalidation of
# invalidate it sooner), and how long a stale copy may still be served while
# one request regenerates it.
NASHIR_PAGE_CACHE = env.bool("NASHIR_PAGE_CACHE", default=True)
NASHIR_PAGE_CACHE_SECONDS = env.int("NASHIR_PAGE_CACHE_SECONDS", default=300)
NASHIR_PAGE_CACHE_STALE_SECONDS = env.int("NASHIR_PAGE_CACHE_STALE_SECONDS", default=3600)
# Parts of pages kept rendered between page renders (pagecache.fragments):
# article cards, related stories, the header and footer, an article's body per
# revision. Invalidated by the same events; the lifetime bounds the relative
# times ("منذ 5 دقائق") they show.
NASHIR_FRAGMENT_CACHE = env.bool("NASHIR_FRAGMENT_CACHE", default=True)
NASHIR_FRAGMENT_CACHE_SECONDS = env.int("NASHIR_FRAGMENT_CACHE_SECONDS", default=300)
# What shared caches in front may do: nginx micro-caches for this many seconds
# (X-Accel-Expires), a CDN for s-maxage (it is purged on publish when
# WAGTAILFRONTENDCACHE is configured below).
NASHIR_NGINX_CACHE_SECONDS = env.int("NASHIR_NGINX_CACHE_SECONDS", default=1)
NASHIR_CDN_CACHE_SECONDS = env.int("NASHIR_CDN_CACHE_SECONDS", default=60)
# Where pages are written as files for nginx to send itself (pagecache.files;
# docs/caching.md, "Page files"): a folder nginx reads and every application
# server writes (shared when they are on several machines). Empty: none.
NASHIR_PAGE_FILES_DIR = env.str("NASHIR_PAGE_FILES_DIR", default="")
# A CDN or HTTP cache to purge (Wagtail's frontend cache invalidation): an
# HTTP cache that accepts PURGE (Varnish, nginx with a purge module) at
# FRONTEND_CACHE_PURGE_URL, or Cloudflare with a zone and an API token.
WAGTAILFRONTENDCACHE = {}
if env.str("FRONTEND_CACHE_PURGE_URL", default=""):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env.str("FRONTEND_CACHE_PURGE_URL"),
    }
if env.str("CLOUDFLARE_ZONEID", default=""):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env.str("CLOUDFLARE_ZONEID"),
        "BEARER_TOKEN": env.str("CLOUDFLARE_BEARER_TOKEN"),
    }

# Scheduled publishing: a story still unpublished this many seconds after its
# time is reported as overdue (admin dashboard, /health/).
NASHIR_SCHEDULE_GRACE_SECONDS = env.int("NASHIR_SCHEDULE_GRACE_SECONDS", default=60)
# Queued background tasks older than this are a backlog (/health/).
NASHIR_TASK_BACKLOG_SECONDS = env.int("NASHIR_TASK_BACKLOG_SECONDS", default=300)

# Staff accounts (staff app; docs/security.md). After NASHIR_LOGIN_FAILURE_LIMIT
# wrong passwords for one account, or from one address, that account or address
# is refused for NASHIR_LOGIN_COOLOFF_MINUTES (django-axes); password reset
# emails are limited per address and per email as "count/seconds"; an admin
# session ends after NASHIR_ADMIN_IDLE_MINUTES without a request; members of
# NASHIR_REQUIRE_2FA_GROUPS ("superusers" names every superuser) must set up a
# second factor before they use the admin.
NASHIR_LOGIN_FAILURE_LIMIT = env.int("NASHIR_LOGIN_FAILURE_LIMIT", default=5)
NASHIR_LOGIN_COOLOFF_MINUTES = env.int("NASHIR_LOGIN_COOLOFF_MINUTES", default=30)
NASHIR_RESET_RATE_PER_IP = env.str("NASHIR_RESET_RATE_PER_IP", default="5/3600")
NASHIR_RESET_RATE_PER_EMAIL = env.str("NASHIR_RESET_RATE_PER_EMAIL", default="3/3600")
NASHIR_ADMIN_IDLE_MINUTES = env.int("NASHIR_ADMIN_IDLE_MINUTES", default=30)
NASHIR_REQUIRE_2FA_GROUPS = env.list("NASHIR_REQUIRE_2FA_GROUPS", default=[])
AXES_FAILURE_LIMIT = NASHIR_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=NASHIR_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A guess during the lockout starts the cool-off again: an attacker who keeps guessing gets no more guesses.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_CLIENT_IP_CALLABLE = "operations.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "staff.views.lockout"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
# Passkeys need HTTPS and a host name; without them (development) they work at http://localhost.
_site = urlsplit(SITE_URL)
_passkey_origin = SITE_URL if _site.scheme == "https" else f"http://localhost{f':{_site.port}' if _site.port else ''}"
OTP_WEBAUTHN_RP_NAME = WAGTAIL_SITE_NAME
OTP_WEBAUTHN_RP_ID = urlsplit(_passkey_origin).hostname
OTP_WEBAUTHN_ALLOWED_ORIGINS = [_passkey_origin]
# A passkey is a second factor after the password, never a way around it (and django-axes).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Security headers, security.txt, /health/ and uploads (docs/security.md).
# Origins whose frames articles may show (video embeds), space-free, comma-separated:
# allowed on pages with an embed only, and loaded after the reader's click (news/embeds.py).
NASHIR_CSP_FRAME_SOURCES = env.list(
    "NASHIR_CSP_FRAME_SOURCES",
    default=["https://www.youtube-nocookie.com", "https://www.youtube.com", "https://player.vimeo.com"],
)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Where researchers report vulnerabilities (/.well-known/security.txt): a
# mailto: or https: URI; empty, no security.txt.
NASHIR_SECURITY_CONTACT = env.str("NASHIR_SECURITY_CONTACT", default="")
# /health/ tells anyone up or down; its details need `Authorization: Bearer <token>`.
NASHIR_HEALTH_TOKEN = env.str("NASHIR_HEALTH_TOKEN", default="")
# Documents through Django and Wagtail's permission checks, never straight from /media/.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=SITE_URL.startswith("https://"))
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # Behind nginx, which terminates TLS and says so in X-Forwarded-Proto.
    if env.bool("BEHIND_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SITE_URL.startswith("https://"))
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SITE_URL.startswith("https://") else 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
