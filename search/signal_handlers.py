"""Keep the search index in step with what readers can see.

Deleting an article needs nothing more: Wagtail unpublishes a live page
before deleting it, which unindexes it here (its spellings included).
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from news import signals as news_signals
from news.models import ArticlePage, Author, Desk, SectionPage
from search.services import articles_sync, articles_unindex, entries_stale_for


def article_published(sender, instance, **kwargs):
    articles_sync([instance.pk])


def articles_imported(sender, page_ids, **kwargs):
    articles_sync(page_ids)


def article_unpublished(sender, instance, **kwargs):
    articles_unindex([instance.pk])


def subtree_changed(instance, **kwargs):
    """A move or a view restriction changes what is public and where: sync every article below."""
    page = Page.objects.filter(pk=instance.page_id).first() if isinstance(instance, PageViewRestriction) else instance
    if page is None:  # the restricted page itself was deleted, and its articles with it
        return
    articles_sync(ArticlePage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def page_moved(sender, instance, **kwargs):
    subtree_changed(instance)


def section_published(sender, instance, **kwargs):
    articles_sync(entries_stale_for(path=instance.path, name=instance.title))


def byline_saved(sender, instance, created, **kwargs):
    if created:
        return
    if isinstance(instance, Author):
        article_ids = ArticlePage.objects.filter(bylines__author=instance).values("pk")
    else:
        article_ids = ArticlePage.objects.filter(desk=instance).values("pk")
    articles_sync(entries_stale_for(article_ids=article_ids, name=instance.name))


def register():
    page_published.connect(article_published, sender=ArticlePage, dispatch_uid="search-published")
    news_signals.articles_imported.connect(articles_imported, dispatch_uid="search-imported")
    page_unpublished.connect(article_unpublished, sender=ArticlePage, dispatch_uid="search-unpublished")
    page_published.connect(section_published, sender=SectionPage, dispatch_uid="search-section")
    post_page_move.connect(page_moved, dispatch_uid="search-moved")
    post_save.connect(subtree_changed, sender=PageViewRestriction, dispatch_uid="search-restricted")
    post_delete.connect(subtree_changed, sender=PageViewRestriction, dispatch_uid="search-unrestricted")
    post_save.connect(byline_saved, sender=Author, dispatch_uid="search-author")
    post_save.connect(byline_saved, sender=Desk, dispatch_uid="search-desk")
