"""Backups of the whole site: the database and the uploaded media in one archive.

An archive is a gzipped tar holding the database, `media/` and `manifest.json`.
The database is `database.sqlite3`, a snapshot taken with SQLite's online
backup API, or `database.pgdump`, pg_dump's custom format. The manifest lists
the SHA-256 of every member, and the database's applied migrations and the row
count of each of its tables, read from the archived copy itself. A backup
restores only into the same kind of database: moving from SQLite to PostgreSQL
is a dumpdata/loaddata migration (docs/operations.md).

With uploads in an S3 store (NASHIR_MEDIA_STORAGE=s3) an archive holds the
database only, and its manifest names the bucket ("media_store"): the bucket
is backed up with the store's own means (docs/deployment.md). A restore there
puts back the database and leaves an archive's media files where they are,
saying how to copy them to the bucket.

A restore trusts nothing in the archive until it is checked: members are
written out by this module (never by tarfile's extraction, so no link, device
or path outside the target can come out of it), each against its checksum;
the database copy is opened and compared with the manifest; and a snapshot of
what the restore replaces is taken before anything is touched.
"""

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
import tempfile
import zlib
from pathlib import Path
from urllib.parse import quote

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from operations.media import media_on_disk, media_store_description

FORMAT = 2
# Format 1 archives (before checksums) are read only when the operator says so.
FORMAT_UNVERIFIED = 1
MANIFEST = "manifest.json"
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
MEDIA_DIR = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# What the manifest counts by name, so that an operator can tell two archives apart.
COUNTED_MODELS = ["wagtailcore.Page", "news.ArticlePage", "comments.Comment", "wagtailimages.Image", "users.User"]
# Tables every Nashir database has whatever its age: an archive whose database lacks one is refused.
REQUIRED_MODELS = [*COUNTED_MODELS, "contenttypes.ContentType", "wagtailcore.Revision", "wagtailcore.Site"]
MIGRATION_DOC = 'see "Moving from SQLite to PostgreSQL" in docs/operations.md (dumpdata and loaddata)'
SNAPSHOT_KIND = "snapshot before a restore"
CHUNK = 1024 * 1024
MEMBER_KINDS = {
    tarfile.SYMTYPE: "a symbolic link",
    tarfile.LNKTYPE: "a hard link",
    tarfile.CHRTYPE: "a device",
    tarfile.BLKTYPE: "a device",
    tarfile.FIFOTYPE: "a FIFO",
}
PG_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+)", re.MULTILINE)
PG_COPY = re.compile(r"^COPY (\S+) \((.*)\) FROM stdin;$")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says whether anything was changed."""


def database_engine() -> str:
    """The current database as the manifest names it: "sqlite" or "postgresql"."""
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def backup_default_path(*, prefix: str = "nashir") -> Path:
    """NASHIR_BACKUP_DIR/<prefix>-<date>-<time>.tar.gz, with a suffix if that name is taken."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    directory = Path(settings.NASHIR_BACKUP_DIR)
    path, number = directory / f"{prefix}-{stamp}.tar.gz", 2
    while path.exists():
        path, number = directory / f"{prefix}-{stamp}-{number}.tar.gz", number + 1
    return path


