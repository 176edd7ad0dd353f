from django.conf import settings
from django.core.cache import cache
from wagtail.models import Site

from news.models import SectionPage

MENU_CACHE_KEY = "news:menu:{root_id}"


def navigation(request):
    """The site's name and top-level sections for the header, in editorial order.

    The menu is cached until a section is published, unpublished, moved or
    deleted (see news.signal_handlers).
    """
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"menu_sections": [], "site_name": settings.WAGTAIL_SITE_NAME}
    key = MENU_CACHE_KEY.format(root_id=site.root_page_id)
    menu = cache.get(key)
    if menu is None:
        sections = SectionPage.objects.child_of(site.root_page).live().in_menu().order_by("path")
        menu = [{"title": s.title, "url": s.get_url(request), "path": s.path} for s in sections]
        cache.set(key, menu, 3600)
    return {"menu_sections": menu, "site_name": site.site_name or settings.WAGTAIL_SITE_NAME}
