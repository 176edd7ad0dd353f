"""`manage.py backup` and `restore`, and the move from SQLite to PostgreSQL of docs/operations.md.

A restore replaces the whole database, which pytest-django's test database
cannot take part in: the round trips run `manage.py` in subprocesses against
scratch sites (an SQLite file, or a PostgreSQL database created and dropped
here) with their own media folders. A round trip runs on the engine of the
test run (CI runs the suite on SQLite, then on PostgreSQL); the move from SQLite
to PostgreSQL runs whenever a PostgreSQL server is reachable.

The checks that refuse an archive run in process without database access:
pytest-django fails any test that touches the database without asking, which
proves that a refused archive changed nothing there.
"""

import copy
import hashlib
import io
import json
import os
import re
import shlex
import shutil
import sqlite3
import stat
import subprocess
import sys
import tarfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader

from operations.backup import DATABASE_FILES, BackupError, backup_default_path, pg_program, restore_plan

BASE_DIR = Path(settings.BASE_DIR)
POSTGRES_HOST = "postgres://postgres@127.0.0.1:5432"
SETTINGS_MODULE = "operations_scratch_settings"
# The dumpdata commands of docs/operations.md; test_the_documented_commands keeps the two in step.
DUMP_CONTENT_TYPES = "dumpdata contenttypes --format jsonl".split()
DUMPDATA = (
    "dumpdata --format jsonl --exclude sessions --exclude wagtailsearch --exclude search --exclude contenttypes".split()
)
WORDS = ["الزيتون", "الجسر", "قيصر"]
OLIVE = "مهرجان الزيتون في إدلب"
BRIDGE = "افتتاح الجسر الجديد فوق العاصي"

# nashir.settings.test fixes MEDIA_ROOT; a scratch site needs its own.
SCRATCH_SETTINGS = """
import os

from nashir.settings.test import *  # noqa: F403

MEDIA_ROOT = os.environ["MEDIA_ROOT"]
NASHIR_BACKUP_DIR = os.environ["NASHIR_BACKUP_DIR"]
"""

# The demo newsroom plus what a site gathers over time: gaps in the ids (a
# deleted user, a deleted page and its log entries), a draft that links to a
# page by id, comments, reads, a correction, a redirect, a rendition, a view
# restriction and a queued task.
SEED = f"""
import io
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction
from comments.models import Comment, CommentStatus
from corrections.models import CorrectionNote
from news.factories import ArticlePageFactory, AuthorFactory
from news.models import AboutPage, ArticlePage
from readership.models import HourlyViews

call_command("load_demo", articles=0, verbosity=0, stdout=io.StringIO())
User = get_user_model()
User.objects.create(username="gone").delete()
chief = User.objects.create(username="chief", first_name="رئيس", last_name="التحرير", is_staff=True, is_superuser=True)
ArticlePageFactory(title="خبر حُذف").delete()
olive = ArticlePageFactory(title="{OLIVE}", tags=["زيتون", "إدلب"], authors=[AuthorFactory(name="سلمى حداد")])
olive.save_revision(user=chief).publish(user=chief)
bridge = ArticlePageFactory(title="{BRIDGE}", parent=olive.get_parent())
bridge.save_revision(user=chief).publish(user=chief)
CorrectionNote.objects.create(article=bridge, text="صُحّح طول الجسر.", created_by=chief)
first = Comment.objects.create(
    article=olive, name="قارئ", email="reader@example.com", body="تغطية جميلة", status=CommentStatus.APPROVED
)
Comment.objects.create(
    article=olive, parent=first, name="المحرر", email="desk@example.com", body="شكرًا", status=CommentStatus.APPROVED
)
ArticlePage.objects.filter(pk=olive.pk).update(view_count=42)
HourlyViews.objects.create(article=olive, hour=timezone.now().replace(minute=0, second=0, microsecond=0), views=7)
Redirect.objects.create(old_path="/olive-festival", redirect_page=olive)
get_image_model().objects.first().get_rendition("fill-80x80")
draft = ArticlePage.objects.get(pk=bridge.pk)
draft.body = [{{"type": "paragraph", "value": f'<p>مسودة عن <a linktype="page" id="{{olive.pk}}">المهرجان</a>.</p>'}}]
draft.save_revision(user=chief)
PageViewRestriction.objects.create(page=AboutPage.objects.first(), restriction_type="password", password="sesame")
DBTaskResult.objects.create(
    args_kwargs={{"args": [], "kwargs": {{}}}}, task_path="search.tasks.example", backend_name="default",
    run_after=timezone.now(), exception_class_path="", traceback="",
)
"""