def backup_create(
    *, output: Path | None = None, media_names: list[str] | None = None, kind: str = ""
) -> tuple[Path, dict]:
    """Write the database and MEDIA_ROOT to a new archive at `output`; returns its path and manifest.

    With uploads in an S3 store, the database alone; the manifest's
    "media_store" names the store.

    `media_names` (paths relative to MEDIA_ROOT) limits the media to those
    files: a snapshot before a restore keeps only what the restore replaces.
    Only regular files are archived; links and other special files under
    MEDIA_ROOT are left out and listed in the manifest's "skipped".

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
    store = media_store_description()
    if store:
        media_names = []  # MEDIA_ROOT is not where uploads are; the store is backed up on its own
    try:
        # Archives hold password hashes and readers' emails: only the owner may read them.
        output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=output.parent, prefix=".nashir-backup-") as scratch:
            database = Path(scratch) / DATABASE_FILES[engine]
            if engine == "sqlite":
                _sqlite_dump(database)
            else:
                _postgresql_dump(database)
            # Read from the copy, not the live database: the site may write in between.
            contents = database_contents(engine, database)
            manifest = _manifest(engine, contents, kind=kind)
            if store:
                manifest["media_store"] = store
            _archive_write(output, manifest, database, media_root, media_names)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"Could not write {output} ({error}).") from None
    return output, manifest


def backup_inspect(path: Path, *, unverified: bool = False) -> dict:
    """The manifest of the archive at `path`, once the list of its members has been checked.

    Reads the whole archive, so a truncated or corrupt file is refused here,
    before a restore touches anything. The members' contents are checked as
    they are written out (archive_extract).
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No such file: {path}")
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = tar.getmembers()
            manifest = _manifest_read(tar, path, unverified=unverified)
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
    made = "a snapshot taken before a restore" if manifest.get("kind") == SNAPSHOT_KIND else "the archive"
    media = f"{manifest['media_files']} media files"
    if manifest.get("media_store"):
        media = f"no media files: its site kept uploads in {manifest['media_store']}, which it does not hold"
    store = media_store_description()
    if store is None:
        media_line = (
            f"  files in {settings.MEDIA_ROOT} that have the same name as one in the archive (others are kept)."
        )
    elif manifest["media_files"]:
        media_line = (
            f"  nothing in {store}, where this site keeps uploads: the archive's {manifest['media_files']} media "
            "files are left in it (the command prints how to copy them there)."
        )
    else:
        media_line = f"  nothing in {store}, where this site keeps uploads."
    return [
        f"{made[0].upper()}{made[1:]} was made {manifest['created']} on {manifest['engine']} and holds {counts}, "
        f"and {media}.",
        "Restoring it replaces:",
        f"  {_database_description()} (everything in it),",
        media_line,
        "The current database and the media files it replaces are saved first (unless the database is empty), "
        "and the command that goes back to them is printed.",
    ]


def media_copy_command(archive: Path) -> str:
    """The shell commands that copy an archive's media files to the S3 bucket where this site keeps uploads."""
    bucket = default_storage.bucket_name
    endpoint = default_storage.endpoint_url
    sync = ["aws", "s3", "sync", "media/", f"s3://{bucket}/", *(["--endpoint-url", endpoint] if endpoint else [])]
    return f"{shlex.join(['tar', '-xzf', str(archive), MEDIA_DIR])} && {shlex.join(sync)}"


def backup_verify(*, path: Path, unverified: bool = False) -> dict:
    """Check the archive at `path` as a restore would, without changing anything; returns its manifest."""
    manifest = backup_inspect(path, unverified=unverified)
    restore_check(manifest)
    with _scratch_directory() as scratch:
        archive_extract(path, manifest, Path(scratch))
        database_validate(manifest, Path(scratch) / manifest["database"])
        if media_on_disk():
            _media_conflicts(Path(scratch) / MEDIA_DIR, Path(settings.MEDIA_ROOT))
    return manifest


