"""Parts of the article page kept rendered between page renders, and what refreshes them."""

import pytest
from django.urls import reverse

from news.factories import ArticlePageFactory, SectionPageFactory
from news.tests.conftest import parse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def whole_pages_off(settings):
    # Every request renders the page, so what is seen comes from the fragments.
    settings.NASHIR_PAGE_CACHE = False


@pytest.fixture
def article(home):
    section = SectionPageFactory(parent=home, title="اقتصاد")
    return ArticlePageFactory(parent=section, title="الليرة تتراجع", tags=["الليرة"])


def body_text(client, article):
    return parse(client.get(article.url)).select_one(".article__body").get_text(" ", strip=True)


def related_titles(client, article):
    return [a.get_text(strip=True) for a in parse(client.get(article.url)).select(".related .card__title a")]


def body_with(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def test_the_body_is_rendered_once_per_revision(client, article, monkeypatch):
    first = body_text(client, article)
    rendered = []
    monkeypatch.setattr("news.models.pages.render_to_string", lambda *a, **k: rendered.append(a[0]) or "")
    client.get(article.url)
    assert "news/_article_body.html" not in rendered  # kept from the first request
    monkeypatch.undo()
    assert body_text(client, article) == first

    revision = article.get_latest_revision_as_object()
    revision.body = body_with("سعر الصرف الجديد")
    revision.save_revision().publish()
    assert body_text(client, article) == "سعر الصرف الجديد"


def test_a_draft_and_its_preview_never_reach_readers(admin_client, client, article):
    live = body_text(client, article)
    draft = article.get_latest_revision_as_object()
    draft.body = body_with("مسودة لم تُنشر")
    draft.save_revision()
    preview = parse(admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[article.pk])))
    assert preview.select_one(".article__body").get_text(strip=True) == "مسودة لم تُنشر"
    assert body_text(client, article) == live


def test_related_stories_follow_what_is_published(client, article):
    assert related_titles(client, article) == []
    other = ArticlePageFactory(parent=SectionPageFactory(), title="المصرف المركزي يتدخل", tags=["الليرة"])
    assert related_titles(client, article) == ["المصرف المركزي يتدخل"]
    other.unpublish()
    assert related_titles(client, article) == []


def test_fragments_can_be_turned_off(client, article, settings, monkeypatch):
    settings.NASHIR_FRAGMENT_CACHE = False
    client.get(article.url)
    rendered = []
    real = __import__("news.models.pages", fromlist=["render_to_string"]).render_to_string
    monkeypatch.setattr("news.models.pages.render_to_string", lambda *a, **k: rendered.append(a[0]) or real(*a, **k))
    client.get(article.url)
    assert rendered == ["news/_article_body.html", "news/_related_articles.html"]
