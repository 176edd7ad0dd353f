from django.http import JsonResponse
from django.views.decorators.http import require_safe

from breaking.services import banner_current, labels


@require_safe
def current(request):
    """The bar to show, or `{"banner": null}`: read by every public page's script (breaking.js).

    No query while the bar is kept in the cache. A CDN keeps the answer 5 s and
    nginx 2 s, so a bar raised or lowered reaches readers within seconds.
    """
    banner = banner_current()
    response = JsonResponse({"banner": {**banner, **labels()} if banner else None})
    response["Cache-Control"] = "public, max-age=0, s-maxage=5"
    response["X-Accel-Expires"] = "2"
    return response
