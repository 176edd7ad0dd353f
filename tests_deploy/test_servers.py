"""Two application servers behind one nginx, sharing PostgreSQL, Redis and the media folder (scripts/stack.py --servers 2).

What one server does, readers of the other see: a story published, a
comment moderated, a correction; view counts from both are counted once;
scheduled publishing runs once; and nginx sends readers to the other
server when one dies. Runs in the PostgreSQL pass of CI (it needs the
PostgreSQL server and Redis; it makes its own database and Redis number).
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from urllib.parse import urlencode, urlsplit

import pytest

from tests_deploy.test_stack import ROOT, _free_port, _get, requires_nginx, stack

REDIS_URL = "redis://127.0.0.1:6379/12"
DATABASE = "nashir_two_servers"

pytestmark = [
    requires_nginx,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="runs in CI's PostgreSQL pass (DATABASE_URL=postgres://…), against the same server",
    ),
]


@pytest.fixture
def shared_services():
    """A fresh database on the test run's PostgreSQL server and an empty Redis database."""
    import psycopg
    import redis

    address = urlsplit(os.environ["DATABASE_URL"])
    server = address._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    yield address._replace(path=f"/{DATABASE}").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def _free_port_pair() -> int:
    """A port free with the next one too: the stack gives server N the port of server 1 plus N - 1."""
    for _ in range(50):
        port = _free_port()
        with socket.socket() as first, socket.socket() as second:
            try:
                first.bind(("127.0.0.1", port))
                second.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise AssertionError("no two consecutive free ports on 127.0.0.1")


@contextmanager
def two_servers(tmp_path, database_url, *, env=""):
    """Two application servers behind nginx on the shared services, with `env` (KEY=value lines) added."""
    http_port, first_port = _free_port(), _free_port_pair()
    second_port = first_port + 1
    stack_dir = tmp_path / "stack"
    env_file = tmp_path / "stack.env"
    env_file.write_text(
        f"DATABASE_URL={database_url}\nREDIS_URL={REDIS_URL}\nMEDIA_ROOT={tmp_path / 'media'}\n"
        "NASHIR_WORKERS=2\nNASHIR_FORM_MIN_SECONDS=0\n" + env
    )
    pids = stack.start(
        stack_dir=stack_dir, http_port=http_port, app_port=first_port, env_file=env_file, servers=2, timeout=60
    )
    try:
        yield {
            "dir": stack_dir,
            "env_file": env_file,
            "nginx": http_port,
            "A": first_port,
            "B": second_port,
            "pids": pids,
        }
    finally:
        stack.stop(stack_dir=stack_dir)


@pytest.fixture
def servers(tmp_path, shared_services):
    with two_servers(tmp_path, shared_services) as started:
        yield started


@pytest.fixture
def servers_with_store(tmp_path, shared_services, s3_server):
    """Two servers whose uploads are in a bucket of moto's S3 server (testing/s3.py), and that bucket."""
    bucket = s3_server.bucket_create()
    try:
        env = "".join(f"{name}={value}\n" for name, value in s3_server.env(bucket).items())
        with two_servers(tmp_path, shared_services, env=env) as started:
            yield {**started, "bucket": bucket}
    finally:
        s3_server.bucket_delete(bucket)


