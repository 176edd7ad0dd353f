"""View beacons answered before Django's request handling.

Every reader of an article sends one (`/views/<id>/`), so in a spike they
come by the thousand a second. Through Django's handler a beacon cost about
2.5 ms of CPU, nearly all of it the request signals and the middleware
chain (sessions, CSRF, language, authentication…), none of which a beacon
uses. This wrapper sends it through the same view wrapped in only the
middleware that gives its answer headers (a redirect to https included);
a host not in ALLOWED_HOSTS or an id that is no row id goes to Django as
before, which answers it as it always did (400, 404).

Those headers are the same for every beacon of a method and scheme (no
cookie, no page, no user): the first one's are remembered and later beacons
get them without the middleware, saving a third of a beacon's time.
"""

import re
import time
from collections.abc import Callable, Iterable

from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections
from django.utils.http import http_date
from django.utils.module_loading import import_string

from bounds.limits import row_id
from readership.views import beacon, beacon_answer

BEACON_PATH = re.compile(r"/views/([0-9]+)/")


def _beacon_view(request):
    response = beacon(request, request.beacon_article_id)
    # As CommonMiddleware does (without it the server would send a 204 chunked), and
    # PageCacheMiddleware marks what it does not keep.
    response.setdefault("Content-Length", str(len(response.content)))
    response.setdefault("X-Cache", "BYPASS")
    return response


class ViewBeaconApplication:
    """Wraps a WSGI application; answers `/views/<id>/` itself.

    `middleware`: dotted paths of the middleware, in MIDDLEWARE's order, that
    set the headers of a beacon's answer (the others do nothing for it);
    `nashir.wsgi` passes them, and a test holds the headers to Django's.
    `on_answer(request, response, started)` is told of each beacon answered
    here: the request log the beacon skips.
    """

    def __init__(self, application, *, middleware: Iterable[str] = (), on_answer: Callable | None = None):
        self.application = application
        self.on_answer = on_answer
        handler = _beacon_view
        for path in reversed(list(middleware)):
            handler = import_string(path)(handler)
        self.handler = handler
        # (method, https) → the headers the middleware gave a counted beacon's answer, but Expires.
        self.headers: dict[tuple[str, bool], list[tuple[str, str]]] = {}

    def __call__(self, environ, start_response):
        match = BEACON_PATH.fullmatch(environ.get("PATH_INFO", ""))
        article_id = match and row_id(match[1])
        if not article_id:
            return self.application(environ, start_response)
        started = time.perf_counter()
        request = WSGIRequest(dict(environ))
        try:
            request.get_host()
        except DisallowedHost:
            return self.application(environ, start_response)  # Django answers 400 and logs it
        request.beacon_article_id = article_id
        try:
            response = self._respond(request)
        except Exception:
            return self.application(environ, start_response)
        finally:
            # What Django's request_finished does: a connection the live-article check opened is not left stale.
            close_old_connections()
        if self.on_answer is not None:
            self.on_answer(request, response, started)
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return [response.content]

    def _respond(self, request):
        kind = (request.method, request.is_secure())
        headers = self.headers.get(kind)
        if headers is None:
            response = self.handler(request)
            if response.status_code in (200, 204):  # a beacon counted, not a refusal or a redirect
                self.headers[kind] = [(name, value) for name, value in response.items() if name != "Expires"]
            return response
        response = beacon_answer(request, request.beacon_article_id)
        for name, value in headers:
            response[name] = value
        response["Expires"] = http_date()  # as never_cache dates it
        return response
