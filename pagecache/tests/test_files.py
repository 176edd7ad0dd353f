"""Pages written as files for nginx: where they go, what is never written, and how they are deleted."""

import gzip
import re
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory

from corrections.models import CorrectionNote, NoteKind
from news.factories import ArticlePageFactory, SectionPageFactory
from pagecache import files, store
from pagecache.tests.test_wsgi import call, django_must_not_answer
from pagecache.wsgi import PageCacheApplication

pytestmark = pytest.mark.django_db

# nginx's clock in steps of 100 s, as it sends it with every request it passes on (deploy/nginx/nashir.conf).
NOW = int(time.time()) // files.BUCKET_SECONDS
BUCKET = str(NOW)
FROM_NGINX = {"HTTP_X_NASHIR_PAGE_BUCKET": BUCKET}


@pytest.fixture(autouse=True)
def _clock_of_nginx(monkeypatch):
    """The application's clock in the bucket nginx sent, however long after collection the test runs."""
    monkeypatch.setattr(files, "bucket_now", lambda: NOW)


@pytest.fixture
def pages(settings, tmp_path):
    settings.NASHIR_PAGE_FILES_DIR = str(tmp_path / "pages")
    return tmp_path / "pages"


@pytest.fixture
def section(home):
    return SectionPageFactory(parent=home, title="سوريا")


@pytest.fixture
def article(section):
    return ArticlePageFactory(parent=section, title="قصف على ريف إدلب")


def headers_folder(pages: Path) -> Path:
    (folder,) = [path for path in (pages / BUCKET).iterdir() if path.name != "tags"]
    return folder


def page_file(pages: Path, path: str, host: str = "testserver") -> Path:
    """Where nginx looks for `path` (its `$uri`, decoded), as the template's map builds it."""
    return headers_folder(pages) / "http" / host / path.strip("/") / "index.html"


def written(pages: Path) -> set[str]:
    return {str(path.parent.relative_to(pages / BUCKET)) for path in pages.rglob("index.html")}


def test_a_page_nginx_asks_for_is_written_with_its_compressed_copy(client, pages, article):
    page = client.get(article.url, **FROM_NGINX)
    file = page_file(pages, "/سوريا/قصف-على-ريف-إدلب/")
    assert file.read_bytes() == page.content
    assert gzip.decompress(file.with_name("index.html.gz").read_bytes()) == page.content
    # A second reader's page comes from the page cache: the file stays as it is.
    before = file.stat().st_mtime_ns
    assert client.get(article.url, **FROM_NGINX)["X-Cache"] == "HIT"
    assert file.stat().st_mtime_ns == before


def test_a_stored_page_is_written_when_a_new_bucket_asks_for_it(client, pages, article):
    client.get(article.url)  # stored, with no nginx in front: no file
    assert not pages.exists()
    assert client.get(article.url, **FROM_NGINX)["X-Cache"] == "HIT"
    assert page_file(pages, "/سوريا/قصف-على-ريف-إدلب/").exists()


def test_the_fast_path_before_django_writes_it_too(client, pages, article):
    client.get(article.url)
    answer = call(PageCacheApplication(django_must_not_answer), article.url, **FROM_NGINX)
    assert answer["headers"]["X-Cache"] == "HIT"
    assert page_file(pages, "/سوريا/قصف-على-ريف-إدلب/").read_bytes() == client.get(article.url).content


@pytest.mark.parametrize(
    ("path_suffix", "extra"),
    [
        ("?page=2", {}),  # nginx sends a page file only for an address without a query string
        ("", {"HTTP_X_NASHIR_PAGE_BUCKET": "../../etc"}),
        ("", {"HTTP_X_NASHIR_PAGE_BUCKET": ""}),
        # Not nginx's clock: someone who reached the application directly.
        ("", {"HTTP_X_NASHIR_PAGE_BUCKET": str(NOW + 1000)}),
        ("", {"HTTP_X_NASHIR_PAGE_BUCKET": str(NOW - 2)}),
    ],
)
def test_nothing_is_written_for_what_nginx_would_not_look_up(client, pages, section, path_suffix, extra):
    response = client.get(section.url + path_suffix, **{**FROM_NGINX, **extra})
    assert response.status_code == 200
    assert not list(pages.rglob("index.html*"))
    assert not (pages.parent / "etc").exists()


def test_editors_feeds_and_missing_pages_are_not_written(client, pages, editor, article):
    assert client.get("/feed/", **FROM_NGINX).status_code == 200  # not HTML: nginx would send it as such
    assert client.get("/لا-توجد/", **FROM_NGINX).status_code == 404
    client.force_login(editor)
    assert client.get(article.url, **FROM_NGINX)["X-Cache"] == "BYPASS"
    assert not list(pages.rglob("index.html"))


def test_a_page_with_less_than_a_bucket_of_freshness_left_is_not_written(client, pages, settings, article):
    settings.NASHIR_PAGE_CACHE_SECONDS = files.BUCKET_SECONDS - 1
    assert client.get(article.url, **FROM_NGINX).status_code == 200
    assert not list(pages.rglob("index.html"))


@pytest.mark.parametrize("path", ["/a//b/", "/a/./b/", "/a/../b/", "/a/b", "/a/%0A/"])
def test_addresses_nginx_normalises_have_no_file_of_their_own(path):
    request = RequestFactory().get(path)
    assert files._relative_path(request) is None


def test_an_arabic_address_is_its_decoded_path():
    request = RequestFactory().get("/%D8%B3%D9%88%D8%B1%D9%8A%D8%A7/")
    assert files._relative_path(request) == Path("http", "testserver", "سوريا")


