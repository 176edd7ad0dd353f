"""Test factories for live coverage."""

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from live.models import EntryStatus, LiveCoveragePage, LiveEntry
from news.factories import SectionPageFactory, recent


class LiveCoveragePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"تغطية مباشرة رقم {n}")
    summary = factory.LazyAttribute(lambda page: f"ما نعرفه حتى الآن عن {page.title}.")
    parent = factory.SubFactory(SectionPageFactory)
    live = True
    # Opened two hours ago: within the Google News window, before the entries tests post "minutes ago".
    first_published_at = factory.LazyFunction(lambda: recent(120))
    last_published_at = factory.SelfAttribute("first_published_at")

    class Meta:
        model = LiveCoveragePage


class LiveEntryFactory(DjangoModelFactory):
    coverage = factory.SubFactory(LiveCoveragePageFactory)
    headline = factory.Sequence(lambda n: f"تطور رقم {n}")
    body = factory.LazyAttribute(lambda entry: f"<p>تفاصيل {entry.headline}.</p>")
    status = EntryStatus.PUBLISHED

    class Meta:
        model = LiveEntry
