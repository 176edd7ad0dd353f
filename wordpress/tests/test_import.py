"""Importing real WordPress exports, and refusing hostile or broken ones."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.images import get_image_model
from wagtail.search.backends import get_search_backend

from comments.models import Comment, CommentStatus
from news.models import AboutPage, ArticlePage, Author, SectionPage
from testing.helpers import parse, shared_file
from wordpress.content import SHORTCODE, convert
from wordpress.images import Uploads
from wordpress.models import ImportedImage
from wordpress.services import wxr_import

SITE = "sahifa.example"

pytestmark = pytest.mark.django_db


@pytest.fixture
def arabic_export():
    return shared_file("data", "wxr", "arabic-sample-export.xml")


@pytest.fixture
def theme_test_export():
    return shared_file("data", "wxr", "themeunittestdata.wordpress.xml")


@pytest.fixture
def arabic_uploads(arabic_export):
    return arabic_export.parent / "arabic-sample-export-uploads"


def article(post_id):
    return ArticlePage.objects.get(external_id=f"wp:{SITE}:{post_id}")


def test_arabic_export_counts_match_the_file(home, arabic_export):
    report = wxr_import(arabic_export)

    assert report.error == ""
    # summary.json: 8 published, 1 scheduled, 1 draft posts; 3 users; 5 categories.
    assert report.created["articles"] == 10
    assert ArticlePage.objects.filter(external_id__startswith=f"wp:{SITE}:").count() == 10
    assert ArticlePage.objects.filter(external_id__startswith=f"wp:{SITE}:", live=True).count() == 8
    assert Author.objects.filter(external_id__startswith=f"wp:{SITE}:").count() == 3
    assert SectionPage.objects.count() == 5
    assert not [key for key in report.skipped if "error" in key]


def test_a_post_arrives_whole(client, home, arabic_export):
    wxr_import(arabic_export)
    post = article(5)

    assert post.title == "قيصر: يتهم المعارضة بالتسلق على قانون سيزر والائتلاف يرد"
    assert post.first_published_at == datetime.datetime(2021, 11, 5, 11, 47, 38, tzinfo=datetime.UTC)
    assert post.live and post.view_count == 34
    assert [byline.author.name for byline in post.bylines.all()] == ["قسم الأخبار"]
    assert post.get_parent().title in {"رأي", "سياسة"}
    assert sorted(tag.name for tag in post.tags.all()) == ["سوريا", "قانون قيصر"]
    types = [block.block_type for block in post.body]
    assert "heading" in types and types.count("paragraph") >= 10
    assert not SHORTCODE.search(post.body_text())

    comments = {c.external_id.rsplit(":", 1)[1]: c for c in Comment.objects.filter(article=post)}
    assert set(comments) == {"2", "3", "4", "5"}  # the trashed one and the pingback stay out
    assert comments["3"].parent == comments["2"]
    assert comments["4"].parent == comments["2"]  # a reply to a reply joins the thread, one level deep
    assert comments["5"].status == CommentStatus.PENDING and comments["2"].status == CommentStatus.APPROVED
    assert comments["2"].created_at == datetime.datetime(2021, 11, 5, 12, 47, 38, tzinfo=datetime.UTC)
    assert comments["2"].email  # kept for the editors…
    page = client.get(post.url).content.decode()
    assert comments["2"].email not in page  # …never shown


def test_scheduled_and_draft_posts_are_not_published(home, arabic_export):
    wxr_import(arabic_export)
    scheduled = ArticlePage.objects.filter(external_id__startswith=f"wp:{SITE}:", go_live_at__isnull=False)
    assert scheduled.count() == 1
    post = scheduled.get()
    assert not post.live
    assert post.get_latest_revision().approved_go_live_at == post.go_live_at
    drafts = ArticlePage.objects.filter(external_id__startswith=f"wp:{SITE}:", live=False, go_live_at__isnull=True)
    assert drafts.count() == 1


def test_old_permalinks_redirect_permanently(client, home, arabic_export):
    wxr_import(arabic_export)
    post = article(5)
    # WordPress wrote the link with lowercase escapes; browsers send uppercase.
    old = (
        "/2021/11/"
        + "%D9%82%D9%8A%D8%B5%D8%B1-%D9%8A%D8%AA%D9%87%D9%85-%D8%A7%D9%84%D9%85%D8%B9%D8%A7%D8%B1%D8%B6%D8%A9-%D8%A8%D8%A7%D9%84%D8%AA%D8%B3%D9%84%D9%82-%D8%B9%D9%84%D9%89-%D9%82%D8%A7%D9%86%D9%88%D9%86-%D8%B3/"
    )
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"].endswith(post.url)
    assert client.get(old.lower()).status_code == 301


def test_a_second_run_creates_nothing(home, arabic_export):
    wxr_import(arabic_export)
    counts = (ArticlePage.objects.count(), Comment.objects.count(), Author.objects.count(), SectionPage.objects.count())
    again = wxr_import(arabic_export)

    assert not again.created and not again.updated and not again.kept, again.left_alone
    assert again.unchanged["articles"] == 10
    assert again.unchanged["pages"] == 2
    assert (
        ArticlePage.objects.count(),
        Comment.objects.count(),
        Author.objects.count(),
        SectionPage.objects.count(),
    ) == counts


def test_dry_run_reports_and_changes_nothing(home, arabic_export):
    before = ArticlePage.objects.count()
    report = wxr_import(arabic_export, dry_run=True)
    assert report.created["articles"] == 10
    assert ArticlePage.objects.count() == before and not Comment.objects.exists()


@pytest.mark.slow  # the whole theme unit test export
def test_wordpress_theme_unit_test_data_imports_without_errors(home, theme_test_export):
    report = wxr_import(theme_test_export)
    assert report.error == ""
    assert not [key for key in report.skipped if "error" in key], report.problems
    assert report.created["articles"] + report.skipped["post (empty)"] == 58
    for post in ArticlePage.objects.all():
        assert not SHORTCODE.search(post.body_text()), post.title  # no raw shortcode left


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss><channel><title>&lol2;</title></channel></rss>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss><channel><title>&secret;</title></channel></rss>"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_hostile_files_are_refused(home, tmp_path, text):
    path = tmp_path / "hostile.xml"
    path.write_text(text, encoding="utf-8")
    report = wxr_import(path)
    assert report.error.startswith("refused")
    assert not ArticlePage.objects.exists()
    with pytest.raises(CommandError, match="refused"):
        call_command("import_wordpress", path, verbosity=0)


def test_a_truncated_file_keeps_what_came_before_the_break(home, tmp_path, arabic_export):
    text = arabic_export.read_text(encoding="utf-8")
    cut = text.index("<wp:post_id>9</wp:post_id>")
    path = tmp_path / "truncated.xml"
    path.write_text(text[:cut], encoding="utf-8")

    report = wxr_import(path)
    assert "not a well-formed XML file at line" in report.error
    imported = ArticlePage.objects.filter(external_id__startswith=f"wp:{SITE}:").count()
    assert 0 < imported < 10


def test_command_prints_a_summary(home, arabic_export):
    out = StringIO()
    call_command("import_wordpress", arabic_export, verbosity=1, stdout=out)
    text = out.getvalue()
    assert "created: 10 articles, 3 authors" in text
    assert "skipped:" in text and "not carried over whole" in text


@pytest.mark.parametrize(
    ("content", "blocks"),
    [
        ("سطر\nسطر آخر\n\nفقرة ثانية", [("paragraph", "<p>سطر<br>\nسطر آخر</p>"), ("paragraph", "<p>فقرة ثانية</p>")]),
        ("<!-- wp:heading -->\n<h2>عنوان</h2>\n<!-- /wp:heading -->", [("heading", "عنوان")]),
        ("<p><strong>قوي</strong> <em>مائل</em></p>", [("paragraph", "<p><b>قوي</b> <i>مائل</i></p>")]),
        ('<p onclick="x">نص<script>alert(1)</script></p>', [("paragraph", "<p>نص</p>")]),
        ("[gallery ids='1,2']\n\nنص [shortcode]داخل[/shortcode]", [("paragraph", "<p>نص داخل</p>")]),
        ("<ul><li>أ</li><li>ب</li></ul>", [("list", {"ordered": False, "items": ["أ", "ب"]})]),
        (
            "[embed]https://www.youtube.com/watch?v=x[/embed]",
            [("embed", {"embed": "https://www.youtube.com/watch?v=x", "caption": ""})],
        ),
        ("مصدر [1] و[تحديث]", [("paragraph", "<p>مصدر [1] و[تحديث]</p>")]),
    ],
)
def test_content_conversion(content, blocks):
    assert [(block["type"], block["value"]) for block in convert(content).blocks] == blocks


def test_featured_and_body_images_come_from_the_uploads_folder(home, settings, tmp_path, arabic_export, arabic_uploads):
    settings.MEDIA_ROOT = tmp_path
    report = wxr_import(arabic_export, uploads=arabic_uploads)

    assert report.created["images"] == 1  # one upload, its resized copies recognised as the same picture
    post = article(5)
    assert post.featured_image is not None
    assert post.featured_image.width == 1200 and post.featured_image.height == 675
    with_image = article(6)
    [block] = [block for block in with_image.body if block.block_type == "image"]
    assert block.value["image"] == post.featured_image
    assert block.value["caption"] == "صورة من الأرشيف"
    assert not [why for _what, why in report.problems if "image" in why or "file" in why]


def test_missing_uploads_are_reported_and_keep_their_url(home, arabic_export):
    report = wxr_import(arabic_export)  # no --uploads
    missing = [what for what, why in report.problems if "file not found" in why]
    assert "https://sahifa.example/wp-content/uploads/2021/03/wxs-photo-1.jpg" in missing
    assert ImportedImage.objects.filter(source_url=missing[0], image__isnull=True).exists()
    assert article(5).featured_image is None


def test_an_upload_path_cannot_leave_the_uploads_folder(home, tmp_path, arabic_uploads):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes((arabic_uploads / "2021/03/wxs-photo-1.jpg").read_bytes())
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    assert Uploads(uploads).image("https://x.example/wp-content/uploads/../secret.jpg", title="x") is None


def test_pages_become_about_pages_and_every_old_address_redirects(client, home, arabic_export):
    report = wxr_import(arabic_export)
    assert report.created["pages"] == 2
    about = AboutPage.objects.get(external_id=f"wp:{SITE}:15")
    assert about.live and about.title == "من نحن"
    assert not AboutPage.objects.get(external_id=f"wp:{SITE}:3").live  # the draft privacy policy

    post = article(5)
    politics = SectionPage.objects.get(title="سياسة")
    redirects = {
        "/?p=5": post.url,
        f"/?page_id={about.external_id.rsplit(':', 1)[1]}": about.url,
        "/category/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/": politics.url,  # nested
        "/category/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/": politics.url,  # a subcategory by its own slug
    }
    for old, new in redirects.items():
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new, old
    assert client.get(redirects["/?p=5"]).status_code == 200
    assert client.get("/?p=999999").status_code == 200  # an unknown id is just the home page
    # Tag archives keep their address: Nashir's tag pages use the same /tag/<slug>/.
    tag_page = parse(client.get("/tag/%d9%82%d8%a7%d9%86%d9%88%d9%86-%d9%82%d9%8a%d8%b5%d8%b1/"))
    assert post.title in tag_page.get_text()


YOAST_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>صحيفة يوست</title><link>https://yoast.example</link>
<wp:base_site_url>https://yoast.example</wp:base_site_url>
<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>local-news</wp:category_nicename>
  <wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[محليات]]></wp:cat_name></wp:category>
<item><title>عنوان الخبر</title><link>https://yoast.example/?p=1</link><dc:creator>nobody</dc:creator>
  <content:encoded><![CDATA[<p>نص الخبر.</p>]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
  <wp:post_id>1</wp:post_id><wp:post_date_gmt>2024-03-01 10:00:00</wp:post_date_gmt><wp:post_name>news</wp:post_name>
  <wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
  <category domain="category" nicename="local-news"><![CDATA[محليات]]></category>
  <wp:postmeta><wp:meta_key>_yoast_wpseo_title</wp:meta_key><wp:meta_value><![CDATA[%%title%% %%sep%% %%sitename%%]]></wp:meta_value></wp:postmeta>
  <wp:postmeta><wp:meta_key>_yoast_wpseo_metadesc</wp:meta_key><wp:meta_value><![CDATA[وصف لمحركات البحث.]]></wp:meta_value></wp:postmeta>
  <wp:postmeta><wp:meta_key>views</wp:meta_key><wp:meta_value><![CDATA[1,204]]></wp:meta_value></wp:postmeta>
</item></channel></rss>"""


