"""The lite edition: every public page again under /lite/, as text, without script or images."""

from urllib.parse import quote, unquote

import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse
from wagtail.models import PageViewRestriction

from comments.models import Comment
from corrections.services import correction_note_publish, reply_publish
from live.factories import LiveCoveragePageFactory, LiveEntryFactory
from live.models import LiveEntryCorrection
from news.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory, every_kind_of_block, recent
from news.services import about_page_publish
from search.services import articles_sync

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "lxml")


@pytest.fixture
def newsroom(home, seed_article):
    """One page of each type, the article with every kind of block, a comment, a reply and a correction."""
    section = seed_article.get_parent()
    writer = AuthorFactory(name="سلمى الحلبي", bio="مراسلة في حلب.")
    article = ArticlePageFactory(
        title="خبر بكل أنواع الكتل",
        parent=section,
        authors=[writer],
        tags=["حلب"],
        featured_image=wagtail_factories.ImageFactory(file__width=1600, file__height=900),
        featured_image_caption="سوق حلب القديم",
        sources=[("وكالة", "https://example.org/agency", "agency")],
        body=every_kind_of_block(embed_url="https://www.youtube.com/watch?v=abc"),
    )
    Comment.objects.create(
        article=article, name="قارئ", email="r@example.org", body="تعليق منشور", status="approved", ip_address="1.2.3.4"
    )
    correction_note_publish(article=article, kind="correction", text="صححنا اسم الحي.")
    reply_publish(article=article, organisation="مديرية الصحة", statement="ننفي ما ورد.")
    articles_sync([article.pk, seed_article.pk])
    about = about_page_publish(parent=home, title="عن الموقع", paragraphs=["من نحن."])
    subsection = SectionPageFactory(parent=section, title="حلب")
    ArticlePageFactory(parent=subsection, title="خبر في قسم فرعي")
    coverage = LiveCoveragePageFactory(parent=section, title="العاصفة في الشمال", first_published_at=recent(30))
    pinned = LiveEntryFactory(
        coverage=coverage,
        headline="إغلاق الطريق الدولي",
        pinned=True,
        image=wagtail_factories.ImageFactory(title="الطريق تحت الثلج"),
        posted_at=recent(20),
    )
    pinned.sources.create(name="الدفاع المدني", url="https://example.org/civil")
    pinned.save()
    LiveEntryCorrection.objects.create(entry=pinned, text="أُغلق مقطع واحد لا الطريق كله.")
    return {
        "coverage": coverage,
        "home": home,
        "section": section,
        "subsection": subsection,
        "article": article,
        "writer": writer,
        "about": about,
    }


def lite_pages(newsroom):
    """{name: (lite address, its full page's address)} for every lite page type."""
    article, section, writer = newsroom["article"], newsroom["section"], newsroom["writer"]
    about = newsroom["about"]
    tag = reverse("news:tag", args=["حلب"])
    pages = {
        "home": "/",
        "section": section.url,
        "subsection": newsroom["subsection"].url,
        "article": article.url,
        "about": about.url,
        "author": writer.get_absolute_url(),
        "desk": article.desk.get_absolute_url(),
        "tag": tag,
        "search": reverse("search:search") + "?q=" + quote("حلب"),
        "search-form": reverse("search:search"),
        "corrections": reverse("corrections:log"),
        "coverage": newsroom["coverage"].url,
    }
    return {name: ("/lite" + url, url) for name, url in pages.items()}


