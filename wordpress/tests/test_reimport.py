"""Running an import again, linkbacks and oversized posts, on small exports written here."""

from io import StringIO
from xml.sax.saxutils import escape

import pytest
from django.core.management import call_command
from django.urls import reverse

from comments.models import Comment, CommentStatus, Linkback
from news.models import AboutPage, ArticlePage
from testing.helpers import parse
from wordpress.services import wxr_import

pytestmark = pytest.mark.django_db

SITE = "jarida.example"
HEADER = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>جريدة المثال</title><link>https://{SITE}</link><wp:base_site_url>https://{SITE}</wp:base_site_url>
<wp:author><wp:author_login>salma</wp:author_login><wp:author_display_name>سلمى</wp:author_display_name></wp:author>
<wp:category><wp:category_nicename>local</wp:category_nicename><wp:category_parent></wp:category_parent>
  <wp:cat_name>محليات</wp:cat_name></wp:category>
"""


def comment_xml(number, *, text="", approved="1", kind="comment", author="قارئ", url="", parent=0):
    return f"""<wp:comment><wp:comment_id>{number}</wp:comment_id><wp:comment_author>{escape(author)}</wp:comment_author>
  <wp:comment_author_email>{"" if kind != "comment" else f"reader{number}@example.com"}</wp:comment_author_email>
  <wp:comment_author_url>{escape(url)}</wp:comment_author_url><wp:comment_author_IP>192.0.2.{number}</wp:comment_author_IP>
  <wp:comment_date_gmt>2024-03-0{1 + number % 8} 10:00:00</wp:comment_date_gmt>
  <wp:comment_content>{escape(text or f"تعليق رقم {number}")}</wp:comment_content>
  <wp:comment_approved>{approved}</wp:comment_approved><wp:comment_type>{kind}</wp:comment_type>
  <wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""


def post_xml(number, title, body, *, comments=(), post_type="post", status="publish"):
    return f"""<item><title>{escape(title)}</title><link>https://{SITE}/?p={number}</link><dc:creator>salma</dc:creator>
  <content:encoded>{escape(body)}</content:encoded><excerpt:encoded></excerpt:encoded>
  <wp:post_id>{number}</wp:post_id><wp:post_date_gmt>2024-03-01 09:00:00</wp:post_date_gmt>
  <wp:post_name>post-{number}</wp:post_name><wp:status>{status}</wp:status><wp:post_type>{post_type}</wp:post_type>
  <category domain="category" nicename="local">محليات</category>
  {"".join(comments)}</item>"""


def export(tmp_path, *items, name="export.xml"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(items) + "</channel></rss>", encoding="utf-8")
    return path


def first_export(tmp_path, name="first.xml", *, bridge_title="افتتاح الجسر", comment_12="0", more=()):
    return export(
        tmp_path,
        post_xml(
            1,
            "مهرجان الزيتون يعود",
            "<p>يعود مهرجان الزيتون هذا العام.</p>",
            comments=[comment_xml(11, text="تغطية جميلة"), comment_xml(12, approved=comment_12), *more],
        ),
        post_xml(2, bridge_title, "<p>افتُتح الجسر الجديد.</p>"),
        post_xml(3, "من نحن", "<p>جريدة محلية.</p>", post_type="page"),
        name=name,
    )


def article(number):
    return ArticlePage.objects.get(external_id=f"wp:{SITE}:{number}")


def comment(number):
    return Comment.objects.get(external_id=f"wp:{SITE}:comment:{number}")


