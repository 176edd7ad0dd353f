from django.conf import settings
from wagtail.models import Site

from news.models import SectionPage


def navigation(request):
    """The site's name and top-level sections for the header, in editorial order."""
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"menu_sections": [], "site_name": settings.WAGTAIL_SITE_NAME}
    sections = SectionPage.objects.child_of(site.root_page).live().in_menu().order_by("path")
    return {"menu_sections": sections, "site_name": site.site_name or settings.WAGTAIL_SITE_NAME}
