"""Signals the news app sends for other apps to follow."""

from django.dispatch import Signal

# Articles created or changed by an import rather than by Wagtail's publish
# (which sends `page_published`). Arguments: page_ids.
articles_imported = Signal()

# The demo newsroom's stories are published (news.demo_newsroom): the apps that
# own what readers did load their part of it. Arguments: report (a DemoReport,
# whose counters they fill; `report.articles` maps a story's key to its
# article), activity (news/demo/reader_activity.json), editor (signs notes and
# replies), now (the moment the demo is loaded at).
demo_newsroom_loaded = Signal()
