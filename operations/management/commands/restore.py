from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, backup_inspect, backup_restore, restore_check, restore_plan


class Command(BaseCommand):
    help = (
        "Replace the database with the one in a `manage.py backup` archive and put back its media files. "
        "Without --yes, only checks the archive and says what would be replaced. Stop the site first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="Really replace the database and media files.")

    def handle(self, *, archive, yes, verbosity, **options):
        try:
            manifest = backup_inspect(archive)
            restore_check(manifest)
            if not yes or verbosity > 1:
                self.stdout.write("\n".join(restore_plan(manifest)))
            if not yes:
                raise CommandError("Nothing was changed. Run again with --yes to restore.")
            restored = backup_restore(path=archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored the database and {restored['media_files']} media files from {archive} "
                    f"(made {manifest['created']})."
                )
            )
        if restored["needs_migrate"]:
            self.stdout.write(self.style.WARNING("The code has newer migrations: run `manage.py migrate` now."))
