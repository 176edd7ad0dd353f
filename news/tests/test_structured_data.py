"""JSON-LD, sharing cards, canonical links and the publisher's policy pages, read from the rendered pages."""

import datetime
import json

import pytest
import wagtail_factories
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from corrections.models import NoteKind
from corrections.services import correction_note_publish
from news.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory
from news.models import POLICY_PAGES, PublisherSettings
from news.services import about_page_publish
from testing.helpers import parse

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def json_ld(page, kind):
    found = [json.loads(script.string) for script in page.select('script[type="application/ld+json"]')]
    matching = [item for item in found if item["@type"] == kind]
    assert len(matching) == 1, [item["@type"] for item in found]
    return matching[0]


def meta(page, name):
    tags = page.select(f'meta[property="{name}"]') or page.select(f'meta[name="{name}"]')
    return [tag["content"] for tag in tags]


@pytest.fixture
def publisher(home):
    """Every policy page published and linked, a logo and a sharing image."""
    settings = PublisherSettings.for_site(Site.objects.get(root_page=home))
    root = about_page_publish(parent=home, title="عن الموقع", paragraphs=["من نحن."])
    for field, _property, label in POLICY_PAGES:
        setattr(settings, field, about_page_publish(parent=root, title=str(label), paragraphs=["نص السياسة."]))
    settings.logo = wagtail_factories.ImageFactory(title="الشعار", file__width=400, file__height=100)
    settings.share_image = wagtail_factories.ImageFactory(title="بطاقة الموقع", file__width=1600, file__height=900)
    settings.x_handle = "@nashir"
    settings.save()
    return settings


