"""A reader comments, sends a correction and a reply; an editor handles each in the admin; the reader sees the outcome.

Headless Debian Chromium driven by Playwright against the live test server,
in an Arabic and an English browser. What the reader sees is read from the
public page; a reader's email is never on it.
"""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment, CommentStatus
from corrections.models import CorrectionNote, PublishedReply, ReaderSubmission, SubmissionStatus
from tests_browser.steps import admin_login, needs_chromium, public_page, text_of

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), needs_chromium]


@pytest.fixture
def newsroom(seed_article, newsroom_user, staff_language, reader_forms):
    newsroom_user("editor", "Editors", language=staff_language)
    return seed_article


def open_the_queue(editor, name):
    """From the admin's menu: «التصحيحات والردود» → «طلبات القراء», then the reader's submission."""
    editor.locator(".sidebar-menu-item", has_text="التصحيحات والردود").get_by_role("button").click()
    editor.get_by_role("link", name="طلبات القراء").click()
    editor.get_by_role("link", name=re.compile(name)).click()


def test_a_comment_is_approved_and_another_marked_as_spam(live_server, newsroom, person, staff_language):
    reader = person()
    reader.goto(newsroom.url)
    reader.fill("#id_body", "تغطية ممتازة، شكرًا.")
    reader.fill("#id_name", "ليلى")
    reader.fill("#id_email", "layla@example.org")
    reader.click("#comment-form button[type=submit]")
    held = public_page(reader, reader.url)
    assert "بانتظار المراجعة" in text_of(held, "#comments .notice")
    assert "تغطية ممتازة، شكرًا." in text_of(held, "#comments .notice .comment--pending")
    assert held.select_one("#comments .empty") is None
    reader.fill("#id_body", "اربح جوائز فورية من هنا.")
    reader.fill("#id_name", "عروض")
    reader.fill("#id_email", "offers@example.org")
    reader.click("#comment-form button[type=submit]")
    expect(reader.locator("#comments .notice")).to_contain_text("اربح جوائز")

    editor = person()
    admin_login(editor, "editor")
    # The dashboard counts the comments awaiting review and leads to them.
    waiting = "2 تعليقات بانتظار المراجعة" if staff_language else "تعليقان بانتظار المراجعة"
    editor.locator("section[aria-labelledby=pending-comments-heading]").get_by_role("link", name=waiting).click()
    # One approved with the queue's bulk action...
    editor.locator("tr", has_text="تغطية ممتازة").locator("input[type=checkbox]").check()
    editor.locator("[data-bulk-action-button]", has_text="موافقة ونشر").click()
    editor.get_by_role("button", name="نعم، نفّذ").click()
    expect(editor.locator(".messages")).to_contain_text("1")
    # ...the other opened and marked as spam.
    editor.get_by_role("link", name=re.compile("اربح جوائز")).click()
    editor.select_option("#id_status", "spam")
    editor.locator("button.action-save").click()
    expect(editor.locator(".messages .success")).to_be_visible()

    assert dict(Comment.objects.values_list("name", "status")) == {
        "ليلى": CommentStatus.APPROVED,
        "عروض": CommentStatus.SPAM,
    }
    article = public_page(reader, newsroom.url)
    comments = article.select(".comment-list .comment")
    assert [text_of(comment, ".comment__author") for comment in comments] == ["ليلى"]
    assert "تغطية ممتازة، شكرًا." in text_of(comments[0], ".comment__body")
    assert text_of(article, ".comments__count") == "(1)"
    assert "اربح جوائز" not in reader.content()
    assert "layla@example.org" not in reader.content() and "offers@example.org" not in reader.content()


def test_a_correction_is_accepted_and_its_dated_note_published(live_server, newsroom, person):
    reader = person()
    reader.goto(newsroom.url)
    reader.get_by_role("link", name="أرسل تصحيحًا").click()
    reader.fill("#id_what_is_wrong", "البيان صدر يوم الاثنين لا الأحد.")
    reader.fill("#id_correct_information", "صدر بيان الائتلاف يوم الاثنين 18 مايو/أيار 2020.")
    reader.fill("#id_contact_email", "layla@example.org")
    reader.click("form.reader-form button[type=submit]")
    sent = public_page(reader, reader.url)
    assert text_of(sent, "h1") == "وصل طلبك إلى المحررين"
    assert sent.select_one("form.reader-form") is None

    editor = person()
    admin_login(editor, "editor")
    open_the_queue(editor, "البيان صدر يوم الاثنين")
    editor.get_by_role("link", name="قبول ونشر").click()
    # The note starts from what the reader sent; the editor words it for the page.
    expect(editor.locator("#id_text")).to_have_value("صدر بيان الائتلاف يوم الاثنين 18 مايو/أيار 2020.")
    editor.fill("#id_text", "صحّحنا يوم صدور بيان الائتلاف: الاثنين 18 مايو/أيار 2020.")
    editor.get_by_role("button", name="نشر الملاحظة").click()
    expect(editor.locator(".messages")).to_contain_text("نُشرت الملاحظة")

    assert ReaderSubmission.objects.get().status == SubmissionStatus.ACCEPTED
    note = CorrectionNote.objects.get()
    article = public_page(reader, newsroom.url)
    box = article.select_one(".correction-notes")
    assert box is not None, "no correction note under the article"
    assert "صحّحنا يوم صدور بيان الائتلاف" in text_of(box, f"#note-{note.pk}")
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", box.select_one("time")["datetime"])
    assert text_of(box, "time")
    assert "layla@example.org" not in reader.content()


def test_a_right_of_reply_is_published_in_its_own_section(live_server, newsroom, person):
    reader = person()
    reader.goto(newsroom.url)
    reader.get_by_role("link", name="أرسل ردّك").click()
    reader.fill("#id_name", "هادي البحرة")
    reader.fill("#id_organisation", "الائتلاف الوطني السوري")
    reader.fill("#id_role", "المتحدث الرسمي")
    reader.fill("#id_statement", "ننفي ما ورد في الخبر عن الفريق.")
    reader.fill("#id_contact_email", "press@example.org")
    reader.click("form.reader-form button[type=submit]")
    sent = public_page(reader, reader.url)
    assert text_of(sent, "h1") == "وصل ردّك إلى المحررين"

    editor = person()
    admin_login(editor, "editor")
    open_the_queue(editor, "الائتلاف الوطني السوري")
    editor.get_by_role("link", name="قبول ونشر").click()
    expect(editor.locator("#id_organisation")).to_have_value("الائتلاف الوطني السوري")
    expect(editor.locator("#id_statement")).to_have_value("ننفي ما ورد في الخبر عن الفريق.")
    editor.get_by_role("button", name="نشر الرد").click()
    expect(editor.locator(".messages")).to_contain_text("نُشر الرد")

    reply = PublishedReply.objects.get()
    article = public_page(reader, newsroom.url)
    section = article.select_one(f"#reply-{reply.pk}")
    assert section is not None, "no reply section on the article"
    assert text_of(section, "h2") == "رد الائتلاف الوطني السوري"
    assert "هادي البحرة، المتحدث الرسمي" in text_of(section, ".right-of-reply__meta")
    assert re.match(r"^\d{4}-\d\d-\d\dT", section.select_one("time")["datetime"])
    assert text_of(section, "blockquote") == "ننفي ما ورد في الخبر عن الفريق."
    assert "press@example.org" not in reader.content()
