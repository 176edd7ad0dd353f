from django.conf import settings
from wagtail.models import Site

from news.models import PublisherSettings, SectionPage
from news.structured_data import publisher_info
from pagecache.memo import site_wide


def navigation(request):
    """The site's name, top-level sections for the header, policy pages for the footer and the publisher.

    Each process keeps both lists until a section or an about page is
    published, unpublished, moved or deleted, or the publisher settings
    change: all of these bump the page cache's site tag (pagecache.memo).
    """
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"menu_sections": [], "about_pages": [], "publisher": None, "site_name": settings.WAGTAIL_SITE_NAME}

    def menu():
        sections = SectionPage.in_menu_under(site.root_page)
        policies = PublisherSettings.for_site(site).policy_pages()
        return {
            "sections": [{"title": s.title, "url": s.get_url(request), "path": s.path} for s in sections],
            "about": [{"title": page.title, "url": page.get_url(request)} for _prop, _label, page in policies if page],
            "publisher": publisher_info(site),
        }

    kept = site_wide(("menu", site.root_page_id), menu)
    return {
        "menu_sections": kept["sections"],
        "about_pages": kept["about"],
        "publisher": kept["publisher"],
        "site_name": site.site_name or settings.WAGTAIL_SITE_NAME,
    }
