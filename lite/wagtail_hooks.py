"""The lite edition's pages are purged from a CDN with the full ones (pagecache's `other_edition_paths`)."""

from wagtail import hooks

from pagecache.invalidation import OTHER_EDITIONS_HOOK


@hooks.register(OTHER_EDITIONS_HOOK)
def lite_edition_paths(paths):
    """The lite copy of each page purged (an article, a coverage, the pages listing them); lite has no feeds."""
    pages = [path for path in paths if path and path.startswith("/") and path.endswith("/") and "/feed/" not in path]
    return ["/lite" + path for path in pages if not path.startswith("/lite/")]