def test_yoast_fields_view_keys_and_a_section_map(home, tmp_path):
    export = tmp_path / "yoast.xml"
    export.write_text(YOAST_EXPORT, encoding="utf-8")
    mapping = tmp_path / "sections.csv"
    mapping.write_text("# category,section\nlocal-news,الشرق الأوسط / سوريا\n", encoding="utf-8")

    call_command("import_wordpress", export, section_map=mapping, verbosity=0)

    post = ArticlePage.objects.get(external_id="wp:yoast.example:1")
    assert post.seo_title == "عنوان الخبر - صحيفة يوست"
    assert post.search_description == "وصف لمحركات البحث."
    assert post.view_count == 1204
    assert [page.title for page in post.get_ancestors()[2:]] == ["الشرق الأوسط", "سوريا"]
    assert not SectionPage.objects.filter(title="محليات").exists()
    assert post.desk.name == "قسم الأخبار"  # an author the export does not list: the newsroom's desk


def test_a_bad_section_map_is_refused_before_anything_is_imported(home, tmp_path, arabic_export):
    mapping = tmp_path / "sections.csv"
    mapping.write_text("local-news\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 1"):
        call_command("import_wordpress", arabic_export, section_map=mapping, verbosity=0)
    assert not ArticlePage.objects.exists()