def test_every_page_type_has_a_lite_page_of_text_only(client, newsroom):
    for name, (lite, full) in lite_pages(newsroom).items():
        response = client.get(lite)
        assert response.status_code == 200, (name, lite)
        page = soup(response)
        assert page.html["lang"] == "ar" and page.html["dir"] == "rtl", name
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex", name
        assert page.find("link", rel="canonical")["href"] == settings.SITE_URL + full, name
        assert not page.find_all(["script", "img", "iframe", "video", "style", "picture", "svg", "object"]), name
        assert not page.select("[style]"), name
        assert [link["href"] for link in page.find_all("link", rel="stylesheet")] == ["/static/lite/lite.css"], name
        # Every address on the site a lite page links to is another lite page, but for the full edition.
        own = [a["href"] for a in page.find_all("a", href=True) if a["href"].startswith("/")]
        full_path = unquote(full.split("#")[0])
        elsewhere = [
            href
            for href in own
            if not href.startswith(("/lite/", "/media/")) and unquote(href.split("#")[0]) != full_path
        ]
        assert elsewhere == [], (name, elsewhere)
        assert full_path in [unquote(href) for href in own], (name, "no link to the full edition")


def test_lite_article_shows_the_story_its_notes_and_comments_and_images_as_links(client, newsroom):
    article = newsroom["article"]
    page = soup(client.get("/lite" + article.url))
    text = page.main.get_text(" ")
    assert page.h1.get_text() == "خبر بكل أنواع الكتل"
    for shown in [
        "فقرة فيها",
        "عنوان فرعي",
        "اقتباس",
        "ثان",
        "صححنا اسم الحي.",
        "ننفي ما ورد.",
        "تعليق منشور",
        "وكالة",
    ]:
        assert shown in text, shown
    images = {a.get_text(): a["href"] for a in page.select("main a") if a.get_text().startswith("صورة:")}
    assert set(images) == {"صورة: سوق حلب القديم", "صورة: مدخل القلعة"}
    assert all(href.startswith("/media/images/") for href in images.values())
    assert page.find("a", string="محتوى مضمّن: تسجيل الجلسة")["href"] == "https://www.youtube.com/watch?v=abc"
    assert page.find("a", href="/lite/tag/حلب/", rel="tag")
    assert page.find("a", string="سلمى الحلبي")["href"] == "/lite/author/" + newsroom["writer"].slug + "/"
    # Comments are read here and written on the full page: no form posts from the lite edition.
    assert not page.find_all("form", method="post")
    assert page.find("a", href=article.url + "#comment-form")


def test_lite_home_and_section_list_articles_with_dates_and_pages(client, newsroom):
    section = newsroom["section"]
    for number in range(25):
        ArticlePageFactory(parent=section, title=f"خبر للتصفح {number}")
    home = soup(client.get("/lite/"))
    assert home.h1.get_text() == "ناشر"
    assert home.find("a", string="خبر للتصفح 24")["href"].startswith("/lite/")
    listing = soup(client.get("/lite" + section.url))
    assert len(listing.select("ul.links li")) == 21  # 20 articles, and the live coverage among them
    assert all(item.find("time")["datetime"] for item in listing.select("ul.links li"))
    assert listing.find("a", rel="next")["href"] == "?page=2"
    second = soup(client.get("/lite" + section.url + "?page=2"))
    assert second.find("link", rel="canonical")["href"] == settings.SITE_URL + section.url + "?page=2"
    assert second.find("a", rel="prev")


def test_lite_lists_a_live_coverage_among_the_articles_and_shows_its_entries(client, newsroom):
    coverage, section = newsroom["coverage"], newsroom["section"]
    for address in ["/lite/", "/lite" + section.url]:
        listed = soup(client.get(address)).find("a", string=coverage.title)
        assert unquote(listed["href"]) == "/lite" + unquote(coverage.url), address
        assert listed.parent.get_text(" ", strip=True).startswith("مباشر: العاصفة في الشمال"), address

    page = soup(client.get("/lite" + coverage.url))
    assert page.h1.get_text() == "العاصفة في الشمال"
    text = " ".join(page.main.get_text(" ").split())
    for shown in ["أبرز التطورات", "إغلاق الطريق الدولي", "الدفاع المدني", "تصحيح", "أُغلق مقطع واحد لا الطريق كله."]:
        assert shown in text, shown
    assert page.find("a", string="صورة: الطريق تحت الثلج")["href"].startswith("/media/images/")

    coverage.is_open = False
    coverage.save_revision().publish()
    listed = soup(client.get("/lite" + section.url)).find("a", string=coverage.title)
    assert listed.parent.get_text(" ", strip=True).startswith("انتهت التغطية: العاصفة في الشمال")