def backup_restore(*, path: Path, unverified: bool = False, snapshot: bool = True) -> dict:
    """Replace the database with the archive's and add its media to MEDIA_ROOT; returns a summary.

    With uploads in an S3 store, the media files stay in the archive (the
    summary's "media_left" counts them): the bucket is the operator's to fill.

    Nothing is replaced until every member has been written out and matched
    its checksum, the database copy has passed database_validate, and a
    snapshot of the current database and of the media files about to be
    replaced has been written (its path is in the summary, with the command
    that undoes the restore). Stop the site and the task worker first: their
    open connections would hold locks and their caches would outlive the restore.
    """
    manifest = backup_inspect(path, unverified=unverified)
    restore_check(manifest)
    engine = manifest["engine"]
    media_root = Path(settings.MEDIA_ROOT)
    with _scratch_directory() as scratch:
        archive_extract(path, manifest, Path(scratch))
        database = Path(scratch) / manifest["database"]
        database_validate(manifest, database)
        on_disk = media_on_disk()
        replaced = _media_conflicts(Path(scratch) / MEDIA_DIR, media_root) if on_disk else []
        try:
            kept = restore_snapshot(media_names=replaced) if snapshot else None
        except BackupError as error:
            raise BackupError(f"Could not save the current state first: {error} Nothing was changed.") from None
        undo = f" To undo what was done: {rollback_command(kept)}" if kept else ""
        if engine == "sqlite":
            _sqlite_restore(database)
        else:
            _postgresql_restore(database)
        try:
            media_files = _media_restore(Path(scratch) / MEDIA_DIR, media_root) if on_disk else 0
        except OSError as error:
            raise BackupError(
                f"The database was restored but moving the media files into {media_root} failed ({error}).{undo}"
            ) from None
    connections.close_all()
    # Pages and settings cached from the replaced database must not be served.
    cache.clear()
    _page_files_clear()
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    connections.close_all()
    return {
        "manifest": manifest,
        "media_files": media_files,
        "media_left": 0 if on_disk else manifest["media_files"],
        "needs_migrate": bool(pending),
        "snapshot": kept,
    }


def restore_snapshot(*, media_names: list[str]) -> Path | None:
    """An archive of the current database and of the media files `media_names`; None for an empty database."""
    if "django_migrations" not in connection.introspection.table_names():
        return None  # a new server's empty database: nothing to keep
    path, _manifest = backup_create(
        output=backup_default_path(prefix="nashir-before-restore"), media_names=media_names, kind=SNAPSHOT_KIND
    )
    return path


def _page_files_clear() -> None:
    """The pages written for nginx from the replaced database (pagecache.files): each bucket's folder.

    Its include for nginx (a file beside them) stays: nginx reads it on reload.
    Done here rather than through pagecache.files, which sits in a layer above operations.
    """
    folder = settings.NASHIR_PAGE_FILES_DIR
    if not folder or not Path(folder).is_dir():
        return
    for path in Path(folder).iterdir():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def rollback_command(snapshot: Path) -> str:
    """The shell command that restores `snapshot`, as this process was started (same Python, same manage.py)."""
    manage = Path(settings.BASE_DIR) / "manage.py"
    return shlex.join([sys.executable, str(manage), "restore", str(snapshot), "--yes"])


