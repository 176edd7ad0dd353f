"""What each app tells the cache when its content changes: the page cache's public API.

The cache knows tags, not models. Each app connects its own models' signals
to these verbs (in its `AppConfig.ready`); `pagecache.signal_handlers` wires
only Wagtail's core models. Each verb bumps its tags at once and again when
the transaction commits: a reader's request between the two may have stored
the old content under the first new version.

A page type whose app knows better than "the site changed" registers what its
pages' publication and saves make stale (`page_type_register`), the way
Wagtail's frontend cache connects per page class.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from wagtail import hooks
from wagtail.contrib.frontend_cache.utils import PurgeBatch

from pagecache import store


def invalidate_on_commit(*tags: str) -> None:
    store.invalidate(*tags)
    transaction.on_commit(lambda: store.invalidate(*tags))


def articles_changed(article_ids: Iterable[int]) -> None:
    """Articles published or edited: their own pages, and every listing that may show them."""
    invalidate_on_commit(store.CONTENT, *(store.article_tag(pk) for pk in article_ids))


def article_page_changed(article_id: int) -> None:
    """An article's own fields saved outside publishing: its page only (cards key on the live revision)."""
    invalidate_on_commit(store.article_tag(article_id))


def article_discussion_changed(article_id: int, *, listed: bool = False) -> None:
    """What others added to an article changed: comments, linkbacks, correction notes, replies, requests.

    The article's page is stale, its kept body is not (it carries the article's
    tag, not its discussion's). `listed`: listings show it too (a correction or
    reply marks the article updated).
    """
    tags = [store.discussion_tag(article_id)]
    if listed:
        tags.append(store.CONTENT)
    invalidate_on_commit(*tags)


def site_changed(*args, **kwargs) -> None:
    """Something every page may show changed (a signal receiver as it is: it ignores the signal's arguments)."""
    invalidate_on_commit(store.SITE)


def shown_everywhere_saved(sender, instance, created, **kwargs) -> None:
    """A post_save receiver for bylines and settings: a new one shows nowhere yet."""
    if not created:
        site_changed()


def connect_shown_everywhere(model, *, uid: str) -> None:
    """Pages everywhere show rows of `model` (an author, a setting): a change or a deletion is a site change."""
    from django.db.models.signals import post_delete, post_save

    post_save.connect(shown_everywhere_saved, sender=model, dispatch_uid=f"pagecache-saved-{uid}")
    post_delete.connect(site_changed, sender=model, dispatch_uid=f"pagecache-deleted-{uid}")


@dataclass(frozen=True)
class PageType:
    published: Callable
    live_saved: Callable


_page_types: dict[type, PageType] = {}


def page_type_register(model: type, *, published: Callable, live_saved: Callable) -> None:
    """What a publication and a save of a live page of `model` make stale, instead of the whole site.

    `published(page)` and `live_saved(page)` call the verbs above. Unpublishing,
    moving and deleting stay site changes: they change what is public at all.
    """
    _page_types[model] = PageType(published=published, live_saved=live_saved)


def page_type(page) -> PageType | None:
    for model, handlers in _page_types.items():
        if isinstance(page, model):
            return handlers
    return None


# Wagtail hook: fn(paths) returning the addresses of other editions of these pages (the lite edition's).
OTHER_EDITIONS_HOOK = "other_edition_paths"


def purge_on_commit(page, paths: Callable[[], Iterable[str]]) -> None:
    """Ask a CDN, if there is one, to drop these addresses of `page`'s site once the change is committed.

    `paths()` is read after the commit, so it sees the new state; the purge
    requests are background tasks (Wagtail's frontend cache). Wagtail purges a
    published page's own address itself, but not its other editions: those
    of the page and of every path go too (hook `other_edition_paths`).
    """
    if not settings.WAGTAILFRONTENDCACHE:
        return

    def purge():
        site = page.get_site()
        root = site.root_url if site else settings.SITE_URL
        wanted = list(paths())
        own = page.get_url_parts()
        pages = ([own[2]] if own else []) + wanted
        for other_editions in hooks.get_hooks(OTHER_EDITIONS_HOOK):
            wanted += other_editions(pages)
        batch = PurgeBatch()
        batch.add_urls(f"{root}{path}" for path in dict.fromkeys(wanted))
        batch.purge()

    transaction.on_commit(purge)
