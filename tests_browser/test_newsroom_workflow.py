"""A reporter writes a story in the admin and submits it; an editor approves and publishes it; readers see it.

Through the admin's own widgets (the dashboard's shortcut, snippet chooser,
StreamField, Draftail, the workflow's actions), in an Arabic and an English
browser; at the English one, staff who chose English for the admin.
"""

import re

import pytest
from playwright.sync_api import expect

from news.models import ArticlePage
from tests_browser.steps import admin_login, look_over, needs_chromium, public_page, text_of

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), needs_chromium]

TITLE = "افتتاح سوق الحميدية بعد الترميم"
STANDFIRST = "عاد التجار إلى محالهم بعد عامين من أعمال الترميم."
PARAGRAPH = "فتح سوق الحميدية أبوابه صباح اليوم أمام الزوار."


@pytest.fixture
def newsroom(home, newsroom_user, staff_language):
    from news.factories import DeskFactory, SectionPageFactory

    DeskFactory(name="قسم الأخبار")
    section = SectionPageFactory(title="اقتصاد")
    newsroom_user("reporter", "Reporters", language=staff_language)
    newsroom_user("editor", "Editors", language=staff_language)
    return section


def test_a_reporters_story_is_approved_by_an_editor_and_reaches_readers(live_server, newsroom, person):
    reporter = person()
    admin_login(reporter, "reporter")
    # The dashboard's «مقال جديد», then the section.
    shortcut = reporter.locator("section[aria-labelledby=new-article-heading]")
    shortcut.get_by_role("link", name=newsroom.title, exact=True).click()
    reporter.locator("body.ready #id_title").wait_for()  # the admin's scripts have started
    reporter.fill("#id_title", TITLE)
    reporter.fill("#id_standfirst", STANDFIRST)
    # The desk signs the story: chosen in the snippet chooser's modal.
    desk_field = reporter.locator("[data-field-wrapper]", has=reporter.locator("#id_desk"))
    desk_field.locator("button[data-chooser-action-choose]").first.click()
    reporter.locator(".modal-dialog a", has_text="قسم الأخبار").click()
    expect(desk_field).to_contain_text("قسم الأخبار")
    # The body: a paragraph block, typed into its rich-text editor.
    body_field = reporter.locator("[data-field-wrapper]", has=reporter.locator("[name='body-count']"))
    body_field.locator("button.c-sf-add-button").first.click()
    reporter.get_by_role("option", name="فقرة").click()
    body_field.locator("[contenteditable=true]").first.click()
    reporter.keyboard.type(PARAGRAPH)
    # Draftail writes the form's field a moment after the typing stops.
    expect(reporter.locator("input[name='body-0-value']")).to_have_value(re.compile("أمام الزوار"))
    look_over(reporter)
    reporter.locator("footer .w-dropdown__toggle").click()
    submit = reporter.locator("button[name=action-submit]")
    expect(submit).to_have_text(re.compile(r"^\s*(تقديم|Submit)"))
    submit.click()
    expect(reporter.locator(".messages .success")).to_contain_text(TITLE)

    story = ArticlePage.objects.get(title=TITLE)
    assert not story.live
    assert story.current_workflow_state.status == "in_progress"
    assert story.owner.username == "reporter"

    editor = person()
    admin_login(editor, "editor")
    # The dashboard lists the story awaiting the editor's review.
    editor.locator("#awaiting-review-section").get_by_role("link", name=TITLE).click()
    editor.locator("footer .w-dropdown__toggle").click()
    # «موافقة ونشر», not «نشر» (which would cancel the review) nor the one that asks for a comment.
    editor.locator("footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])").click()
    expect(editor.locator(".messages .success")).to_contain_text(TITLE)

    story.refresh_from_db()
    assert story.live
    assert story.desk.name == "قسم الأخبار"

    reader = person()
    front = public_page(reader, "/")
    story_link = front.find("a", string=re.compile(TITLE))
    assert story_link is not None, "the story is not on the home page"
    assert story_link["href"] == story.url
    section = public_page(reader, newsroom.url)
    assert section.find("a", string=re.compile(TITLE))["href"] == story.url
    article = public_page(reader, story.url)
    assert text_of(article, "#article-title") == TITLE
    assert text_of(article, ".article__standfirst") == STANDFIRST
    assert PARAGRAPH in text_of(article, ".article__body")
    assert text_of(article, ".article__byline") == "قسم الأخبار"
    assert "@newsroom.example" not in reader.content()
