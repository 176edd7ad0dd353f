"""The readers' search: ranking, phrases, filters, snippets, index upkeep and bad input.

Runs unchanged on SQLite (FTS5) and PostgreSQL (postings): CI runs the suite on both.
"""

import datetime
import importlib
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup
from django.apps import apps as django_apps
from django.core.management import call_command
from django.urls import reverse
from lxml import etree
from wagtail.models import PageViewRestriction

from news.factories import ArticlePageFactory, AuthorFactory, DeskFactory, SectionPageFactory
from news.models import ArticlePage
from search.backends import Filters
from search.models import SearchEntry, Spelling
from search.services import articles_search, search_hits, spelling_counts
from testing.helpers import indexed_article, paragraphs, parse

pytestmark = pytest.mark.django_db


def titles(text, **kwargs):
    return [result.article.title for result in articles_search(text=text, **kwargs).results]


def search_page(client, **params):
    return parse(client.get(reverse("search:search"), params))


def assert_spellings_counted_from_the_entries():
    """The spellings kept are exactly those a count of every indexed text gives."""
    counted = spelling_counts(
        text for row in SearchEntry.objects.values_list("title", "standfirst", "body") for text in row
    )
    kept = {(row.form, row.written): row.occurrences for row in Spelling.objects.all()}
    assert kept == dict(counted)


@pytest.fixture
def newsroom(home):
    """A few stories on different subjects, enough for BM25 to tell rare words from common ones."""
    for number in range(6):
        indexed_article(f"خبر اقتصادي رقم {number}", "أسعار النفط والذهب في الأسواق العالمية.")
    return home


def test_hamza_taa_marbuta_and_plurals_find_each_other(newsroom):
    indexed_article("أحمد يلتقي المعارضة", "بحث فرض العقوبة على المخالفين.")

    assert titles("احمد") == ["أحمد يلتقي المعارضة"]
    assert titles("المعارضه") == ["أحمد يلتقي المعارضة"]
    assert titles("عقوبات") == ["أحمد يلتقي المعارضة"]
    assert titles("أَحْمَد") == ["أحمد يلتقي المعارضة"]


def test_title_match_ranks_above_body_match(newsroom):
    in_body = indexed_article("تقرير عن الطقس", "هطول أمطار في دمشق وتحذيرات من السيول.")
    in_title = indexed_article("السيول تجتاح قرى الساحل", "تضررت عشرات المنازل.")

    assert titles("السيول") == [in_title.title, in_body.title]


def test_rare_word_outweighs_common_one(newsroom):
    rare = indexed_article("النفط والزعفران", "محصول الزعفران في خراسان.")

    assert titles("الزعفران النفط")[0] == rare.title


def test_quoted_phrase_needs_the_words_side_by_side(newsroom):
    together = indexed_article("زيارة رئيس الوزراء إلى بيروت", "وصل اليوم.")
    apart = indexed_article("الوزراء يجتمعون", "قال رئيس البلدية إن الاجتماع انتهى.")

    assert set(titles("رئيس الوزراء")) >= {together.title, apart.title}
    assert titles('"رئيس الوزراء"') == [together.title]
    assert titles("«رئيس الوزراء»") == [together.title]


def test_phrase_no_article_has_falls_back_to_its_words_and_says_so(newsroom, client):
    indexed_article("الوزراء يجتمعون", "قال رئيس البلدية إن الاجتماع انتهى.")

    outcome = articles_search(text='"رئيس الوزراء"')
    assert outcome.phrases_dropped
    assert [result.article.title for result in outcome.results] == ["الوزراء يجتمعون"]
    page = search_page(client, q='"رئيس الوزراء"')
    assert "لم نجد العبارة كما كُتبت" in page.select_one(".search-results").get_text()


def test_recency_order(newsroom):
    old = indexed_article(
        "انتخابات بلدية", "الانتخابات.", first_published_at=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    )
    new = indexed_article(
        "نتائج", "الانتخابات البلدية.", first_published_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
    )

    assert titles("انتخابات") == [old.title, new.title]
    assert titles("انتخابات", newest_first=True) == [new.title, old.title]


