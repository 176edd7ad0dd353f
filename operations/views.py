import hmac

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from operations.health import health_checks


def _may_see_details(request) -> bool:
    """`Authorization: Bearer <NASHIR_HEALTH_TOKEN>`: the details name the database, the cache and late stories."""
    token = settings.NASHIR_HEALTH_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


@never_cache
def health(request):
    """200 when every check passes, 503 otherwise; JSON for monitors, a plain Arabic page for people.

    Anyone learns up or down; each check's result needs the token. Rendered
    without the site's base template and context processors, which need the
    database this page may be reporting as down.
    """
    checks = health_checks()
    healthy = all(check.ok for check in checks)
    status = 200 if healthy else 503
    if not _may_see_details(request):
        checks = []
    if "json" in request.GET.get("format", "") or "application/json" in request.headers.get("Accept", ""):
        body = {"status": "ok" if healthy else "fail"}
        if checks:
            body["checks"] = {c.name: {"ok": c.ok, "detail": c.detail, "ms": c.ms} for c in checks}
        return JsonResponse(
            body,
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    html = render_to_string("operations/health.html", {"checks": checks, "healthy": healthy})
    return HttpResponse(html, status=status)