# What a restore or a move must bring back as it was, as JSON.
STATE = f"""
import json
from pathlib import Path
from django.conf import settings
from django.contrib.auth import get_user_model
from django_tasks_db.models import DBTaskResult
from wagtail.contrib.redirects.models import Redirect
from wagtail.images.models import Rendition
from wagtail.models import Page, PageLogEntry, PageViewRestriction, Revision
from comments.models import Comment
from corrections.models import CorrectionNote
from news.models import ArticlePage, PublisherSettings
from readership.models import HourlyViews
from search.services import search_hits

media = Path(settings.MEDIA_ROOT)
state = {{
    "pages": [[p.pk, p.title, p.url_path, p.live, p.content_type.model] for p in Page.objects.order_by("pk")],
    "articles": [
        [a.pk, a.title, a.standfirst, a.body.get_prep_value(), a.view_count, sorted(a.tags.names()),
         [b.author.name for b in a.bylines.all()], a.desk.name if a.desk else None]
        for a in ArticlePage.objects.order_by("pk")
    ],
    "comments": list(Comment.objects.order_by("pk").values_list("pk", "article_id", "parent_id", "body", "status")),
    "users": list(get_user_model().objects.order_by("pk").values_list("pk", "username", "is_superuser", "password")),
    "groups": sorted(get_user_model().objects.values_list("username", "groups__name")),
    "revisions": [
        [r.pk, r.object_id, r.user.username if r.user else None, r.content.get("title"), r.content.get("body")]
        for r in Revision.objects.order_by("pk")
    ],
    "log_entries": list(PageLogEntry.objects.order_by("pk").values_list("pk", "page_id", "action")),
    "corrections": list(CorrectionNote.objects.order_by("pk").values_list("pk", "article_id", "text")),
    "hourly_views": list(HourlyViews.objects.values_list("article_id", "views")),
    "redirects": list(Redirect.objects.values_list("old_path", "redirect_page_id")),
    "restrictions": list(PageViewRestriction.objects.values_list("page_id", "password")),
    "publisher": list(PublisherSettings.objects.values_list("logo_id", "share_image_id")),
    "renditions": list(Rendition.objects.values_list("file", flat=True)),
    "tasks": list(DBTaskResult.objects.values_list("task_path", "status")),
    "search": {{word: search_hits(text=word).ids for word in {WORDS!r}}},
    "admin_search": sorted(p.title for p in Page.objects.search("{OLIVE}")),
    "media": sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()),
}}
"""
PRINT_STATE = "print(json.dumps(state, ensure_ascii=False, default=str))"
# Run after STATE on a moved database: new rows must not collide with copied ids.
NEW_ROWS = """
article = ArticlePage.objects.live().first()
state["new_comment"] = Comment.objects.create(article=article, name="ن", email="n@example.com", body="جديد").pk
"""

# What an editor might do after a backup that the restore must undo.
MUTATE = f"""
from pathlib import Path
from django.conf import settings
from django.contrib.auth import get_user_model
from news.models import ArticlePage

ArticlePage.objects.get(title="{OLIVE}").delete()
bridge = ArticlePage.objects.get(title="{BRIDGE}")
bridge.title = "عنوان عُدّل بعد النسخة الاحتياطية"
bridge.save_revision().publish()
ArticlePage.objects.update(view_count=1000)
get_user_model().objects.filter(username="reporter").delete()
media = Path(settings.MEDIA_ROOT)
(media / "original_images" / "logo.png").unlink()
(media / "uploads").mkdir()
(media / "uploads" / "after-backup.txt").write_text("kept")
"""


def finish(process, args, stdin=None):
    stdout, stderr = process.communicate(stdin, timeout=180)
    assert process.returncode == 0, f"manage.py {' '.join(args)} failed:\n{stdout}\n{stderr}"
    return stdout


