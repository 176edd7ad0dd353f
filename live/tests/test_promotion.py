"""«حوّل إلى مقال»: an editor makes a draft article of a published entry; once published, each links to the other."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from live.factories import LiveCoveragePageFactory, LiveEntryFactory
from live.models import EntryStatus
from news.factories import AuthorFactory, DeskFactory
from news.models import ArticlePage
from testing.helpers import member_of, parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(home):
    coverage = LiveCoveragePageFactory(title="الحرائق في الساحل", desk=DeskFactory(name="قسم الأخبار"))
    entry = LiveEntryFactory(
        coverage=coverage,
        headline="إخلاء ثلاث قرى",
        body="<p>أخلى الدفاع المدني <b>ثلاث قرى</b> قرب اللاذقية.</p>",
        author=AuthorFactory(name="سلمى يوسف"),
    )
    entry.sources.create(name="الدفاع المدني", url="https://example.org/civil")
    entry.sources.create(name="وكالة سانا")
    entry.save()
    return entry


def promote(client, entry):
    return client.post(reverse("live_entry_promote", args=[entry.pk]))


def test_an_editor_makes_a_draft_article_of_an_entry_and_edits_it(client, editor, entry):
    client.force_login(editor)
    edit_page = parse(client.get(reverse("wagtailsnippets_live_liveentry:edit", args=[entry.pk])))
    button = edit_page.find("button", formaction=reverse("live_entry_promote", args=[entry.pk]))
    assert button["formmethod"] == "post"
    assert "حوّل إلى مقال" in button.get_text()

    response = promote(client, entry)
    article = ArticlePage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert (article.title, article.live, article.get_parent().pk) == (
        "إخلاء ثلاث قرى",
        False,
        entry.coverage.get_parent().pk,
    )
    assert article.standfirst == "أخلى الدفاع المدني ثلاث قرى قرب اللاذقية."
    assert [block.block_type for block in article.body] == ["paragraph"]
    assert "<b>ثلاث قرى</b>" in article.body[0].value.source
    assert [(source.name, source.url) for source in article.sources.all()] == [
        ("الدفاع المدني", "https://example.org/civil"),
        ("وكالة سانا", ""),
    ]
    assert [author.name for author in article.authors] == ["سلمى يوسف"]
    assert article.desk.name == "قسم الأخبار"
    assert article.get_latest_revision().user == editor
    entry.refresh_from_db()
    assert entry.promoted_to == article

    # A second promotion opens the same article.
    again = promote(client, entry)
    assert again["Location"] == reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert ArticlePage.objects.count() == 1


def test_once_published_the_article_and_the_entry_link_to_each_other(
    client, editor, entry, django_capture_on_commit_callbacks
):
    coverage = entry.coverage
    client.force_login(editor)
    promote(client, entry)
    article = ArticlePage.objects.get()
    client.logout()
    assert "اقرأ المقال كاملًا" not in client.get(coverage.url).content.decode()  # a draft: no link yet

    with django_capture_on_commit_callbacks(execute=True):
        article.get_latest_revision().publish()
    article.refresh_from_db()
    shown = parse(client.get(coverage.url)).select_one(f"#entry-{entry.pk} .live-entry__article a")
    assert (shown.get_text(), shown["href"]) == ("اقرأ المقال كاملًا", article.url)
    back = parse(client.get(article.url)).select_one(".article__promoted-from")
    assert back.get_text(" ", strip=True) == "من التغطية المباشرة: الحرائق في الساحل"
    assert back.a["href"] == f"{coverage.url}#entry-{entry.pk}"


def test_the_article_carries_the_entrys_correction_notes_before_and_after_it_is_published(
    client, editor, entry, django_capture_on_commit_callbacks
):
    from live.models import LiveEntryCorrection

    LiveEntryCorrection.objects.create(entry=entry, text="كانت القرى المُخلاة قريتين لا ثلاثًا.")
    client.force_login(editor)
    promote(client, entry)
    article = ArticlePage.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        article.get_latest_revision().publish()
    client.logout()

    def notes():
        shown = parse(client.get(article.url)).select(".article__promoted-corrections li")
        return [" ".join(note.get_text(" ", strip=True).split()) for note in shown]

    assert len(notes()) == 1
    assert notes()[0].startswith("تصحيح على التحديث الأصلي (")
    assert notes()[0].endswith("): كانت القرى المُخلاة قريتين لا ثلاثًا.")

    # A note added to the entry later reaches the published article's page, cached or not.
    with django_capture_on_commit_callbacks(execute=True):
        LiveEntryCorrection.objects.create(entry=entry, text="ونُقل السكان إلى جبلة لا إلى اللاذقية.")
    assert [note.split("): ")[1] for note in notes()] == [
        "كانت القرى المُخلاة قريتين لا ثلاثًا.",
        "ونُقل السكان إلى جبلة لا إلى اللاذقية.",
    ]


def test_a_reporter_may_not_promote(client, entry):
    client.force_login(member_of("Reporters", "reporter"))
    assert promote(client, entry).status_code == 403
    assert not ArticlePage.objects.exists()


def test_a_draft_entry_is_not_promoted(client, editor):
    draft = LiveEntryFactory(status=EntryStatus.DRAFT)
    client.force_login(editor)
    response = promote(client, draft)
    assert response["Location"] == reverse("wagtailsnippets_live_liveentry:edit", args=[draft.pk])
    assert not ArticlePage.objects.exists()
    edit_page = parse(client.get(response["Location"]))
    assert edit_page.find("button", formaction=reverse("live_entry_promote", args=[draft.pk])) is None


def test_promotion_is_post_only_and_needs_the_csrf_token(editor, entry):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get(reverse("live_entry_promote", args=[entry.pk])).status_code == 405
    assert promote(client, entry).status_code == 403
    assert not ArticlePage.objects.exists()


def test_a_second_click_on_a_page_opened_before_the_first_finds_its_article(editor, entry):
    from live.services import entry_promote

    stale = type(entry).objects.get(pk=entry.pk)  # the second request's copy, read before the first promoted
    first = entry_promote(entry=entry, user=editor)
    assert stale.promoted_to_id is None
    assert entry_promote(entry=stale, user=editor) == first
    assert ArticlePage.objects.count() == 1


def test_the_article_of_an_entry_without_a_headline_reads_its_paragraphs_apart(editor, home):
    entry = LiveEntryFactory(headline="", body="<p>وصلت القافلة.</p><p>بدأ التوزيع صباحًا.</p>")
    from live.services import entry_promote

    article = entry_promote(entry=entry, user=editor)
    assert article.title == "وصلت القافلة. بدأ التوزيع صباحًا."
    assert article.standfirst == "وصلت القافلة. بدأ التوزيع صباحًا."


def test_an_article_does_not_name_a_coverage_behind_a_password(
    client, editor, entry, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    from live.services import entry_promote

    article = entry_promote(entry=entry, user=editor)
    PageViewRestriction.objects.create(page=entry.coverage, restriction_type=PageViewRestriction.PASSWORD, password="x")
    with django_capture_on_commit_callbacks(execute=True):
        article.get_latest_revision().publish()
    article.refresh_from_db()
    page = client.get(article.url).content.decode()
    assert "الحرائق في الساحل" not in page


def test_publishing_the_article_changes_the_entry_for_pages_already_open(client, editor, entry):
    from live.services import entry_promote

    article = entry_promote(entry=entry, user=editor)
    before = type(entry).objects.get(pk=entry.pk).changed_at
    article.get_latest_revision().publish()
    assert type(entry).objects.get(pk=entry.pk).changed_at > before


def test_the_promotion_button_shows_only_to_who_may_add_an_article_in_the_section(client, entry):
    from django.contrib.auth.models import Permission

    # Publishing entries, without any right over the section's pages.
    user = get_user_model().objects.create_user(username="desk", password="x")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="live", codename__in=["publish_liveentry", "change_liveentry", "view_liveentry"]
        ),
        Permission.objects.get(codename="access_admin"),
    )
    client.force_login(user)
    edit_page = parse(client.get(reverse("wagtailsnippets_live_liveentry:edit", args=[entry.pk])))
    assert edit_page.select_one("form") is not None
    assert edit_page.find("button", formaction=reverse("live_entry_promote", args=[entry.pk])) is None
    assert promote(client, entry).status_code == 403
