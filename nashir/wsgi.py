import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nashir.settings.base")

django_application = get_wsgi_application()

# Imported once Django is set up. Stored pages are answered before Django's handler,
# and logged as the request log middleware they skip would.
from operations.middleware import request_log  # noqa: E402
from pagecache.wsgi import PageCacheApplication  # noqa: E402

application = PageCacheApplication(django_application, on_hit=request_log)