@dataclass
class Site:
    """A Nashir site for `manage.py` runs in subprocesses: a database URL, a media folder and a backups folder."""

    database_url: str
    media_root: Path
    settings_dir: Path
    env: dict = field(init=False)

    def __post_init__(self):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "PYTHONPATH": os.pathsep.join([str(self.settings_dir), str(BASE_DIR)]),
            "DATABASE_URL": self.database_url,
            "MEDIA_ROOT": str(self.media_root),
            "NASHIR_BACKUP_DIR": str(self.backup_dir),
            "NASHIR_PAGE_FILES_DIR": str(self.page_files_dir),
        }

    @property
    def page_files_dir(self):
        return self.media_root.with_name(self.media_root.name + "-pages")

    @property
    def backup_dir(self):
        return self.media_root.with_name(self.media_root.name + "-backups")

    def start(self, *args, stdin=False):
        return subprocess.Popen(  # noqa: S603 - this project's manage.py with fixed arguments
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def manage(self, *args, stdin=None):
        return finish(self.start(*args, stdin=stdin is not None), args, stdin)

    def run(self, code):
        return self.manage("shell", "--verbosity", "0", "--command", code)

    def connect(self):
        """A connection of the test process, in autocommit like Django's: a running site's."""
        if self.database_url.startswith("sqlite:"):
            return sqlite3.connect(self.database_url.removeprefix("sqlite:///"), isolation_level=None)
        import psycopg

        return psycopg.connect(self.database_url, autocommit=True)

    def state(self, *, before="", after=""):
        """The STATE of the site as JSON; `before` and `after` run in the same process around it."""
        return json.loads(self.run(before + STATE + after + PRINT_STATE))

    def start_state(self):
        return self.start("shell", "--verbosity", "0", "--command", STATE + PRINT_STATE)


def run_together(*started):
    """The output of processes started side by side, once all have finished."""
    return [finish(process, args) for process, args in started]


class Postgres:
    """Scratch databases on the local server (trust authentication, as in CI)."""

    def __init__(self):
        import psycopg

        self.connection = psycopg.connect(f"{POSTGRES_HOST}/postgres", autocommit=True, connect_timeout=3)

    def create(self, name, *, template=None):
        suffix = f" TEMPLATE {template}" if template else ""
        self.connection.execute(f"CREATE DATABASE {name}{suffix}")

    def drop(self, name):
        self.connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@dataclass
class Templates:
    sqlite: Site
    postgres: Postgres | None = None
    postgres_skip: str = ""
    postgres_migrated: str = ""
    postgres_seeded: Site | None = None
    postgres_seeded_name: str = ""
    # The seeded sites' STATE by engine, read once.
    states: dict = field(default_factory=dict)


def postgres_server():
    """The local PostgreSQL server, or the reason it cannot be used."""
    try:
        server = Postgres()
    except Exception as error:  # any failure to connect means: skip the PostgreSQL cases
        return None, f"PostgreSQL is not reachable on 127.0.0.1:5432 ({error})"
    return server, ""


@pytest.fixture(scope="session")
def templates(tmp_path_factory):
    """Sites to copy: SQLite migrated and seeded; on PostgreSQL migrated, and seeded in a PostgreSQL run.

    Built once and side by side, because `migrate` takes most of the time.
    """
    root = tmp_path_factory.mktemp("operations")
    settings_dir = root / "settings"
    settings_dir.mkdir()
    (settings_dir / f"{SETTINGS_MODULE}.py").write_text(SCRATCH_SETTINGS)
    sqlite = Site(f"sqlite:///{root / 'template.sqlite3'}", root / "sqlite-media", settings_dir)
    server, reason = postgres_server()
    built = Templates(sqlite=sqlite, postgres=server, postgres_skip=reason)
    created = []
    try:
        migrating = [(sqlite.start("migrate", "--no-input", "--verbosity", "0"), ["migrate"])]
        if server:
            built.postgres_migrated = f"nashir_ops_{uuid.uuid4().hex[:10]}_migrated"
            server.create(built.postgres_migrated)
            created.append(built.postgres_migrated)
            migrated = Site(f"{POSTGRES_HOST}/{built.postgres_migrated}", root / "unused-media", settings_dir)
            migrating.append((migrated.start("migrate", "--no-input", "--verbosity", "0"), ["migrate"]))
        run_together(*migrating)
        seeding = [(sqlite.start("shell", "--verbosity", "0", "--command", SEED), ["SEED"])]
        if server and connection.vendor == "postgresql":
            name = built.postgres_seeded_name = built.postgres_migrated.replace("_migrated", "_seeded")
            server.create(name, template=built.postgres_migrated)
            created.append(name)
            built.postgres_seeded = Site(f"{POSTGRES_HOST}/{name}", root / "postgres-media", settings_dir)
            seeding.append((built.postgres_seeded.start("shell", "--verbosity", "0", "--command", SEED), ["SEED"]))
        run_together(*seeding)
        reading = {"sqlite": sqlite.start_state()}
        if built.postgres_seeded:
            reading["postgresql"] = built.postgres_seeded.start_state()
        built.states = {engine: json.loads(finish(process, ["STATE"])) for engine, process in reading.items()}
        yield built
    finally:
        if server:
            for name in reversed(created):
                server.drop(name)
            server.connection.close()


@pytest.fixture
def make_site(templates, tmp_path):
    """Copies of the template sites: `make_site("sqlite")`, `make_site("postgresql", seeded=False)`."""
    databases = []

    def make(engine, *, seeded=True):
        """A copy of the template site of `engine`, and its STATE (None when not seeded)."""
        media_root = tmp_path / f"media-{engine}"
        if engine == "sqlite":
            path = tmp_path / "site.sqlite3"
            with sqlite3.connect(templates.sqlite.database_url.removeprefix("sqlite:///")) as source:
                target = sqlite3.connect(path)
                source.backup(target)
                target.close()
            shutil.copytree(templates.sqlite.media_root, media_root)
            return Site(f"sqlite:///{path}", media_root, templates.sqlite.settings_dir), copy.deepcopy(
                templates.states["sqlite"]
            )
        if templates.postgres is None:
            pytest.skip(templates.postgres_skip)
        name = f"nashir_ops_{uuid.uuid4().hex[:12]}"
        template = templates.postgres_seeded_name if seeded else templates.postgres_migrated
        templates.postgres.create(name, template=template)
        databases.append(name)
        if seeded:
            shutil.copytree(templates.postgres_seeded.media_root, media_root)
        else:
            media_root.mkdir()
        site = Site(f"{POSTGRES_HOST}/{name}", media_root, templates.sqlite.settings_dir)
        return site, copy.deepcopy(templates.states["postgresql"]) if seeded else None

    yield make
    for name in databases:
        templates.postgres.drop(name)


def require_programs(*names):
    for name in names:
        if shutil.which(name) is None:
            pytest.skip(f"{name} is not installed (PostgreSQL client tools)")


@pytest.mark.slow  # each site of make_site runs manage.py in subprocesses
@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_backup_and_restore_bring_back_content_and_media(engine, make_site, tmp_path):
    if engine != connection.vendor:
        pytest.skip(f"runs when the suite runs on {engine}")
    if engine == "postgresql":
        require_programs("pg_dump", "pg_restore")
    site, before = make_site(engine)
    archive = tmp_path / "backups" / "before-edits.tar.gz"

    output = site.manage("backup", "--output", str(archive))

    assert f"Wrote {archive} (" in output
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert not list(archive.parent.glob(".*")), "no temporary file is left behind"

    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))
    assert {"manifest.json", DATABASE_FILES[engine], "media/original_images/logo.png"} <= names
    assert manifest["engine"] == engine
    assert ["news", "0001_initial"] in manifest["migrations"]
    assert manifest["counts"]["news.ArticlePage"] == len(before["articles"])
    assert manifest["media_files"] == len(before["media"])

    edited = site.state(before=MUTATE)
    assert OLIVE not in {article[1] for article in edited["articles"]}
    # Deleting the article took its two comments; the demo stories keep theirs.
    comments = len(before["comments"])
    assert len(edited["comments"]) == comments - 2
    assert "original_images/logo.png" not in edited["media"]
    # An idle connection, as a site that was not stopped would hold, reads the restored data.
    live = site.connect()
    refused = site.start("restore", str(archive))
    output, _ = refused.communicate(timeout=60)
    assert refused.returncode == 1
    assert f"{archive} passed every check." in output
    assert f"{len(before['articles'])} news.ArticlePage" in output
    assert "Restoring it replaces:" in output
    assert live.execute("SELECT count(*) FROM comments_comment").fetchone()[0] == comments - 2
    assert not (site.media_root / "original_images" / "logo.png").exists()

    # A page nginx would send from its file (pagecache.files), written from the edited database.
    page = site.page_files_dir / "17965700" / "0123456789abcdef" / "http" / "127.0.0.1" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>عنوان عُدّل بعد النسخة الاحتياطية</p>")
    (site.page_files_dir / "nginx.conf").write_text('set $nashir_page_headers "0123456789abcdef";\n')

    output = site.manage("restore", str(archive), "--yes")

    assert "Restored the database and" in output
    assert list(site.page_files_dir.iterdir()) == [site.page_files_dir / "nginx.conf"]
    after = site.state()
    assert after.pop("media") == sorted([*before.pop("media"), "uploads/after-backup.txt"])
    assert after == before
    olive = next(article for article in after["articles"] if article[1] == OLIVE)
    assert olive[4] == 42
    assert sum(comment[1] == olive[0] for comment in after["comments"]) == 2
    assert olive[0] in after["search"]["الزيتون"]  # the demo has an olive story of its own
    assert live.execute("SELECT count(*) FROM comments_comment").fetchone()[0] == comments
    live.close()