def test_article_json_ld_field_by_field(client, publisher, seed_article):
    correction_note_publish(article=seed_article, kind=NoteKind.CORRECTION, text="صُحّح اسم المنظمة في الفقرة الثانية.")
    page = parse(client.get(seed_article.url))
    article = json_ld(page, "NewsArticle")
    url = SITE + seed_article.url

    assert article["@context"] == "https://schema.org"
    assert article["headline"] == seed_article.title
    assert article["url"] == url and article["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert article["inLanguage"] == "ar"
    assert article["isAccessibleForFree"] is True
    assert article["datePublished"] == "2020-05-18T14:00:00+03:00"
    assert datetime.datetime.fromisoformat(article["dateModified"]) > datetime.datetime.fromisoformat(
        article["datePublished"]
    )  # the published correction is a substantive update
    assert article["articleSection"] == "سوريا"
    assert article["keywords"] == [tag.name for tag in seed_article.tags.all()]
    # The desk byline is an Organization linked to the no-byline policy.
    no_bylines = SITE + publisher.no_bylines_policy.url
    assert article["author"] == [
        {
            "@type": "Organization",
            "name": "قسم الأخبار",
            "url": SITE + reverse("news:desk", args=[seed_article.desk.slug]),
            "publishingPrinciples": no_bylines,
        }
    ]
    assert [citation["name"] for citation in article["citation"]] == [s.name for s in seed_article.sources.all()]
    assert all(c["@type"] == "CreativeWork" for c in article["citation"])
    [correction] = article["correction"]
    assert correction["@type"] == "CorrectionComment"
    assert correction["text"] == "صُحّح اسم المنظمة في الفقرة الثانية."
    assert correction["url"].startswith(url + "#note-")
    # Publisher with its logo; the sharing image stands in for a missing featured image.
    assert article["publisher"]["@type"] == "NewsMediaOrganization"
    assert article["publisher"]["name"] == Site.objects.get().site_name
    logo = article["publisher"]["logo"]
    assert logo["url"].startswith(SITE + "/") and logo["height"] <= 60 and logo["width"] <= 600
    assert [image["width"] for image in article["image"]] == [1200]


def test_article_images_in_three_ratios_and_person_authors(client, publisher):
    writer = AuthorFactory(name="سلمى الحلبي")
    article = ArticlePageFactory(
        title="ع" * 60 + " " + "ب" * 60,
        featured_image=wagtail_factories.ImageFactory(file__width=2400, file__height=1600),
        authors=[writer],
        desk=None,
    )
    data = json_ld(parse(client.get(article.url)), "NewsArticle")

    assert len(data["headline"]) <= 110 and data["headline"] == "ع" * 60 + "…"
    assert [(image["width"], image["height"]) for image in data["image"]] == [(1200, 675), (1200, 900), (1200, 1200)]
    assert data["author"] == [
        {"@type": "Person", "name": "سلمى الحلبي", "url": SITE + reverse("news:author", args=[writer.slug])}
    ]


def test_breadcrumbs_json_ld(client, home):
    region = SectionPageFactory(title="الشرق الأوسط")
    country = SectionPageFactory(title="سوريا", parent=region)
    article = ArticlePageFactory(title="خبر من دمشق", parent=country)

    crumbs = json_ld(parse(client.get(article.url)), "BreadcrumbList")["itemListElement"]
    assert [(item["position"], item["name"]) for item in crumbs] == [
        (1, "ناشر"),
        (2, "الشرق الأوسط"),
        (3, "سوريا"),
        (4, "خبر من دمشق"),
    ]
    assert crumbs[2]["item"] == SITE + country.url
    assert all("%D8" in item["item"] for item in crumbs[1:])  # Arabic slugs percent-encoded
    section = json_ld(parse(client.get(country.url)), "BreadcrumbList")["itemListElement"]
    assert [item["name"] for item in section] == ["ناشر", "الشرق الأوسط", "سوريا"]


def test_home_page_declares_the_site_search_and_the_publisher_policies(client, publisher):
    page = parse(client.get("/"))
    website = json_ld(page, "WebSite")
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction" and action["query-input"] == "required name=search_term_string"
    template = action["target"]["urlTemplate"]
    assert template == SITE + "/search/?q={search_term_string}"
    assert client.get(template.removeprefix(SITE).replace("{search_term_string}", "سوريا")).status_code == 200

    organization = json_ld(page, "NewsMediaOrganization")
    assert organization["@id"] == website["publisher"]["@id"]
    assert organization["sameAs"] == ["https://x.com/nashir"]
    for _field, schema_property, _label in POLICY_PAGES:
        if not schema_property:  # the accessibility statement: the footer links it, schema.org has no property
            continue
        url = organization[schema_property]
        assert client.get(url.removeprefix(SITE)).status_code == 200, schema_property


def test_json_ld_cannot_be_closed_by_a_headline(client, home):
    article = ArticlePageFactory(title='عنوان </script><script>alert(1)</script> & "اقتباس"')
    response = client.get(article.url)
    body = response.content.decode()
    scripts = body.split('<script type="application/ld+json">')[1:]
    assert scripts and all("<script>alert" not in script.split("</script>")[0] for script in scripts)
    assert json_ld(parse(response), "NewsArticle")["headline"] == article.title


def test_article_sharing_card(client, publisher, home):
    article = ArticlePageFactory(
        title="زيارة إلى حلب",
        standfirst="مقدمة الخبر.",
        featured_image=wagtail_factories.ImageFactory(file__width=2000, file__height=1500),
        tags=["حلب", "سياحة"],
    )
    page = parse(client.get(article.url))
    url = SITE + article.url

    assert page.select_one("link[rel=canonical]")["href"] == url
    assert meta(page, "og:type") == ["article"]
    assert meta(page, "og:locale") == ["ar_AR"]
    assert meta(page, "og:title") == ["زيارة إلى حلب"]
    assert meta(page, "og:description") == ["مقدمة الخبر."]
    assert meta(page, "og:url") == [url]
    assert meta(page, "og:image:width") == ["1200"] and meta(page, "og:image:height") == ["630"]
    assert meta(page, "og:image")[0].startswith(SITE + "/media/images/")
    published = timezone.localtime(article.first_published_at).isoformat()
    assert meta(page, "article:published_time") == [published] == meta(page, "article:modified_time")
    assert meta(page, "article:section") == [article.get_parent().title]
    assert sorted(meta(page, "article:tag")) == ["حلب", "سياحة"]
    assert meta(page, "twitter:card") == ["summary_large_image"]
    assert meta(page, "twitter:site") == ["@nashir"]


def test_pages_without_an_image_share_the_sites_card(client, publisher):
    page = parse(client.get("/"))
    assert meta(page, "og:type") == ["website"]
    assert meta(page, "og:image:width") == ["1200"]
    assert meta(page, "og:image:alt") == ["بطاقة الموقع"]


def test_without_any_image_the_card_is_a_summary(client, home):
    page = parse(client.get("/"))
    assert meta(page, "og:image") == []
    assert meta(page, "twitter:card") == ["summary"]


def test_listing_pages_have_a_canonical_with_their_page_number(client, home):
    section = SectionPageFactory(title="رياضة")
    for _ in range(25):
        ArticlePageFactory(parent=section)
    assert parse(client.get(section.url)).select_one("link[rel=canonical]")["href"] == SITE + section.url
    second = parse(client.get(section.url, {"page": 2}))
    assert second.select_one("link[rel=canonical]")["href"] == SITE + section.url + "?page=2"


def test_footer_links_the_policy_pages(client, publisher):
    footer = parse(client.get("/")).select_one(".site-footer__nav")
    links = [a.get_text() for a in footer.select("a")]
    assert links[: len(POLICY_PAGES)] == [str(label) for _field, _property, label in POLICY_PAGES]
    assert links[-1] == "سجل التصحيحات"


def test_admin_dashboard_lists_missing_policy_pages(admin_client, home, publisher):
    publisher.ethics_policy.unpublish()
    publisher.logo = None
    publisher.save()

    panel = (
        parse(admin_client.get(reverse("wagtailadmin_home"))).select_one("#publisher-checklist-heading").parent.parent
    )
    items = [li.get_text() for li in panel.select(".publisher-checklist li")]
    assert items == ["شعار الموقع", "ميثاق أخلاقيات المهنة"]
    settings_link = panel.select_one("a.button")["href"]
    assert admin_client.get(settings_link).status_code == 200
