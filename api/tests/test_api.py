"""The read-only JSON API: every response checked against the API's own OpenAPI document."""

import datetime
import re

import jsonschema
import pytest
import wagtail_factories
from wagtail.models import PageViewRestriction

from comments.models import Comment
from corrections.services import correction_note_publish
from news.factories import ArticlePageFactory, AuthorFactory, DeskFactory, SectionPageFactory
from news.models import ArticlePage

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def openapi(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json()


def checked(client, openapi, path, template=None, status=200, **params):
    """GET `path` and validate the body against the schema the OpenAPI document declares for it."""
    response = client.get(API + path, params)
    assert response.status_code == status, response.content
    operation = openapi["paths"][API + (template or path)]["get"]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": openapi["components"]}).validate(response.json())
    return response.json()


@pytest.fixture
def newsroom(home):
    middle_east = SectionPageFactory(title="الشرق الأوسط")
    syria = SectionPageFactory(title="سوريا", parent=middle_east)
    sport = SectionPageFactory(title="رياضة")
    writer = AuthorFactory(name="سلمى الحلبي", bio="مراسلة في حلب.")
    desk = DeskFactory(name="قسم التحقيقات", description="تحقيقات معمّقة.")
    first = ArticlePageFactory(
        title="الزلزال في حلب",
        parent=syria,
        authors=[writer],
        desk=None,
        tags=["زلزال"],
        featured_image=wagtail_factories.ImageFactory(file__width=1600, file__height=900),
        sources=[("وكالة سانا", "https://sana.sy/", "agency")],
        first_published_at=datetime.datetime(2023, 2, 6, 4, tzinfo=datetime.UTC),
        body=[
            {"type": "paragraph", "value": "<p>ضرب <b>زلزال</b> المدينة.</p>"},
            {"type": "heading", "value": "الخسائر"},
            {"type": "quote", "value": {"text": "الوضع صعب", "speaker": "مسعف", "source": "", "source_url": ""}},
            {"type": "list", "value": {"ordered": True, "items": ["حلب", "إدلب"]}},
        ],
    )
    second = ArticlePageFactory(
        title="مباراة مؤجلة",
        parent=sport,
        desk=desk,
        first_published_at=datetime.datetime(2023, 2, 8, tzinfo=datetime.UTC),
    )
    draft = ArticlePageFactory(title="مسودة لم تنشر", parent=sport, live=False)
    members = SectionPageFactory(title="للمشتركين")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    private = ArticlePageFactory(title="خبر للمشتركين", parent=members)
    return {
        "middle_east": middle_east,
        "syria": syria,
        "writer": writer,
        "desk": desk,
        "first": first,
        "second": second,
        "draft": draft,
        "private": private,
    }


def test_articles_newest_first_published_only(client, openapi, newsroom):
    data = checked(client, openapi, "/articles")
    assert [item["title"] for item in data["items"]] == ["مباراة مؤجلة", "الزلزال في حلب"]
    assert data["count"] == 2
    first = data["items"][1]
    assert first["url"] == "http://testserver" + newsroom["first"].url
    assert first["short_url"] == f"http://testserver/a/{newsroom['first'].pk}/"
    assert first["section"]["title"] == "سوريا"
    assert first["authors"] == [
        {"name": "سلمى الحلبي", "slug": newsroom["writer"].slug, "url": first["authors"][0]["url"]}
    ]
    assert first["desk"] is None and first["tags"] == ["زلزال"]
    assert first["image"]["width"] == 1200 and first["image"]["height"] == 675
    assert data["items"][0]["desk"]["name"] == "قسم التحقيقات"


def test_article_filters_and_pagination(client, openapi, newsroom):
    def titles(**params):
        return [item["title"] for item in checked(client, openapi, "/articles", **params)["items"]]

    assert titles(section=newsroom["middle_east"].pk) == ["الزلزال في حلب"]  # subsections included
    assert titles(tag="زلزال") == ["الزلزال في حلب"]
    assert titles(author=newsroom["writer"].slug) == ["الزلزال في حلب"]
    assert titles(desk=newsroom["desk"].slug) == ["مباراة مؤجلة"]
    assert titles(published_after="2023-02-07T00:00:00Z") == ["مباراة مؤجلة"]
    assert titles(published_before="2023-02-07T00:00:00Z") == ["الزلزال في حلب"]
    page = checked(client, openapi, "/articles", limit=1, offset=1)
    assert page["count"] == 2 and [item["title"] for item in page["items"]] == ["الزلزال في حلب"]
    missing = checked(client, openapi, "/articles", status=404, section=999999)
    assert missing["detail"] == "لا يوجد قسم بهذا الرقم."


def test_article_detail_with_body_sources_and_corrections(client, openapi, newsroom):
    article = newsroom["first"]
    correction_note_publish(article=article, kind="correction", text="صُحّح عدد الضحايا.")
    data = checked(client, openapi, f"/articles/{article.pk}", template="/articles/{article_id}")

    assert [block["type"] for block in data["body"]] == ["paragraph", "heading", "quote", "list"]
    assert data["body"][0]["value"] == "<p>ضرب <b>زلزال</b> المدينة.</p>"
    assert data["body"][2]["value"]["speaker"] == "مسعف"
    assert data["body"][3]["value"] == {"ordered": True, "items": ["حلب", "إدلب"]}
    assert data["sources"] == [{"name": "وكالة سانا", "url": "https://sana.sy/", "kind": "agency"}]
    assert [(c["kind"], c["text"]) for c in data["corrections"]] == [("correction", "صُحّح عدد الضحايا.")]
    assert data["updated_at"] is not None
    corrections = checked(client, openapi, "/corrections")
    assert corrections["items"][0]["article"]["id"] == article.pk


@pytest.mark.parametrize("which", ["draft", "private"])
def test_drafts_and_restricted_articles_are_not_in_the_api(client, openapi, newsroom, which):
    article = newsroom[which]
    data = checked(client, openapi, f"/articles/{article.pk}", template="/articles/{article_id}", status=404)
    assert data["detail"] == "لا يوجد خبر منشور بهذا الرقم."
    assert article.title not in client.get(f"{API}/articles").content.decode()


def test_sections_authors_and_desks(client, openapi, newsroom):
    sections = checked(client, openapi, "/sections")
    by_title = {section["title"]: section for section in sections}
    assert by_title["سوريا"]["parent_id"] == newsroom["middle_east"].pk
    assert "للمشتركين" not in by_title  # a restricted section is not public
    authors = checked(client, openapi, "/authors")
    assert [(a["name"], a["bio"]) for a in authors["items"]] == [("سلمى الحلبي", "مراسلة في حلب.")]
    desks = checked(client, openapi, "/desks")
    assert "قسم التحقيقات" in [desk["name"] for desk in desks["items"]]


def test_no_email_anywhere(client, newsroom):
    article = newsroom["first"]
    Comment.objects.create(
        article=article, name="قارئ", email="reader@example.org", body="تعليق", status="approved", ip_address="1.2.3.4"
    )
    correction_note_publish(article=article, kind="correction", text="تصحيح.")
    for path in ("/articles", f"/articles/{article.pk}", "/sections", "/authors", "/desks", "/corrections"):
        body = client.get(API + path).content.decode()
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", body), path


def test_responses_are_cacheable_and_conditional(client, newsroom):
    response = client.get(f"{API}/articles")
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    again = client.get(f"{API}/articles", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["ETag"] == response["ETag"]
    ArticlePage.objects.filter(pk=newsroom["second"].pk).update(title="عنوان جديد")
    assert client.get(f"{API}/articles", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200


def test_cors_allows_any_site_to_read(client, newsroom):
    response = client.get(f"{API}/articles", HTTP_ORIGIN="https://reader.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        f"{API}/articles", HTTP_ORIGIN="https://reader.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200 and "GET" in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://reader.example")


def test_the_api_is_read_only(client, newsroom):
    assert client.post(f"{API}/articles", {}).status_code == 405
    assert client.delete(f"{API}/articles/{newsroom['first'].pk}").status_code == 405


def test_docs_are_served_without_a_cdn(client, openapi):
    page = client.get(f"{API}/docs").content.decode()
    assert "/static/ninja/" in page
    assert not re.search(r"""(?:src|href)=["']https?://""", page)
    assert set(openapi["paths"]) == {
        f"{API}/articles",
        f"{API}/articles/{{article_id}}",
        f"{API}/sections",
        f"{API}/authors",
        f"{API}/desks",
        f"{API}/corrections",
        f"{API}/live",
        f"{API}/live/{{coverage_id}}",
        f"{API}/live/{{coverage_id}}/entries",
    }