def test_a_long_coverage_is_split_across_lite_pages_and_its_key_events_find_their_page(client, newsroom):
    coverage = newsroom["coverage"]  # its pinned entry was posted 20 minutes ago
    for minutes in range(25):
        LiveEntryFactory(coverage=coverage, headline=f"تحديث رقم {minutes}", posted_at=recent(minutes))
    first = soup(client.get("/lite" + coverage.url))
    headlines = [section.h2.get_text() for section in first.select("main section[id^=entry-]")]
    assert headlines[:2] == ["تحديث رقم 0", "تحديث رقم 1"] and len(headlines) == 20
    assert first.find("a", rel="next")["href"] == "?page=2"
    pinned = first.find("a", string="إغلاق الطريق الدولي")
    assert pinned["href"].startswith("?page=2#entry-")
    second = soup(client.get("/lite" + coverage.url + "?page=2"))
    assert len(second.select("main section[id^=entry-]")) == 6  # 26 entries in all
    assert second.find(id=pinned["href"].split("#")[1])


def test_lite_search_is_a_plain_get_form(client, newsroom):
    page = soup(client.get("/lite/search/?q=" + quote("حلب")))
    form = page.main.find("form")
    assert form["method"] == "get" and form["action"] == "/lite/search/"
    results = [a["href"] for a in page.select("main ol a")]
    assert "/lite" + unquote(newsroom["article"].url) in results


def test_unknown_and_unpublished_pages_are_a_lite_not_found_in_arabic(client, newsroom):
    article = newsroom["article"]
    article.unpublish()
    for address in ["/lite" + article.url, "/lite/لا-توجد-صفحة/", "/lite/author/لا-أحد/", "/lite/tag/لا-وسم/"]:
        response = client.get(address)
        assert response.status_code == 404, address
        page = soup(response)
        assert page.h1.get_text() == "الصفحة غير موجودة"
        assert not page.find("script")
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_a_restricted_page_asks_for_its_password_in_the_lite_edition_too(client, newsroom):
    article = newsroom["article"]
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.PASSWORD, password="x")
    response = client.get("/lite" + article.url)
    assert "صححنا اسم الحي." not in response.content.decode()
    assert soup(response).find("input", attrs={"name": "password"})


def test_every_full_page_footer_links_to_its_lite_page(client, newsroom):
    article = newsroom["article"]
    expected = {
        article.url: "/lite" + article.url,
        newsroom["section"].url: "/lite" + newsroom["section"].url,
        reverse("news:tag", args=["حلب"]) + "?page=1&utm_source=x": "/lite/tag/حلب/?page=1",
        reverse("search:search") + "?q=" + quote("حلب") + "&sort=newest": "/lite/search/?q=" + quote("حلب"),
        # A page with no lite equivalent (a form) links to the lite home page.
        reverse("corrections:new", args=[article.pk]): "/lite/",
    }
    # The article and its section share one kept footer (pagecache.fragments): each still links to its own page.
    for full, lite in expected.items():
        footer = soup(client.get(full)).find("footer")
        link = footer.find("a", string="النسخة الخفيفة من هذه الصفحة")
        assert unquote(link["href"]) == unquote(lite), (full, link["href"])


def test_lite_pages_are_stored_and_go_stale_with_their_full_page(client, newsroom):
    article = newsroom["article"]
    assert client.get("/lite" + article.url)["X-Cache"] == "MISS"
    assert client.get("/lite" + article.url)["X-Cache"] == "HIT"
    Comment.objects.create(
        article=article, name="قارئة", email="q@example.org", body="تعليق جديد", status="approved", ip_address="1.2.3.5"
    )
    response = client.get("/lite" + article.url)
    assert response["X-Cache"] == "MISS"
    assert "تعليق جديد" in response.content.decode()
