"""One structured log line per request, for operators and log tools alike; a busy database is a 503."""

import json
import logging
import time

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from operations.database import DATABASE_BUSY_RETRY_SECONDS, database_busy

logger = logging.getLogger("nashir.requests")


def request_log(request, response, started: float) -> None:
    """Write the line for one request; `started` is its time.perf_counter() on arrival."""
    if not settings.NASHIR_REQUEST_LOG or not logger.isEnabledFor(logging.INFO):
        return
    user = getattr(request, "user", None)
    record = {
        "time": round(time.time(), 3),
        "method": request.method,
        "path": request.path,
        "query": request.META.get("QUERY_STRING", "")[:200],
        "status": response.status_code,
        "ms": round((time.perf_counter() - started) * 1000, 2),
        "bytes": len(response.content) if not response.streaming else None,
        "cache": response.get("X-Cache", ""),
        # An account id, never a name or an address: the log is not a reader register.
        "user": user.pk if user is not None and user.is_authenticated else None,
    }
    logger.info(json.dumps(record, ensure_ascii=False))


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        request_log(request, response, started)
        return response


class DatabaseBusyMiddleware:
    """A write that waited out SQLite's busy timeout answers 503 with Retry-After, not 500.

    Reader forms catch it themselves and show the form again with the
    reader's text; this covers every other view (an editor's save in the
    admin: the browser's back button still has what was typed).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_busy(exception):
            return None
        logging.getLogger(__name__).warning(
            "%s %s: the database stayed busy; answered 503.", request.method, request.path
        )
        response = HttpResponse(render_to_string("503_busy.html"), status=503)
        response["Retry-After"] = str(DATABASE_BUSY_RETRY_SECONDS)
        return response
