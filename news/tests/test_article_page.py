"""The seed article (../shared/seed-article.txt) rendered end to end."""

import datetime
from urllib.parse import unquote

import pytest

from news.factories import ArticlePageFactory, AuthorFactory, StoredEmbedFactory
from testing.helpers import parse, shared_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_lines():
    text = shared_file("seed-article.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def position(root, element):
    """Document order of `element` inside `root`."""
    return next(index for index, node in enumerate(root.descendants) if node is element)


def test_page_is_arabic_and_right_to_left(client, seed_article):
    soup = parse(client.get(seed_article.url))
    assert soup.html["lang"] == "ar"
    assert soup.html["dir"] == "rtl"
    for landmark in ("header", "nav", "main", "footer"):
        assert soup.find(landmark) is not None, landmark


def test_seed_article_shows_every_element_in_the_seed_order(client, seed_article, seed_lines):
    soup = parse(client.get(seed_article.url))
    article = soup.select_one("main article")

    title = article.select_one("header h1")
    standfirst = article.select_one(".article__standfirst")
    views = article.select_one(".article__view-count")
    byline = article.select_one(".article__byline")
    published = article.select_one("time.article__published")
    body = article.select_one(".article__body")
    sources = article.select_one(".article__sources")

    assert title.get_text(strip=True) == seed_lines[0]
    assert standfirst.get_text(strip=True) == seed_lines[1]
    assert views.get_text(strip=True) == seed_lines[2] == "34"
    assert byline.get_text(strip=True) == seed_lines[3] == "قسم الأخبار"
    assert unquote(byline.a["href"]) == "/desk/قسم-الأخبار/"
    assert published["datetime"] == "2020-05-18T14:00:00+03:00"
    assert published.get_text(strip=True) == "18 مايو/أيار 2020"

    elements = [title, standfirst, views, byline, published, body, sources]
    assert [position(article, element) for element in elements] == sorted(position(article, e) for e in elements)


def test_seed_body_has_the_text_subheadings_and_quotation(client, seed_article, seed_lines):
    soup = parse(client.get(seed_article.url))
    body = soup.select_one(".article__body")
    paragraphs = [p.get_text(strip=True) for p in body.find_all("p", recursive=False)]
    assert [h2.get_text(strip=True) for h2 in body.find_all("h2")] == ["الائتلاف يرد", "قانون قيصر:"]
    # Every paragraph of the original page, in order, but the statement that
    # is now set as a quotation.
    original = [line for line in seed_lines[4:21] if line not in ("الائتلاف يرد", "قانون قيصر:")]
    statement = original.pop(original.index(next(line for line in original if line.startswith("وأشار البيان"))))
    assert paragraphs == original
    quote = body.select_one("figure.quote")
    assert quote.blockquote.get_text(strip=True) in statement
    assert "الائتلاف الوطني السوري" in quote.figcaption.get_text()
    # The three parts: introduction, the Coalition's reply, the law.
    h2s = body.find_all("h2")
    assert position(body, h2s[0]) < position(body, quote) < position(body, h2s[1])


def test_sources_line_lists_the_four_sources_linked(client, seed_article):
    soup = parse(client.get(seed_article.url))
    sources = soup.select_one(".article__sources")
    assert sources.select_one(".article__sources-label").get_text(strip=True) == "المصادر:"
    links = sources.find_all("a")
    assert [link.get_text(strip=True) for link in links] == [
        "صحيفة عكاظ",
        "الائتلاف الوطني السوري",
        "العربي الجديد",
        "الجزيرة",
    ]
    assert [link["data-kind"] for link in links] == ["newspaper", "statement", "newspaper", "broadcaster"]
    assert links[0]["href"] == "https://www.okaz.com.sa/"


def test_source_without_url_is_plain_text(client, home):
    article = ArticlePageFactory(sources=[("بيان مكتوب", "", "document"), ("وكالة سانا", "https://sana.sy/", "agency")])
    sources = parse(client.get(article.url)).select_one(".article__sources")
    assert sources.find("span", attrs={"data-kind": "document"}).get_text() == "بيان مكتوب"
    assert [a.get_text() for a in sources.find_all("a")] == ["وكالة سانا"]


def test_tags_link_to_tag_pages(client, seed_article):
    soup = parse(client.get(seed_article.url))
    tags = {a.get_text(strip=True): a["href"] for a in soup.select(".article__tags a")}
    assert unquote(tags["قانون قيصر"]) == "/tag/قانون-قيصر/"
    assert client.get(tags["قانون قيصر"]).status_code == 200


def test_breadcrumbs_follow_the_nested_sections(client, seed_article):
    soup = parse(client.get(seed_article.url))
    assert [a.get_text(strip=True) for a in soup.select(".breadcrumbs a")] == ["الرئيسية", "الشرق الأوسط", "سوريا"]


def test_related_articles_share_tags_or_section(client, seed_article):
    sibling = ArticlePageFactory(parent=seed_article.get_parent())
    tagged_elsewhere = ArticlePageFactory(tags=["قانون قيصر"])
    unrelated = ArticlePageFactory()
    soup = parse(client.get(seed_article.url))
    related = [a.get_text(strip=True) for a in soup.select(".related .card__title a")]
    assert related[0] == tagged_elsewhere.title  # a shared tag outranks the same section
    assert sibling.title in related
    assert unrelated.title not in related


def test_named_authors_are_listed_before_the_desk(client, home):
    first, second = AuthorFactory(name="ليلى حسن"), AuthorFactory(name="عمر خالد")
    article = ArticlePageFactory(authors=[first, second], desk=None)
    byline = parse(client.get(article.url)).select_one(".article__byline")
    assert byline.get_text(" ", strip=True) == "ليلى حسن و عمر خالد"
    assert [a["href"] for a in byline.find_all("a")] == [first.get_absolute_url(), second.get_absolute_url()]


def test_quotation_uses_blockquote_with_cite(client, home):
    article = ArticlePageFactory(
        body=[
            {
                "type": "quote",
                "value": {
                    "text": "نص",
                    "speaker": "المتحدث",
                    "source": "مقابلة",
                    "source_url": "https://example.org/a",
                },
            }
        ]
    )
    figure = parse(client.get(article.url)).select_one(".article__body figure.quote")
    assert figure.blockquote["cite"] == "https://example.org/a"
    assert figure.figcaption.cite.a["href"] == "https://example.org/a"


def test_list_block_renders_ordered_and_unordered(client, home):
    article = ArticlePageFactory(
        body=[
            {"type": "list", "value": {"ordered": True, "items": ["أولًا", "ثانيًا"]}},
            {"type": "list", "value": {"ordered": False, "items": ["بند"]}},
        ]
    )
    body = parse(client.get(article.url)).select_one(".article__body")
    assert [li.get_text() for li in body.select("ol li")] == ["أولًا", "ثانيًا"]
    assert [li.get_text() for li in body.select("ul li")] == ["بند"]


def test_embed_falls_back_to_a_link_when_the_provider_cannot_be_reached(client, home, monkeypatch):
    from wagtail.embeds import embeds
    from wagtail.embeds.exceptions import EmbedNotFoundException

    def unreachable(*args, **kwargs):
        raise EmbedNotFoundException

    monkeypatch.setattr(embeds, "get_embed", unreachable)
    url = "https://www.youtube.com/watch?v=abc"
    article = ArticlePageFactory(body=[{"type": "embed", "value": {"embed": url, "caption": "تسجيل"}}])
    figure = parse(client.get(article.url)).select_one(".article__body figure.embed")
    assert figure.a["href"] == url
    assert figure.figcaption.get_text() == "تسجيل"


def test_embed_waits_for_the_reader_behind_a_button_and_a_link(client, home):
    stored = StoredEmbedFactory(
        url="https://x.com/nashir/status/1",
        provider_name="X",
        title="منشور",
        html='<blockquote class="twitter-tweet"><p lang="ar" dir="rtl">نص المنشور</p>'
        '<a href="https://x.com/nashir/status/1">رابط</a></blockquote>'
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>',
    )
    video = StoredEmbedFactory()
    article = ArticlePageFactory(
        body=[
            {"type": "embed", "value": {"embed": video.url, "caption": "تسجيل"}},
            {"type": "embed", "value": {"embed": stored.url, "caption": ""}},
        ]
    )
    response = client.get(article.url)
    first, second = parse(response).select(".article__body figure.embed")

    placeholder = first.select_one(".embed__placeholder")
    assert placeholder.select_one(".embed__provider").get_text() == "محتوى من YouTube"
    assert placeholder.select_one(".embed__title").get_text() == "تسجيل من الوقفة"
    button = placeholder.select_one("button[data-embed-load]")
    assert button.get_text() == "اعرض المحتوى من YouTube"
    assert button.has_attr("hidden")  # shown by news/embeds.js; without it, the link below
    assert placeholder.select_one("a.embed__link")["href"] == video.url
    # Nothing of the provider's outside the inert template: no frame, and not the remote thumbnail.
    outside = [tag for tag in first.find_all(True) if not tag.find_parent("template") and tag.name != "template"]
    assert [tag.name for tag in outside if tag.name in ("iframe", "img", "script")] == []
    assert "i.ytimg.com" not in response.content.decode()
    # CSS selectors, like browsers, do not look into a template's content; find() does.
    frame = first.select_one("template.embed__content").find("iframe")
    assert frame["src"] == "https://www.youtube.com/embed/nashir-test?feature=oembed"
    assert frame["title"] == "تسجيل من الوقفة"
    assert not frame.has_attr("frameborder")
    assert first.figcaption.get_text() == "تسجيل"

    # A post keeps its quoted text; the provider's script is dropped.
    template = second.select_one("template.embed__content")
    # Text inside a template is a TemplateString, which get_text() leaves out.
    assert template.find("blockquote").find("p").string == "نص المنشور"
    assert template.find_all("script") == []
    assert second.select_one("button[data-embed-load]").get_text() == "اعرض المحتوى من X"


def test_only_a_page_with_an_embed_allows_the_providers_frames(client, home, settings):
    settings.NASHIR_CSP_FRAME_SOURCES = ["https://www.youtube-nocookie.com", "https://www.youtube.com"]
    plain = ArticlePageFactory()
    video = StoredEmbedFactory()
    with_embed = ArticlePageFactory(body=[{"type": "embed", "value": {"embed": video.url, "caption": ""}}])

    def frame_sources(response):
        policy = response["Content-Security-Policy"]
        return next(part.split()[1:] for part in policy.split(";") if part.split()[0] == "frame-src")

    assert frame_sources(client.get(plain.url)) == ["'none'"]
    assert frame_sources(client.get("/")) == ["'none'"]
    assert frame_sources(client.get(with_embed.url)) == settings.NASHIR_CSP_FRAME_SOURCES
    # The page cache keeps the policy the page was made with.
    assert frame_sources(client.get(with_embed.url)) == settings.NASHIR_CSP_FRAME_SOURCES
    # The admin's preview renders without serve(): the reader's click works there too.
    assert frame_sources(with_embed.make_preview_request()) == settings.NASHIR_CSP_FRAME_SOURCES
    assert frame_sources(plain.make_preview_request()) == ["'none'"]


def test_updated_time_shows_only_after_a_substantive_update(client, home):
    article = ArticlePageFactory()
    # A re-save or a re-publish (a typo fix) does not make the story "updated".
    article.save_revision().publish()
    assert parse(client.get(article.url)).select_one(".article__updated") is None
    article.updated_at = article.first_published_at + datetime.timedelta(hours=3)
    article.save()
    updated = parse(client.get(article.url)).select_one(".article__updated time")
    assert datetime.datetime.fromisoformat(updated["datetime"]) == article.updated_at


def test_images_render_in_figures_with_alt_text_caption_and_credit(client, home):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="صورة", file=get_test_image_file(size=(1600, 900)))
    article = ArticlePageFactory(
        featured_image=image,
        featured_image_caption="ساحة المدينة صباحًا",
        body=[
            {
                "type": "image",
                "value": {
                    "image": image.pk,
                    "alt_text": "متظاهرون في الساحة",
                    "caption": "وقفة",
                    "credit": "تصوير: سامي",
                },
            }
        ],
    )
    soup = parse(client.get(article.url))
    lead = soup.select_one(".article > figure.article__figure")
    assert lead.figcaption.get_text() == "ساحة المدينة صباحًا"
    assert lead.img["width"] == "1200" and lead.img["height"] == "675"
    body_figure = soup.select_one(".article__body figure")
    assert body_figure.img["alt"] == "متظاهرون في الساحة"
    assert body_figure.img["loading"] == "lazy"
    assert "وقفة" in body_figure.figcaption.get_text()
    assert body_figure.figcaption.select_one(".credit").get_text() == "تصوير: سامي"
    # The card on the home page shows the image too.
    assert parse(client.get("/")).select_one(".lead .card__image img") is not None


