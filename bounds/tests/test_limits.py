"""Numbers and dates at and past their limits, in every address that takes one: a clear answer, never a 500."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from bounds.limits import whole_number

pytestmark = pytest.mark.django_db

HUGE = "999999999999999999999"
PAST_BIGINT = "9223372036854775808"
BIGINT = "9223372036854775807"
MANY_DIGITS = "9" * 5000


def arabic(text):
    return any("\u0600" <= char <= "\u06ff" for char in text)


@pytest.fixture
def reader(client):
    client.raise_request_exception = False  # a server error is an answer to assert on, not a crash of the test
    return client


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"published_from": "0001-01-01"}, 400),
        ({"published_to": "9999-12-31"}, 400),
        ({"published_from": "1799-12-31"}, 400),
        ({"published_from": "1800-01-01"}, 200),
        ({"published_to": "2999-12-31"}, 200),
        ({"published_to": "3000-01-01"}, 400),
        ({"section": HUGE}, 400),
        ({"section": PAST_BIGINT}, 400),
        ({"section": BIGINT}, 400),
        ({"section": "-1"}, 400),
        ({"author": HUGE}, 400),
        ({"q": "ب" * 257}, 400),
        ({"q": "ب" * 256}, 200),
        ({"page": HUGE}, 200),  # the nearest page
        ({"page": "-5"}, 200),
        ({"page": "²"}, 200),
        ({"page": MANY_DIGITS}, 200),
    ],
)
def test_search_refuses_what_it_cannot_search_with_an_arabic_error(reader, seed_article, params, status):
    response = reader.get(reverse("search:search"), {"q": params.pop("q", "قيصر"), **params})
    assert response.status_code == status
    page = BeautifulSoup(response.content, "lxml")
    assert page.select_one("form.search-form") is not None
    errors = [error.get_text() for error in page.select(".field__errors li")]
    if status == 400:
        assert errors and all(arabic(error) for error in errors)
    else:
        assert not errors


def test_the_date_pickers_offer_only_the_dates_the_search_takes(client, seed_article):
    page = BeautifulSoup(client.get(reverse("search:search")).content, "lxml")
    for name in ("published_from", "published_to"):
        field = page.select_one(f"input[name={name}]")
        assert (field["type"], field["min"], field["max"]) == ("date", "1800-01-01", "2999-12-31")
    response = client.get(reverse("search:search"), {"q": "قيصر", "published_from": "0001-01-01"})
    error = BeautifulSoup(response.content, "lxml").select_one(".field__errors").get_text(strip=True)
    assert error == "اختر تاريخًا بين 1800-01-01 و2999-12-31."


@pytest.mark.parametrize(
    "path",
    [
        f"/a/{HUGE}/",
        f"/a/{PAST_BIGINT}/",
        f"/a/{BIGINT}/",
        "/a/0/",
        f"/a/{MANY_DIGITS}/",
        f"/views/{HUGE}/",
        f"/feed/section/{HUGE}/",
        f"/feed/section/{HUGE}/atom/",
        f"/corrections/new/{HUGE}/",
        f"/replies/new/{PAST_BIGINT}/",
    ],
)
def test_an_id_no_row_can_have_is_not_found(reader, seed_article, path):
    response = reader.get(path, HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64)")
    assert response.status_code == 404
    assert BeautifulSoup(response.content, "lxml").html["lang"] == "ar"


def test_a_comment_on_an_id_no_row_can_have_is_not_found(reader, seed_article):
    assert reader.post(f"/comments/{HUGE}/", {"body": "نص"}).status_code == 404
    assert reader.get(f"/a/{seed_article.pk}/").status_code == 301


@pytest.mark.parametrize("page", ["²", MANY_DIGITS, HUGE, "-1", "٢"])
def test_listings_take_any_page_number(reader, seed_article, page):
    for path in ("/", seed_article.get_parent().url, reverse("corrections:log")):
        assert reader.get(path, {"page": page}).status_code == 200, path


@pytest.mark.parametrize("reply_to", ["²", HUGE, MANY_DIGITS, "-3", "abc"])
def test_an_article_takes_any_reply_to(reader, seed_article, reply_to):
    assert reader.get(seed_article.url, {"reply_to": reply_to}).status_code == 200


@pytest.mark.parametrize(
    ("text", "number"),
    [("7", 7), ("٣", 3), ("-2", None), ("²", None), ("", None), ("abc", None), (HUGE, None), (MANY_DIGITS, None)],
)
def test_whole_numbers_from_requests(text, number):
    assert whole_number(text, minimum=1, maximum=10**18) == number


API_CASES = [
    ("/articles", {"published_after": "0001-01-01"}, 400, "published_after"),
    ("/articles", {"published_before": "9999-12-31"}, 400, "published_before"),
    ("/articles", {"published_after": "0001-01-01T00:00:00+14:00"}, 400, "published_after"),
    ("/articles", {"published_after": "1799-12-31T23:59:59"}, 400, "published_after"),
    ("/articles", {"published_after": "1800-01-01"}, 200, None),
    ("/articles", {"published_before": "2999-12-31T23:59:59"}, 200, None),
    ("/articles", {"published_before": "3000-01-01"}, 400, "published_before"),
    ("/articles", {"offset": HUGE}, 400, "offset"),
    ("/articles", {"offset": PAST_BIGINT}, 400, "offset"),
    ("/articles", {"offset": "1000001"}, 400, "offset"),
    ("/articles", {"offset": "1000000"}, 200, None),
    ("/articles", {"offset": "-1"}, 400, "offset"),
    ("/articles", {"limit": "100000"}, 400, "limit"),
    ("/articles", {"limit": "101"}, 400, "limit"),
    ("/articles", {"limit": "100"}, 200, None),
    ("/articles", {"limit": "0"}, 400, "limit"),
    ("/articles", {"limit": "abc"}, 400, "limit"),
    ("/articles", {"section": HUGE}, 400, "section"),
    ("/articles", {"section": BIGINT}, 404, None),
    ("/articles", {"tag": "\x00"}, 400, "tag"),
    ("/authors", {"offset": HUGE}, 400, "offset"),
    ("/desks", {"limit": "100000"}, 400, "limit"),
    ("/corrections", {"limit": "100000"}, 400, "limit"),
    (f"/articles/{HUGE}", {}, 400, "article_id"),
    (f"/articles/{BIGINT}", {}, 404, None),
    ("/articles/-1", {}, 400, "article_id"),
]


@pytest.mark.parametrize(("path", "params", "status", "parameter"), API_CASES)
def test_the_api_refuses_parameters_it_cannot_use_in_arabic(reader, seed_article, path, params, status, parameter):
    response = reader.get(f"/api/v1{path}", params)
    assert response.status_code == status
    body = response.json()
    if status != 200:
        assert arabic(body["detail"])
    if parameter:
        assert [error["parameter"] for error in body["errors"]] == [parameter]
        assert parameter in body["detail"]
