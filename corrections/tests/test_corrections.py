"""Corrections, right of reply and requests for comment, from the reader's form to the public record."""

from datetime import timedelta

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from wagtail.models import ModelLogEntry

from corrections.models import (
    AppendOnlyError,
    CommentRequest,
    CorrectionNote,
    PublishedReply,
    ReaderSubmission,
    SubmissionStatus,
)
from corrections.services import correction_note_publish, reply_publish
from news.factories import ArticlePageFactory
from news.models import ArticlePage
from testing.helpers import parse, shown_seconds_ago

pytestmark = pytest.mark.django_db


def correction_data(**overrides):
    data = {
        "what_is_wrong": "التاريخ خاطئ: البيان صدر يوم الاثنين.",
        "correct_information": "صدر البيان يوم الاثنين 18 مايو/أيار 2020.",
        "evidence_url": "https://example.org/statement",
        "contact_email": "reader@example.org",
        "website": "",
        "rendered_at": shown_seconds_ago(),
    }
    data.update(overrides)
    return data


def reply_data(**overrides):
    data = {
        "name": "هادي البحرة",
        "organisation": "الائتلاف الوطني السوري",
        "role": "المتحدث الرسمي",
        "statement": "ننفي ما ورد في الخبر عن الفريق.",
        "contact_email": "press@example.org",
        "website": "",
        "rendered_at": shown_seconds_ago(),
    }
    data.update(overrides)
    return data


def test_the_call_to_action_leads_to_a_working_correction_form(client, seed_article):
    page = parse(client.get(seed_article.url))
    cta = page.select_one(".reader-cta")
    assert "إذا كنت تعتقد أن المقال يحوي معلومات خاطئة أو لديك تفاصيل إضافية" in cta.get_text()
    link = cta.find("a", string="أرسل تصحيحًا")["href"]
    form_page = parse(client.get(link))
    assert form_page.select_one("meta[name=robots]")["content"] == "noindex"
    assert seed_article.title in form_page.select_one(".reader-page__article").get_text()

    response = client.post(link, correction_data(), REMOTE_ADDR="203.0.113.1")
    assert response.status_code == 302
    submission = ReaderSubmission.objects.get()
    assert (submission.kind, submission.status, submission.article_id) == ("correction", "new", seed_article.pk)
    assert submission.contact_email == "reader@example.org"
    sent = parse(client.get(response["Location"]))
    # The confirmation says what happened, in its title too, and asks for nothing more.
    assert sent.select_one("h1").get_text() == "وصل طلبك إلى المحررين"
    assert sent.title.get_text().startswith("وصل طلبك إلى المحررين |")
    assert "سيراجعه المحررون" in sent.select_one(".notice").get_text()
    assert sent.select_one("form.reader-form") is None and "أرسل تصحيحًا" not in sent.get_text()


def test_the_forms_have_their_own_title(client, seed_article):
    correction = parse(client.get(reverse("corrections:new", args=[seed_article.pk])))
    assert correction.title.get_text().startswith("أرسل تصحيحًا |")
    reply = parse(client.get(reverse("corrections:reply", args=[seed_article.pk])))
    assert reply.title.get_text().startswith("حق الرد |")


def test_a_bad_correction_is_shown_again_with_arabic_errors_and_the_text_kept(client, seed_article):
    url = reverse("corrections:new", args=[seed_article.pk])
    response = client.post(url, correction_data(correct_information="  ", evidence_url="ليس رابطًا", contact_email="x"))
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "lxml")
    errors = {
        f.select_one("label")["for"]: f.select_one(".field__errors").get_text(strip=True)
        for f in soup.select(".field--error")
    }
    assert errors["id_correct_information"] == "هذا الحقل مطلوب."
    assert errors["id_contact_email"] == "عنوان البريد الإلكتروني غير صحيح."
    assert "id_evidence_url" in errors
    assert "التاريخ خاطئ" in soup.select_one("#id_what_is_wrong").get_text()
    assert not ReaderSubmission.objects.exists()