def site_engine():
    """The engine of the test run, whose scratch sites the real-archive tests use."""
    if connection.vendor == "postgresql":
        require_programs("pg_dump", "pg_restore")
    return connection.vendor


def site_media(site):
    """Every entry under the site's MEDIA_ROOT: a file's bytes, or where a link points."""
    return {
        str(path.relative_to(site.media_root)): os.readlink(path) if path.is_symlink() else path.read_bytes()
        for path in site.media_root.rglob("*")
        if path.is_symlink() or path.is_file()
    }


def site_database(site):
    """Enough of the site's database to see any restore: pages, comments, users."""
    live = site.connect()
    try:
        return [
            live.execute(query).fetchall()
            for query in (
                "SELECT id, title FROM wagtailcore_page ORDER BY id",
                "SELECT id, body, status FROM comments_comment ORDER BY id",
                "SELECT id, username FROM users_user ORDER BY id",
            )
        ]
    finally:
        live.close()


def archive_rewrite(source, target, *, replace=None, add=(), checksums=True):
    """A copy of the archive `source` with some members' bytes replaced and members added, as an attacker would.

    With `checksums`, the manifest's checksums are updated for replaced members,
    so that only the checks of the content itself can tell.
    """
    replace = replace or {}
    with tarfile.open(source) as old:
        members = [(member, old.extractfile(member).read() if member.isfile() else None) for member in old]
    manifest = json.loads(next(data for member, data in members if member.name == "manifest.json"))
    for name, data in replace.items():
        if "files" in manifest and checksums:
            manifest["files"][name] = hashlib.sha256(data).hexdigest()
    replace = {**replace, "manifest.json": json.dumps(manifest).encode()}
    with tarfile.open(target, "w:gz") as new:
        for member, data in members:
            data = replace.get(member.name, data)
            if data is not None:
                member.size = len(data)
            new.addfile(member, io.BytesIO(data) if data is not None else None)
        for name, data, attributes in add:
            archive_add(new, name, data, **attributes)
    return target


