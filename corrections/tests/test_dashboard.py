"""The admin dashboard counts the corrections and replies readers sent, as it counts comments awaiting review."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse

from corrections.models import ReaderSubmission, SubmissionKind, SubmissionStatus
from news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def submissions(article, kind, status, count):
    for _ in range(count):
        ReaderSubmission.objects.create(article=article, kind=kind, status=status, what_is_wrong="…")


def panel(client):
    dashboard = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "lxml")
    heading = dashboard.find(id="pending-submissions-heading")
    return heading and heading.find_parent("section")


def test_the_dashboard_counts_new_requests_by_kind_and_links_to_them(client, editor, home):
    article = ArticlePageFactory()
    submissions(article, SubmissionKind.CORRECTION, SubmissionStatus.NEW, 3)
    submissions(article, SubmissionKind.REPLY, SubmissionStatus.NEW, 2)
    submissions(article, SubmissionKind.CORRECTION, SubmissionStatus.UNDER_REVIEW, 11)
    submissions(article, SubmissionKind.CORRECTION, SubmissionStatus.ACCEPTED, 1)
    client.force_login(editor)

    links = {" ".join(a.get_text().split()): a["href"] for a in panel(client).select("a")}
    queue = reverse("wagtailsnippets_corrections_readersubmission:list")
    assert links == {
        "3 طلبات تصحيح جديدة": f"{queue}?kind=correction&status=new",
        "طلبا رد جديدان": f"{queue}?kind=reply&status=new",
        "11 طلبًا قيد المراجعة": f"{queue}?status=review",
    }
    listed = BeautifulSoup(client.get(links["3 طلبات تصحيح جديدة"]).content, "lxml")
    assert len(listed.select("tbody tr")) == 3


def test_the_dashboard_says_when_nothing_waits(client, editor, home):
    submissions(ArticlePageFactory(), SubmissionKind.REPLY, SubmissionStatus.REJECTED, 1)
    client.force_login(editor)
    assert " ".join(panel(client).get_text().split()).endswith("لا طلبات تصحيح أو رد بانتظار المراجعة.")


def test_reporters_do_not_get_the_queue_on_their_dashboard(client, home, django_user_model):
    reporter = django_user_model.objects.create_user("reporter", "reporter@example.org", "x")
    reporter.groups.add(Group.objects.get(name="Reporters"))
    client.force_login(reporter)
    assert panel(client) is None