def test_honeypot_and_rate_limit_on_the_correction_form(client, seed_article, settings):
    url = reverse("corrections:new", args=[seed_article.pk])
    assert client.post(url, correction_data(website="spam")).status_code == 302
    assert not ReaderSubmission.objects.exists()
    settings.NASHIR_RATE_PER_IP = "1/600"
    assert client.post(url, correction_data(), REMOTE_ADDR="192.0.2.1").status_code == 302
    response = client.post(url, correction_data(contact_email="b@example.org"), REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 429
    assert ReaderSubmission.objects.count() == 1


def test_accepting_a_correction_publishes_a_dated_note(
    client, seed_article, editor, django_capture_on_commit_callbacks
):
    client.post(reverse("corrections:new", args=[seed_article.pk]), correction_data())
    submission = ReaderSubmission.objects.get()
    client.force_login(editor)
    edit = client.get(reverse("wagtailsnippets_corrections_readersubmission:edit", args=[submission.pk]))
    assert reverse("corrections_accept", args=[submission.pk]) in edit.content.decode()
    accept_url = reverse("corrections_accept", args=[submission.pk])
    assert "صدر البيان يوم الاثنين" in client.get(accept_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(accept_url, {"kind": "correction", "text": "صحّحنا يوم صدور البيان: الاثنين 18 مايو."})
    assert response.status_code == 302

    note = CorrectionNote.objects.get()
    assert (note.article_id, note.kind, note.created_by) == (seed_article.pk, "correction", editor)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    article = ArticlePage.objects.get(pk=seed_article.pk)
    assert article.updated_at == note.published_at
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    assert article.title in mail.outbox[0].subject

    client.logout()
    page = parse(client.get(seed_article.url))
    box = page.select_one(".correction-notes")
    assert "صحّحنا يوم صدور البيان" in box.get_text()
    assert (
        box.select_one("time")["datetime"] == timezone.localtime(note.published_at).replace(microsecond=0).isoformat()
    )
    assert page.select_one(".article__updated time") is not None
    # Under the body, before the sources line.
    body, sources = page.select_one(".article__body"), page.select_one(".article__sources")
    order = [e for e in page.select_one("article").descendants if e in (body, box, sources)]
    assert order == [body, box, sources]


def test_a_page_rendered_while_a_note_is_published_does_not_keep_it_hidden(
    client, home, django_capture_on_commit_callbacks
):
    article, elsewhere = ArticlePageFactory(), ArticlePageFactory()

    def notes_shown():
        return [p.get_text(" ", strip=True) for p in parse(client.get(article.url)).select(".correction-notes p")]

    assert notes_shown() == []
    text = "صحّحنا عدد الضحايا: 12 لا 21."
    with django_capture_on_commit_callbacks(execute=False) as commit:
        note = correction_note_publish(article=article, kind="correction", text=text)
        # A reader's request renders the page before the transaction commits, so it cannot see
        # the note yet (put out of its sight here, as another connection would not see it),
        # and keeps what it read.
        unguarded = QuerySet(CorrectionNote).filter(pk=note.pk)  # past the append-only guard
        unguarded.update(article=elsewhere)
        assert notes_shown() == []
        unguarded.update(article=article)
    for callback in commit:  # the commit
        callback()
    assert any(text in shown for shown in notes_shown())


def test_rejecting_tells_the_reader(client, seed_article, editor, django_capture_on_commit_callbacks):
    client.post(reverse("corrections:new", args=[seed_article.pk]), correction_data())
    submission = ReaderSubmission.objects.get()
    client.force_login(editor)
    url = reverse("wagtailsnippets_corrections_readersubmission:edit", args=[submission.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"status": "rejected", "assignee": editor.pk, "internal_notes": "البيان صدر الأحد فعلًا."})
    submission.refresh_from_db()
    assert submission.status == "rejected" and submission.outcome_sent_at is not None
    assert len(mail.outbox) == 1 and "لم يجدوا فيه ما يستدعي" in mail.outbox[0].body
    assert "البيان صدر الأحد فعلًا." not in client.get(seed_article.url).content.decode()
    assert not CorrectionNote.objects.exists()


def test_corrections_log_and_feeds_list_notes_newest_first(client, home):
    first, second = ArticlePageFactory(), ArticlePageFactory()
    older = correction_note_publish(article=first, kind="correction", text="الملاحظة الأولى")
    CorrectionNote.objects.filter(pk=older.pk)  # published earlier
    newer = correction_note_publish(article=second, kind="clarification", text="الملاحظة الثانية")
    soup = parse(client.get(reverse("corrections:log")))
    items = soup.select(".corrections-log li")
    assert ["الملاحظة الثانية" in items[0].get_text(), "الملاحظة الأولى" in items[1].get_text()] == [True, True]
    assert items[0].select_one("a")["href"].endswith(f"#note-{newer.pk}")
    feeds = {link["href"] for link in soup.select('link[rel=alternate][type="application/rss+xml"]')}
    assert reverse("corrections:feed") in feeds

    for url in (reverse("corrections:feed"), reverse("corrections:atom")):
        assert not feedparser.parse(client.get(url).content).bozo
    rss = etree.fromstring(client.get(reverse("corrections:feed")).content)
    assert rss.findtext("channel/language") == "ar"
    titles = [item.findtext("title") for item in rss.iterfind("channel/item")]
    assert titles == [f"توضيح: {second.title}", f"تصحيح: {first.title}"]
    assert all(item.findtext("pubDate") for item in rss.iterfind("channel/item"))
    atom = etree.fromstring(client.get(reverse("corrections:atom")).content)
    assert len(atom.findall("{http://www.w3.org/2005/Atom}entry")) == 2


def test_notes_are_append_only_and_refusals_are_audited(client, home, editor, django_user_model):
    article = ArticlePageFactory()
    note = correction_note_publish(article=article, kind="correction", text="نص")
    with pytest.raises(AppendOnlyError):
        note.delete()
    note.published_at = note.published_at - timedelta(days=30)
    with pytest.raises(AppendOnlyError):
        note.save()
    with pytest.raises(AppendOnlyError):
        CorrectionNote.objects.filter(pk=note.pk).update(published_at=timezone.now() - timedelta(days=3))
    with pytest.raises(AppendOnlyError):
        CorrectionNote.objects.all().delete()
    actions = list(ModelLogEntry.objects.filter(object_id=str(note.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["nashir.record.change_refused", "nashir.record.delete_refused"]

    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "x")
    client.force_login(boss)
    for view in ("edit", "delete"):
        url = reverse(f"wagtailsnippets_corrections_correctionnote:{view}", args=[note.pk])
        response = client.post(url, {"text": "محرّف", "kind": "update"})
        # The admin's answer to a refused permission: back to the dashboard with a message.
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    assert ModelLogEntry.objects.filter(object_id=str(note.pk), user=boss).count() == 2
    note.refresh_from_db()
    assert note.text == "نص"
    # Nobody is offered the buttons either.
    listing = client.get(reverse("wagtailsnippets_corrections_correctionnote:list")).content.decode()
    assert reverse("wagtailsnippets_corrections_correctionnote:delete", args=[note.pk]) not in listing


def test_a_note_is_amended_by_a_new_note_that_supersedes_it(client, home):
    article = ArticlePageFactory()
    first = correction_note_publish(article=article, kind="correction", text="الرقم الصحيح 40")
    correction_note_publish(article=article, kind="correction", text="الرقم الصحيح 44", supersedes=first)
    notes = parse(client.get(article.url)).select(".correction-notes li")
    assert len(notes) == 2
    assert "correction-note--superseded" in notes[0]["class"]
    assert "حلّت محلّها ملاحظة لاحقة" in notes[0].get_text()
    with pytest.raises(ValueError):
        correction_note_publish(article=ArticlePageFactory(), kind="update", text="x", supersedes=first)


def test_editors_add_a_note_directly_in_the_admin(client, home, editor):
    article = ArticlePageFactory()
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_corrections_correctionnote:add"),
        {"article": article.pk, "kind": "update", "text": "أضفنا حصيلة محدّثة.", "supersedes": ""},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.updated_at == CorrectionNote.objects.get().published_at
    assert "أضفنا حصيلة محدّثة." in client.get(article.url).content.decode()


def test_right_of_reply_from_form_to_its_own_dated_section(client, seed_article, editor):
    link = parse(client.get(seed_article.url)).select_one(".reader-cta").find("a", string="أرسل ردّك")["href"]
    response = client.post(link, reply_data())
    assert response.status_code == 302
    sent = parse(client.get(response["Location"]))
    assert sent.select_one("h1").get_text() == "وصل ردّك إلى المحررين"
    assert "سنتواصل معك على بريدك" in sent.select_one(".notice").get_text()
    submission = ReaderSubmission.objects.get(kind="reply")
    client.force_login(editor)
    accept_url = reverse("corrections_accept", args=[submission.pk])
    client.post(
        accept_url,
        {
            "organisation": "الائتلاف الوطني السوري",
            "name": "هادي البحرة",
            "role": "المتحدث الرسمي",
            "statement": "ننفي ما ورد.",
        },
    )
    reply = PublishedReply.objects.get()
    client.logout()
    section = parse(client.get(seed_article.url)).select_one(f"#reply-{reply.pk}")
    assert section.h2.get_text() == "رد الائتلاف الوطني السوري"
    assert "هادي البحرة، المتحدث الرسمي" in section.get_text()
    assert (
        section.select_one("time")["datetime"]
        == timezone.localtime(reply.published_at).replace(microsecond=0).isoformat()
    )
    assert "ننفي ما ورد." in section.blockquote.get_text()
    assert "press@example.org" not in client.get(seed_article.url).content.decode()


def test_asked_for_comment_until_the_reply_arrives(client, home):
    article = ArticlePageFactory()
    asked = timezone.now() - timedelta(days=2)
    request = CommentRequest.objects.create(
        article=article, party="وزارة الداخلية", asked_at=asked, deadline=asked + timedelta(days=1)
    )
    note = parse(client.get(article.url)).select_one(".awaiting-reply").get_text()
    assert note.startswith("تواصلنا مع وزارة الداخلية بتاريخ")
    assert "ولم يصلنا رد حتى" in note

    reply_publish(article=article, organisation="وزارة الداخلية", statement="نص رد الوزارة", comment_request=request)
    page = parse(client.get(article.url))
    assert page.select_one(".awaiting-reply") is None
    assert page.select_one(".right-of-reply h2").get_text() == "رد وزارة الداخلية"
    article.refresh_from_db()
    assert article.updated_at is not None


def test_reader_submissions_cannot_inject_markup(client, seed_article, editor):
    payload = '<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>'
    client.post(
        reverse("corrections:reply", args=[seed_article.pk]),
        reply_data(organisation="جهة" + payload[:40], statement=payload),
    )
    client.post(reverse("corrections:new", args=[seed_article.pk]), correction_data(correct_information=payload))
    client.force_login(editor)
    for submission in ReaderSubmission.objects.all():
        page = BeautifulSoup(client.get(reverse("corrections_accept", args=[submission.pk])).content, "lxml")
        assert not [tag for tag in page.find_all("script") if "alert(1)" in tag.get_text()]
        assert not page.find_all(attrs={"onerror": True})
        if submission.kind == "reply":
            data = {"organisation": submission.organisation, "statement": submission.statement}
        else:
            data = {"kind": "correction", "text": submission.correct_information}
        client.post(reverse("corrections_accept", args=[submission.pk]), data)
    client.logout()
    soup = parse(client.get(seed_article.url))
    for region in soup.select(".right-of-reply, .correction-notes"):
        assert region.find(["script", "img"]) is None
        for element in region.find_all(True):
            assert not [name for name in element.attrs if name.startswith("on")]
            assert "javascript:" not in element.get("href", "")
    assert "<script>alert(1)</script>" in soup.select_one(".correction-notes").get_text()
