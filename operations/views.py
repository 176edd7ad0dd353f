from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from operations.health import health_checks


@never_cache
def health(request):
    """200 when every check passes, 503 otherwise; JSON for monitors, a plain Arabic page for people.

    Rendered without the site's base template and context processors, which
    need the database this page may be reporting as down.
    """
    checks = health_checks()
    healthy = all(check.ok for check in checks)
    status = 200 if healthy else 503
    if "json" in request.GET.get("format", "") or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "status": "ok" if healthy else "fail",
                "checks": {c.name: {"ok": c.ok, "detail": c.detail, "ms": c.ms} for c in checks},
            },
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    html = render_to_string("operations/health.html", {"checks": checks, "healthy": healthy})
    return HttpResponse(html, status=status)