def run_on(servers, server: str, code: str) -> str:
    """Python run by manage.py with the environment of server A or B; returns what it printed."""
    port = servers[server]
    env = stack.stack_environment(
        stack_dir=servers["dir"],
        http_port=servers["nginx"],
        app_port=port,
        env_file=servers["env_file"],
        server=1 if server == "A" else 2,
        servers=2,
    )
    result = subprocess.run(  # noqa: S603 - this interpreter and this project's manage.py
        [sys.executable, str(ROOT / "manage.py"), "shell", "--no-imports", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def page(port: int, path: str) -> str:
    status, _, body = _get(port, path)
    assert status == 200, (port, path, status)
    return body.decode()


def visible_within(port: int, path: str, text: str, seconds: float) -> float:
    """How long until `text` shows on the page; fails after `seconds`."""
    started = time.monotonic()
    while text not in page(port, path):
        assert time.monotonic() - started < seconds, f"{text!r} not on {path} of port {port} after {seconds} s"
        time.sleep(0.05)
    return time.monotonic() - started


def cached(port: int, path: str) -> None:
    for _ in range(3):
        _, headers, _ = _get(port, path)
        if headers.get("X-Cache") == "HIT":
            return
    raise AssertionError(f"{path} is not kept by the page cache of port {port}")


PUBLISH = """
from django.utils import timezone
from news.models import HomePage
from news.services import ArticleData, article_create_or_update
article, _ = article_create_or_update(home=HomePage.objects.first(), data=ArticleData(
    external_id={external_id!r}, title={title!r}, standfirst="مقدمة", first_published_at=timezone.now(),
    body=[{{"type": "paragraph", "value": "<p>نص الخبر</p>"}}], section_path=["أخبار"], desk="قسم الأخبار"))
print(article.pk, article.url)
"""


def test_two_servers_behave_as_one_site(servers):
    status = stack.status(stack_dir=servers["dir"])
    assert set(status) == {"gunicorn", "worker", "gunicorn-2", "worker-2", "nginx"}
    assert all(status.values()) and status == servers["pids"]

    # Published through server A; readers of server B, whose copy of the home page was kept, see it.
    page(servers["B"], "/")
    cached(servers["B"], "/")
    article_id, url = run_on(
        servers, "A", PUBLISH.format(external_id="two-servers-1", title="اجتماع طارئ في جنيف")
    ).split()
    assert visible_within(servers["B"], "/", "اجتماع طارئ في جنيف", 2) < 2
    assert visible_within(servers["nginx"], "/", "اجتماع طارئ في جنيف", 2) < 2
    path = urlsplit(url).path

    # A reader comments through server B; an editor approves it on A; B's kept page shows it.
    article_html = page(servers["B"], path)
    cached(servers["B"], path)
    stamp = re.search(r'name="rendered_at" value="([^"]+)"', article_html).group(1)
    form = urlencode(
        {
            "name": "سلمى",
            "email": "salma@example.org",
            "body": "شكرًا على التغطية السريعة.",
            "website": "",
            "rendered_at": stamp,
        }
    )
    status, _, _ = _get(
        servers["B"],
        f"/comments/{article_id}/",
        method="POST",
        body=form,
        **{"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "203.0.113.7"},
    )
    assert status == 302, status
    run_on(
        servers,
        "A",
        "from comments.models import Comment, CommentStatus\n"
        "comment = Comment.objects.get(email='salma@example.org')\n"
        "comment.status = CommentStatus.APPROVED\ncomment.save()\n",
    )
    assert visible_within(servers["B"], path, "شكرًا على التغطية السريعة.", 2) < 2

    # A correction published on A purges B's kept copy.
    cached(servers["B"], path)
    run_on(
        servers,
        "A",
        "from corrections.services import correction_note_publish\nfrom news.models import ArticlePage\n"
        f"correction_note_publish(article=ArticlePage.objects.get(pk={article_id}), kind='correction', "
        "text='صُحّح اسم المدينة.')\n",
    )
    assert visible_within(servers["B"], path, "صُحّح اسم المدينة.", 2) < 2

    # Reads sent to both servers are counted once each.
    for number in range(40):
        port = servers["A"] if number % 2 else servers["B"]
        status, _, _ = _get(
            port,
            f"/views/{article_id}/",
            method="POST",
            **{"X-Forwarded-For": f"198.51.100.{number + 1}", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64)"},
        )
        assert status == 204
    run_on(servers, "B", "from readership.services import views_flush\nviews_flush()")
    count = run_on(
        servers, "A", f"from news.models import ArticlePage\nprint(ArticlePage.objects.get(pk={article_id}).view_count)"
    )
    assert int(count) == 40

    # A story scheduled a few seconds ahead is published once, by one of the two workers.
    scheduled = run_on(
        servers,
        "A",
        "from datetime import timedelta\nfrom django.utils import timezone\n"
        "from news.models import ArticlePage, SectionPage\n"
        "section = SectionPage.objects.get(title='أخبار')\n"
        "article = ArticlePage(title='قرار مجلس الأمن', standfirst='مقدمة', live=False)\n"
        "section.add_child(instance=article)\n"
        "article.go_live_at = timezone.now() + timedelta(seconds=3)\n"
        "article.save_revision(approved_go_live_at=article.go_live_at).publish()\n"
        "print(article.pk)\n",
    ).strip()
    visible_within(servers["nginx"], "/", "قرار مجلس الأمن", 30)
    published = run_on(
        servers,
        "B",
        "from wagtail.models import PageLogEntry\n"
        f"print(PageLogEntry.objects.filter(page_id={scheduled}, action='wagtail.publish.scheduled').count())",
    )
    assert int(published) == 1

    # Server A dies: nginx sends every reader to B, none gets an error.
    os.killpg(status_pid := stack.status(stack_dir=servers["dir"])["gunicorn"], signal.SIGKILL)
    while stack.status(stack_dir=servers["dir"])["gunicorn"] == status_pid:
        time.sleep(0.05)
    answers = [_get(servers["nginx"], f"/?after-a-died={number}")[0] for number in range(30)]
    assert answers == [200] * 30


UPLOAD = """
import io
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.images import get_image_model
photo = io.BytesIO()
Image.new("RGB", (1600, 900), "teal").save(photo, format="JPEG")
image = get_image_model().objects.create(title="صورة المعبر", file=ImageFile(photo, name="crossing.jpg"))
print(image.pk, image.file.name)
"""

PUBLISH_WITH_IMAGE = """
from django.utils import timezone
from wagtail.images import get_image_model
from news.models import HomePage
from news.services import ArticleData, article_create_or_update
article, _ = article_create_or_update(home=HomePage.objects.first(), data=ArticleData(
    external_id="two-servers-photo", title="عبور المعبر", standfirst="مقدمة", first_published_at=timezone.now(),
    body=[{{"type": "paragraph", "value": "<p>نص الخبر</p>"}}], section_path=["أخبار"], desk="قسم الأخبار",
    featured_image=get_image_model().objects.get(pk={image_id})))
print(article.url)
"""


def test_two_servers_share_uploads_through_an_s3_store(servers_with_store, s3_server):
    from testing.s3 import anonymous_get

    servers, bucket = servers_with_store, servers_with_store["bucket"]
    # A photo uploaded on server A: in the bucket, not on any disk.
    image_id, original = run_on(servers, "A", UPLOAD).split()
    assert s3_server.keys(bucket) == [original]
    url = run_on(servers, "A", PUBLISH_WITH_IMAGE.format(image_id=image_id)).strip()

    # Server B renders the article: it reads the original from the store and writes its renditions there.
    html = page(servers["B"], urlsplit(url).path)
    renditions = sorted(set(re.findall(rf'{re.escape(s3_server.endpoint)}/{bucket}/images/[^"\s,]+', html)))
    assert renditions, "no picture from the store on the article page"
    for rendition in renditions:
        status, headers, _ = anonymous_get(rendition)
        assert status == 200 and headers["Content-Type"] == "image/jpeg", rendition
    # Server A shows the home page with the same photo, from the renditions B made or its own.
    assert re.search(rf"{re.escape(s3_server.endpoint)}/{bucket}/images/crossing", page(servers["A"], "/"))

    # The original is for no reader: refused at the store, and behind nginx.
    assert anonymous_get(f"{s3_server.endpoint}/{bucket}/{original}")[0] == 403
    assert _get(servers["nginx"], f"/media/{original}")[0] == 404
    assert not any(path.is_file() for path in (servers["dir"].parent / "media").rglob("*"))
    assert run_on(servers, "B", "from django.core.management import call_command\ncall_command('check_media_store')")
