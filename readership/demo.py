"""The demo newsroom's reads, recorded through the readership buffer as the view beacon records them."""

import math
import random
from datetime import datetime, timedelta

from news import demo_newsroom
from readership.models import HourlyViews
from readership.services import view_record, views_flush

# Each read of a story has an address of its own (its own /64, as the view counter counts IPv6 by
# network), from the documentation range (RFC 3849), so none is refused as a repeat.
READ_ADDRESS = "2001:db8:{high:x}:{low:x}::1"
READS_WINDOW = timedelta(days=7)
READS_AUDIENCE = 400  # a story's readers in its first days, before its `reads` factor
READS_HALF_LIFE_HOURS = 10
READS_TRICKLE_PER_DAY = 3


def demo_reads_load(sender, *, report, now, **kwargs) -> None:
    # Written by the readership buffer's own flush, in its own transaction.
    report.reads_recorded = _reads(report, now)


def demo_reads_planned(story: dict, published: datetime, now: datetime) -> list[datetime]:
    """When the demo's readers read `story` within the last week, none before it was published.

    A story draws most of its readers in its first day (the share read by
    `t` hours is 1 - e^(-t/τ)), then a trickle of a few a day; `reads` in the
    story's data scales its audience.
    """
    age = max((now - published).total_seconds() / 3600, 0.0)
    since = max(age - READS_WINDOW.total_seconds() / 3600, 0.0)  # hours after publication the window opens

    def share(hours):
        return 1 - math.exp(-hours / READS_HALF_LIFE_HOURS)

    rng = random.Random(story["key"])  # noqa: S311 - the same reads on every load, not a secret
    audience = story.get("reads", 1) * READS_AUDIENCE
    hours = [
        -READS_HALF_LIFE_HOURS * math.log(1 - (share(since) + rng.random() * (share(age) - share(since))))
        for _ in range(round(audience * (share(age) - share(since))))
    ]
    hours += [rng.uniform(since, age) for _ in range(round(READS_TRICKLE_PER_DAY * (age - since) / 24))]
    return sorted(published + timedelta(hours=hour) for hour in hours)


def _reads(report, now) -> int:
    """Record the demo's reads through the readership buffer, as the view beacon does, and flush them.

    A story that already has reads in the last week (an earlier load) gets no more.
    """
    stories = {story["key"]: story for story in demo_newsroom.demo_stories()}
    recorded = 0
    for key, article in report.articles.items():
        if key not in stories or not article.live:
            continue
        if HourlyViews.objects.filter(article=article, hour__gte=now - READS_WINDOW).exists():
            continue
        for number, moment in enumerate(demo_reads_planned(stories[key], article.first_published_at, now)):
            address = READ_ADDRESS.format(high=number >> 16, low=number & 0xFFFF)
            recorded += view_record(
                article_id=article.pk, ip_address=address, user_agent=demo_newsroom.DEMO_USER_AGENT, now=moment
            )
    views_flush()
    return recorded
