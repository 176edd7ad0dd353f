"""What an editor reads in the admin: Arabic that agrees with its numbers, dates day first, Wagtail's names in Arabic.

The English admin (an editor who chose English) keeps Wagtail's own strings.
"""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.users.models import UserProfile

from news.factories import ArticlePageFactory, SectionPageFactory

pytestmark = pytest.mark.django_db


def text_of(response):
    assert response.status_code == 200
    return " ".join(BeautifulSoup(response.content, "lxml").get_text(" ").split())


def english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


def test_the_dashboard_counts_in_arabic(client, editor):
    for title in ("صورة أولى", "صورة ثانية"):
        Image.objects.create(title=title, file=get_test_image_file())
    client.force_login(editor)
    summary = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "lxml").select_one(".w-summary")
    counts = " ".join(summary.get_text(" ").split())
    assert "صورتان" in counts and "2 صورتين" not in counts
    assert "لا مستندات" in counts


def test_the_page_explorer_starts_from_an_arabic_root_and_says_view_live_in_arabic(client, editor, home):
    section = SectionPageFactory(parent=home, title="العالم")
    ArticlePageFactory(parent=section, title="خبر منشور")
    client.force_login(editor)
    root = text_of(client.get(reverse("wagtailadmin_explore_root")))
    assert "كل المواقع" in root and "Root" not in root
    listing = text_of(client.get(reverse("wagtailadmin_explore", args=[section.pk])))
    assert "عرض المنشور" in listing and "انظر في الواقع" not in listing
    assert "منذ 0" not in listing and "قبل 0" not in listing


def test_a_just_edited_page_was_edited_now(client, editor, home):
    section = SectionPageFactory(parent=home)
    ArticlePageFactory(parent=section, title="خبر للتو").save_revision().publish()
    client.force_login(editor)
    listing = text_of(client.get(reverse("wagtailadmin_explore", args=[section.pk])))
    assert "الآن" in listing


def test_the_review_workflow_has_an_arabic_name(client, editor, home):
    article = ArticlePageFactory(parent=SectionPageFactory(parent=home))
    client.force_login(editor)
    edit = BeautifulSoup(client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content, "lxml")
    submit = edit.find("button", attrs={"name": "action-submit"})
    assert " ".join(submit.get_text().split()) == "تقديم إلى مراجعة المحررين"


def scheduled_article(home):
    article = ArticlePageFactory(parent=SectionPageFactory(parent=home), live=False, first_published_at=None)
    go_live = timezone.make_aware(datetime.datetime(2031, 12, 5, 18, 0))
    article.go_live_at = go_live
    article.save_revision(approved_go_live_at=go_live).publish()
    return article


def test_dates_in_the_admin_read_day_month_year(client, editor, home):
    article = scheduled_article(home)
    client.force_login(editor)
    edit = text_of(client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])))
    assert "5 ديسمبر 2031، 18:00" in edit
    assert not re.search(r"ديسمبر \d+, 2031", edit)


def test_the_english_admin_keeps_english_strings_and_dates(client, editor, home):
    article = scheduled_article(home)
    english(editor)
    client.force_login(editor)
    edit = text_of(client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])))
    assert "Dec. 5, 2031" in edit
    ArticlePageFactory(parent=article.get_parent(), title="خبر منشور")
    listing = text_of(client.get(reverse("wagtailadmin_explore", args=[article.get_parent().pk])))
    assert "View live" in listing and "عرض المنشور" not in listing


def test_the_image_form_asks_for_the_alt_text(client, editor):
    client.force_login(editor)
    form = BeautifulSoup(client.get(reverse("wagtailimages:add")).content, "lxml")
    label = form.find("label", attrs={"for": "id_description"})
    assert " ".join(label.get_text().split()) == "النص البديل"
    assert "قارئ الشاشة" in form.find(id=re.compile("description-helptext")).get_text()
