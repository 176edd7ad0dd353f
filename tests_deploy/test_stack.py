"""The production stack from the shipped files (scripts/stack.py), and `check --deploy` with the production env file.

The stack test talks to real processes over HTTP: it needs no test database.
"""

import gzip
import http.client
import importlib.util
import json
import os
import secrets
import signal
import socket
import string
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[1]
STATIC_ROOT = ROOT / "var" / "static"


def _load_stack():
    sys.path.insert(0, str(ROOT / "scripts"))  # where it finds its helpers, as when run as a script
    spec = importlib.util.spec_from_file_location("nashir_stack", ROOT / "scripts" / "stack.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


stack = _load_stack()

# Without CI the test needs a developer's nginx; in CI a missing nginx is a
# failure (start() refuses), since .ci/run installs it.
requires_nginx = pytest.mark.skipif(
    stack.find_nginx() is None and not os.environ.get("CI"),
    reason="nginx is not installed (apt-get install nginx); CI installs it and runs this test",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, method="GET", body=None, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request(method, path, body=body, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def _hashed_static_file() -> str:
    """A file collectstatic gave a hashed name and a .gz copy."""
    manifest = json.loads((STATIC_ROOT / "staticfiles.json").read_text())["paths"]
    return next(
        name
        for name in sorted(manifest.values())
        if name.endswith((".css", ".js")) and (STATIC_ROOT / f"{name}.gz").exists()
    )


def _gone(pid: int) -> bool:
    try:
        os.killpg(pid, 0)  # the process and any worker it forked
    except ProcessLookupError:
        return True
    return False


PUBLISH = """
from django.utils import timezone
from news.services import ArticleData, article_create_or_update
from news.models import HomePage
article_create_or_update(home=HomePage.objects.first(), data=ArticleData(
    external_id="stack-test", title="عاجل: خبر نشر للتو", standfirst="مقدمة الخبر",
    body=[{"type": "paragraph", "value": "<p>نص الخبر</p>"}], first_published_at=timezone.now(),
    section_path=["أخبار"], desk="قسم الأخبار"))
"""


PAGE_HEADERS = (
    "Cache-Control",
    "Content-Security-Policy",
    "Permissions-Policy",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
)


def _from_file(http_port, path, **headers):
    """The page at `path` once nginx sends it from the file the application wrote (a bucket may turn meanwhile)."""
    for _ in range(5):
        response = _get(http_port, path, **headers)
        if response[1]["X-Cache-Status"] == "FILE":
            return response
    raise AssertionError(f"{path} is not sent from a page file: {response[1]['X-Cache-Status']}")


def _pages_are_sent_from_page_files(http_port):
    """A reader's page comes from the application's file, with the application's headers, as a static file goes."""
    gzip_ok = {"Accept-Encoding": "gzip"}
    status, headers, body = _from_file(http_port, "/", **gzip_ok)
    # The same page from the application (through the micro-cache: a query string is never a file).
    _, proxied, _ = _get(http_port, "/?utm_source=check", **gzip_ok)
    assert proxied["X-Cache-Status"] != "FILE"
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    for name in PAGE_HEADERS:
        assert headers.get_all(name) == proxied.get_all(name), name
    assert headers["Content-Encoding"] == "gzip" and headers["Vary"] == "Accept-Encoding"
    assert "X-Accel-Expires" not in headers and "Transfer-Encoding" not in headers
    assert int(headers["Content-Length"]) == len(body)
    _, plain_headers, plain = _from_file(http_port, "/")
    assert "Content-Encoding" not in plain_headers
    assert gzip.decompress(body) == plain
    assert '<html lang="ar" dir="rtl">' in plain.decode()
    assert _get(http_port, "/", **gzip_ok, **{"If-None-Match": headers["ETag"]})[0] == 304
    head = _get(http_port, "/", method="HEAD")
    assert head[0] == 200 and head[2] == b"" and head[1]["X-Cache-Status"] == "FILE"
    # Editors (the session cookie) and API clients are answered by the application.
    assert _get(http_port, "/", Cookie="sessionid=not-a-session")[1]["X-Cache-Status"] == "BYPASS"
    assert _get(http_port, "/", Authorization="Bearer x")[1]["X-Cache-Status"] == "BYPASS"


def _published_story_shows_through_nginx(stack_dir, http_port, app_port, env_file):
    """The home page sent from its page file shows a story within seconds of its publishing."""
    body = _from_file(http_port, "/")[2]
    assert "عاجل: خبر نشر للتو" not in body.decode()
    env = stack.stack_environment(stack_dir=stack_dir, http_port=http_port, app_port=app_port, env_file=env_file)
    subprocess.run(  # noqa: S603 - this interpreter and this project's manage.py
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", PUBLISH], env=env, cwd=ROOT, check=True
    )
    published = time.monotonic()
    while time.monotonic() - published < 10:
        if "عاجل: خبر نشر للتو" in _get(http_port, "/")[2].decode():
            break
        time.sleep(0.05)
    assert time.monotonic() - published < 3


def _no_reader_language_reaches_the_shared_cache(http_port):
    """Whoever arrives first, asking for English by cookie or by browser, leaves nginx a copy every reader can get."""
    cookie_only = ({"Accept-Language": "ar", "Cookie": "django_language=en"}, {"Accept-Language": "ar"})
    english_browser = ({"Accept-Language": "en-US,en;q=0.9,ar;q=0.8", "Cookie": "django_language=en"}, {})
    for number, (first_reader, second_reader) in enumerate((cookie_only, english_browser)):
        path = f"/?language-check={number}"
        for _ in range(5):
            first = _get(http_port, path, **first_reader)
            second = _get(http_port, path, **second_reader)
            if second[1]["X-Cache-Status"] == "HIT":
                break
        assert second[1]["X-Cache-Status"] == "HIT", number
        for _status, headers, body in (first, second):
            assert '<html lang="ar" dir="rtl">' in body.decode(), number
            assert "Accept-Language" not in headers.get("Vary", ""), number
        assert second[2] == first[2], number


def _pages_are_kept_compressed_for_every_reader(http_port):
    """nginx keeps the application's compressed copy whoever asked first: sent as it is, or through gunzip."""
    browser = {"Accept-Encoding": "gzip, deflate, br"}
    for number in range(5):
        path = f"/?compression-check={number}"  # a reader without gzip is the first to ask for it
        plain_first = _get(http_port, path)
        compressed = _get(http_port, path, **browser)
        plain = _get(http_port, path)
        states = [response[1]["X-Cache-Status"] for response in (plain_first, compressed, plain)]
        if states == ["MISS", "HIT", "HIT"]:
            break
    # One copy for every Accept-Encoding (nginx does not apply Vary), the one the first reader left.
    assert states == ["MISS", "HIT", "HIT"]
    assert compressed[1]["Content-Encoding"] == "gzip"
    # The application's own compressed copy and ETag, not one nginx made from a plain page.
    assert compressed[1]["ETag"].startswith('"') and compressed[1]["ETag"].endswith('-gzip"')
    assert "Content-Encoding" not in plain[1] and "Content-Encoding" not in plain_first[1]
    assert gzip.decompress(compressed[2]) == plain[2] == plain_first[2]
    assert '<html lang="ar" dir="rtl">' in plain[2].decode()
    for _status, headers, _body in (compressed, plain):
        assert "Accept-Encoding" in headers["Vary"]
    assert _get(http_port, path, **browser, **{"If-None-Match": compressed[1]["ETag"]})[0] == 304
    # The kept copy goes out as a static file does, its length said, not in chunks
    # (gunzip's decompressed copy cannot say it before it is made).
    assert "Transfer-Encoding" not in compressed[1] and int(compressed[1]["Content-Length"]) == len(compressed[2])


def _password_guesses_are_cut_off(http_port):
    """A burst of login attempts from one address gets 429 from nginx past the burst; the form still shows."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    statuses = [
        _get(http_port, "/admin/login/", method="POST", body="username=editor&password=guess", **form)[0]
        for _ in range(15)
    ]
    assert statuses[0] != 429
    assert statuses.count(429) >= 15 - 7, statuses
    status, headers, body = _get(http_port, "/admin/login/", method="POST", body="username=editor", **form)
    assert status == 429 and headers["Retry-After"] == "60"
    assert "انتظر دقيقة" in body.decode()
    assert _get(http_port, "/admin/login/")[0] == 200
    # Other addresses' limits are theirs: nginx keys on the client address, one here.
    assert _get(http_port, "/")[0] == 200


def _searches_are_limited_and_pages_are_not(http_port):
    """A burst of searches from one address gets 429 past the burst of 20; as many page reads do not."""
    aleppo = quote("حلب")
    statuses = [_get(http_port, f"/search/?q={aleppo}{number}")[0] for number in range(30)]
    assert statuses[0] == 200 and statuses.count(429) >= 30 - 22, statuses
    assert _get(http_port, f"/lite/search/?q={aleppo}")[0] == 429  # the same queries, the same limit
    assert {_get(http_port, f"/?reads={number}")[0] for number in range(40)} == {200}


def _originals_and_documents_are_not_public(http_port, media_root):
    """nginx serves renditions, never originals or documents, and follows no link out of media."""
    for folder, name in (
        ("original_images", "photo.jpg"),
        ("documents", "leak.pdf"),
        ("images", "photo.width-800.jpg"),
    ):
        (media_root / folder).mkdir(parents=True, exist_ok=True)
        (media_root / folder / name).write_bytes(b"file " + name.encode())
    (media_root / "images" / "passwd.jpg").symlink_to("/etc/passwd")
    assert _get(http_port, "/media/images/photo.width-800.jpg")[0] == 200
    assert _get(http_port, "/media/original_images/photo.jpg")[0] == 404
    assert _get(http_port, "/media/documents/leak.pdf")[0] == 404
    assert _get(http_port, "/media//original_images/photo.jpg")[0] == 404
    assert _get(http_port, "/media/images/../original_images/photo.jpg")[0] in (400, 404)
    assert _get(http_port, "/media/images/passwd.jpg")[0] == 403


def _killed_worker_comes_back(stack_dir, http_port):
    """The task worker runs under run_worker: killed, it runs again within seconds and /health/ passes."""
    supervisor = stack.status(stack_dir=stack_dir)["worker"]
    children = Path(f"/proc/{supervisor}/task/{supervisor}/children")
    deadline = time.monotonic() + 30
    while not children.read_text().split():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    worker = int(children.read_text().split()[0])
    os.kill(worker, signal.SIGKILL)
    while not [pid for pid in children.read_text().split() if int(pid) != worker]:
        assert time.monotonic() < deadline, "the worker was not started again"
        time.sleep(0.1)
    status, _, body = _get(http_port, "/health/")
    assert status == 200, body


@requires_nginx
def test_stack_serves_through_nginx_then_stops(tmp_path):
    http_port, app_port = _free_port(), _free_port()
    stack_dir = tmp_path / "stack"
    env_file = tmp_path / "stack.env"
    env_file.write_text(
        f"DATABASE_URL=sqlite:///{tmp_path / 'db.sqlite3'}\nMEDIA_ROOT={tmp_path / 'media'}\nNASHIR_WORKERS=2\n"
        "NASHIR_HEALTH_TOKEN=stack-token\n"
    )
    pids = stack.start(stack_dir=stack_dir, http_port=http_port, app_port=app_port, env_file=env_file, timeout=30)
    try:
        assert all(pids.values())
        assert stack.status(stack_dir=stack_dir) == pids

        status, headers, body = _get(http_port, "/robots.txt")
        assert status == 200
        assert b"Sitemap:" in body
        assert "X-Accel-Expires" not in headers

        # The application lets nginx keep public pages for a second: a second
        # request right after the first comes from nginx's cache.
        statuses = []
        for _ in range(5):
            _get(http_port, "/robots.txt")
            statuses.append(_get(http_port, "/robots.txt")[1]["X-Cache-Status"])
            if statuses[-1] == "HIT":
                break
        assert "HIT" in statuses

        hashed = _hashed_static_file()
        status, headers, _ = _get(http_port, f"/static/{hashed}")
        assert status == 200
        assert "immutable" in headers["Cache-Control"]
        status, headers, body = _get(http_port, f"/static/{hashed}", **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert body == (STATIC_ROOT / f"{hashed}.gz").read_bytes()

        # The task worker's first heartbeat may come a little after gunicorn answers (a loaded machine).
        deadline = time.monotonic() + 30
        while True:
            status, _, body = _get(http_port, "/health/", Accept="application/json")
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert status == 200, body
        assert json.loads(body) == {"status": "ok"}
        status, _, body = _get(http_port, "/health/", Accept="application/json", Authorization="Bearer stack-token")
        assert status == 200 and set(json.loads(body)["checks"]) >= {"database", "cache", "tasks"}, body

        status, headers, body = _get(http_port, "/")
        assert "script-src 'self';" in headers["Content-Security-Policy"]
        assert "camera=()" in headers["Permissions-Policy"]
        _originals_and_documents_are_not_public(http_port, tmp_path / "media")

        _no_reader_language_reaches_the_shared_cache(http_port)
        _pages_are_kept_compressed_for_every_reader(http_port)
        _pages_are_sent_from_page_files(http_port)
        _published_story_shows_through_nginx(stack_dir, http_port, app_port, env_file)
        if Path("/proc/self/task").exists():  # finds the worker's process in /proc
            _killed_worker_comes_back(stack_dir, http_port)

        for attempt in range(2):
            status, headers, _ = _get(http_port, "/admin/login/")
            assert status == 200
            assert "X-Accel-Expires" not in headers
            assert headers["X-Cache-Status"] != "HIT", f"request {attempt + 1}"
        _password_guesses_are_cut_off(http_port)
        _searches_are_limited_and_pages_are_not(http_port)
    finally:
        stack.stop(stack_dir=stack_dir)

    assert stack.status(stack_dir=stack_dir) == dict.fromkeys(pids)
    assert [name for name, pid in pids.items() if not _gone(pid)] == []
    # The site's access log, written in blocks, all there once nginx has stopped.
    log = (stack_dir / "logs" / "nashir-access.log").read_text()
    assert "cache=HIT" in log and '"GET /admin/login/ HTTP/1.1" 200' in log


def test_check_deploy_passes_with_the_production_env_example(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "nashir.settings.base",
        **stack.read_env_file(ROOT / "deploy" / "nashir.env.example"),
        "SECRET_KEY": "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(60)),
        "SITE_URL": "https://news.example",
        "ALLOWED_HOSTS": "news.example",
        "NASHIR_CACHE_DIR": str(tmp_path / "cache"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
