"""Each lite page with realistic content fits in 20 KB of HTML and CSS, uncompressed.

The budget covers everything a lite page sends but an article's own text:
the demo newsroom's articles (the longest some 750 words, with comments,
corrections and replies) fit whole, and so does every listing, search and
log page. A longer story is sent whole rather than split across pages, so
there the budget holds for the page around its body and its readers'
comments (test_a_long_article_adds_only_its_text_to_the_budget); the docs
(docs/lite.md) say so.
"""

from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.urls import reverse

from comments.models import Comment
from corrections.models import CorrectionNote
from corrections.services import correction_note_publish
from live.models import LiveCoveragePage
from news.demo_newsroom import demo_newsroom_load
from news.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory
from news.models import ArticlePage, Author, Desk, SectionPage
from search.services import index_rebuild

pytestmark = pytest.mark.django_db

BUDGET = 20 * 1024
CSS_BYTES = Path(finders.find("lite/lite.css")).stat().st_size


def lite_bytes(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    return len(response.content), response


def test_every_lite_page_of_the_demo_newsroom_fits_the_budget(client, home, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_newsroom_load(home=home)
    index_rebuild()
    assert CorrectionNote.objects.exists() and Comment.objects.exists()
    addresses = ["/lite/", "/lite/corrections/", "/lite/search/", "/lite/search/?q=" + quote("سوريا")]
    addresses += ["/lite" + section.url for section in SectionPage.objects.all()]
    addresses += ["/lite" + article.url for article in ArticlePage.objects.live()]
    addresses += ["/lite" + coverage.url for coverage in LiveCoveragePage.objects.live()]
    addresses += ["/lite" + author.get_absolute_url() for author in Author.objects.all()]
    addresses += ["/lite" + desk.get_absolute_url() for desk in Desk.objects.all()]
    addresses += ["/lite" + reverse("news:tag", args=[tag.slug]) for tag in ArticlePage.tags.all()[:10]]
    sizes = {address: lite_bytes(client, address)[0] + CSS_BYTES for address in addresses}
    over = {address: size for address, size in sizes.items() if size > BUDGET}
    assert over == {}
    assert len(sizes) > 50  # every article of the demo was measured


def test_a_full_page_of_long_titles_fits_the_budget(client, home):
    section = SectionPageFactory(parent=home, title="سوريا")
    writer = AuthorFactory(name="سلمى الحلبي")
    for number in range(25):
        title = f"عنوان طويل رقم {number} عن اجتماع الهيئة العامة لمجلس المحافظة لبحث خطة إعادة تأهيل شبكة المياه"
        ArticlePageFactory(parent=section, title=title, authors=[writer], tags=["المياه"])
    for address in [section.url, writer.get_absolute_url(), reverse("news:tag", args=["المياه"])]:
        size, response = lite_bytes(client, "/lite" + address)
        assert len(BeautifulSoup(response.content, "lxml").select("ul.links li")) == 20
        assert size + CSS_BYTES <= BUDGET, (address, size)


def test_a_long_article_adds_only_its_text_to_the_budget(client, home):
    paragraph = (
        "<p>قال مسؤولون محليون إن أعمال الترميم في الحي القديم ستستمر حتى نهاية العام، "
        "وإن الأولوية للبيوت التي تسكنها عائلات عادت حديثًا بعد سنوات من النزوح، "
        "مع تعويضات تغطي جزءًا من كلفة المواد.</p>"
    )
    body = [{"type": "paragraph", "value": paragraph} for _ in range(60)]
    body[10:10] = [{"type": "heading", "value": "ما الذي تغيّر"}]
    article = ArticlePageFactory(parent=SectionPageFactory(parent=home), title="تقرير مطوّل", body=body)
    for number in range(30):
        Comment.objects.create(
            article=article,
            name=f"قارئ {number}",
            email=f"r{number}@example.org",
            body="أتابع هذه القصة منذ بدايتها، وأرجو أن تنشروا متابعة لها بعد شهر لمعرفة ما تحقق فعلًا. " * 2,
            status="approved",
            ip_address="192.0.2.1",
        )
    for number in range(3):
        correction_note_publish(article=article, kind="correction", text=f"تصحيح رقم {number}: صححنا اسم الحي.")
    size, response = lite_bytes(client, "/lite" + article.url)
    page = BeautifulSoup(response.content, "lxml")
    text = page.select_one("div.body"), page.select_one("#comments ol")
    assert all(part is not None for part in text)
    # The body is 60 paragraphs (some 2,000 words): sent whole, beyond the budget...
    assert size > BUDGET
    # ...while what the page adds around the article's and its readers' text stays within it.
    around = size - sum(len(str(part).encode()) for part in text)
    assert around + CSS_BYTES <= BUDGET // 2, around
