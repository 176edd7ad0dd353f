"""The breaking-news bar: raised and lowered by editors in the admin, read by every page from /breaking.json."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from breaking.models import BreakingBanner
from breaking.services import CACHE_KEY
from testing.helpers import PASSWORD, parse

pytestmark = pytest.mark.django_db

ADD_URL = "wagtailsnippets_breaking_breakingbanner:add"


@pytest.fixture
def reporter(home, django_user_model):
    user = django_user_model.objects.create_user("reporter", "reporter@example.org", PASSWORD, first_name="ع")
    user.groups.add(Group.objects.get(name="Reporters"))
    return user


def form_data(**overrides):
    expires = timezone.localtime() + timedelta(hours=1)
    data = {
        "text": "انفجار في مرفأ بيروت",
        "link_page": "",
        "link_url": "",
        "expires_at": expires.strftime("%Y-%m-%d %H:%M"),
    }
    data.update(overrides)
    return data


def raise_banner(**kwargs):
    defaults = {"text": "عاجل: زلزال بقوة 6 درجات", "link_url": "https://example.org/quake"}
    return BreakingBanner.objects.create(**{**defaults, **kwargs})


def current(client):
    response = client.get("/breaking.json")
    assert response.status_code == 200
    return response.json()["banner"]


# The admin ------------------------------------------------------------------


def test_an_editor_raises_the_bar_and_it_is_logged(client, editor, seed_article):
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_breaking_breakingbanner:list"))
    assert "رفع شريط عاجل" in listing.content.decode()

    response = client.post(reverse(ADD_URL), form_data(link_page=seed_article.pk))
    assert response.status_code == 302
    banner = BreakingBanner.objects.get()
    assert (banner.text, banner.link_page_id, banner.raised_by) == ("انفجار في مرفأ بيروت", seed_article.pk, editor)
    assert banner.lowered_at is None and banner.is_shown
    assert ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(banner.pk), user=editor).exists()
    client.logout()
    shown = current(client)
    assert shown["text"] == "انفجار في مرفأ بيروت"
    assert shown["url"] == seed_article.url
    assert shown["label"] == "عاجل"


def test_the_bar_is_up_two_hours_unless_the_editor_says_otherwise(client, editor):
    client.force_login(editor)
    before = timezone.now()
    response = client.get(reverse(ADD_URL))
    assert "رفع شريط عاجل" in response.content.decode()
    shown = parse(response).select_one("input[name=expires_at]")["value"]
    offered = timezone.make_aware(datetime.strptime(shown[:16], "%Y-%m-%d %H:%M"))
    assert abs(offered - (before + timedelta(hours=2))) < timedelta(minutes=2)  # the form offers two hours from now
    banner = raise_banner()
    assert timedelta(hours=1, minutes=59) < banner.expires_at - before <= timedelta(hours=2, seconds=5)


def test_the_form_refuses_a_past_expiry_long_text_and_two_links(client, editor, seed_article):
    client.force_login(editor)
    past = (timezone.localtime() - timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M")
    for data in (
        form_data(expires_at=past),
        form_data(text="خ" * 141),
        form_data(link_page=seed_article.pk, link_url="https://example.org/"),
    ):
        response = client.post(reverse(ADD_URL), data)
        assert response.status_code == 200
    assert not BreakingBanner.objects.exists()


def test_a_reporter_may_not_raise_or_lower_the_bar(client, reporter):
    banner = raise_banner()
    client.force_login(reporter)
    response = client.post(reverse(ADD_URL), form_data())
    assert response.status_code == 302 and "/admin/" in response["Location"]  # refused: back to the dashboard
    assert BreakingBanner.objects.count() == 1
    refused = client.post(reverse("breaking_lower", args=[banner.pk]))
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    banner.refresh_from_db()
    assert banner.lowered_at is None


def test_an_editor_lowers_the_bar_and_it_is_logged(client, editor):
    banner = raise_banner()
    assert current(client)["id"] == banner.pk
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_breaking_breakingbanner:list")).content.decode()
    assert reverse("breaking_lower", args=[banner.pk]) in listing
    confirm = client.get(reverse("breaking_lower", args=[banner.pk]))
    assert banner.text in confirm.content.decode()

    response = client.post(reverse("breaking_lower", args=[banner.pk]))
    assert response.status_code == 302
    banner.refresh_from_db()
    assert banner.lowered_at is not None and not banner.is_shown
    assert ModelLogEntry.objects.filter(action="nashir.breaking.lower", object_id=str(banner.pk), user=editor).exists()
    client.logout()
    assert current(client) is None
    # Lowered bars keep their place in the list, without the button.
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_breaking_breakingbanner:list")).content.decode()
    assert reverse("breaking_lower", args=[banner.pk]) not in listing


# The endpoint -----------------------------------------------------------------


def test_the_endpoint_says_there_is_no_bar(client):
    response = client.get("/breaking.json")
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"banner": None}


def test_the_endpoint_is_cached_briefly_by_nginx_and_a_cdn_not_by_the_page_cache(client):
    raise_banner()
    for _ in range(2):
        response = client.get("/breaking.json")
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=5"
        assert response["X-Accel-Expires"] == "2"
        assert response["X-Cache"] == "BYPASS"


def test_a_kept_bar_costs_no_query(client, django_assert_num_queries):
    banner = raise_banner()
    with django_assert_num_queries(1):
        assert current(client)["id"] == banner.pk
    with django_assert_num_queries(0):
        assert current(client)["id"] == banner.pk
    BreakingBanner.objects.all().delete()
    with django_assert_num_queries(1):
        assert current(client) is None
    with django_assert_num_queries(0):
        assert current(client) is None  # "no bar" is kept too


def test_raising_and_lowering_drop_the_kept_bar(client, editor):
    assert current(client) is None
    first = raise_banner(text="الأول")
    assert current(client)["text"] == "الأول"
    second = raise_banner(text="الثاني")
    assert current(client)["text"] == "الثاني"  # the newest raised
    client.force_login(editor)
    client.post(reverse("breaking_lower", args=[second.pk]))
    client.logout()
    assert current(client)["id"] == first.pk
    client.force_login(editor)
    client.post(reverse("breaking_lower", args=[first.pk]))
    client.logout()
    assert current(client) is None


def test_an_expired_bar_is_not_shown_even_while_kept(client):
    banner = raise_banner()
    assert current(client)["id"] == banner.pk
    kept = cache.get(CACHE_KEY)
    cache.set(CACHE_KEY, {**kept, "expires_at": timezone.now().timestamp() - 1})
    assert current(client) is None
    cache.delete(CACHE_KEY)
    BreakingBanner.objects.filter(pk=banner.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert current(client) is None


def test_every_public_page_loads_the_script_from_the_site(client, seed_article):
    for url in ("/", seed_article.url):
        response = client.get(url)
        script = parse(response).select_one('script[src$="breaking/breaking.js"]')
        assert script is not None and script.has_attr("defer")
        assert script["data-css"].endswith("breaking/breaking.css")
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "connect-src 'self';" in policy
