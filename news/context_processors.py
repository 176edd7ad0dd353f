from django.conf import settings
from wagtail.models import Site

from news.models import PublisherSettings, SectionPage
from news.structured_data import publisher_info
from news.theme import theme_digest, theme_values
from pagecache.memo import site_wide


def navigation(request):
    """The site's name, top-level sections for the header, the footer's columns, the publisher and its theme.

    Each process keeps both lists until a section or an about page is
    published, unpublished, moved or deleted, or the publisher settings
    change: all of these bump the page cache's site tag (pagecache.memo).
    """
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {
            "menu_sections": [],
            "about_pages": [],
            "footer_columns": [],
            "social_accounts": [],
            "publisher": None,
            "theme": {},
            "site_name": settings.WAGTAIL_SITE_NAME,
        }

    def menu():
        sections = SectionPage.in_menu_under(site.root_page)
        publisher = PublisherSettings.for_site(site)
        policies = publisher.policy_pages()
        values = theme_values(publisher)
        return {
            "sections": [{"title": s.title, "url": s.get_url(request), "path": s.path} for s in sections],
            "about": [{"title": page.title, "url": page.get_url(request)} for _prop, _label, page in policies if page],
            "footer_columns": _footer_columns(publisher, request),
            "social": [{"title": str(label), "url": url} for label, url in publisher.social_accounts()],
            "publisher": publisher_info(site),
            "theme": {**values, "digest": theme_digest(values)},
        }

    kept = site_wide(("menu", site.root_page_id), menu)
    return {
        "menu_sections": kept["sections"],
        "about_pages": kept["about"],
        "footer_columns": kept["footer_columns"],
        "social_accounts": kept["social"],
        "theme": kept["theme"],
        "publisher": kept["publisher"],
        "site_name": site.site_name or settings.WAGTAIL_SITE_NAME,
    }


def _footer_columns(publisher, request) -> list[dict]:
    """The newsroom's footer columns as plain titles and addresses; a link to a page no longer live is left out."""
    columns = []
    for column in publisher.footer_columns:
        links = []
        for link in column.value["links"]:
            page = link["page"]
            if page is not None:
                url = page.get_url(request) if page.live else None
            else:
                url = link["url"]
            if url:
                links.append({"title": link["title"], "url": url})
        if links:
            columns.append({"heading": column.value["heading"], "links": links})
    return columns
