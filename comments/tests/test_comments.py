"""Reader comments from the form to the page, through moderation and spam defences."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentSettings, CommentStatus
from news.factories import ArticlePageFactory
from testing.helpers import parse, shown_seconds_ago

pytestmark = pytest.mark.django_db


def post(client, article, data, **extra):
    return client.post(reverse("comments:post", args=[article.pk]), data, REMOTE_ADDR="203.0.113.9", **extra)


def test_a_new_comment_is_held_and_shown_to_its_writer_as_awaiting(client, seed_article, comment_data):
    page = parse(client.get(seed_article.url))
    form = page.select_one("form#comment-form")
    assert form["method"] == "post"
    assert "لن يتم نشر عنوان بريدك الإلكتروني." in form.get_text()
    # No per-reader token: the form is on pages served from the cache (see reader_form_view).
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is None

    response = post(client, seed_article, comment_data())
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert comment.email == "sami@example.org"
    assert comment.ip_address == "203.0.113.9"

    after = parse(client.get(response["Location"]))
    notice = after.select_one(".notice")
    assert "بانتظار المراجعة" in notice.get_text()
    assert "شكرًا على التغطية الدقيقة." in notice.select_one(".comment--pending").get_text()
    # Said once, and nothing beside it says there is no comment.
    comments = after.select_one("#comments")
    assert comments.get_text().count("بانتظار المراجعة") == 1
    assert comments.select_one(".empty") is None
    assert "لا تعليقات بعد" not in comments.get_text()
    # Nobody else sees it until an editor approves it.
    assert "شكرًا على التغطية الدقيقة." not in client.get(seed_article.url).content.decode()


def test_a_reader_who_has_just_commented_can_comment_again_from_the_page(client, seed_article, comment_data, settings):
    settings.NASHIR_FORM_MIN_SECONDS = 0
    page = parse(client.get(seed_article.url))
    stamp = page.select_one("#comment-form input[name=rendered_at]")["value"]
    first = post(client, seed_article, comment_data(rendered_at=stamp))
    assert first.status_code == 302

    after = parse(client.get(first["Location"]))
    fresh = after.select_one("#comment-form input[name=rendered_at]")["value"]
    assert fresh != stamp
    second = post(
        client, seed_article, comment_data(rendered_at=fresh, body="وأضيف: الصور ممتازة.", email="b@example.org")
    )
    assert second.status_code == 302
    assert Comment.objects.filter(body="وأضيف: الصور ممتازة.").exists()


def test_an_approved_comment_is_public_but_its_email_never_is(client, seed_article, comment_data):
    post(client, seed_article, comment_data(email="Private.Reader@Example.org"))
    Comment.objects.update(status=CommentStatus.APPROVED)
    html = client.get(seed_article.url).content.decode()
    soup = BeautifulSoup(html, "lxml")
    comment = soup.select_one(".comment-list .comment")
    assert comment.select_one(".comment__author").get_text() == "سامي"
    assert "شكرًا على التغطية الدقيقة." in comment.get_text()
    assert soup.select_one(".comments__count").get_text() == "(1)"
    for page in (html, client.get("/").content.decode(), client.get(seed_article.get_parent().url).content.decode()):
        assert "private.reader@example.org" not in page.lower()


def test_editors_are_emailed_about_pending_comments(
    client, seed_article, comment_data, django_user_model, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("ed", "editor@newsroom.example", "x")
    editor.groups.add(Group.objects.get(name="Editors"))
    django_user_model.objects.create_user("rep", "reporter@newsroom.example", "x")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, seed_article, comment_data())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["editor@newsroom.example"]
    assert seed_article.title in mail.outbox[0].subject
    assert "/admin/snippets/comments/comment/edit/" in mail.outbox[0].body


def test_a_returning_approved_commenter_is_published_at_once(client, seed_article, comment_data):
    post(client, seed_article, comment_data())
    Comment.objects.update(status=CommentStatus.APPROVED)
    response = client.post(
        reverse("comments:post", args=[seed_article.pk]),
        comment_data(body="تعليق ثانٍ", email="SAMI@example.org"),
        REMOTE_ADDR="198.51.100.1",
    )
    published = Comment.objects.get(body="تعليق ثانٍ")
    assert published.status == CommentStatus.APPROVED
    after = parse(client.get(response["Location"]))
    assert "نُشر تعليقك" in after.select_one(".notice").get_text()
    # The link's target is the comment in the list, the only element with its id.
    assert [element.name for element in after.select(f"#comment-{published.pk}")] == ["article"]

    settings = CommentSettings.load()
    settings.auto_approve_returning = False
    settings.save()
    client.post(
        reverse("comments:post", args=[seed_article.pk]),
        comment_data(body="تعليق ثالث"),
        REMOTE_ADDR="198.51.100.2",
    )
    assert Comment.objects.get(body="تعليق ثالث").status == CommentStatus.PENDING


def test_replies_are_one_level_deep(client, seed_article, comment_data):
    post(client, seed_article, comment_data())
    parent = Comment.objects.get()
    parent.status = CommentStatus.APPROVED
    parent.save()
    page = parse(client.get(f"{seed_article.url}?reply_to={parent.pk}"))
    assert page.select_one("#comment-form input[name=parent]")["value"] == str(parent.pk)

    client.post(
        reverse("comments:post", args=[seed_article.pk]),
        comment_data(body="أوافقك", parent=parent.pk, email="b@example.org"),
        REMOTE_ADDR="198.51.100.3",
    )
    reply = Comment.objects.get(body="أوافقك")
    assert reply.parent == parent
    Comment.objects.filter(pk=reply.pk).update(status=CommentStatus.APPROVED)
    soup = parse(client.get(seed_article.url))
    assert soup.select_one(".comment-list--replies .comment").get_text().count("أوافقك") == 1
    assert soup.select_one(".comments__count").get_text() == "(2)"

    # A reply to a reply is refused, with the reader's text kept.
    response = client.post(
        reverse("comments:post", args=[seed_article.pk]),
        comment_data(body="رد على رد", parent=reply.pk, email="c@example.org"),
        REMOTE_ADDR="198.51.100.4",
    )
    assert response.status_code == 400
    assert not Comment.objects.filter(body="رد على رد").exists()


def test_honeypot_submissions_are_dropped_silently(client, seed_article, comment_data):
    response = post(client, seed_article, comment_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_a_form_sent_too_fast_is_refused_and_kept(client, seed_article, comment_data):
    response = post(client, seed_article, comment_data(rendered_at=shown_seconds_ago(0)))
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "lxml")
    assert "بسرعة كبيرة" in soup.select_one(".form-errors").get_text()
    assert soup.select_one("#comment-form textarea[name=body]").get_text().strip() == "شكرًا على التغطية الدقيقة."
    assert soup.select_one("#comment-form input[name=name]")["value"] == "سامي"
    assert not Comment.objects.exists()


def test_a_tampered_or_missing_time_stamp_is_refused(client, seed_article, comment_data):
    assert post(client, seed_article, comment_data(rendered_at="forged")).status_code == 400
    assert not Comment.objects.exists()


def test_field_errors_are_in_arabic_next_to_the_fields(client, seed_article, comment_data):
    response = post(client, seed_article, comment_data(name="", email="not-an-email", body=""))
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "lxml")
    errors = {
        field.select_one("label")["for"]: field.select_one(".field__errors").get_text(strip=True)
        for field in soup.select("#comment-form .field--error")
    }
    assert errors == {
        "id_name": "اكتب اسمك.",
        "id_email": "عنوان البريد الإلكتروني غير صحيح.",
        "id_body": "اكتب تعليقك.",
    }
    assert soup.select_one("#id_email")["aria-invalid"] == "true"


def test_too_many_links_are_refused(client, seed_article, comment_data):
    body = "انظر http://a.example و http://b.example و www.c.example"
    response = post(client, seed_article, comment_data(body=body))
    assert response.status_code == 400
    assert "روابط كثيرة" in response.content.decode()
    assert post(client, seed_article, comment_data(body="مصدري http://a.example")).status_code == 302


def test_blocklisted_words_are_filed_as_spam_after_normalization(client, seed_article, comment_data):
    settings = CommentSettings.load()
    settings.blocklist = "أحمق\nكازينو مجاني"
    settings.save()
    post(client, seed_article, comment_data(body="يا والاحمق"))
    client.post(
        reverse("comments:post", args=[seed_article.pk]),
        comment_data(body="جرّب كازينو  مجاني", email="x@example.org"),
        REMOTE_ADDR="198.51.100.5",
    )
    assert list(Comment.objects.values_list("status", flat=True)) == [CommentStatus.SPAM, CommentStatus.SPAM]
    assert not mail.outbox


def test_rate_limits_per_address_and_per_email(client, seed_article, comment_data, settings):
    settings.NASHIR_RATE_PER_IP = "2/600"
    settings.NASHIR_RATE_PER_EMAIL = "3/600"
    statuses = [post(client, seed_article, comment_data(email=f"r{i}@example.org")).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert "احتفظنا بما كتبته" in post(client, seed_article, comment_data()).content.decode()

    same_email = [
        client.post(
            reverse("comments:post", args=[seed_article.pk]),
            comment_data(email="one@example.org"),
            REMOTE_ADDR=f"192.0.2.{i}",
        ).status_code
        for i in range(4)
    ]
    assert same_email == [302, 302, 302, 429]


def test_comments_close_per_article_and_after_n_days(client, home, comment_data):
    closed = ArticlePageFactory(comments_open=False)
    soup = parse(client.get(closed.url))
    assert soup.select_one("#comment-form") is None
    assert "التعليقات مغلقة" in soup.select_one(".comments").get_text()
    assert post(client, closed, comment_data()).status_code == 400
    assert not Comment.objects.exists()

    settings = CommentSettings.load()
    settings.close_after_days = 14
    settings.save()
    old = ArticlePageFactory(first_published_at=timezone.now() - timedelta(days=15))
    fresh = ArticlePageFactory(first_published_at=timezone.now() - timedelta(days=13))
    assert parse(client.get(old.url)).select_one("#comment-form") is None
    assert parse(client.get(fresh.url)).select_one("#comment-form") is not None


def test_comment_counts_show_in_listings(client, home):
    article = ArticlePageFactory()
    for index, status in enumerate([CommentStatus.APPROVED] * 3 + [CommentStatus.PENDING, CommentStatus.SPAM]):
        Comment.objects.create(article=article, name="ق", email=f"{index}@example.org", body="ت", status=status)
    card = parse(client.get(article.get_parent().url)).select_one(".card__comments")
    assert card.get_text() == "3 تعليقات"
    assert card["href"].endswith("#comments")


def test_bidi_and_zero_width_tricks_are_stripped(client, seed_article, comment_data):
    post(client, seed_article, comment_data(name="سا\u202eمي\u200d", body="نص\u2066مخفي\u2069\u200b"))
    comment = Comment.objects.get()
    assert comment.name == "سامي"
    assert comment.body == "نصمخفي"


def test_comment_writer_cannot_inject_markup(client, seed_article, comment_data):
    payloads = [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<svg onload=alert(1)>",
        '"><iframe src="javascript:alert(1)">',
        '<a href="javascript:alert(1)">اضغط</a>',
        "<body onload=alert(1)>",
    ]
    for index, payload in enumerate(payloads):
        client.post(
            reverse("comments:post", args=[seed_article.pk]),
            comment_data(name=payload[:80], body=payload, email=f"x{index}@example.org"),
            REMOTE_ADDR=f"192.0.2.{index + 10}",
        )
    Comment.objects.update(status=CommentStatus.APPROVED)
    soup = parse(client.get(seed_article.url))
    comments = soup.select_one(".comment-list")
    assert comments.find(["script", "img", "svg", "iframe", "body"]) is None
    for element in comments.find_all(True):
        assert not [name for name in element.attrs if name.startswith("on")]
        assert "javascript:" not in element.get("href", "")
    assert "<script>alert(1)</script>" in comments.get_text()  # shown as text, harmlessly


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_SEC_FETCH_SITE": "cross-site"}, {"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_ORIGIN": "null"}],
)
def test_a_post_sent_from_another_site_is_refused(client, seed_article, comment_data, headers):
    response = post(client, seed_article, comment_data(), **headers)
    assert response.status_code == 403
    assert "أُرسل هذا النموذج من موقع آخر" in BeautifulSoup(response.content, "html.parser").get_text()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("headers", [{"HTTP_SEC_FETCH_SITE": "same-origin"}, {"HTTP_ORIGIN": "http://testserver"}, {}])
def test_a_post_from_the_page_itself_is_taken(client, seed_article, comment_data, headers):
    response = post(client, seed_article, comment_data(), **headers)
    assert response.status_code == 302
    assert Comment.objects.count() == 1
