"""Parts of the article page kept rendered between page renders, and what refreshes them."""

import json
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from arabic import numbers
from comments.models import Comment
from corrections.models import CorrectionNote, NoteKind
from corrections.services import correction_note_publish
from news.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory
from news.models import ArticlePage, ArticleSource
from pagecache import fragments
from pagecache.store import SITE
from testing.helpers import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("whole_pages_off")]


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


def rendered(response):
    """The names of the templates rendered for `response` (the test client records each render)."""
    return [template.name for template in response.templates]


def test_the_body_is_rendered_once_per_revision(client, article):
    first = client.get(article.url)
    assert "news/_article_body.html" in rendered(first)
    again = client.get(article.url)
    assert "news/_article_body.html" not in rendered(again)  # kept from the first request
    assert body_text(client, article) == parse(first).select_one(".article__body").get_text(" ", strip=True)

    revision = article.get_latest_revision_as_object()
    revision.body = body_with("سعر الصرف الجديد")
    revision.save_revision().publish()
    assert body_text(client, article) == "سعر الصرف الجديد"


def test_an_approved_comment_shows_without_rendering_the_body_again(client, article):
    first = client.get(article.url)
    assert "news/_article_body.html" in [template.name for template in first.templates]
    Comment.objects.create(article=article, name="قارئ", email="r@example.org", body="رأي", status="approved")
    response = client.get(article.url)
    assert [p.get_text(strip=True) for p in parse(response).select(".comment__body")] == ["رأي"]
    # The page was made again, with the comment; the comment bumped the discussion's
    # tag, not the article's, so its kept body was used.
    rendered = [template.name for template in response.templates]
    assert response["X-Cache"] != "HIT" and "comments/_comments.html" in rendered
    assert "news/_article_body.html" not in rendered


def test_a_new_release_does_not_read_what_an_old_one_kept(request, monkeypatch):
    made = []

    def compute():
        made.append(1)
        return {"made": len(made)}

    def read():
        return fragments.kept("probe", vary=[1], tags=[SITE], compute=compute)

    assert read() == read() == {"made": 1}
    # The next release: Wagtail upgraded (the project's own sources count the same way).
    request.addfinalizer(fragments.release.cache_clear)
    monkeypatch.setattr(fragments, "version", lambda name: "99.0")
    fragments.release.cache_clear()
    assert read() == {"made": 2}


def test_a_release_that_changes_only_a_template_or_a_translation_is_a_new_release(request, settings, tmp_path):
    request.addfinalizer(fragments.release.cache_clear)
    template, catalogue = tmp_path / "templates" / "card.html", tmp_path / "locale" / "ar" / "django.mo"
    template.parent.mkdir()
    catalogue.parent.mkdir(parents=True)
    template.write_text("<p>{{ title }}</p>")
    catalogue.write_bytes(b"catalogue one")
    settings.BASE_DIR = tmp_path
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates"]}]
    settings.LOCALE_PATHS = [tmp_path / "locale"]

    releases = []
    for change in (None, lambda: template.write_text("<h3>{{ title }}</h3>"), lambda: catalogue.write_bytes(b"two")):
        if change:
            change()
        fragments.release.cache_clear()
        releases.append(fragments.release())
    assert len(set(releases)) == 3


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


def test_fragments_can_be_turned_off(client, article, settings):
    settings.NASHIR_FRAGMENT_CACHE = False
    client.get(article.url)
    again = rendered(client.get(article.url))
    assert again.count("news/_article_body.html") == 1
    assert again.count("news/_related_articles.html") == 1


def test_sources_tags_and_section_names_follow_their_changes(client, article):
    client.get(article.url)
    revision = article.get_latest_revision_as_object()
    revision.sources.add(ArticleSource(name="وكالة سانا"))
    revision.tags.add("المصرف المركزي")
    revision.save_revision().publish()
    soup = parse(client.get(article.url))
    assert soup.select_one(".article__sources").get_text(" ", strip=True).endswith("وكالة سانا")
    assert [a.get_text(strip=True) for a in soup.select(".article__tags a")] == ["الليرة", "المصرف المركزي"]

    section = article.get_parent().specific
    section.title = "الاقتصاد السوري"
    section.save_revision().publish()
    assert parse(client.get(article.url)).select_one(".article__section").get_text(strip=True) == "الاقتصاد السوري"


def test_the_blank_comment_form_is_shared_but_a_reply_form_is_not(client, article):
    blank = parse(client.get(article.url)).select_one("#comment-form")
    assert blank.select_one("input[name=parent]").get("value") is None
    reply = parse(client.get(article.url, {"reply_to": 7})).select_one("#comment-form")
    assert reply.select_one("input[name=parent]")["value"] == "7"
    assert parse(client.get(article.url)).select_one("#comment-form input[name=parent]").get("value") is None


def head_meta(response):
    """The article's OpenGraph title and its JSON-LD, as the page sent them."""
    soup = parse(response)
    scripts = [json.loads(script.string) for script in soup.select('script[type="application/ld+json"]')]
    (news_article,) = [item for item in scripts if item["@type"] == "NewsArticle"]
    return soup.select_one('meta[property="og:title"]')["content"], news_article


