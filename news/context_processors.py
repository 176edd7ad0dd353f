from django.conf import settings
from django.core.cache import cache
from wagtail.models import Site

from news.models import PublisherSettings, SectionPage
from news.structured_data import publisher_info

MENU_CACHE_KEY = "news:menu:{root_id}"


def navigation(request):
    """The site's name, top-level sections for the header, policy pages for the footer and the publisher.

    Both lists are cached until a section or an about page is published,
    unpublished, moved or deleted, or the publisher settings change (see
    news.signal_handlers).
    """
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"menu_sections": [], "about_pages": [], "publisher": None, "site_name": settings.WAGTAIL_SITE_NAME}
    key = MENU_CACHE_KEY.format(root_id=site.root_page_id)
    menu = cache.get(key)
    if menu is None:
        sections = SectionPage.in_menu_under(site.root_page)
        policies = PublisherSettings.for_site(site).policy_pages()
        menu = {
            "sections": [{"title": s.title, "url": s.get_url(request), "path": s.path} for s in sections],
            "about": [{"title": page.title, "url": page.get_url(request)} for _prop, _label, page in policies if page],
            "publisher": publisher_info(site),
        }
        cache.set(key, menu, 3600)
    return {
        "menu_sections": menu["sections"],
        "about_pages": menu["about"],
        "publisher": menu["publisher"],
        "site_name": site.site_name or settings.WAGTAIL_SITE_NAME,
    }