def test_invalidating_a_tag_deletes_exactly_the_files_that_show_it(client, pages, home, section, article):
    for url in (home.url, section.url, article.url):
        client.get(url, **FROM_NGINX)
    assert written(pages) == {
        f"{headers_folder(pages).name}/http/testserver{path}" for path in ("", "/سوريا", "/سوريا/قصف-على-ريف-إدلب")
    }
    store.invalidate(store.article_tag(article.pk))
    assert not page_file(pages, article.url).exists()
    assert not page_file(pages, article.url).with_name("index.html.gz").exists()
    assert page_file(pages, "/").exists() and page_file(pages, "/سوريا/").exists()

    client.get(article.url, **FROM_NGINX)
    store.invalidate(store.CONTENT)
    assert {path.parent.name for path in pages.rglob("index.html")} == {"قصف-على-ريف-إدلب"}
    store.invalidate(store.SITE)
    assert not list(pages.rglob("index.html"))


def test_a_correction_note_deletes_the_articles_file(client, pages, article):
    client.get(article.url, **FROM_NGINX)
    CorrectionNote.objects.create(article=article, kind=NoteKind.CORRECTION, text="صُحّح عدد الضحايا.")
    assert not page_file(pages, "/سوريا/قصف-على-ريف-إدلب/").exists()
    assert "صُحّح عدد الضحايا" in client.get(article.url, **FROM_NGINX).content.decode()
    assert "صُحّح عدد الضحايا" in page_file(pages, "/سوريا/قصف-على-ريف-إدلب/").read_text()


def test_publishing_a_story_deletes_the_home_pages_file(client, pages, home, section):
    client.get(home.url, **FROM_NGINX)
    assert page_file(pages, "/").exists()
    ArticlePageFactory(parent=section, title="خبر جديد")
    assert not page_file(pages, "/").exists()
    assert "خبر جديد" in client.get(home.url, **FROM_NGINX).content.decode()


def test_a_file_written_while_its_tag_changes_is_deleted_by_its_writer(client, pages, article):
    request = RequestFactory().get(article.url, **FROM_NGINX)
    entry = store.Entry(
        status=200,
        headers=[("Content-Type", files.PAGE_TYPE), ("X-Accel-Expires", "1")],
        content=b"<p>" + "قديم".encode() * 200 + b"</p>",
        tags={store.SITE: "1", store.article_tag(article.pk): "1"},
        stored_at=time.time(),
    )
    changed = {store.SITE: "1", store.article_tag(article.pk): "2"}
    assert files.write(request, entry, lambda tags: changed) is None
    assert not list(pages.rglob("index.html"))
    assert files.write(request, entry, lambda tags: dict(entry.tags)).exists()

    def unreachable(tags):
        raise ConnectionError("the cache is down")

    store.invalidate(store.SITE)
    assert files.write(request, entry, unreachable) is None
    assert not list(pages.rglob("index.html"))


def test_a_new_bucket_removes_those_nginx_no_longer_reads(client, pages, article):
    for old in (NOW - 5, NOW - 4):  # left by an earlier run
        (pages / str(old) / "tags").mkdir(parents=True)
    client.get(article.url, HTTP_X_NASHIR_PAGE_BUCKET=str(NOW - 1))
    client.get(article.url, **FROM_NGINX)
    assert sorted(path.name for path in pages.iterdir()) == [str(NOW - 1), BUCKET]


def test_nginx_is_given_the_headers_and_the_folder_of_the_pages(client, pages, settings, article, tmp_path):
    settings.SITE_URL = "http://testserver"
    page = client.get(article.url, **FROM_NGINX)
    call_command("page_files_nginx", verbosity=0)
    snippet = (pages / "nginx.conf").read_text()
    assert re.search(r'set \$nashir_page_headers "([0-9a-f]+)";', snippet).group(1) == headers_folder(pages).name
    added = dict(re.findall(r'add_header ([\w-]+) "(.*)" always;', snippet))
    assert added.pop("X-Cache-Status") == "FILE"
    for name in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options", "Cache-Control"):
        assert added.pop(name) == page[name]
    assert set(added) == {"Cross-Origin-Opener-Policy", "Referrer-Policy", "X-Content-Type-Options"}

    # Other headers (a server started with other settings): written where this snippet's nginx does not look.
    settings.SECURE_REFERRER_POLICY = "no-referrer"
    store.invalidate(store.SITE)
    assert Client().get(article.url, **FROM_NGINX)["Referrer-Policy"] == "no-referrer"
    (file,) = pages.rglob("index.html")
    assert file.relative_to(pages / BUCKET).parts[0] not in snippet


def test_with_page_files_off_nginx_is_given_a_folder_that_never_exists(settings, tmp_path):
    settings.NASHIR_PAGE_FILES_DIR = ""
    call_command("page_files_nginx", output=tmp_path / "nginx.conf", verbosity=0)
    snippet = (tmp_path / "nginx.conf").read_text()
    assert 'set $nashir_page_headers "off";' in snippet
    assert "add_header Content-Security-Policy" not in snippet


def test_with_the_page_cache_off_there_are_no_page_files_to_look_for(client, pages, settings, article):
    settings.NASHIR_PAGE_CACHE = False
    assert client.get(article.url, **FROM_NGINX)["X-Cache"] == "BYPASS"
    call_command("page_files_nginx", verbosity=0)
    assert 'set $nashir_page_headers "off";' in (pages / "nginx.conf").read_text()
    assert not list(pages.rglob("index.html"))
