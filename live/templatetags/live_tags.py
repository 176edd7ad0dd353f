"""The coverage page's structured data (live.structured_data)."""

from django import template

from live import structured_data as live_structured_data
from news import structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def coverage_structured_data(context):
    page, request = context["page"], context["request"]
    if getattr(request, "is_preview", False) or not page.first_published_at:
        return ""  # a preview is for the editor: no address or date to describe yet
    crumbs = [(ancestor.title, ancestor.get_url(request)) for ancestor in context["breadcrumbs"][1:]]
    return structured_data.json_ld(
        live_structured_data.live_blog_posting(
            page, entries=context["entries"], publisher=context["publisher"], section=context["section"]
        ),
        structured_data.breadcrumbs([(context["site_name"], "/"), *crumbs, (page.title, page.get_url(request))]),
    )
