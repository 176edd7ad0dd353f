import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nashir.settings.base")

django_application = get_wsgi_application()

# Imported once Django is set up. Stored pages and view beacons are answered before
# Django's handler, and logged as the request log middleware they skip would.
from operations.middleware import request_log  # noqa: E402
from pagecache.wsgi import PageCacheApplication  # noqa: E402
from readership.wsgi import ViewBeaconApplication  # noqa: E402

# The middleware of MIDDLEWARE (in its order) that adds headers to a beacon's answer or
# redirects it to https; the rest does nothing for a beacon (readership/tests/test_beacon_wsgi.py holds the two alike).
BEACON_MIDDLEWARE = [
    "nashir.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

application = ViewBeaconApplication(
    PageCacheApplication(django_application, on_hit=request_log),
    middleware=BEACON_MIDDLEWARE,
    on_answer=request_log,
)