def pg_program(name: str) -> str:
    """The path of a PostgreSQL client program, or a BackupError that says how to get it."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools of the server's major version "
            "or newer (Debian: apt install postgresql-client). Nothing was changed."
        )
    return found


def archive_extract(path: Path, manifest: dict, destination: Path) -> None:
    """Write the archive's files under `destination`, each checked against its SHA-256 in the manifest.

    Each file is written by this function from the member's bytes, never by
    tarfile's extraction: whatever the archive holds, only regular files and
    folders come out, under `destination` (backup_inspect has refused every
    other kind of member and every name outside the expected ones).
    """
    checksums = manifest.get("files")
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:
                if member.name == MANIFEST or not member.isfile():
                    continue
                target = destination.joinpath(*member.name.split("/"))
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                digest = hashlib.sha256()
                with open(target, "xb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if checksums is not None and digest.hexdigest() != checksums[member.name]:
                    raise BackupError(
                        f"{path}: {member.name} does not match its SHA-256 in the manifest: the archive is damaged "
                        "or was altered. Nothing was changed."
                    )
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(f"Could not read {path} ({error}). Nothing was changed.") from None


def database_contents(engine: str, database: Path) -> dict:
    """What a database file holds: its tables, the row count of each and its applied migrations."""
    if engine == "sqlite":
        return _sqlite_contents(database)
    return _postgresql_contents(database)


def database_validate(manifest: dict, database: Path) -> None:
    """Refuse a database copy that does not open, lacks Nashir's tables or differs from its manifest."""
    contents = database_contents(manifest["engine"], database)
    refused = "The database in the archive"
    if "django_migrations" not in contents["rows"]:
        raise BackupError(f"{refused} is empty or not a Nashir database (no django_migrations). Nothing was changed.")
    missing = ", ".join(sorted(_required_tables() - set(contents["rows"])))
    if missing:
        raise BackupError(f"{refused} lacks tables every Nashir database has: {missing}. Nothing was changed.")
    applied = {tuple(migration) for migration in contents["migrations"]}
    if applied != {tuple(migration) for migration in manifest["migrations"]}:
        raise BackupError(
            f"{refused} has other migrations than its manifest lists: the archive was altered. Nothing was changed."
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    installed = {app.label for app in apps.get_app_configs()}
    unknown = sorted(m for m in applied - known if m[0] in installed)
    if unknown:
        raise BackupError(f"{refused} has migrations this code does not know: {_names(unknown)}. Nothing was changed.")
    expected = manifest.get("rows") or _rows_of_counts(manifest["counts"])
    actual = contents["rows"] if "rows" in manifest else {table: contents["rows"].get(table) for table in expected}
    if actual != expected:
        differing = sorted(set(actual) ^ set(expected) | {t for t in expected if actual.get(t) != expected[t]})
        details = ", ".join(f"{t}: {actual.get(t, 'no')} rows, manifest {expected.get(t, 'none')}" for t in differing)
        raise BackupError(f"{refused} does not match its manifest ({details}). Nothing was changed.")


def _scratch_directory():
    media_root = Path(settings.MEDIA_ROOT)
    try:
        media_root.mkdir(parents=True, exist_ok=True)
        # Beside MEDIA_ROOT, so that media files are moved into place rather than copied.
        return tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".nashir-restore-")
    except OSError as error:
        raise BackupError(f"Cannot write beside {media_root} ({error}). Nothing was changed.") from None


def _required_tables():
    return {apps.get_model(label)._meta.db_table for label in REQUIRED_MODELS} | {"django_migrations"}


def _rows_of_counts(counts):
    """Format 1 manifests counted models by label: the same counts by table."""
    return {apps.get_model(label)._meta.db_table: count for label, count in counts.items()}


def _manifest(engine, contents, *, kind):
    rows = contents["rows"]
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "created": timezone.now().isoformat(timespec="seconds"),
        "django": django.get_version(),
        "database": DATABASE_FILES[engine],
        "migrations": sorted(list(migration) for migration in contents["migrations"]),
        "counts": {label: rows.get(apps.get_model(label)._meta.db_table, 0) for label in COUNTED_MODELS},
        "rows": rows,
    }
    if kind:
        manifest["kind"] = kind
    return manifest


def _archive_write(output, manifest, database, media_root, media_names):
    handle, partial = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".partial")
    files, skipped = {}, []
    try:
        with os.fdopen(handle, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                files[database.name] = _add_file(tar, database, database.name)
                for relative in _media_names(media_root, media_names, skipped):
                    name = f"{MEDIA_DIR}/{relative}"
                    try:
                        files[name] = _add_file(tar, media_root / relative, name)
                    except FileNotFoundError:
                        skipped.append(relative)  # deleted while the backup ran
                manifest.update(media_files=len(files) - 1, files=files, skipped=skipped)
                # Last, once every checksum is known.
                _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode())
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _media_names(media_root, only, skipped):
    """Paths (relative, with /) of the regular files under `media_root`, or of those of `only` that are."""
    if only is not None:
        candidates = sorted(only)
    elif media_root.is_dir():
        candidates = []
        for directory, dirnames, filenames in os.walk(media_root):
            dirnames.sort()
            relative = Path(directory).relative_to(media_root)
            candidates.extend((relative / name).as_posix() for name in sorted(filenames))
            # os.walk does not go into linked folders; say that they were left out.
            skipped.extend((relative / name).as_posix() for name in dirnames if (Path(directory) / name).is_symlink())
    else:
        candidates = []
    for relative in candidates:
        try:
            mode = os.lstat(media_root / relative).st_mode
        except FileNotFoundError:
            continue
        if stat.S_ISREG(mode):
            yield relative
        else:
            skipped.append(relative)


