"""The newsroom's look from its settings: brand colours refused below WCAG AA, /theme.css, footer and social links."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Site

from news.models import PublisherSettings
from news.theme import contrast_ratio, lowest_contrast

pytestmark = pytest.mark.django_db


def parse(response):
    return BeautifulSoup(response.content, "lxml")


@pytest.fixture
def publisher(home):
    return PublisherSettings.for_site(Site.objects.get(root_page=home))


def settings_url(home):
    return reverse("wagtailsettings:edit", args=["news", "publishersettings", Site.objects.get(root_page=home).pk])


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    # The shipped accents pass on every background they meet.
    assert lowest_contrast("#a4161a", dark=False) >= 4.5
    assert lowest_contrast("#f0817b", dark=True) >= 4.5


def edit_settings(admin_client, home, **values):
    """Post the settings form with the current values and `values` changed."""
    page = parse(admin_client.get(settings_url(home)))
    form = page.select_one("form[method=post]")
    data = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[field["name"]] = chosen["value"] if chosen else ""
        elif field.get("type") in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        elif field.name == "textarea":
            data[field["name"]] = field.get_text()
        else:
            data[field["name"]] = field.get("value", "")
    # The footer's columns are drawn by the admin's script; posted empty, as it sends them with none.
    data.setdefault("footer_columns-count", "0")
    data.update(values)
    return admin_client.post(settings_url(home), data)


def test_a_brand_colour_below_aa_is_refused(admin_client, home, publisher):
    response = edit_settings(admin_client, home, brand_colour="#ff8080")
    assert response.status_code == 200  # the form again, with the error
    assert "4.5:1" in response.content.decode()
    publisher.refresh_from_db()
    assert publisher.brand_colour == ""
    response = edit_settings(admin_client, home, brand_colour_dark="#402020")
    assert "4.5:1" in response.content.decode()


def test_the_chosen_colours_and_face_reach_every_page_through_a_stylesheet(admin_client, client, home, publisher):
    assert parse(client.get("/")).select_one('link[href^="/theme.css"]') is None  # the shipped look: nothing more
    response = edit_settings(
        admin_client, home, brand_colour="#0b5394", brand_colour_dark="#9fc5f8", headline_font="naskh"
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    page = parse(client.get("/"))
    link = page.select_one('link[rel=stylesheet][href^="/theme.css?v="]')
    assert link is not None, "a settings change must reach pages already stored"
    # After the site's stylesheet, so it wins; and the headline face it asks for is the one preloaded.
    sheets = [tag["href"] for tag in page.select("link[rel=stylesheet]")]
    assert sheets.index(link["href"]) == sheets.index(next(s for s in sheets if "nashir" in s)) + 1
    preloaded = [tag["href"] for tag in page.select("link[rel=preload][as=font]")]
    assert any("naskh-arabic-arabic-700" in href for href in preloaded)
    assert not any("kufi" in href for href in preloaded)

    css = client.get(link["href"])
    assert css["Content-Type"].startswith("text/css")
    assert "immutable" in css["Cache-Control"]
    body = css.content.decode()
    assert "--accent: #0b5394" in body and "--accent: #9fc5f8" in body and '--font-head: "Noto Naskh Arabic"' in body
    assert body.startswith("@media screen")  # print stays black on white
    # No inline style anywhere: the policy would refuse it.
    assert not page.select("style") and not page.select("[style]")

    # Back to the shipped look: the link goes, the old address is no longer kept for a year.
    edit_settings(admin_client, home, brand_colour="", brand_colour_dark="", headline_font="kufi")
    assert parse(client.get("/")).select_one('link[href^="/theme.css"]') is None
    assert "immutable" not in client.get(link["href"])["Cache-Control"]


def test_footer_columns_and_social_accounts(admin_client, client, home, publisher):
    publisher.footer_columns = [
        (
            "column",
            {"heading": "خدمات", "links": [{"title": "النشرة البريدية", "page": None, "url": "https://example.org/n"}]},
        )
    ]
    publisher.facebook_url = "https://www.facebook.com/nashir"
    publisher.telegram_url = "https://t.me/nashir"
    publisher.save()
    footer = parse(client.get("/")).select_one(".site-footer")
    column = footer.select_one("#footer-column-1").parent
    assert column.h2.get_text() == "خدمات"
    assert [(a.get_text(), a["href"]) for a in column.select("a")] == [("النشرة البريدية", "https://example.org/n")]
    social = [(a.get_text(), a["href"]) for a in footer.select(".site-footer__social a")]
    assert social == [("فيسبوك", "https://www.facebook.com/nashir"), ("تيليغرام", "https://t.me/nashir")]

    # An account on another network is refused.
    response = edit_settings(admin_client, home, instagram_url="https://example.com/nashir")
    assert response.status_code == 200 and "instagram.com" in response.content.decode()