def test_filters_by_section_with_subsections_author_desk_and_dates(newsroom):
    middle_east = SectionPageFactory(title="الشرق الأوسط")
    syria = SectionPageFactory(title="سوريا", parent=middle_east)
    sport = SectionPageFactory(title="رياضة")
    reporter = AuthorFactory(name="سلمى الحلبي")
    desk = DeskFactory(name="قسم التحقيقات")
    in_syria = indexed_article(
        "الزلزال في حلب",
        "الزلزال.",
        parent=syria,
        authors=[reporter],
        first_published_at=datetime.datetime(2023, 2, 6, 4, tzinfo=datetime.UTC),
    )
    in_sport = indexed_article(
        "الزلزال يؤجل المباراة",
        "الزلزال.",
        parent=sport,
        desk=desk,
        first_published_at=datetime.datetime(2023, 2, 8, 12, tzinfo=datetime.UTC),
    )

    assert titles("الزلزال", filters=Filters(section_path=middle_east.path)) == [in_syria.title]
    assert titles("الزلزال", filters=Filters(author_id=reporter.pk)) == [in_syria.title]
    assert titles("الزلزال", filters=Filters(desk_id=desk.pk)) == [in_sport.title]
    start = datetime.datetime(2023, 2, 7, tzinfo=datetime.UTC)
    assert titles("الزلزال", filters=Filters(published_from=start)) == [in_sport.title]
    assert titles("الزلزال", filters=Filters(published_before=start)) == [in_syria.title]


def test_search_page_filters_from_the_form(newsroom, client):
    sport = SectionPageFactory(title="رياضة")
    indexed_article("الزلزال في حلب", "الزلزال.", first_published_at=datetime.datetime(2023, 2, 6, tzinfo=datetime.UTC))
    indexed_article("الزلزال يؤجل المباراة", "الزلزال.", parent=sport)

    page = search_page(client, q="الزلزال", section=sport.pk)
    assert [a.get_text() for a in page.select(".search-result__title a")] == ["الزلزال يؤجل المباراة"]
    page = search_page(client, q="الزلزال", published_from="2023-02-06", published_to="2023-02-06")
    assert [a.get_text() for a in page.select(".search-result__title a")] == ["الزلزال في حلب"]


def test_search_page_lists_the_filter_choices_without_server_side_cursors(newsroom, client):
    """PostgreSQL would open a named cursor (three round trips) for each list Django reads with .iterator()."""
    from django.db import connection

    SectionPageFactory(title="رياضة")
    writer, desk = AuthorFactory(name="سلمى الخطيب"), DeskFactory(name="مكتب دمشق")
    cursors = []

    def record(execute, sql, params, many, context):
        cursors.append(getattr(context["cursor"].cursor, "name", None))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        page = search_page(client, q="النفط")
    assert cursors and not any(cursors)
    options = {
        name: [option.get_text() for option in page.select(f"select[name={name}] option")]
        for name in ("section", "author", "desk")
    }
    assert "رياضة" in options["section"]
    assert options["author"][0] == "كل الكتّاب" and "سلمى الخطيب" in options["author"]
    assert options["desk"][0] == "كل الأقسام" and "مكتب دمشق" in options["desk"]
    assert search_page(client, q="النفط", author=writer.pk, desk=desk.pk).select_one(".search-empty")


def test_tags_section_author_and_desk_names_are_searchable(newsroom):
    section = SectionPageFactory(title="ثقافة")
    poet = AuthorFactory(name="نزار قباني")
    tagged = indexed_article("أمسية في المركز", "أمسية.", parent=section, authors=[poet], tags=["مهرجانات"])

    assert titles("قباني") == [tagged.title]
    assert titles("مهرجانات") == [tagged.title]
    assert titles("ثقافة") == [tagged.title]


def test_snippet_marks_the_original_words_with_their_diacritics(newsroom, client):
    indexed_article("خبر عن المدرسة", "بدأ العامُ الدراسيّ. وقال أَحْمَدُ إنّ المدرسةَ جاهزة.")

    page = search_page(client, q="احمد المدرسه")
    marks = [mark.get_text() for mark in page.select(".search-result__snippet mark")]
    assert marks == ["أَحْمَدُ", "المدرسةَ"]
    assert [mark.get_text() for mark in page.select(".search-result__title mark")] == ["المدرسة"]


def test_snippet_shows_the_passage_with_the_match(newsroom):
    filler = " ".join(["كلام عام عن الطقس."] * 40)
    indexed_article("تقرير طويل", filler, "وأخيرًا اكتشف العلماء نيزكًا جديدًا.", filler)

    outcome = articles_search(text="نيزك")
    pieces = outcome.results[0].snippet
    assert ("نيزكًا", True) in pieces
    text = "".join(piece for piece, _ in pieces)
    assert text.startswith("… ") and text.endswith(" …")
    assert len(text.split()) <= 45