def _add_file(tar, path, arcname):
    """Add the regular file at `path`; returns the SHA-256 of exactly the bytes archived."""
    with open(path, "rb") as handle:
        status = os.fstat(handle.fileno())
        info = tarfile.TarInfo(arcname)
        info.size, info.mtime, info.mode = status.st_size, int(status.st_mtime), 0o600
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return reader.digest.hexdigest()


class _HashingReader:
    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _manifest_read(tar, path, *, unverified):
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise BackupError(f"{path} has no {MANIFEST}: it is not a Nashir backup. Nothing was changed.") from None
    if not member.isfile() or member.size > MANIFEST_MAX_BYTES:
        raise BackupError(f"{path}: {MANIFEST} is not a regular file of a sensible size. Nothing was changed.")
    try:
        manifest = json.load(tar.extractfile(member))
    except (ValueError, AttributeError) as error:
        raise BackupError(f"{path}: {MANIFEST} is unreadable ({error}). Nothing was changed.") from None
    required = {"format", "engine", "created", "database", "migrations", "counts", "media_files"}
    missing = sorted(required - manifest.keys()) if isinstance(manifest, dict) else sorted(required)
    if missing:
        raise BackupError(f"{path}: {MANIFEST} lacks {', '.join(missing)}. Nothing was changed.")
    if manifest["format"] == FORMAT_UNVERIFIED and not unverified:
        raise BackupError(
            f"{path} was made by an earlier version of Nashir, without checksums of its members, so it cannot be "
            "verified. If you made it yourself and kept it safe, run again with --without-checksums (every other "
            "check still applies). Nothing was changed."
        )
    if (
        manifest["format"] not in (FORMAT, FORMAT_UNVERIFIED)
        or DATABASE_FILES.get(manifest["engine"]) != manifest["database"]
    ):
        raise BackupError(
            f"{path}: unknown archive format {manifest['format']!r} for {manifest['engine']!r}. Nothing was changed."
        )
    if manifest["format"] == FORMAT and not (isinstance(manifest.get("files"), dict) and "rows" in manifest):
        raise BackupError(f"{path}: {MANIFEST} lacks the members' checksums or the row counts. Nothing was changed.")
    return manifest


def _member_problem(member, database):
    """Why `member` may not be in an archive, or "" when it may."""
    name = member.name
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or any(part in ("", ".", "..") for part in parts):
        return "its path is absolute or leaves its folder"
    if member.type in (tarfile.REGTYPE, tarfile.AREGTYPE):
        if name in (MANIFEST, database) or (parts[0] == MEDIA_DIR and len(parts) > 1):
            return ""
        return "it is not the manifest, the database or under media/"
    if member.isdir():
        return "" if parts[0] == MEDIA_DIR else "it is a folder outside media/"
    return f"it is {MEMBER_KINDS.get(member.type, 'not a regular file or folder')}"


def _members_check(members, manifest, path):
    """Only the manifest, the database and regular files and folders under media/, each once and each listed."""
    names = set()
    for member in members:
        problem = _member_problem(member, manifest["database"])
        if not problem and member.name in names:
            problem = "it appears twice"
        if problem:
            raise BackupError(f"{path}: refused member {member.name!r}: {problem}. Nothing was changed.")
        names.add(member.name)
    if manifest["database"] not in names:
        raise BackupError(f"{path} has no {manifest['database']}. Nothing was changed.")
    if "files" not in manifest:
        return
    files = {member.name for member in members if member.isfile()} - {MANIFEST}
    unlisted, absent = sorted(files - set(manifest["files"])), sorted(set(manifest["files"]) - files)
    if unlisted or absent:
        what = f"members missing from its manifest: {', '.join(unlisted)}" if unlisted else ""
        what += "; " if unlisted and absent else ""
        what += f"files its manifest lists but it lacks: {', '.join(absent)}" if absent else ""
        raise BackupError(f"{path} has {what}. Nothing was changed.")