def sqlite_emptied(archive, tmp_path, statement):
    """The archive's SQLite database after `statement`, as bytes."""
    with tarfile.open(archive) as tar:
        data = tar.extractfile("database.sqlite3").read()
    path = tmp_path / "altered.sqlite3"
    path.write_bytes(data)
    with sqlite3.connect(path) as altered:
        altered.executescript(statement)
    altered.close()
    return path.read_bytes()


LEAK = "media/original_images/leak.jpg"
CRAFTED = {
    # GET /media/original_images/leak.jpg would serve the live database (MEDIA_ROOT and the SQLite file side by side).
    "symlink to the live database": (
        lambda archive, tmp_path: {"add": [(LEAK, b"", {"type": tarfile.SYMTYPE, "linkname": "../../site.sqlite3"})]},
        "it is a symbolic link",
    ),
    "hard link to the archived database": (
        lambda archive, tmp_path: {"add": [(LEAK, b"", {"type": tarfile.LNKTYPE, "linkname": "database.sqlite3"})]},
        "it is a hard link",
    ),
    "../ member": (
        lambda archive, tmp_path: {"add": [("media/../../escaped.txt", b"x", {})]},
        "leaves its folder",
    ),
    "tampered media file": (
        lambda archive, tmp_path: {"replace": {"media/original_images/logo.png": b"not the logo"}, "checksums": False},
        "does not match its SHA-256",
    ),
    "empty database": (
        lambda archive, tmp_path: {"replace": {"database.sqlite3": b""}},
        "empty or not a Nashir database",
    ),
    "database emptied of its comments": (
        lambda archive, tmp_path: {
            "replace": {"database.sqlite3": sqlite_emptied(archive, tmp_path, "DELETE FROM comments_comment;")}
        },
        "does not match its manifest (comments_comment: 0 rows, manifest 20)",  # the demo's 18 and the seed's 2
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("attack", list(CRAFTED))
def test_restore_refuses_a_crafted_archive_and_changes_nothing(attack, make_site, tmp_path):
    engine = site_engine()
    if engine != "sqlite" and "database" in attack:
        pytest.skip("the archive's database is altered as an SQLite file")
    site, _ = make_site(engine)
    real = tmp_path / "real.tar.gz"
    site.manage("backup", "--output", str(real))
    craft, message = CRAFTED[attack]
    archive = archive_rewrite(real, tmp_path / "crafted.tar.gz", **craft(real, tmp_path))
    site.run(MUTATE)  # so that a restore, had it run, would show
    media, database = site_media(site), site_database(site)

    process = site.start("restore", str(archive), "--yes")
    _, errors = process.communicate(timeout=180)

    assert process.returncode == 1
    assert message in errors
    assert "Nothing was changed." in errors

    assert site_media(site) == media
    assert not (site.media_root / "original_images" / "leak.jpg").is_symlink()
    assert site_database(site) == database
    assert not site.backup_dir.exists() or not list(site.backup_dir.iterdir()), "no snapshot of a refused restore"
    assert not (tmp_path / "escaped.txt").exists()


@pytest.mark.slow
def test_restore_keeps_a_snapshot_whose_command_undoes_it(make_site, tmp_path):
    site, before = make_site(site_engine())
    note = site.media_root / "documents" / "note.txt"
    note.parent.mkdir()
    note.write_text("as backed up")
    archive = tmp_path / "backup.tar.gz"
    site.manage("backup", "--output", str(archive))
    site.run(MUTATE)
    note.write_text("written after the backup")
    edited = site.state()

    output = site.manage("restore", str(archive), "--yes")

    assert "Restored the database" in output
    [snapshot] = site.backup_dir.glob("nashir-before-restore-*.tar.gz")
    command = output.split("To go back to it:\n", 1)[1].splitlines()[0].strip()
    assert shlex.split(command)[-3:] == ["restore", str(snapshot), "--yes"]
    assert note.read_text() == "as backed up"
    restored = site.state()
    assert restored.pop("media") == sorted([*before.pop("media"), "documents/note.txt", "uploads/after-backup.txt"])
    assert restored == before
    with tarfile.open(snapshot) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    # Only what the restore replaced: the note (the logo was missing, the other files unchanged).
    assert sorted(manifest["files"]) == [DATABASE_FILES[site_engine()], "media/documents/note.txt"]

    undone = subprocess.run(  # noqa: S603 - the command the restore printed
        shlex.split(command), cwd=tmp_path, env=site.env, capture_output=True, text=True, check=False, timeout=180
    )

    assert undone.returncode == 0, undone.stderr
    assert note.read_text() == "written after the backup"
    after = site.state()
    # A restore never deletes media files: the logo it put back stays, unused.
    assert after.pop("media") == sorted([*edited.pop("media"), "original_images/logo.png"])
    assert after == edited


@pytest.mark.slow
def test_with_uploads_in_a_store_an_archive_holds_the_database_and_says_so(make_site, s3_server, tmp_path):
    site, before = make_site(site_engine())
    on_disk = tmp_path / "on-disk.tar.gz"
    site.manage("backup", "--output", str(on_disk))
    bucket = s3_server.bucket_create()
    try:
        site.env.update(s3_server.env(bucket))
        archive = tmp_path / "in-store.tar.gz"

        output = site.manage("backup", "--output", str(archive))

        assert f"Wrote {archive} (" in output
        assert f"The archive holds the database only. Uploads are in the S3 bucket {bucket!r}" in output
        with tarfile.open(archive) as tar:
            names = set(tar.getnames())
            manifest = json.load(tar.extractfile("manifest.json"))
        assert names == {"manifest.json", DATABASE_FILES[site_engine()]}
        assert manifest["media_files"] == 0
        assert manifest["media_store"] == f"the S3 bucket {bucket!r} at {s3_server.endpoint}"

        # An archive made on disk restores its database; its media files stay in it, with the way to the bucket.
        site.run(MUTATE)
        (site.media_root / "uploads" / "after-backup.txt").unlink()
        output = site.manage("restore", str(on_disk), "--yes")
        assert "Restored the database and 0 media files" in output
        assert f"The archive's {len(before['media'])} media files were not restored" in output
        command = output.split("To copy them there, in an empty folder:\n", 1)[1].splitlines()[0].strip()
        assert command == (
            f"tar -xzf {on_disk} media && aws s3 sync media/ s3://{bucket}/ --endpoint-url {s3_server.endpoint}"
        )
        after = site.state()
        assert after.pop("media") == sorted(set(before.pop("media")) - {"original_images/logo.png"})
        assert after == before
        assert s3_server.keys(bucket) == []
    finally:
        s3_server.bucket_delete(bucket)


def test_the_plan_says_what_a_restore_does_with_uploads_in_a_store(s3_media):
    manifest = {"counts": {"news.ArticlePage": 3}, "created": "2026-05-18T09:00:00+03:00", "engine": "sqlite"}
    plan = "\n".join(restore_plan({**manifest, "media_files": 4}))
    assert f"nothing in the S3 bucket {s3_media!r}" in plan
    assert "the archive's 4 media files are left in it" in plan
    plan = "\n".join(restore_plan({**manifest, "media_files": 0, "media_store": "the S3 bucket 'old'"}))
    assert "and no media files: its site kept uploads in the S3 bucket 'old', which it does not hold." in plan


@pytest.mark.slow
def test_sqlite_to_postgresql_migration(make_site, tmp_path):
    """The steps of "Moving from SQLite to PostgreSQL" in docs/operations.md, for real."""
    require_programs("psql")
    source, before = make_site("sqlite")
    target, _ = make_site("postgresql", seeded=False)  # a copy of a database that `migrate` built
    content_types, dump = tmp_path / "nashir-contenttypes.jsonl", tmp_path / "nashir.jsonl"

    _, _, flush = run_together(
        (source.start(*DUMP_CONTENT_TYPES, "--output", str(content_types)), DUMP_CONTENT_TYPES),
        (source.start(*DUMPDATA, "--output", str(dump)), DUMPDATA),
        (target.start("sqlflush"), ["sqlflush"]),
    )
    target.manage("dbshell", "--", "--set", "ON_ERROR_STOP=1", stdin=flush)
    output = target.manage("loaddata", str(content_types), str(dump))
    assert "Installed" in output
    run_together(
        (target.start("rebuild_search_index", "--verbosity", "0"), ["rebuild_search_index"]),
        (target.start("update_index", "--verbosity", "0"), ["update_index"]),
    )
    shutil.copytree(source.media_root, target.media_root, dirs_exist_ok=True)

    after = target.state(after=NEW_ROWS)
    # loaddata moved the sequences past the copied ids: new rows get fresh ones.
    assert after.pop("new_comment") > max(comment[0] for comment in before["comments"])
    assert after == before
    assert OLIVE in after["admin_search"]  # beside any demo story that matches its words
    olive = next(article for article in after["articles"] if article[1] == OLIVE)
    assert olive[0] in after["search"]["الزيتون"]  # the demo has an olive story of its own
    # The log entries of a deleted page came too (natural foreign keys could not serialize them).
    assert {entry[1] for entry in after["log_entries"]} - {page[0] for page in after["pages"]}


def test_the_documented_commands():
    guide = (BASE_DIR / "docs" / "operations.md").read_text(encoding="utf-8")
    assert "manage.py " + " ".join(DUMP_CONTENT_TYPES) in guide
    assert "manage.py " + " ".join(DUMPDATA) in guide
    assert "manage.py loaddata var/nashir-contenttypes.jsonl var/nashir.jsonl" in guide
    assert "manage.py sqlflush | .venv/bin/python manage.py dbshell -- --set ON_ERROR_STOP=1" in guide
    for command in ("sqlflush", "loaddata", "rebuild_search_index", "update_index", "manage.py backup"):
        assert command in guide


# In process, without database access: archives that restore must refuse.


def archive_add(tar, name, data=b"", **attributes):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    for key, value in attributes.items():
        setattr(info, key, value)
    tar.addfile(info, io.BytesIO(data) if info.isfile() else None)


NOT_A_DATABASE = b"not a database"


def manifest_current(**changes):
    """A manifest as this code and the test run's engine would write it, for an archive of archive_write."""
    engine = connection.vendor
    manifest = {
        "format": 2,
        "engine": engine,
        "created": "2025-05-18T12:00:00+00:00",
        "django": "5.2",
        "database": DATABASE_FILES[engine],
        "migrations": sorted([app, name] for app, name in MigrationLoader(None).disk_migrations),
        "counts": {"news.ArticlePage": 1},
        "rows": {"news_articlepage": 1},
        "media_files": 0,
    }
    manifest.update(changes)
    return {"files": {manifest["database"]: hashlib.sha256(NOT_A_DATABASE).hexdigest()}, **manifest}


def archive_write(path, manifest, *members):
    with tarfile.open(path, "w:gz") as tar:
        archive_add(tar, "manifest.json", json.dumps(manifest).encode())
        archive_add(tar, manifest["database"], NOT_A_DATABASE)
        for name, data, attributes in members:
            archive_add(tar, name, data, **attributes)
    return path


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "original_images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "original_images" / "photo.jpg").write_bytes(b"jpeg")
    return settings.MEDIA_ROOT


def media_files(root):
    return {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}


def test_backups_are_named_by_date_in_the_backup_folder(settings, tmp_path):
    settings.NASHIR_BACKUP_DIR = tmp_path

    path = backup_default_path()
    path.write_bytes(b"made this second")

    assert path.parent == tmp_path
    assert re.fullmatch(r"nashir-\d{8}-\d{6}\.tar\.gz", path.name)
    second = backup_default_path()
    assert second != path and not second.exists()


def test_backup_never_overwrites_an_archive(tmp_path):
    archive = tmp_path / "existing.tar.gz"
    archive.write_bytes(b"an older backup")

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=archive)

    assert archive.read_bytes() == b"an older backup"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="pg_dump reads the database over its own connection")
