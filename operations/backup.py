"""Backups of the whole site: the database and the uploaded media in one archive.

An archive is a gzipped tar holding `manifest.json`, the database and `media/`.
The database is `database.sqlite3`, a snapshot taken with SQLite's online
backup API, or `database.pgdump`, pg_dump's custom format. A backup restores
only into the same kind of database: moving from SQLite to PostgreSQL is a
dumpdata/loaddata migration (docs/operations.md).
"""

import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# What the manifest counts, so that an operator can tell two archives apart.
COUNTED_MODELS = ["wagtailcore.Page", "news.ArticlePage", "comments.Comment", "wagtailimages.Image", "users.User"]
MIGRATION_DOC = 'see "Moving from SQLite to PostgreSQL" in docs/operations.md (dumpdata and loaddata)'


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says whether anything was changed."""


def database_engine() -> str:
    """The current database as the manifest names it: "sqlite" or "postgresql"."""
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def backup_default_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"nashir-{stamp}.tar.gz"


def backup_create(*, output: Path | None = None) -> tuple[Path, dict]:
    """Write the database and MEDIA_ROOT to a new archive at `output`; returns its path and manifest.

    The archive is written under a temporary name beside `output` and renamed
    when complete, so an interrupted backup never leaves a truncated archive
    under the final name, and an existing archive is never overwritten.
    """
    engine = database_engine()
    output = Path(output) if output else backup_default_path()
    if output.exists():
        raise BackupError(f"{output} already exists; choose another --output.")
    if engine == "sqlite" and connection.in_atomic_block:
        # The snapshot would wait forever for this connection's own transaction
        # (an in-memory database), or copy what it has not committed.
        raise BackupError("A backup cannot run inside a database transaction.")
    media_root = Path(settings.MEDIA_ROOT)
    try:
        # Archives hold password hashes and readers' emails: only the owner may read them.
        output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=output.parent, prefix=".nashir-backup-") as scratch:
            database = Path(scratch) / DATABASE_FILES[engine]
            manifest = _manifest(engine, media_root)
            if engine == "sqlite":
                _sqlite_dump(database)
            else:
                _postgresql_dump(database)
            _archive_write(output, manifest, database, media_root)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"Could not write {output} ({error}).") from None
    return output, manifest


def backup_inspect(path: Path) -> dict:
    """The manifest of the archive at `path`, once every member has been checked.

    Reads the whole archive, so a truncated or corrupt file is refused here,
    before a restore touches anything.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No such file: {path}")
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = tar.getmembers()
            manifest = _manifest_read(tar, path)
            _members_check(members, manifest, path)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(f"{path} is not a readable backup archive ({error}). Nothing was changed.") from None
    return manifest


def restore_check(manifest: dict) -> None:
    """Refuse an archive that this database and this code cannot take back as it is."""
    engine = database_engine()
    if manifest["engine"] != engine:
        raise BackupError(
            f"The archive holds a {manifest['engine']} database but this site runs on {engine}. A backup restores "
            f"only into the same kind of database; to move between them, {MIGRATION_DOC}. Nothing was changed."
        )
    archived = {tuple(migration) for migration in manifest["migrations"]}
    installed = {app.label for app in apps.get_app_configs()}
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(m for m in archived - known if m[0] in installed)
    if unknown:
        raise BackupError(
            f"The archive was made by a newer version of Nashir (unknown migrations: {_names(unknown)}). "
            "Deploy that version, then restore. Nothing was changed."
        )
    if engine == "postgresql":
        # pg_restore --clean drops and recreates only what the dump holds: tables of
        # later migrations would stay behind while django_migrations forgets them.
        newer = sorted(set(MigrationRecorder(connection).applied_migrations()) - archived)
        if newer:
            raise BackupError(
                f"This database has migrations that the archive lacks ({_names(newer)}). Restore into an empty "
                "database (dropdb, createdb, no migrate), then run `manage.py migrate`. Nothing was changed."
            )


