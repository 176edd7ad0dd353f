from datetime import timedelta

from django import template

from readership.services import most_read

register = template.Library()


@register.inclusion_tag("readership/_most_read.html", takes_context=True)
def most_read_lists(context, under=None):
    """The most-read stories of the last day and week, site-wide or under a section (`under`).

    Pulled by the home and section templates, so the news pages need not know
    where the counts come from.
    """
    return {
        "request": context.get("request"),
        "most_read_day": most_read(within=timedelta(hours=24), under=under),
        "most_read_week": most_read(within=timedelta(days=7), under=under),
    }
