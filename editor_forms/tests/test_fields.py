"""What editors type in the admin is stored without control characters, wherever they type it."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from corrections.models import CorrectionNote, ReaderSubmission
from news.factories import DeskFactory, SectionPageFactory
from news.models import ArticlePage

pytestmark = pytest.mark.django_db

# Pasted from a word processor or a terminal: a vertical tab, escape, a bell,
# a C1 control, and a lone surrogate (Draftail sends the body as JSON, which can carry one).
PASTED = "\x0b\x1b[0m\x07\x85"
ARABIC_MARKS = "\u200c\u200f"  # ZWNJ and RLM: writing, kept


def test_an_article_written_in_the_admin_is_stored_without_control_characters(client, editor):
    section = SectionPageFactory()
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": f"عنوان{PASTED} الخبر",
            "slug": "",
            "standfirst": f"مقدمة{PASTED} الخبر{ARABIC_MARKS}",
            "body": streamfield(
                [
                    ("paragraph", rich_text(f"<p>الفقرة{PASTED}\ud800 الأولى.</p>")),
                    ("heading", f"عنوان{PASTED} فرعي"),
                    ("quote", {"text": f"نص{PASTED} الاقتباس", "speaker": "متحدث", "source": "", "source_url": ""}),
                ]
            ),
            "bylines": inline_formset([]),
            "desk": DeskFactory(name="قسم الأخبار").pk,
            "sources": inline_formset([]),
            "tags": "",
            "comments": inline_formset([]),
            "comments_open": "on",
            "action-publish": "1",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    article = ArticlePage.objects.get()
    assert article.title == "عنوان[0m الخبر"
    assert article.standfirst == f"مقدمة[0m الخبر{ARABIC_MARKS}"
    paragraph, heading, quote = (block.value for block in article.body)
    assert BeautifulSoup(paragraph.source, "lxml").get_text() == "الفقرة[0m الأولى."
    assert (heading, quote["text"]) == ("عنوان[0m فرعي", "نص[0m الاقتباس")
    assert article.live_revision.content["title"] == "عنوان[0m الخبر"


def test_a_correction_accepted_from_a_readers_text_is_published_clean(client, seed_article, editor):
    # Sent before readers' text was cleaned: the accept form starts from it.
    submission = ReaderSubmission.objects.create(
        kind="correction", article=seed_article, what_is_wrong="خطأ", correct_information=f"صدر{PASTED} الاثنين."
    )
    client.force_login(editor)
    url = reverse("corrections_accept", args=[submission.pk])
    response = client.post(url, {"kind": "correction", "text": submission.correct_information})
    assert response.status_code == 302
    assert CorrectionNote.objects.get().text == "صدر[0m الاثنين."


def test_a_note_written_in_the_snippet_admin_is_stored_clean(client, seed_article, editor):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_corrections_correctionnote:add"),
        {"article": seed_article.pk, "kind": "update", "text": f"أضفنا{PASTED} حصيلة.", "supersedes": ""},
    )
    assert response.status_code == 302
    assert CorrectionNote.objects.get().text == "أضفنا[0m حصيلة."
