"""Content-Security-Policy and Permissions-Policy on every response (docs/security.md, "Headers").

Two fixed policies chosen by path, no nonces: the public templates carry no
inline script at all, and Wagtail 8's admin writes inline scripts (date
pickers, inline panels, modal responses) that no nonce could reach. Below the
page cache in MIDDLEWARE, so a stored page keeps the headers it was made with.
"""

from django.conf import settings

from operations.media import media_origins

# Browser features no page of a news site uses; a page that cannot ask for
# them cannot be made to by an injected script or a hijacked embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

ADMIN_PREFIXES = ("/admin/",)


def _policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def public_policy(*, framed_by_admin: bool = False, shows_embeds: bool = False) -> str:
    # Renditions from an S3 store or its CDN, or MEDIA_URL on another host.
    media = media_origins()
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *media],
        "media-src": ["'self'", *media],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # A policy cannot change once the page is loaded, so a page with an embed allows the
        # providers' frames from the start; until the reader clicks, the frame is only inert
        # <template> content (news/embeds.py) and nothing is requested. Other pages frame nothing.
        "frame-src": (settings.NASHIR_CSP_FRAME_SOURCES if shows_embeds else []) or ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        # A preview is the page as readers get it, shown in the admin's preview panel.
        "frame-ancestors": ["'self'" if framed_by_admin else "'none'"],
    }
    if settings.SITE_URL.startswith("https://"):
        directives["upgrade-insecure-requests"] = []
    return _policy(directives)


def admin_policy() -> str:
    media = media_origins()
    directives = {
        "default-src": ["'self'"],
        # Wagtail 8's own inline scripts (initDateChooser, InlinePanel, chooser modal
        # responses) carry no nonce; without 'unsafe-inline' the admin does not work.
        "script-src": ["'self'", "'unsafe-inline'"],
        # Draftail and the admin's widgets set style attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *media],
        "media-src": ["'self'", *media],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        # The preview panel frames this site; embed previews frame the providers.
        "frame-src": ["'self'", *settings.NASHIR_CSP_FRAME_SOURCES],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
    if settings.SITE_URL.startswith("https://"):
        directives["upgrade-insecure-requests"] = []
    return _policy(directives)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Only what a browser renders as a document needs a policy; files keep their
        # own (Wagtail's document serving sends one).
        if response.get("Content-Type", "").startswith("text/html"):
            if request.path.startswith(ADMIN_PREFIXES):
                policy = admin_policy()
            else:
                # Wagtail renders a preview through the middleware again, as a request for the page's own path.
                policy = public_policy(
                    framed_by_admin=getattr(request, "is_dummy", False),
                    # Set by an article whose body has an embed (news.models.ArticlePage), preview or not.
                    shows_embeds=getattr(response, "shows_embeds", False),
                )
            response.setdefault("Content-Security-Policy", policy)
        return response
