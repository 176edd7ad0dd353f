"""The lite edition's pages are purged from a CDN with the full ones (news' `article_listing_paths`)."""

from wagtail import hooks


@hooks.register("article_listing_paths")
def lite_listing_paths(article, paths):
    """The lite copy of the article and of each page listing it; lite has no feeds."""
    pages = [path for path in paths if path and path.startswith("/") and path.endswith("/") and "/feed/" not in path]
    return ["/lite" + path for path in pages]