def test_the_aside_lists_the_sections_latest_without_the_article_or_its_related_stories(client, seed_article):
    section = seed_article.get_parent()
    tagged = ArticlePageFactory(parent=section, title="خبر يشارك الوسم", tags=["حلب"])
    for number in range(6):
        ArticlePageFactory(parent=section, title=f"خبر آخر في القسم {number}")
    article = ArticlePageFactory(parent=section, title="الخبر المفتوح", tags=["حلب"])
    soup = parse(client.get(article.url))
    aside = soup.select_one(".page-aside")
    related = [a.get_text(strip=True) for a in aside.select(".related .card__title a")]
    latest = [a.get_text(strip=True) for a in aside.select(".section-latest .card__title a")]
    assert tagged.title in related
    assert article.title not in latest and not set(related) & set(latest)
    assert aside.select_one(".section-latest h2").get_text(strip=True) == f"الأحدث في {section.title}"
    # Eight other stories in the section: four related, the four others in the latest.
    assert len(related) == 4 and len(latest) == 4


def test_other_apps_show_their_parts_where_they_registered_them(client, home, settings, tmp_path):
    """The `article_page_parts` and `article_page_context` hooks: news names no app that adds to the page."""
    from wagtail import hooks

    (tmp_path / "part.html").write_text('<aside class="test-part">{{ page.title }}: {{ test_note }}</aside>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    article = ArticlePageFactory(title="خبر بأجزاء من تطبيقات أخرى")

    with (
        hooks.register_temporarily("article_page_parts", lambda: [("after_body", "part.html")]),
        hooks.register_temporarily("article_page_context", lambda page, request, **kwargs: {"test_note": "ملاحظة"}),
    ):
        page = parse(client.get(article.url))

    part = page.select_one(".article__body ~ .test-part")
    assert part is not None and part.get_text() == "خبر بأجزاء من تطبيقات أخرى: ملاحظة"