def test_sqlite_backup_inside_a_transaction_is_refused(monkeypatch, tmp_path):
    # The snapshot would wait forever for the caller's own transaction on an in-memory database.
    # The wrapper itself, not the `connection` proxy: undoing a patch of the proxy can delete the attribute.
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)

    with pytest.raises(CommandError, match="inside a database transaction"):
        call_command("backup", output=tmp_path / "backup.tar.gz")

    assert not list(tmp_path.iterdir())


def test_missing_postgresql_tools_are_named(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(BackupError, match=r"pg_dump was not found on PATH.*postgresql-client"):
        pg_program("pg_dump")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="on PostgreSQL restore compares migrations with the database")
def test_restore_without_yes_checks_the_database_too(media_root, tmp_path):
    archive = archive_write(tmp_path / "backup.tar.gz", manifest_current())
    out = io.StringIO()

    with pytest.raises(CommandError, match=r"The database in the archive is damaged.*Nothing was changed"):
        call_command("restore", archive, stdout=out)

    assert "passed every check" not in out.getvalue()


@pytest.mark.django_db  # on PostgreSQL the check reads this database's migrations
def test_an_archive_without_checksums_needs_the_operators_word(media_root, tmp_path):
    manifest = manifest_current(format=1)
    del manifest["files"], manifest["rows"]
    archive = archive_write(tmp_path / "old.tar.gz", manifest, ("media/original_images/photo.jpg", b"older", {}))

    with pytest.raises(CommandError, match=r"earlier version of Nashir.*--without-checksums"):
        call_command("restore", archive, yes=True)
    # Said: every other check still runs, and this database is no database.
    with pytest.raises(CommandError, match=r"The database in the archive is damaged"):
        call_command("restore", archive, yes=True, without_checksums=True)

    assert (media_root / "original_images" / "photo.jpg").read_bytes() == b"jpeg"