def test_imported_posts_are_found_by_the_admin_search(admin_client, home, arabic_export):
    wxr_import(arabic_export)
    post = article(5)
    # Indexed in batches after the import rather than page by page (see _admin_search_deferred).
    assert post in ArticlePage.objects.search("سيزر")
    response = admin_client.get("/admin/pages/search/", {"q": "سيزر"})
    assert post.title in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_an_import_leaves_the_planner_statistics_of_what_it_wrote(home, arabic_export):
    wxr_import(arabic_export)

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Comment._meta.db_table])
        (estimate,) = cursor.fetchone()
    assert estimate == Comment.objects.count() > 0


def test_imported_images_and_authors_are_found_by_the_admin_search(
    home, settings, tmp_path, arabic_export, arabic_uploads
):
    settings.MEDIA_ROOT = tmp_path
    wxr_import(arabic_export, uploads=arabic_uploads)
    image = article(5).featured_image
    author = Author.objects.filter(external_id__startswith=f"wp:{SITE}:").first()

    assert image in get_image_model().objects.search(image.title)
    assert author in get_search_backend().search(author.name, Author)


def test_after_an_import_saved_pages_are_indexed_one_by_one_again(home, arabic_export):
    wxr_import(arabic_export)
    post = article(5)
    post.title = "عنوان جديد عن الزلزال"
    post.save()

    assert post in ArticlePage.objects.search("الزلزال")
