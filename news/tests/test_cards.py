"""Article cards kept rendered between page renders (news.cards): reused, and never out of date."""

import time

import pytest

from comments.models import Comment
from news import cards, listings
from news.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory
from testing.helpers import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("whole_pages_off")]


@pytest.fixture
def section(home):
    return SectionPageFactory(parent=home, title="اقتصاد")


def card_titles(client, path="/"):
    return [a.get_text(strip=True) for a in parse(client.get(path)).select(".card__title a")]


def count_card_renders(monkeypatch):
    rendered = []
    real = cards._render
    monkeypatch.setattr(cards, "_render", lambda article, *a: rendered.append(article.title) or real(article, *a))
    return rendered


def test_after_a_publication_the_home_page_renders_only_the_new_card(client, section, monkeypatch):
    older = [ArticlePageFactory(parent=section, title=f"خبر قديم {n}") for n in range(3)]
    client.get("/")
    rendered = count_card_renders(monkeypatch)
    ArticlePageFactory(parent=section, title="خبر عاجل")
    titles = card_titles(client)
    assert titles[0] == "خبر عاجل"  # the lead
    assert set(rendered) == {"خبر عاجل"}
    assert {article.title for article in older} <= set(titles)
    rendered.clear()
    assert card_titles(client) == titles and rendered == []


def test_a_card_follows_its_article(client, section, monkeypatch):
    article = ArticlePageFactory(parent=section, title="الليرة تتراجع")
    other = ArticlePageFactory(parent=section, title="خبر آخر")
    assert "الليرة تتراجع" in card_titles(client)

    revision = article.get_latest_revision_as_object()
    revision.title = "الليرة تتراجع مجددًا"
    revision.save_revision().publish()
    assert "الليرة تتراجع مجددًا" in card_titles(client)
    assert "الليرة تتراجع" not in card_titles(client)

    def comment_counts():
        return [a.get_text(strip=True) for a in parse(client.get(section.url)).select(".card__comments")]

    assert comment_counts() == []
    Comment.objects.create(article=other, name="قارئ", email="r@example.org", body="رأي", status="approved")
    # A comment makes no listing stale (its article's page only): the section's rows, counts included,
    # are kept a minute (news.listings.LISTING_ROWS_SECONDS), as its whole page is kept a few.
    assert comment_counts() == []
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + listings.LISTING_ROWS_SECONDS + 1)
    assert comment_counts() == ["تعليق واحد"]
    monkeypatch.undo()

    other.unpublish()
    assert "خبر آخر" not in card_titles(client)


def test_a_renamed_author_shows_on_every_card(client, section):
    author = AuthorFactory(name="سارة الأحمد")
    ArticlePageFactory(parent=section, authors=[author])
    ArticlePageFactory(parent=section)  # the lead shows no byline; the second tier does
    assert "سارة الأحمد" in parse(client.get("/")).select_one(".second-tier").get_text()
    author.name = "سارة أحمد"
    author.save()
    byline = parse(client.get("/")).select_one(".second-tier").get_text()
    assert "سارة أحمد" in byline and "سارة الأحمد" not in byline


def test_cards_are_rendered_the_same_when_fragments_are_off(client, section, settings):
    for n in range(5):
        ArticlePageFactory(parent=section, title=f"خبر {n}")
    kept = parse(client.get("/")).select_one("main")
    settings.NASHIR_FRAGMENT_CACHE = False
    assert parse(client.get("/")).select_one("main") == kept