def test_index_follows_publish_edit_unpublish_and_delete(newsroom):
    story = ArticlePageFactory(title="مسودة عن الفيضان", live=False, body=paragraphs("الفيضان."))
    assert titles("الفيضان") == []

    story.save_revision().publish()
    assert titles("الفيضان") == ["مسودة عن الفيضان"]
    assert_spellings_counted_from_the_entries()

    story.title = "الفيضان يغمر السهل"
    story.body = paragraphs("نص جديد عن الإعصار.")
    story.save_revision().publish()
    assert titles("الفيضان") == ["الفيضان يغمر السهل"]
    assert titles("الإعصار") == ["الفيضان يغمر السهل"]
    assert_spellings_counted_from_the_entries()

    ArticlePage.objects.get(pk=story.pk).unpublish()
    assert titles("الفيضان") == []
    assert not SearchEntry.objects.filter(pk=story.pk).exists()
    assert_spellings_counted_from_the_entries()

    story.save_revision().publish()
    ArticlePage.objects.get(pk=story.pk).delete()
    assert titles("الفيضان") == []
    assert search_hits(text="الإعصار").total == 0
    assert not Spelling.objects.filter(form="الاعصار").exists()
    assert_spellings_counted_from_the_entries()


def test_view_restricted_articles_leave_the_index(newsroom):
    private = SectionPageFactory(title="للمشتركين")
    story = indexed_article("تحقيق حصري عن المناجم", "المناجم.", parent=private)
    assert titles("المناجم") == [story.title]

    restriction = PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert titles("المناجم") == []
    restriction.delete()
    assert titles("المناجم") == [story.title]


def test_renamed_author_and_moved_article_are_reindexed(newsroom):
    writer = AuthorFactory(name="كاتب قديم")
    story = indexed_article("جولة في الأسواق", "الأسواق.", authors=[writer])
    writer.name = "ريم البزري"
    writer.save()
    assert titles("البزري") == [story.title]

    culture = SectionPageFactory(title="منوعات")
    ArticlePage.objects.get(pk=story.pk).move(culture, pos="last-child")
    assert titles("الأسواق", filters=Filters(section_path=culture.path)) == [story.title]
    assert titles("منوعات") == [story.title]


def test_rebuild_command_indexes_every_published_article(newsroom):
    ArticlePageFactory(title="خبر لم يفهرس بعد عن البراكين")
    ArticlePageFactory(title="مسودة عن البراكين", live=False)
    SearchEntry.objects.all().delete()

    Spelling.objects.create(form="البراكين", written="البراكينن", occurrences=7)

    call_command("rebuild_search_index", verbosity=0)

    assert titles("البراكين") == ["خبر لم يفهرس بعد عن البراكين"]
    assert SearchEntry.objects.count() == ArticlePage.objects.live().count()
    assert_spellings_counted_from_the_entries()


def test_words_typed_together_and_typos_are_corrected_and_said(newsroom, client):
    indexed_article("تطور الأعراض عند المرضى", "قد تتطور الأعراض سريعًا.")

    outcome = articles_search(text="تتطورالأعراض")
    assert outcome.corrected == "تتطور الأعراض"
    assert [result.article.title for result in outcome.results] == ["تطور الأعراض عند المرضى"]

    page = search_page(client, q="الاعراضض")
    assert "فعرضنا نتائج «الأعراض»" in page.select_one(".search-note").get_text()
    assert page.select(".search-result")


def test_did_you_mean_when_one_word_is_unknown(newsroom, client):
    indexed_article("الذهب يرتفع", "الذهب.")

    page = search_page(client, q="الذهب والنفطط")
    link = page.select_one(".search-note a")
    assert link.get_text() == "الذهب والنفط"
    assert page.select(".search-result")


def test_suggestions_are_spelled_as_the_articles_write_them(newsroom, client):
    market = indexed_article("جولة في سوق الحميدية", "سوق الحميدية في دمشق القديمة، والحميدية أشهر أسواقها.")
    indexed_article("زحام العيد", "ازدحم سوق الحميدية قبل العيد.")
    indexed_article("مقهى قديم", "يقع المقهى قرب الحميديه.")
    indexed_article("الوباء", "انتشار COVID في المدينة.")

    # The folded form the index matches on (الحميديه) is the spelling of the fewest articles.
    page = search_page(client, q="سوق الحميدبة")
    link = page.select_one(".search-note a")
    assert link.get_text() == "سوق الحميدية"
    assert parse_qs(urlparse(link["href"]).query)["q"] == ["سوق الحميدية"]
    assert articles_search(text="الحميدبة").corrected == "الحميدية"
    # Words the reader spelled right are shown as the articles write them too: hamza, case.
    assert articles_search(text="اسعار الذهبب").suggestion == "أسعار الذهب"
    assert articles_search(text="covidd").corrected == "COVID"

    # The count follows the index: with the other two unpublished, the third spelling is the only one.
    for story in ArticlePage.objects.filter(title__in=[market.title, "زحام العيد"]):
        story.unpublish()
    assert articles_search(text="الحميدبة").corrected == "الحميديه"
    assert_spellings_counted_from_the_entries()


def test_the_migration_counts_the_spellings_of_articles_indexed_before_it(newsroom):
    indexed_article("أسواق دمشق", "سوق الحميدية.")
    Spelling.objects.all().delete()

    importlib.import_module("search.migrations.0003_spelling").count_spellings(django_apps, None)

    assert Spelling.objects.get(form="الحميديه").written == "الحميدية"
    assert_spellings_counted_from_the_entries()