def test_sharing_tags_structured_data_share_links_and_lead_photo_are_kept_with_the_article(client, article):
    parts = {"news/_sharing_meta.html", "news/_share.html", "news/_article_figure.html"}
    first = client.get(article.url)
    assert parts <= set(rendered(first))
    again = client.get(article.url)
    assert not parts & set(rendered(again))
    assert head_meta(again) == head_meta(first)
    assert parse(again).select_one(".share").decode() == parse(first).select_one(".share").decode()

    revision = article.get_latest_revision_as_object()
    revision.title = "الليرة تتعافى"
    revision.save_revision().publish()
    response = client.get(article.url)
    title, news_article = head_meta(response)
    assert title == news_article["headline"] == "الليرة تتعافى"
    assert "الليرة تتعافى" in unquote(parse(response).select_one(".share a[data-service=telegram]")["href"])


def test_kept_structured_data_shows_a_new_correction_note(client, article, django_capture_on_commit_callbacks):
    assert "correction" not in head_meta(client.get(article.url))[1]
    with django_capture_on_commit_callbacks(execute=True):
        CorrectionNote.objects.create(article=article, text="صحّحنا سعر الصرف.")
    news_article = head_meta(client.get(article.url))[1]
    assert [note["text"] for note in news_article["correction"]] == ["صحّحنا سعر الصرف."]


def test_the_header_breadcrumbs_sources_and_feed_links_are_kept_with_the_article(client, article):
    parts = {
        "news/_article_header.html",
        "news/_breadcrumbs.html",
        "news/_article_sources.html",
        "news/_article_section_feeds.html",
    }
    first = client.get(article.url)
    assert parts <= set(rendered(first))
    again = client.get(article.url)
    assert not parts & set(rendered(again))
    for selector in (".article__header", ".breadcrumbs", ".article__tags", 'link[title="اقتصاد"]'):
        assert parse(again).select_one(selector).decode() == parse(first).select_one(selector).decode()

    # A renamed writer is the site's change: every kept byline is made again.
    writer = AuthorFactory(name="سلمى")
    revision = article.get_latest_revision_as_object()
    revision.bylines.create(author=writer)
    revision.save_revision().publish()
    assert "سلمى" in parse(client.get(article.url)).select_one(".article__byline").get_text()
    writer.name = "سلمى الأحمد"
    writer.save()
    assert "سلمى الأحمد" in parse(client.get(article.url)).select_one(".article__byline").get_text()


def test_the_kept_header_shows_the_view_count_of_each_render(client, article):
    assert parse(client.get(article.url)).select_one(".article__views") is None  # no reads yet
    # Reads are counted with update(), which neither publishes nor saves the article.
    ArticlePage.objects.filter(pk=article.pk).update(view_count=1234)
    response = client.get(article.url)
    assert "news/_article_header.html" not in rendered(response)
    views = parse(response).select_one(".article__meta .article__view-count")
    assert views.get_text(strip=True) == numbers.format_number(1234)
    ArticlePage.objects.filter(pk=article.pk).update(view_count=1235)
    views = parse(client.get(article.url)).select_one(".article__meta .article__view-count")
    assert views.get_text(strip=True) == numbers.format_number(1235)


def test_a_render_whose_parts_are_kept_reads_only_the_article(client, article):
    """The article's row is the one query: its desk, bylines, sources, tags and section come with kept parts."""
    client.get(article.url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(article.url)
    assert response.status_code == 200
    assert "news/_article_body.html" not in rendered(response)
    (query,) = context.captured_queries
    assert "news_articlepage" in query["sql"] and "news_desk" not in query["sql"]
    assert parse(response).select_one(".article__byline").get_text(strip=True) == "قسم الأخبار"


def test_a_published_correction_note_shows_in_the_kept_header_and_notes(
    client, article, django_capture_on_commit_callbacks
):
    soup = parse(client.get(article.url))
    assert soup.select_one(".article__updated") is None and soup.select_one(".correction-notes") is None
    again = client.get(article.url)
    kept_parts = {"news/_article_header.html", "corrections/_article_accountability.html"}
    assert not kept_parts & set(rendered(again))
    assert "corrections/_article_reader_actions.html" not in rendered(again)
    assert parse(again).select_one(".reader-cta a")["href"] == reverse("corrections:new", args=[article.pk])

    # Neither a new revision nor a save of the article: the note moves its `updated_at` with update().
    with django_capture_on_commit_callbacks(execute=True):
        correction_note_publish(article=article, kind=NoteKind.CORRECTION, text="صحّحنا سعر الصرف.")
    soup = parse(client.get(article.url))
    assert soup.select_one(".article__updated time") is not None
    assert [p.get_text(strip=True) for p in soup.select(".correction-note p:not(.correction-note__meta)")] == [
        "صحّحنا سعر الصرف."
    ]
