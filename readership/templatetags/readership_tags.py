from datetime import timedelta

from django import template
from django.template.loader import render_to_string

from pagecache.fragments import fragment
from pagecache.store import CONTENT, SITE
from readership.services import MOST_READ_CACHE_SECONDS, most_read

register = template.Library()


@register.simple_tag(takes_context=True)
def most_read_lists(context, under=None, week=True):
    """The most-read stories of the last day and (unless `week` is false) week, site-wide or under a section.

    Pulled by the news templates, so the news pages need not know where the
    counts come from. "" when nothing has been read: `{% most_read_lists as
    html %}` lets a page leave out the column that would hold it. Kept
    rendered for a few minutes, and while no article is published, withdrawn
    or changed (the page cache's tags), since the lists show their titles.
    """

    def render():
        lists = {
            "request": context.get("request"),
            "most_read_day": most_read(within=timedelta(hours=24), under=under),
            "most_read_week": most_read(within=timedelta(days=7), under=under) if week else [],
        }
        if not (lists["most_read_day"] or lists["most_read_week"]):
            return ""
        return render_to_string("readership/_most_read.html", lists)

    vary = [under.path if under else "", week]
    return fragment("most-read-lists", vary=vary, tags=[SITE, CONTENT], render=render, seconds=MOST_READ_CACHE_SECONDS)
