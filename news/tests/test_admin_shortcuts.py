"""Fewer clicks and fewer traps for a newsroom in the admin: the new-article shortcut, authors made from the
byline, and «نشر» kept apart from «موافقة ونشر»."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Workflow

from news.factories import ArticlePageFactory, SectionPageFactory
from news.models import Author
from testing.helpers import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(home):
    return member_of("Reporters", "reporter")


def new_article_links(client):
    dashboard = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "lxml")
    heading = dashboard.find(id="new-article-heading")
    if heading is None:
        return None
    return [(" ".join(a.get_text().split()), a["href"]) for a in heading.find_parent("section").select("a")]


@pytest.mark.parametrize("role", ["editor", "reporter"])
def test_the_dashboard_opens_a_new_article_in_the_chosen_section(client, home, role, request):
    middle_east = SectionPageFactory(parent=home, title="الشرق الأوسط")
    syria = SectionPageFactory(parent=middle_east, title="سوريا")
    sport = SectionPageFactory(parent=home, title="رياضة")
    client.force_login(request.getfixturevalue(role))

    links = new_article_links(client)
    assert links == [
        ("الشرق الأوسط", reverse("wagtailadmin_pages:add", args=["news", "articlepage", middle_east.pk])),
        ("الشرق الأوسط › سوريا", reverse("wagtailadmin_pages:add", args=["news", "articlepage", syria.pk])),
        ("رياضة", reverse("wagtailadmin_pages:add", args=["news", "articlepage", sport.pk])),
    ]
    form = client.get(links[1][1])
    assert form.status_code == 200
    assert BeautifulSoup(form.content, "lxml").find("input", attrs={"name": "title"}) is not None


def test_no_shortcut_for_someone_who_may_not_add_articles(client, home):
    SectionPageFactory(parent=home, title="رياضة")
    outsider = get_user_model().objects.create_user(username="outsider", password="x")
    outsider.user_permissions.add(*Group.objects.get(name="Editors").permissions.filter(codename="access_admin"))
    client.force_login(outsider)
    assert new_article_links(client) is None


def test_an_editor_adds_an_author_from_the_byline_chooser(client, editor):
    client.force_login(editor)
    chooser = client.get(reverse("wagtailsnippetchoosers_news_author:choose")).json()
    assert "كاتب جديد" in chooser["html"]
    response = client.post(
        reverse("wagtailsnippetchoosers_news_author:create"),
        {"name": "ريم العلي", "role": "مراسلة في بيروت", "bio": ""},
    )
    result = response.json()
    assert result["step"] == "chosen"
    author = Author.objects.get(name="ريم العلي")
    assert result["result"]["id"] == str(author.pk) and author.slug


def test_a_reporter_cannot_add_authors_from_the_chooser(client, reporter):
    client.force_login(reporter)
    chooser = client.get(reverse("wagtailsnippetchoosers_news_author:choose")).json()
    assert "كاتب جديد" not in chooser["html"]
    client.post(reverse("wagtailsnippetchoosers_news_author:create"), {"name": "اسم", "role": "", "bio": ""})
    assert not Author.objects.exists()


def action_menu(client, article):
    edit = BeautifulSoup(client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content, "lxml")
    footer = edit.select_one("footer")
    # The main button, the menu's toggle, then the menu from top to bottom.
    return [" ".join(item.get_text().split()) for item in footer.select("button, a")]


def test_publish_says_it_cancels_the_review_and_sits_furthest_from_approve(client, editor, reporter, home):
    article = ArticlePageFactory(parent=SectionPageFactory(parent=home))
    client.force_login(editor)
    assert "نشر" in action_menu(client, article)

    article.save_revision(user=reporter)
    Workflow.objects.get().start(article, reporter)
    items = action_menu(client, article)
    assert "نشر" not in items
    publish = items.index("نشر دون مراجعة (يُلغي المراجعة)")
    approve = items.index("موافقة ونشر")
    # The menu opens upwards from the main button: its first item is the furthest.
    assert items[:2] == ["حفظ المسودة", "إجراءات أخرى"]
    assert publish == 2 and approve > publish + 1

    # Wagtail shares the menu items between requests: the next story is not affected.
    other = ArticlePageFactory(parent=article.get_parent())
    assert "نشر" in action_menu(client, other)
