"""Links between lite pages, the canonical link to the full page, and an article body as text."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from lite.paths import KEPT_PARAMETERS, full_path, lite_equivalent, lite_path
from news.structured_data import absolute_url
from pagecache.fragments import fragment
from pagecache.store import SITE, article_tag

register = template.Library()


@register.filter
def lite(url):
    """The lite address of a full page's address (a URL string)."""
    return lite_path(url or "/")


@register.simple_tag(takes_context=True)
def lite_pageurl(context, page):
    """The lite address of a page of the tree."""
    return lite_path(page.get_url(context.get("request")) or "/")


@register.simple_tag(takes_context=True)
def full_edition_url(context, *, absolute=False):
    """The full page this lite page stands for, with the listing page or search it shows.

    Relative unless asked (the canonical link): a mirror or an onion service
    that serves both editions keeps its readers on its own address.
    """
    request = context["request"]
    query = request.GET.copy()
    for name in list(query):
        if name not in KEPT_PARAMETERS or (name == "page" and query[name] in ("", "1")):
            del query[name]
    query_string = query.urlencode()
    # A page of the tree says where it is; any other lite page is the full one's address under /lite/.
    url = (context.get("full_url") or full_path(request.path)) + (f"?{query_string}" if query_string else "")
    return absolute_url(url) if absolute else url


@register.simple_tag(takes_context=True)
def lite_edition_url(context):
    """The lite page of the full page being rendered (for the full site's footer)."""
    request = context.get("request")
    return lite_equivalent(request) if request is not None else "/lite/"


@register.simple_tag(takes_context=True)
def lite_body(context, page):
    """A body of blocks as text: images and embeds become links (lite/blocks/<type>.html)."""
    request = context.get("request")

    def render():
        return "".join(
            render_to_string(f"lite/blocks/{block.block_type}.html", {"value": block.value, "request": request})
            for block in page.body
        )

    if not page.live or not page.pk or getattr(request, "is_preview", False):
        return mark_safe(render())  # noqa: S308 - rendered from the block templates
    published = page.last_published_at.timestamp() if page.last_published_at else None
    # Only a new revision changes it; the page's tag covers that, the site's an image renamed.
    return fragment(
        "lite-body",
        vary=[page.pk, page.live_revision_id, published],
        tags=[SITE, article_tag(page.pk)],
        render=render,
    )
