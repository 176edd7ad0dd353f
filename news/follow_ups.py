"""Follow-ups («متابعة»): stories linked by `ArticlePage.follows` into one chain of developments.

Each article names at most the one it follows; the chain is every story reached
through those links, up and down. A page shows the chain, so publishing a
follow-up makes the pages of the whole chain stale (news/signal_handlers.py).
"""

from news.models import ArticlePage

# A chain longer than this is an editing mistake; the page shows no more of it.
MAX_CHAIN = 50


def story_chain_ids(article_id: int | None, *, follows_id: bool | int | None = False) -> set[int]:
    """The ids of every article linked to `article_id` by follow-ups, published or not, itself included.

    `follows_id`: the story it follows, if known (a page in hand, or a preview's own choice).
    """
    if not article_id:
        return {follows_id} if follows_id else set()
    seen = {article_id}
    root = article_id
    above = follows_id
    if above is False:
        above = ArticlePage.objects.filter(pk=article_id).values_list("follows_id", flat=True).first()
    # Up to the first story; `seen` stops a loop an editor may have made.
    while above and above not in seen and len(seen) < MAX_CHAIN:
        seen.add(above)
        root = above
        above = ArticlePage.objects.filter(pk=above).values_list("follows_id", flat=True).first()
    chain, frontier = {root}, [root]
    while frontier and len(chain) < MAX_CHAIN:
        below = ArticlePage.objects.filter(follows_id__in=frontier).exclude(pk__in=chain).values_list("pk", flat=True)
        frontier = list(below[: MAX_CHAIN - len(chain)])
        chain.update(frontier)
    return chain | seen


def story_chain(article: ArticlePage, request) -> list[dict]:
    """The published stories of `article`'s chain, newest first, as the page lists them; [] when it has none.

    Plain values rather than pages, so the page can keep them (`ArticlePage._record`).
    """
    ids = story_chain_ids(article.pk, follows_id=article.follows_id)
    if not article.pk and article.follows_id:  # a new story's preview
        ids |= story_chain_ids(article.follows_id)
    if not ids - {article.pk}:
        return []
    members = list(
        ArticlePage.objects.published()
        .filter(pk__in=ids)
        .exclude(pk=article.pk)
        .only("id", "title", "url_path", "first_published_at")
        .order_by("-first_published_at")
    )
    if not members:
        return []
    chain = [
        {"pk": page.pk, "title": page.title, "url": page.get_url(request), "published_at": page.first_published_at}
        for page in members
    ]
    # The page itself, in its place by date (a preview not yet published counts as the newest).
    chain.append(
        {
            "pk": article.pk,
            "title": article.title,
            "url": None,
            "published_at": article.first_published_at,
            "current": True,
        }
    )
    return sorted(
        chain, key=lambda item: item["published_at"].timestamp() if item["published_at"] else float("inf"), reverse=True
    )


def newer_development(chain: list[dict]) -> dict | None:
    """The newest story of the chain when it is not the page's own."""
    return chain[0] if chain and not chain[0].get("current") else None