@pytest.mark.parametrize(
    ("members", "files", "message"),
    [
        ([("media/extra.jpg", b"x", {})], {}, r"members missing from its manifest: media/extra\.jpg"),
        ([], {"media/gone.jpg": "0" * 64}, r"files its manifest lists but it lacks: media/gone\.jpg"),
        ([("media/a.jpg", b"x", {}), ("media/a.jpg", b"y", {})], {}, r"'media/a\.jpg': it appears twice"),
        ([("media/pipe", b"", {"type": tarfile.FIFOTYPE})], {}, r"'media/pipe': it is a FIFO"),
        ([("media/link", b"", {"type": tarfile.LNKTYPE, "linkname": "media/a.jpg"})], {}, "it is a hard link"),
        ([("database.sqlite3/x", b"", {"type": tarfile.DIRTYPE})], {}, "folder outside media/"),
    ],
)
def test_restore_refuses_members_the_manifest_does_not_account_for(media_root, tmp_path, members, files, message):
    manifest = manifest_current()
    manifest["files"].update(files)
    archive = archive_write(tmp_path / "backup.tar.gz", manifest, *members)

    with pytest.raises(CommandError, match=message):
        call_command("restore", archive, yes=True)

    assert media_files(media_root) == {media_root / "original_images" / "photo.jpg": b"jpeg"}


