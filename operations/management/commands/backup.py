from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, backup_create


def size_format(size: float) -> str:
    if size < 1024:
        return f"{size:.0f} bytes"
    size, unit = size / 1024, "KB"
    for larger in ("MB", "GB"):
        if size < 1024:
            break
        size, unit = size / 1024, larger
    return f"{size:.1f} {unit}"


class Command(BaseCommand):
    help = (
        "Write the database and the uploaded media to one archive, by default "
        "var/backups/nashir-<date>-<time>.tar.gz. Safe while the site runs. With uploads in an S3 store "
        "(NASHIR_MEDIA_STORAGE=s3), the database only: the bucket is backed up with the store's own means."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Where to write the archive (must not exist yet).")

    def handle(self, *, output, verbosity, **options):
        try:
            path, manifest = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if verbosity > 1:
            for label, count in manifest["counts"].items():
                self.stdout.write(f"  {label}: {count}")
            self.stdout.write(f"  media files: {manifest['media_files']}")
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({size_format(path.stat().st_size)})."))
        if manifest.get("media_store"):
            # Said every time, whatever the verbosity: an operator must not take this archive for the whole site.
            self.stdout.write(
                self.style.WARNING(
                    f"The archive holds the database only. Uploads are in {manifest['media_store']} "
                    "(NASHIR_MEDIA_STORAGE=s3), which this command does not copy: back the bucket up with the "
                    "store's own means (versioning, replication to another bucket, or `aws s3 sync` to another "
                    'machine); see docs/deployment.md, "Backups with uploads in a store".'
                )
            )
        if manifest["skipped"]:
            # A restore takes back regular files only, so links are not archived.
            self.stdout.write(
                self.style.WARNING(
                    f"Left out {len(manifest['skipped'])} entries of MEDIA_ROOT that are not regular files "
                    f"(links, devices): {', '.join(manifest['skipped'][:10])}"
                )
            )