def restore_plan(manifest: dict) -> list[str]:
    """What a restore of the archive described by `manifest` would replace, line by line."""
    counts = ", ".join(f"{count} {label}" for label, count in manifest["counts"].items())
    return [
        f"The archive was made {manifest['created']} on {manifest['engine']} and holds {counts}, "
        f"and {manifest['media_files']} media files.",
        "Restoring it replaces:",
        f"  {_database_description()} (everything in it),",
        f"  files in {settings.MEDIA_ROOT} that have the same name as one in the archive (others are kept).",
    ]


def backup_restore(*, path: Path) -> dict:
    """Replace the database with the archive's and add its media to MEDIA_ROOT; returns a summary.

    The archive is checked and extracted completely before the database or a
    media file is touched. Stop the site and the task worker first: their open
    connections would hold locks and their caches would outlive the restore.
    """
    manifest = backup_inspect(path)
    restore_check(manifest)
    engine = manifest["engine"]
    media_root = Path(settings.MEDIA_ROOT)
    try:
        media_root.mkdir(parents=True, exist_ok=True)
        # Beside MEDIA_ROOT, so that media files are moved into place rather than copied.
        scratch_dir = tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".nashir-restore-")
    except OSError as error:
        raise BackupError(f"Cannot write beside {media_root} ({error}). Nothing was changed.") from None
    with scratch_dir as scratch:
        try:
            with tarfile.open(path, "r:gz") as tar:
                tar.extractall(scratch, filter="data")
        except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
            raise BackupError(f"Could not extract {path} ({error}). Nothing was changed.") from None
        database = Path(scratch) / manifest["database"]
        if engine == "sqlite":
            _sqlite_verify(database)
            _sqlite_restore(database)
        else:
            _postgresql_run("pg_restore", ["--list", str(database)])
            _postgresql_restore(database)
        media_files = _media_restore(Path(scratch) / MEDIA_DIR, media_root)
    connections.close_all()
    # Pages and settings cached from the replaced database must not be served.
    cache.clear()
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    connections.close_all()
    return {"manifest": manifest, "media_files": media_files, "needs_migrate": bool(pending)}


