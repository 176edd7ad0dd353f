"""What comments keep about a reader: addresses expire, an Editor exports or erases one reader's comments."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from comments.models import Comment, CommentStatus
from news.factories import ArticlePageFactory
from operations.scheduling import daily_tasks_enqueue
from readers.services import email_digest

pytestmark = pytest.mark.django_db

EMAIL = "Sami.Private@Example.org"
READER_DATA = reverse("readers_data")


@pytest.fixture
def member(django_user_model):
    def make(group_name):
        user = django_user_model.objects.create_user(username=f"user-{group_name}", password="x")
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


def comment(article, *, email=EMAIL, status=CommentStatus.APPROVED, days_ago=0, **fields):
    made = Comment.objects.create(
        article=article,
        name=fields.pop("name", "سامي الحلبي"),
        email=email,
        body=fields.pop("body", "تغطية دقيقة، شكرًا."),
        status=status,
        ip_address=fields.pop("ip_address", "198.51.100.44"),
        user_agent=fields.pop("user_agent", "NashirTestBrowser/9.1"),
        **fields,
    )
    if days_ago:
        Comment.objects.filter(pk=made.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return made


def authors(client, article) -> list[str]:
    page = BeautifulSoup(client.get(article.url).content, "lxml")
    return [author.get_text() for author in page.select(".comment-list .comment__author")]


def test_addresses_older_than_the_setting_are_erased_and_the_comments_kept(seed_article, settings):
    settings.NASHIR_READER_DATA_DAYS = 30
    old = comment(seed_article, days_ago=31, body="تعليق قديم")
    recent = comment(seed_article, days_ago=29, body="تعليق حديث")

    call_command("expire_reader_data", verbosity=0)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert (old.body, old.name, old.email, old.status) == ("تعليق قديم", "سامي الحلبي", EMAIL, CommentStatus.APPROVED)
    assert (recent.ip_address, recent.user_agent) == ("198.51.100.44", "NashirTestBrowser/9.1")


def test_the_command_counts_without_erasing_on_a_dry_run(seed_article, capsys):
    old = comment(seed_article, days_ago=45)

    call_command("expire_reader_data", "--dry-run")
    assert "comments: 1 record(s) older than 30 days would be erased." in capsys.readouterr().out
    old.refresh_from_db()
    assert old.ip_address == "198.51.100.44"

    call_command("expire_reader_data")
    assert "comments: 1 record(s) older than 30 days erased." in capsys.readouterr().out
    old.refresh_from_db()
    assert old.ip_address is None


def test_an_editor_exports_every_comment_of_an_email_as_json(client, seed_article, member):
    published = comment(seed_article, email="sami.private@example.org")
    pending = comment(seed_article, status=CommentStatus.PENDING, parent=published, body="وأضيف تفصيلًا.")
    comment(seed_article, email="someone.else@example.org", name="ليلى")
    editor = member("Editors")
    client.force_login(editor)

    response = client.post(READER_DATA, {"email": EMAIL, "action": "export"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["email"] == EMAIL
    exported = data["records"]["comments"]
    assert [item["id"] for item in exported] == [published.pk, pending.pk]
    assert exported[1] == {
        "id": pending.pk,
        "article": seed_article.title,
        "article_url": seed_article.get_full_url(),
        "in_reply_to": published.pk,
        "name": "سامي الحلبي",
        "email": EMAIL,
        "body": "وأضيف تفصيلًا.",
        "status": "pending",
        "created_at": Comment.objects.get(pk=pending.pk).created_at.isoformat(),
        "ip_address": "198.51.100.44",
        "user_agent": "NashirTestBrowser/9.1",
    }
    entry = ModelLogEntry.objects.get(action="nashir.reader_data.exported")
    assert entry.user_id == editor.pk
    assert entry.data["email_digest"] == email_digest(EMAIL)
    assert entry.data["records"]["comments"] == 2
    assert "example.org" not in json.dumps(entry.data)


def test_erasing_anonymises_published_comments_on_the_cached_page_and_deletes_the_rest(client, seed_article, member):
    published = comment(seed_article, body="نص يبقى بعد المحو.")
    answered_spam = comment(seed_article, status=CommentStatus.SPAM, body="علِّم مزعجًا ثم رُدّ عليه.")
    comment(seed_article, email="layla@example.org", name="ليلى", parent=answered_spam)
    # Deleting a comment tells the page cache by itself: the ones deleted here are on another article.
    elsewhere = ArticlePageFactory()
    pending = comment(elsewhere, status=CommentStatus.PENDING)
    spam = comment(elsewhere, status=CommentStatus.SPAM)
    other = comment(seed_article, email="layla@example.org", name="ليلى")
    assert authors(client, seed_article) == ["سامي الحلبي", "ليلى"]
    assert client.get(seed_article.url)["X-Cache"] == "HIT"  # the old name is what the page cache holds
    editor = member("Editors")
    client.force_login(editor)

    confirm = client.post(READER_DATA, {"email": EMAIL, "action": "erase"})
    assert confirm.status_code == 200
    page = BeautifulSoup(confirm.content, "lxml")
    assert page.select_one("#reader-data-confirm") is not None
    assert page.select_one("#reader-data-erase input[name=confirm]")["value"] == "yes"
    rules = [item.get_text() for item in page.select("#reader-data-confirm li")]
    assert len(rules) == 2 and "يصير اسم كاتبها «قارئ»" in rules[0]
    assert Comment.objects.filter(email__iexact=EMAIL).count() == 4  # nothing erased before the confirmation

    response = client.post(READER_DATA, {"email": EMAIL, "action": "erase", "confirm": "yes"})

    assert response.status_code == 302
    assert not Comment.objects.filter(pk__in=[pending.pk, spam.pk]).exists()
    for kept in (published, answered_spam):
        kept.refresh_from_db()
        assert (kept.name, kept.email, kept.ip_address, kept.user_agent) == ("قارئ", "", None, "")
    published.refresh_from_db()
    assert published.body == "نص يبقى بعد المحو."
    other.refresh_from_db()
    assert (other.name, other.email, other.ip_address) == ("ليلى", "layla@example.org", "198.51.100.44")
    entry = ModelLogEntry.objects.get(action="nashir.reader_data.erased")
    assert (entry.data["anonymised"], entry.data["deleted"]) == (2, 2)
    assert entry.data["email_digest"] == email_digest(EMAIL)

    client.logout()
    assert authors(client, seed_article) == ["قارئ", "ليلى"]
    assert "سامي الحلبي" not in client.get(seed_article.url).content.decode()


def test_a_reporter_cannot_reach_the_tools_and_an_editor_finds_them_in_settings(client, seed_article, member):
    published = comment(seed_article)
    client.force_login(member("Reporters"))
    home = reverse("wagtailadmin_home")
    # Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard and a message.
    for response in (
        client.get(READER_DATA),
        client.post(READER_DATA, {"email": EMAIL, "action": "export"}),
        client.post(READER_DATA, {"email": EMAIL, "action": "erase", "confirm": "yes"}),
    ):
        assert (response.status_code, response["Location"]) == (302, home)
    published.refresh_from_db()
    assert published.email == EMAIL
    assert READER_DATA not in client.get(home).content.decode()
    assert not ModelLogEntry.objects.filter(action__startswith="nashir.reader_data").exists()

    client.force_login(member("Editors"))
    assert READER_DATA in client.get(home).content.decode()
    lookup = client.post(READER_DATA, {"email": EMAIL, "action": "lookup"})
    counts = BeautifulSoup(lookup.content, "lxml").select("#reader-data-counts tbody tr")
    assert [row.get_text(" ", strip=True) for row in counts] == ["التعليقات 1", "طلبات التصحيح والرد 0"]


def test_an_address_that_is_not_an_email_is_refused_with_the_form_again(client, member):
    client.force_login(member("Editors"))
    response = client.post(READER_DATA, {"email": "not an email", "action": "erase", "confirm": "yes"})
    assert response.status_code == 400
    assert BeautifulSoup(response.content, "lxml").select_one("#reader-data-lookup") is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_task_worker_erases_old_addresses_once_a_day_whatever_the_number_of_servers(seed_article, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old = comment(seed_article, days_ago=40)
    today = timezone.localdate()
    expiry = DBTaskResult.objects.filter(task_path="readers.tasks.reader_data_expire_due")

    # Every server's supervisor asks with every heartbeat; one queues the task.
    assert "readers.tasks.reader_data_expire_due" in daily_tasks_enqueue(today=today)
    assert daily_tasks_enqueue(today=today) == []
    assert expiry.count() == 1
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert expiry.get().status == "SUCCESSFUL"
    old.refresh_from_db()
    assert (old.ip_address, old.user_agent, old.body) == (None, "", "تغطية دقيقة، شكرًا.")

    assert "readers.tasks.reader_data_expire_due" in daily_tasks_enqueue(today=today + timedelta(days=1))
    assert expiry.count() == 2
