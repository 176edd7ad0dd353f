import base64

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from operations.clients import client_ip
from readership.services import view_record

# A transparent 1×1 GIF, for readers without JavaScript (<noscript><img>).
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def beacon_answer(request, article_id) -> HttpResponse:
    """Count the read and answer a GET or POST beacon, before any header is added."""
    view_record(article_id=article_id, ip_address=client_ip(request), user_agent=request.headers.get("User-Agent", ""))
    if request.method == "GET":
        return HttpResponse(PIXEL, content_type="image/gif")
    return HttpResponse(status=204)


@csrf_exempt  # a beacon carries no form token; it can only add one deduplicated read
@never_cache
@require_http_methods(["GET", "POST"])
def beacon(request, article_id):
    return beacon_answer(request, article_id)
