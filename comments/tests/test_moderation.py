"""Moderating comments in the Wagtail admin."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse

from comments.models import Comment, CommentStatus
from news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def make_comments(article, statuses):
    return [
        Comment.objects.create(article=article, name=f"قارئ {i}", email=f"{i}@example.org", body=f"تعليق {i}", status=s)
        for i, s in enumerate(statuses)
    ]


def bulk(client, action, comments):
    url = reverse("wagtail_bulk_action", args=["comments", "comment", action])
    return client.post(url + "?" + "&".join(f"id={c.pk}" for c in comments))


def test_queue_filters_by_status_and_article(client, editor):
    first, second = ArticlePageFactory(), ArticlePageFactory()
    pending, approved = make_comments(first, [CommentStatus.PENDING, CommentStatus.APPROVED])
    (other,) = make_comments(second, [CommentStatus.PENDING])
    client.force_login(editor)
    url = reverse("wagtailsnippets_comments_comment:list")

    def listed(params):
        html = client.get(url, params).content.decode()
        return {c.body for c in (pending, approved, other) if c.body in html}

    assert listed({}) == {"تعليق 0", "تعليق 1"} | {other.body}
    assert listed({"status": "pending"}) == {pending.body, other.body}
    assert listed({"status": "pending", "article": first.pk}) == {pending.body}


def test_bulk_approve_and_spam(client, editor, seed_article):
    comments = make_comments(seed_article, [CommentStatus.PENDING] * 3)
    client.force_login(editor)
    assert bulk(client, "approve", comments[:2]).status_code == 302
    assert bulk(client, "spam", comments[2:]).status_code == 302
    assert [c.status for c in Comment.objects.order_by("pk")] == ["approved", "approved", "spam"]
    page = BeautifulSoup(client.get(seed_article.url).content, "lxml")
    assert len(page.select(".comment-list .comment")) == 2


def test_bulk_delete(client, editor, seed_article):
    comments = make_comments(seed_article, [CommentStatus.SPAM] * 2)
    client.force_login(editor)
    assert bulk(client, "delete", comments).status_code == 302
    assert not Comment.objects.exists()


def test_reporters_cannot_moderate(client, home, seed_article, django_user_model):
    reporter = django_user_model.objects.create_user("rep", "rep@example.org", "x")
    reporter.groups.add(Group.objects.get(name="Reporters"))
    (comment,) = make_comments(seed_article, [CommentStatus.PENDING])
    client.force_login(reporter)
    bulk(client, "approve", [comment])
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_dashboard_counts_pending_comments(client, editor, seed_article):
    make_comments(seed_article, [CommentStatus.PENDING, CommentStatus.PENDING, CommentStatus.APPROVED])
    client.force_login(editor)
    soup = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "lxml")
    panel = soup.select_one("#pending-comments-heading").find_parent("section")
    link = panel.select_one("a")
    assert " ".join(link.get_text().split()) == "تعليقان بانتظار المراجعة"  # the dual, not «2 تعليق»
    assert link["href"].endswith("?status=pending")


def test_editor_sees_the_email_reader_does_not(client, editor, seed_article):
    (comment,) = make_comments(seed_article, [CommentStatus.APPROVED])
    client.force_login(editor)
    edit = client.get(reverse("wagtailsnippets_comments_comment:edit", args=[comment.pk]))
    assert comment.email in edit.content.decode()
    client.logout()
    assert comment.email not in client.get(seed_article.url).content.decode()