def test_a_rerun_leaves_what_the_newsroom_changed(admin_client, home, tmp_path):
    wxr_import(first_export(tmp_path))
    olive, bridge = article(1), article(2)
    # The newsroom's work after the import: a better title, a comment moderated as spam, an article unpublished.
    olive.title = "مهرجان الزيتون يعود إلى إدلب"
    olive.save_revision().publish()
    spam = comment(11)
    response = admin_client.post(
        reverse("wagtailsnippets_comments_comment:edit", args=[spam.pk]),
        {"status": CommentStatus.SPAM, "name": spam.name, "body": spam.body},
    )
    assert response.status_code == 302
    bridge.unpublish()
    # The export taken again from WordPress, where nothing of that happened; one new comment came in.
    newer = first_export(tmp_path, "newer.xml", bridge_title="افتتاح الجسر الجديد", more=[comment_xml(17)])
    out = StringIO()

    call_command("import_wordpress", newer, stdout=out)

    assert article(1).title == "مهرجان الزيتون يعود إلى إدلب"
    assert comment(11).status == CommentStatus.SPAM
    assert not article(2).live and article(2).title == "افتتاح الجسر"
    assert comment(17).article == article(1)  # what was missing is filled in
    text = out.getvalue()
    assert "left alone (changed in Nashir): 2 articles, 1 comments" in text
    assert "post 1 «مهرجان الزيتون يعود»: changed in Nashir after the import (title, revision)" in text
    assert "post 2 «افتتاح الجسر الجديد»: changed in Nashir after the import (published)" in text
    assert "comment 11 on post 1 «مهرجان الزيتون يعود»: changed in Nashir after the import (status)" in text
    assert "created: 1 comments" in text


def test_a_rerun_after_an_interruption_finishes_the_job(home, tmp_path):
    full = first_export(tmp_path)
    text = full.read_text(encoding="utf-8")
    cut = tmp_path / "cut.xml"
    cut.write_text(text[: text.index("<item><title>افتتاح الجسر")], encoding="utf-8")
    assert wxr_import(cut).error

    again = wxr_import(full)

    assert (again.created["articles"], again.created["pages"], again.unchanged["articles"]) == (1, 1, 1)
    assert again.unchanged["comments"] == 2 and not again.updated and not again.kept
    assert ArticlePage.objects.filter(external_id__startswith=f"wp:{SITE}:").count() == 2


def test_a_rerun_updates_what_nobody_touched_and_keeps_deletions(home, tmp_path):
    wxr_import(first_export(tmp_path))
    article(1).delete()

    report = wxr_import(first_export(tmp_path, "newer.xml", bridge_title="افتتاح الجسر الجديد", comment_12="1"))

    assert article(2).title == "افتتاح الجسر الجديد" and article(2).live
    assert report.updated["articles"] == 1 and report.unchanged["pages"] == 1
    assert not ArticlePage.objects.filter(external_id=f"wp:{SITE}:1").exists()
    assert ("post 1 «مهرجان الزيتون يعود»", "deleted in Nashir after the import") in report.left_alone
    assert not Comment.objects.exists()  # the deleted article's comments do not come back either


def test_a_comment_approved_in_the_newer_export_is_updated_if_untouched(home, tmp_path):
    wxr_import(first_export(tmp_path))
    assert comment(12).status == CommentStatus.PENDING

    report = wxr_import(first_export(tmp_path, "newer.xml", comment_12="1"))

    assert comment(12).status == CommentStatus.APPROVED
    assert report.updated["comments"] == 1 and report.unchanged["comments"] == 1
    assert report.unchanged["articles"] == 2 and not report.kept


def test_an_earlier_import_without_records_is_left_alone(home, tmp_path):
    from wordpress.models import ImportRecord

    wxr_import(first_export(tmp_path))
    ImportRecord.objects.all().delete()  # as an import made before records were kept left it

    report = wxr_import(first_export(tmp_path, "newer.xml", bridge_title="عنوان آخر"))

    assert article(2).title == "افتتاح الجسر"
    assert report.kept == {"articles": 2, "comments": 2, "pages": 1}
    assert {why for _what, why in report.left_alone} == {
        "imported by an earlier version that kept no record of what it wrote"
    }


