from django.core.management.base import BaseCommand

from news.photos import images_strip_metadata


class Command(BaseCommand):
    help = (
        "Remove EXIF (GPS, camera), XMP and IPTC metadata from images uploaded before uploads were cleaned: "
        "rewrites each original, updates its size and hash, deletes its renditions (made again on demand)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count the images with metadata; change nothing.")

    def handle(self, *, dry_run, verbosity, **options):
        counts = images_strip_metadata(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{counts.with_metadata} of {counts.checked} images carry metadata; nothing was changed.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{counts.cleaned} of {counts.checked} images cleaned, "
                    f"{counts.renditions_deleted} renditions deleted."
                )
            )
        if counts.failed:
            self.stderr.write(
                self.style.WARNING(f"{counts.failed} images could not be read or rewritten (see the log).")
            )
