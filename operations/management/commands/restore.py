from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import (
    BackupError,
    backup_restore,
    backup_verify,
    media_copy_command,
    restore_plan,
    rollback_command,
)
from operations.media import media_store_description


class Command(BaseCommand):
    help = (
        "Replace the database with the one in a `manage.py backup` archive and put back its media files. "
        "Without --yes, only checks the archive and says what would be replaced. Stop the site first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="Really replace the database and media files.")
        parser.add_argument(
            "--without-checksums",
            action="store_true",
            help="Accept an archive of an earlier version of Nashir, which has no checksums (every other check runs).",
        )

    def handle(self, *, archive, yes, without_checksums, verbosity, **options):
        try:
            if not yes:
                manifest = backup_verify(path=archive, unverified=without_checksums)
                self.stdout.write(f"{archive} passed every check.")
                self.stdout.write("\n".join(restore_plan(manifest)))
                raise CommandError("Nothing was changed. Run again with --yes to restore.")
            restored = backup_restore(path=archive, unverified=without_checksums)
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest, snapshot = restored["manifest"], restored["snapshot"]
        if verbosity > 1:
            self.stdout.write("\n".join(restore_plan(manifest)))
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored the database and {restored['media_files']} media files from {archive} "
                    f"(made {manifest['created']})."
                )
            )
        if restored["media_left"]:
            self.stdout.write(
                self.style.WARNING(
                    f"The archive's {restored['media_left']} media files were not restored: this site keeps uploads "
                    f"in {media_store_description()}. To copy them there, in an empty folder:"
                )
            )
            self.stdout.write(f"  {media_copy_command(archive.resolve())}")
        if snapshot:
            self.stdout.write(f"The state before the restore was saved to {snapshot}. To go back to it:")
            self.stdout.write(f"  {rollback_command(snapshot)}")
        if restored["needs_migrate"]:
            self.stdout.write(self.style.WARNING("The code has newer migrations: run `manage.py migrate` now."))