def test_no_results_page_offers_sections_and_unfiltered_search(newsroom, client):
    sport = SectionPageFactory(title="رياضة")
    indexed_article("الزلزال في حلب", "الزلزال.")

    page = search_page(client, q="الزلزال", section=sport.pk)
    empty = page.select_one(".search-empty")
    assert "لم نجد أخبارًا تطابق «الزلزال»" in empty.get_text()
    assert (
        empty.find("a", string="ابحث في كل الأخبار دون تضييق")["href"]
        == "?q=%D8%A7%D9%84%D8%B2%D9%84%D8%B2%D8%A7%D9%84"
    )
    assert "رياضة" in [a.get_text() for a in empty.select(".search-empty__sections a")]

    page = search_page(client, q="قزقزقزقز")
    assert page.select_one(".search-empty") and not page.select(".search-result")


def test_pagination_keeps_the_query_and_filters(newsroom, client):
    for number in range(13):
        indexed_article(f"مقال عن البرمجة {number}", "البرمجة.")

    first = search_page(client, q="البرمجة", sort="newest")
    assert len(first.select(".search-result")) == 10
    next_link = first.select_one(".pagination a[rel=next]")["href"]
    assert "q=%D8%A7%D9%84%D8%A8%D8%B1%D9%85%D8%AC%D8%A9" in next_link and "sort=newest" in next_link
    second = parse(client.get(reverse("search:search") + next_link))
    assert len(second.select(".search-result")) == 3
    assert second.select_one(".search-results__list")["start"] == "11"
    beyond = search_page(client, q="البرمجة", page="999")
    assert len(beyond.select(".search-result")) == 3


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "؟",
        "!!!",
        '"',
        '""',
        "*",
        "NEAR",
        "NEAR(a b)",
        "a OR b",
        "النفط OR",
        "-النفط",
        "النفط AND NOT",
        "^النفط",
        "col:النفط",
        "النفط'); DROP TABLE search_searchentry; --",
        "ا" * 10_000,
        "النفط " * 2_000,
        "\u202eالنفط\u202c",
        "🙂",
    ],
)
def test_bad_input_gives_a_normal_page(newsroom, client, query):
    response = client.get(reverse("search:search"), {"q": query})
    # A query too long to search is refused (400), shown again with its error; any other is searched.
    assert response.status_code == (400 if len(query) > 256 else 200)
    page = BeautifulSoup(response.content, "lxml")
    assert page.select_one("form.search-form input[name=q]") is not None
    assert SearchEntry.objects.count() == 6
    if len(query) > 256:
        assert "أطول من 256 حرفًا" in page.select_one(".field__errors").get_text()
        assert page.select_one("form.search-form input[name=q]")["value"] == query


@pytest.mark.parametrize(
    "params",
    [
        {"q": "النفط", "section": "abc"},
        {"q": "النفط", "author": "999999"},
        {"q": "النفط", "published_from": "2020-13-45"},
        {"q": "النفط", "published_from": "2024-02-02", "published_to": "2024-01-01"},
        {"q": "النفط", "sort": "random"},
        {"q": "النفط", "page": "-3"},
        {"q": "النفط", "page": "abc"},
    ],
)
def test_bad_filters_give_a_normal_page_with_arabic_errors(newsroom, client, params):
    response = client.get(reverse("search:search"), params)
    # A bad page number gives the nearest page; a bad filter, the form again with its error.
    assert response.status_code == (200 if params.get("page") else 400)
    page = BeautifulSoup(response.content, "lxml")
    errors = page.select(".field__errors li")
    if params.get("page"):
        assert page.select(".search-result")
    else:
        assert errors and all(any("\u0600" <= char <= "\u06ff" for char in error.get_text()) for error in errors)


def test_the_search_page_is_kept_out_of_search_engines_and_offers_opensearch(newsroom, client):
    page = search_page(client, q="النفط")
    assert page.select_one("meta[name=robots]")["content"].startswith("noindex")
    link = page.select_one("link[rel=search]")
    assert link["type"] == "application/opensearchdescription+xml"

    response = client.get(link["href"])
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    document = etree.fromstring(response.content)
    namespace = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    template = document.find("os:Url[@type='text/html']", namespace).get("template")
    assert template == "http://testserver/search/?q={searchTerms}"
    assert document.findtext("os:Language", namespaces=namespace) == "ar"


def test_every_page_has_a_search_box(newsroom, client):
    page = parse(client.get("/"))
    form = page.select_one("form.site-search")
    assert form["action"] == reverse("search:search")
    assert form.select_one("input[name=q]")["id"] == form.select_one("label")["for"]