def _media_conflicts(source, media_root):
    """The media files a restore would replace (relative paths); refuses a file where a folder is, and the reverse.

    A file whose content is already the same is not counted: it is left as it is.
    """
    replaced = []
    if not source.is_dir():
        return replaced
    for directory, _, files in os.walk(source):
        relative_dir = Path(directory).relative_to(source)
        target_dir = media_root
        for part in relative_dir.parts:
            target_dir /= part
            if (target_dir.exists() or target_dir.is_symlink()) and not target_dir.is_dir():
                raise BackupError(f"{target_dir} is a file where the archive has a folder. Nothing was changed.")
        for name in files:
            target = target_dir / name
            if target.is_dir() and not target.is_symlink():
                raise BackupError(f"{target} is a folder where the archive has a file. Nothing was changed.")
            if target.exists() or target.is_symlink():
                if target.is_file() and not target.is_symlink() and _same_content(target, Path(directory) / name):
                    continue
                replaced.append((relative_dir / name).as_posix())
    return replaced


def _same_content(first, second):
    if first.stat().st_size != second.stat().st_size:
        return False
    with open(first, "rb") as one, open(second, "rb") as other:
        while True:
            left, right = one.read(CHUNK), other.read(CHUNK)
            if left != right:
                return False
            if not left:
                return True


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
    os.chmod(target, 0o600)


def _sqlite_contents(database):
    try:
        # Read-only and immutable: checking a copy never changes it (no -wal, no journal).
        source = sqlite3.connect(f"file:{quote(str(database))}?mode=ro&immutable=1", uri=True)
        try:
            result = source.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise BackupError(f"The database in the archive is damaged ({result}). Nothing was changed.")
            tables = [
                name
                for (name,) in source.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                )
            ]
            rows = {table: source.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608 - names read from sqlite_master
            migrations = (
                sorted(source.execute("SELECT app, name FROM django_migrations")) if "django_migrations" in rows else []
            )
        finally:
            source.close()
    except sqlite3.Error as error:
        raise BackupError(f"The database in the archive is damaged ({error}). Nothing was changed.") from None
    return {"rows": rows, "migrations": [list(migration) for migration in migrations]}


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


def _postgresql_contents(database):
    """Tables, row counts and applied migrations of a pg_dump file, read with pg_restore (no server needed)."""
    try:
        listing = _postgresql_run("pg_restore", ["--list", str(database)]).stdout
    except BackupError as error:
        raise BackupError(f"The database in the archive is damaged or empty ({error}). Nothing was changed.") from None
    rows = {_pg_name(name): 0 for schema, name in PG_TABLE.findall(listing) if schema == "public"}
    migrations = []
    # COPY text format: one line per row, ended by "\."; newlines inside values are escaped.
    process = subprocess.Popen(  # noqa: S603 - pg_restore from PATH, reading a file, writing SQL to stdout
        [pg_program("pg_restore"), "--data-only", "--file=-", str(database)],
        env=_postgresql_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    table = columns = None
    for line in process.stdout:
        line = line.rstrip("\n")
        if table is None:
            match = PG_COPY.match(line)
            if match:
                table = _pg_name(match.group(1).split(".", 1)[-1])
                columns = [_pg_name(column.strip()) for column in match.group(2).split(",")]
                rows[table] = 0
        elif line == "\\.":
            table = None
        else:
            rows[table] += 1
            if table == "django_migrations":
                values = dict(zip(columns, line.split("\t"), strict=False))
                migrations.append([values.get("app", ""), values.get("name", "")])
    _, errors = process.communicate()
    if process.returncode:
        raise BackupError(f"The database in the archive is damaged ({errors.strip()}). Nothing was changed.")
    return {"rows": rows, "migrations": sorted(migrations)}


def _pg_name(name):
    return name[1:-1].replace('""', '"') if name.startswith('"') else name


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