def pg_program(name: str) -> str:
    """The path of a PostgreSQL client program, or a BackupError that says how to get it."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools of the server's major version "
            "or newer (Debian: apt install postgresql-client). Nothing was changed."
        )
    return found


def _manifest(engine, media_root):
    return {
        "format": FORMAT,
        "engine": engine,
        "created": timezone.now().isoformat(timespec="seconds"),
        "django": django.get_version(),
        "database": DATABASE_FILES[engine],
        "migrations": sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations()),
        "counts": {label: apps.get_model(label)._default_manager.count() for label in COUNTED_MODELS},
        "media_files": sum(1 for item in media_root.rglob("*") if item.is_file()) if media_root.is_dir() else 0,
    }


def _archive_write(output, manifest, database, media_root):
    handle, partial = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode())
                tar.add(database, arcname=database.name)
                if media_root.is_dir():
                    tar.add(media_root, arcname=MEDIA_DIR)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _manifest_read(tar, path):
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise BackupError(f"{path} has no {MANIFEST}: it is not a Nashir backup. Nothing was changed.") from None
    try:
        manifest = json.load(tar.extractfile(member))
    except (ValueError, AttributeError) as error:
        raise BackupError(f"{path}: {MANIFEST} is unreadable ({error}). Nothing was changed.") from None
    required = {"format", "engine", "created", "database", "migrations", "counts", "media_files"}
    missing = sorted(required - manifest.keys()) if isinstance(manifest, dict) else sorted(required)
    if missing:
        raise BackupError(f"{path}: {MANIFEST} lacks {', '.join(missing)}. Nothing was changed.")
    if manifest["format"] != FORMAT or DATABASE_FILES.get(manifest["engine"]) != manifest["database"]:
        raise BackupError(
            f"{path}: unknown archive format {manifest['format']!r} for {manifest['engine']!r}. Nothing was changed."
        )
    return manifest


def _members_check(members, manifest, path):
    """Every member is the manifest, the database or under media/, and extracts inside the target."""
    # Only for path arithmetic: the data filter resolves names against it.
    destination = os.path.join(tempfile.gettempdir(), "nashir-restore")
    names = set()
    for member in members:
        name = posixpath.normpath(member.name)
        expected_file = name in (MANIFEST, manifest["database"])
        if not (expected_file or name == MEDIA_DIR or name.startswith(MEDIA_DIR + "/")):
            raise BackupError(f"{path}: unexpected member {member.name!r}. Nothing was changed.")
        if expected_file and not member.isfile():
            raise BackupError(f"{path}: {member.name!r} is not a regular file. Nothing was changed.")
        try:
            tarfile.data_filter(member, destination)
        except tarfile.FilterError as error:
            raise BackupError(f"{path}: unsafe member {member.name!r} ({error}). Nothing was changed.") from None
        names.add(name)
    if manifest["database"] not in names:
        raise BackupError(f"{path} has no {manifest['database']}. Nothing was changed.")


def _database_description():
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"the SQLite database {settings_dict['NAME']}"
    host = settings_dict.get("HOST") or "localhost"
    return f"the PostgreSQL database {settings_dict['NAME']!r} on {host}:{settings_dict.get('PORT') or 5432}"


def _names(migrations):
    return ", ".join(f"{app}.{name}" for app, name in migrations)


def _sqlite_dump(target):
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # One step (pages=-1) under one read lock: a consistent snapshot while the
        # site goes on reading and writing (WAL). A file copy could catch a write
        # half done, and would miss what is still in the -wal file.
        connection.connection.backup(destination)
    finally:
        destination.close()


def _sqlite_verify(database):
    try:
        source = sqlite3.connect(database)
        try:
            result = source.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        result = str(error)
    if result != "ok":
        raise BackupError(f"The database in the archive is damaged ({result}). Nothing was changed.")


def _sqlite_restore(database):
    name = str(connection.settings_dict["NAME"])
    connections.close_all()
    source = sqlite3.connect(database)
    try:
        target = sqlite3.connect(name, timeout=30, uri=name.startswith("file:"))
        try:
            # Through SQLite rather than a file copy: the copy is one transaction, so
            # an interruption leaves the old database, and processes that still have
            # the file (and its -wal) open read the restored pages, not a torn mix.
            source.backup(target)
        finally:
            target.close()
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not restore into {name} ({error}). The database was not changed.") from None
    finally:
        source.close()


def _postgresql_env():
    settings_dict = connection.settings_dict
    _, client_env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(client_env or {})}
    # The site's settings, not whatever PG* variables the operator's shell has.
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _postgresql_run(name, arguments):
    program = pg_program(name)
    result = subprocess.run(  # noqa: S603 - a PostgreSQL client from PATH; arguments from settings and paths
        [program, *arguments], env=_postgresql_env(), capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise BackupError(f"{name} failed (exit {result.returncode}): {result.stderr.strip()}")
    return result


def _postgresql_dump(target):
    # A snapshot in one transaction, consistent while the site runs.
    _postgresql_run("pg_dump", ["--format=custom", "--no-owner", f"--file={target}"])


def _postgresql_restore(database):
    connections.close_all()
    try:
        _postgresql_run(
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(database),
            ],
        )
    except BackupError as error:
        raise BackupError(f"{error}\nThe restore ran in one transaction: the database was not changed.") from None


def _media_restore(source, media_root):
    if not source.is_dir():
        return 0
    moved = 0
    for directory, _, files in os.walk(source):
        target_dir = media_root / Path(directory).relative_to(source)
        target_dir.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.replace(Path(directory) / name, target_dir / name)
            moved += 1
    return moved