@pytest.mark.parametrize(
    ("name", "data", "attributes"),
    [
        ("../escaped.txt", b"x", {}),
        ("media/../../escaped.txt", b"x", {}),
        ("/srv/escaped.txt", b"x", {}),
        ("media/passwords", b"", {"type": tarfile.SYMTYPE, "linkname": "/etc/passwd"}),
        ("media/up", b"", {"type": tarfile.SYMTYPE, "linkname": "../../escaped.txt"}),
        ("media/device", b"", {"type": tarfile.CHRTYPE}),
        ("settings.py", b"DEBUG = True", {}),
    ],
)
def test_restore_refuses_a_tampered_archive_before_touching_anything(media_root, tmp_path, name, data, attributes):
    archive = archive_write(tmp_path / "tampered.tar.gz", manifest_current(), (name, data, attributes))
    files = media_files(media_root)

    with pytest.raises(CommandError, match=r"refused member"):
        call_command("restore", archive, yes=True)

    assert not (tmp_path / "escaped.txt").exists()
    assert media_files(media_root) == files


def test_restore_refuses_an_archive_of_the_other_engine(media_root, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = archive_write(tmp_path / "other.tar.gz", manifest_current(engine=other, database=DATABASE_FILES[other]))

    with pytest.raises(CommandError, match=rf"holds a {other} database.*docs/operations\.md"):
        call_command("restore", archive, yes=True)


def test_restore_refuses_an_archive_from_newer_code(media_root, tmp_path):
    manifest = manifest_current()
    manifest["migrations"].append(["news", "9999_from_the_future"])
    archive = archive_write(tmp_path / "newer.tar.gz", manifest)

    with pytest.raises(CommandError, match=r"newer version of Nashir.*news\.9999_from_the_future"):
        call_command("restore", archive, yes=True)


@pytest.mark.parametrize("content", [b"not an archive", None])
def test_restore_refuses_what_is_not_a_backup(media_root, tmp_path, content):
    archive = tmp_path / "odd.tar.gz"
    if content is None:  # a tar archive without a manifest
        with tarfile.open(archive, "w:gz") as tar:
            archive_add(tar, "database.sqlite3", b"x")
    else:
        archive.write_bytes(content)

    with pytest.raises(CommandError, match=r"not a readable backup archive|not a Nashir backup"):
        call_command("restore", archive, yes=True)
