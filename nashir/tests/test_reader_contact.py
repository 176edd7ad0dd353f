"""Readers' email, IP address and browser in the admin: Editors see them, Reporters and other roles do not."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from comments.models import Comment
from corrections.models import ReaderSubmission, SubmissionKind
from news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

READER_EMAIL, READER_IP = "reader.private@example.org", "203.0.113.77"
COMMENTER_EMAIL, COMMENTER_IP, COMMENTER_BROWSER = "sami.private@example.org", "198.51.100.44", "NashirTestBrowser/9.1"


@pytest.fixture
def submission(home):
    return ReaderSubmission.objects.create(
        kind=SubmissionKind.CORRECTION,
        article=ArticlePageFactory(),
        what_is_wrong="الرقم خاطئ في الفقرة الثانية.",
        correct_information="الرقم الصحيح 44.",
        contact_email=READER_EMAIL,
        ip_address=READER_IP,
    )


@pytest.fixture
def comment(home):
    return Comment.objects.create(
        article=ArticlePageFactory(),
        name="سامي",
        email=COMMENTER_EMAIL,
        body="تغطية دقيقة، شكرًا.",
        ip_address=COMMENTER_IP,
        user_agent=COMMENTER_BROWSER,
    )


@pytest.fixture
def member(django_user_model):
    def make(group_name):
        user = django_user_model.objects.create_user(username=f"user-{group_name}", password="x")
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


@pytest.fixture
def comment_reader(home, django_user_model):
    """A role a newsroom might add: reads the comment queue, answers no reader."""
    group = Group.objects.create(name="قراء التعليقات")
    group.permissions.set(
        Permission.objects.filter(
            codename__in=["access_admin", "view_comment"], content_type__app_label__in=["wagtailadmin", "comments"]
        )
    )
    user = django_user_model.objects.create_user(username="comment-reader", password="x")
    user.groups.add(group)
    return user


def page_html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return str(BeautifulSoup(response.content, "lxml"))


def submission_pages(submission):
    urls = "wagtailsnippets_corrections_readersubmission"
    return {
        "list": reverse(f"{urls}:list"),
        "inspect": reverse(f"{urls}:inspect", args=[submission.pk]),
        "edit": reverse(f"{urls}:edit", args=[submission.pk]),
    }


def comment_pages(comment):
    urls = "wagtailsnippets_comments_comment"
    return {
        "list": reverse(f"{urls}:list"),
        "inspect": reverse(f"{urls}:inspect", args=[comment.pk]),
        "edit": reverse(f"{urls}:edit", args=[comment.pk]),
    }


def test_reporters_read_the_corrections_queue_without_the_readers_address(client, submission, member):
    client.force_login(member("Reporters"))
    pages = submission_pages(submission)
    for name in ("list", "inspect"):
        html = page_html(client, pages[name])
        assert "الرقم خاطئ في الفقرة الثانية." in html, name
        assert READER_EMAIL not in html and READER_IP not in html, name
    assert "الرقم الصحيح 44." in page_html(client, pages["inspect"])
    assert client.get(pages["edit"]).status_code in (302, 403)  # reporters do not handle the queue


def test_editors_see_the_readers_address_to_answer_them(client, submission, member):
    client.force_login(member("Editors"))
    pages = submission_pages(submission)
    inspect = page_html(client, pages["inspect"])
    assert READER_EMAIL in inspect and READER_IP in inspect
    assert READER_EMAIL in page_html(client, pages["edit"])


def test_a_role_without_the_permission_sees_comments_but_not_who_wrote_them(client, comment, comment_reader):
    client.force_login(comment_reader)
    pages = comment_pages(comment)
    for name in ("list", "inspect"):
        html = page_html(client, pages[name])
        assert "تغطية دقيقة" in html, name
        assert COMMENTER_EMAIL not in html and COMMENTER_IP not in html and COMMENTER_BROWSER not in html, name
    # Searching the queue by an address tells nothing either.
    found = BeautifulSoup(client.get(pages["list"], {"q": "sami.private"}).content, "lxml")
    assert "تغطية دقيقة" not in found.get_text()
    assert "تغطية دقيقة" in BeautifulSoup(client.get(pages["list"], {"q": "دقيقة"}).content, "lxml").get_text()


def test_editors_see_and_search_the_commenters_address(client, comment, member):
    client.force_login(member("Editors"))
    pages = comment_pages(comment)
    inspect = page_html(client, pages["inspect"])
    assert COMMENTER_EMAIL in inspect and COMMENTER_IP in inspect and COMMENTER_BROWSER in inspect
    assert COMMENTER_EMAIL in page_html(client, pages["edit"])
    found = BeautifulSoup(client.get(pages["list"], {"q": "sami.private"}).content, "lxml")
    assert "تغطية دقيقة" in found.get_text()


def test_editors_who_edit_a_comment_without_the_permission_do_not_see_the_email(client, comment, comment_reader):
    comment_reader.groups.first().permissions.add(
        Permission.objects.get(codename="change_comment", content_type__app_label="comments")
    )
    client.force_login(comment_reader)
    html = page_html(client, comment_pages(comment)["edit"])
    assert "تغطية دقيقة" in html and COMMENTER_EMAIL not in html