LINKBACKS = [
    comment_xml(13, kind="pingback", author="مدونة الشرق", url="https://blog.example.org/2024/olive/"),
    comment_xml(14, kind="trackback", author="<b>موقع</b> آخر", url="http://other.example/story"),
    comment_xml(15, kind="trackback", author="رابط خبيث", url="javascript:alert(1)"),
    comment_xml(16, kind="pingback", author="بانتظار المراجعة", url="https://pending.example/", approved="0"),
    comment_xml(18, kind="pingback", author="<script>alert(1)</script>عنوان", url="https://x.example/?a=1&b=<2>"),
]


def test_approved_pingbacks_and_trackbacks_are_kept_and_shown_as_links(client, admin_client, home, tmp_path):
    report = wxr_import(first_export(tmp_path, more=LINKBACKS))

    assert report.created["linkbacks"] == 3
    assert report.skipped["trackback (no http or https address)"] == 1
    assert report.skipped["pingback (not approved)"] == 1
    assert Comment.objects.count() == 2  # not among the comments
    olive = article(1)
    assert {link.url for link in olive.linkbacks.all()} == {
        "https://blog.example.org/2024/olive/",
        "http://other.example/story",
        "https://x.example/?a=1&b=<2>",
    }

    page = parse(client.get(olive.url))
    section = page.find("section", id="linkbacks")
    assert section.h2.get_text() == "روابط إلى هذا المقال"
    links = section.find_all("a")
    # Oldest first; tags in a title are dropped, its text stays text.
    assert [(a["href"], a.get_text(), a["rel"]) for a in links] == [
        ("https://x.example/?a=1&b=<2>", "alert(1)عنوان", ["nofollow", "ugc"]),
        ("https://blog.example.org/2024/olive/", "مدونة الشرق", ["nofollow", "ugc"]),
        ("http://other.example/story", "موقع آخر", ["nofollow", "ugc"]),
    ]
    assert not section.find("script") and not section.find("b")
    assert "javascript:" not in page.decode() and "pending.example" not in page.decode()

    # An editor hides one: it leaves the page at once.
    hidden = olive.linkbacks.get(url="http://other.example/story")
    hidden.status = CommentStatus.SPAM
    hidden.save()
    assert "other.example" not in client.get(olive.url).content.decode()
    assert Linkback.objects.count() == 3
    listing = admin_client.get(reverse("wagtailsnippets_comments_linkback:list")).content.decode()
    assert "مدونة الشرق" in listing and "موقع آخر" in listing


def test_an_article_without_linkbacks_has_no_such_section(client, home, tmp_path):
    wxr_import(first_export(tmp_path))

    assert parse(client.get(article(2).url)).find("section", id="linkbacks") is None


def test_an_oversized_post_is_skipped_and_reported(home, tmp_path, settings):
    settings.NASHIR_IMPORT_MAX_ITEM_BYTES = 4096
    path = export(
        tmp_path,
        post_xml(1, "خبر عادي", "<p>نص قصير.</p>"),
        post_xml(2, "خبر ضخم", "<p>" + "نص طويل جدًّا. " * 1000 + "</p>"),
        post_xml(3, "صفحة ضخمة", "<p>" + "س" * 5000 + "</p>", post_type="page"),
    )
    out = StringIO()

    call_command("import_wordpress", path, stdout=out)

    assert ArticlePage.objects.filter(external_id__startswith=f"wp:{SITE}:").count() == 1
    assert not AboutPage.objects.filter(external_id__startswith=f"wp:{SITE}:").exists()
    text = out.getvalue()
    assert "skipped: 1 page (too large), 1 post (too large)" in text
    size = len(("<p>" + "نص طويل جدًّا. " * 1000 + "</p>").encode()) // 1024
    assert f"post 2 «خبر ضخم»: not imported: its body is {size} KB, over the limit of 4 KB" in text
    assert "page 3 «صفحة ضخمة»: not imported: its body is 9 KB" in text
