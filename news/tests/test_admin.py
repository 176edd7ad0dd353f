"""The newsroom in the Wagtail admin: Arabic, roles, review, scheduling."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from news.factories import ArticlePageFactory, AuthorFactory, DeskFactory, SectionPageFactory
from news.models import ArticlePage, SectionPage
from testing.helpers import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(home):
    return member_of("Reporters", "reporter")


def article_form(*, title="خبر جديد عن المعارضة", desk=None, authors=(), action="action-publish", **extra):
    data = nested_form_data(
        {
            "title": title,
            "slug": "",
            "standfirst": "مقدمة الخبر الجديد.",
            "body": streamfield(
                [
                    ("paragraph", rich_text("<p>الفقرة الأولى.</p>")),
                    ("heading", "عنوان فرعي"),
                    ("quote", {"text": "نص الاقتباس", "speaker": "متحدث", "source": "", "source_url": ""}),
                ]
            ),
            "bylines": inline_formset([{"author": author.pk} for author in authors]),
            "desk": desk.pk if desk else "",
            "sources": inline_formset([{"name": "وكالة سانا", "url": "https://sana.sy/", "kind": "agency"}]),
            "tags": "سوريا, قانون قيصر",
            "comments": inline_formset([]),
            "comments_open": "on",
            **extra,
        }
    )
    if action:
        data[action] = "1"
    return data


def add_url(section):
    return reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk])


def test_admin_speaks_arabic_right_to_left(client, editor):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "lxml").html
    assert html["lang"] == "ar" and html["dir"] == "rtl"


def test_editor_creates_and_publishes_an_article_with_every_field(client, editor):
    section = SectionPageFactory()
    author = AuthorFactory(name="ليلى حسن")
    client.force_login(editor)
    response = client.post(add_url(section), article_form(authors=[author], desk=DeskFactory(name="قسم الأخبار")))
    assert response.status_code == 302, response.content.decode()[:2000]

    article = ArticlePage.objects.get(title="خبر جديد عن المعارضة")
    assert article.live
    assert article.slug == "خبر-جديد-عن-المعارضة"
    assert article.get_parent().pk == section.pk
    assert article.authors == [author]
    assert [(s.name, s.kind) for s in article.sources.all()] == [("وكالة سانا", "agency")]
    assert sorted(t.name for t in article.tags.all()) == ["سوريا", "قانون قيصر"]
    assert [block.block_type for block in article.body] == ["paragraph", "heading", "quote"]
    assert article.first_published_at is not None
    assert client.get(article.url).status_code == 200


def test_an_article_needs_an_author_or_a_desk(client, editor):
    section = SectionPageFactory()
    client.force_login(editor)
    response = client.post(add_url(section), article_form())
    assert response.status_code == 200
    assert "اختر كاتبًا واحدًا على الأقل أو قسم تحرير" in response.content.decode()
    assert not ArticlePage.objects.exists()


def test_an_article_with_a_named_author_and_no_desk_is_published(client, editor):
    section = SectionPageFactory()
    author = AuthorFactory(name="سامر الأحمد")
    client.force_login(editor)
    response = client.post(add_url(section), article_form(authors=[author]))
    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get()
    assert article.live and article.desk is None
    assert article.authors == [author]


def test_a_deleted_byline_row_does_not_sign_the_article(client, editor):
    section = SectionPageFactory()
    client.force_login(editor)
    data = article_form()
    data.update(nested_form_data({"bylines": inline_formset([{"author": AuthorFactory().pk, "DELETE": "1"}])}))
    response = client.post(add_url(section), data)
    assert response.status_code == 200
    assert "اختر كاتبًا واحدًا على الأقل أو قسم تحرير" in response.content.decode()
    assert not ArticlePage.objects.exists()


def test_a_draft_may_wait_for_its_byline(client, editor):
    section = SectionPageFactory()
    client.force_login(editor)
    response = client.post(add_url(section), article_form(action="action-save"))
    assert response.status_code == 302
    article = ArticlePage.objects.get()
    assert not article.live
    # Publishing it still needs one.
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), article_form())
    assert response.status_code == 200
    assert "اختر كاتبًا واحدًا على الأقل أو قسم تحرير" in response.content.decode()
    article.refresh_from_db()
    assert not article.live


def test_image_block_requires_alt_text(client, editor):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="صورة", file=get_test_image_file())
    section = SectionPageFactory()
    client.force_login(editor)
    data = article_form(desk=DeskFactory())
    data.update(
        nested_form_data(
            {"body": streamfield([("image", {"image": image.pk, "alt_text": "", "caption": "", "credit": ""})])}
        )
    )
    response = client.post(add_url(section), data)
    assert response.status_code == 200
    assert not ArticlePage.objects.exists()


def test_reporter_submits_for_review_and_cannot_publish(client, reporter, editor):
    section = SectionPageFactory()
    client.force_login(reporter)

    response = client.post(add_url(section), article_form(desk=DeskFactory(), action="action-publish"))
    article = ArticlePage.objects.get()
    assert not article.live  # the publish button is not theirs: the story is saved as a draft

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]), article_form(desk=DeskFactory(), action="action-submit")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.live
    workflow_state = article.current_workflow_state
    assert workflow_state is not None and workflow_state.status == "in_progress"
    # The review lands with the Editors.
    task = workflow_state.current_task_state.task.specific
    assert task.groups.filter(name="Editors").exists()
    client.force_login(editor)
    assert article.title in client.get(reverse("wagtailadmin_home")).content.decode()


def test_editor_schedules_an_article(client, editor):
    section = SectionPageFactory()
    client.force_login(editor)
    go_live = timezone.localtime(timezone.now() + datetime.timedelta(days=1)).replace(second=0, microsecond=0)
    response = client.post(
        add_url(section), article_form(desk=DeskFactory(), go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get()
    assert not article.live
    revision = Revision.page_revisions.get(object_id=str(article.pk), approved_go_live_at__isnull=False)
    assert revision.approved_go_live_at == go_live

    # When the time comes, Wagtail's scheduler publishes it (moving the clock
    # back on the revision stands in for waiting a day).
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()
    call_command("publish_scheduled", verbosity=0)
    article.refresh_from_db()
    assert article.live


def test_a_saved_go_live_time_comes_back_as_one_the_form_accepts(client, editor):
    """Save the schedule as a draft, then «جدولة للنشر» from the page the admin renders again."""
    section = SectionPageFactory()
    client.force_login(editor)
    go_live = timezone.localtime(timezone.now() + datetime.timedelta(days=1)).replace(second=0, microsecond=0)
    typed = go_live.strftime("%Y-%m-%d %H:%M")
    client.post(add_url(section), article_form(desk=DeskFactory(), action=None, go_live_at=typed))
    article = ArticlePage.objects.get()
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    # The scheduling dialog's fields are inside a <template>, out of reach of CSS selectors.
    form = BeautifulSoup(client.get(edit_url).content, "lxml")
    shown = form.find("input", attrs={"name": "go_live_at"})["value"]
    assert shown == typed

    response = client.post(edit_url, article_form(desk=article.desk, go_live_at=shown))
    assert response.status_code == 302, response.content.decode()[:2000]
    scheduled = Revision.page_revisions.get(object_id=str(article.pk), approved_go_live_at__isnull=False)
    assert scheduled.approved_go_live_at == go_live


def test_publishing_an_older_revision_keeps_the_live_view_count(home):
    article = ArticlePageFactory()
    revision = article.save_revision()
    ArticlePage.objects.filter(pk=article.pk).update(view_count=120)
    revision.publish()
    article.refresh_from_db()
    assert article.view_count == 120


def test_groups_have_the_newsroom_permissions(home):
    editors, reporters = Group.objects.get(name="Editors"), Group.objects.get(name="Reporters")
    editor_page = set(editors.page_permissions.values_list("permission__codename", flat=True))
    reporter_page = set(reporters.page_permissions.values_list("permission__codename", flat=True))
    assert {"add_page", "change_page", "publish_page"} <= editor_page
    assert reporter_page == {"add_page"}
    for group in (editors, reporters):
        assert group.permissions.filter(codename="access_admin").exists()
    assert editors.permissions.filter(codename="add_author").exists()
    assert not reporters.permissions.filter(codename="add_author").exists()


def test_editor_previews_a_new_article_before_saving(client, editor):
    section = SectionPageFactory(title="سياسة")
    client.force_login(editor)
    preview_url = reverse("wagtailadmin_pages:preview_on_add", args=["news", "articlepage", section.pk])
    response = client.post(preview_url, article_form(desk=DeskFactory(name="قسم الأخبار"), action=None))
    assert response.json() == {"is_valid": True, "is_available": True}
    soup = BeautifulSoup(client.get(preview_url).content, "lxml")
    assert soup.h1.get_text() == "خبر جديد عن المعارضة"
    assert soup.select_one(".article__section").get_text(strip=True) == "سياسة"
    assert not ArticlePage.objects.exists()


def test_editor_previews_changes_to_a_published_article(client, editor):
    article = ArticlePageFactory(title="العنوان المنشور")
    client.force_login(editor)
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    client.post(preview_url, article_form(title="العنوان المعدّل", desk=DeskFactory(), action=None))
    soup = BeautifulSoup(client.get(preview_url).content, "lxml")
    assert soup.h1.get_text() == "العنوان المعدّل"
    article.refresh_from_db()
    assert article.title == "العنوان المنشور"


def test_only_a_substantive_edit_moves_the_updated_time(client, editor):
    article = ArticlePageFactory(title="خبر منشور", desk=DeskFactory())
    client.force_login(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])

    client.post(edit_url, article_form(title="خبر منشور", desk=article.desk))
    article.refresh_from_db()
    assert article.live and article.updated_at is None

    client.post(edit_url, article_form(title="خبر منشور بمعلومة جديدة", desk=article.desk, substantive_update="on"))
    article.refresh_from_db()
    assert article.title == "خبر منشور بمعلومة جديدة"
    assert article.updated_at is not None
    marked = article.updated_at

    client.post(edit_url, article_form(title="خبر منشور بمعلومة جديدة.", desk=article.desk))
    article.refresh_from_db()
    assert article.updated_at == marked


def test_a_section_created_in_the_admin_joins_the_menu_with_an_arabic_slug(client, editor, home):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["news", "sectionpage", home.pk])
    data = nested_form_data({"title": "الشؤون الدولية", "slug": "", "description": "", "comments": inline_formset([])})
    data["action-publish"] = "1"
    data["show_in_menus"] = "on"  # ticked by default in the form, as a browser would send it
    form = BeautifulSoup(client.get(url).content, "lxml")
    assert form.select_one("input[name=show_in_menus]").has_attr("checked")
    assert client.post(url, data).status_code == 302
    section = SectionPage.objects.child_of(home).get(title="الشؤون الدولية")
    assert section.slug == "الشؤون-الدولية"
    assert [a.get_text() for a in BeautifulSoup(client.get("/").content, "lxml").select(".site-nav a")] == [
        "الشؤون الدولية"
    ]
