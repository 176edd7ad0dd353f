from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from news.models import HomePage
from wordpress.services import section_map_read, wxr_import


class Command(BaseCommand):
    help = "Import a WordPress export (WXR): authors, categories, tags, posts, comments, view counts, old URLs."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The .xml file from WordPress's Tools → Export.")
        parser.add_argument(
            "--uploads", type=Path, help="A copy of the site's wp-content/uploads folder, for images and attachments."
        )
        parser.add_argument(
            "--section-map",
            type=Path,
            help="A CSV file of «category,Section / Subsection» rows: where each category's posts go.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen and change nothing.")

    def handle(self, *, path, uploads, section_map, dry_run, verbosity, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"No such folder: {uploads}")
        mapping = None
        if section_map is not None:
            try:
                mapping = section_map_read(section_map)
            except (OSError, ValueError) as error:
                raise CommandError(f"{section_map}: {error}") from None
        if HomePage.objects.first() is None:
            raise CommandError("There is no home page; run `manage.py migrate` first.")
        with tqdm(desc="Items", unit="item", disable=verbosity == 0) as bar:
            report = wxr_import(path, uploads=uploads, section_map=mapping, dry_run=dry_run, progress=bar.update)
        heading = "Dry run: nothing was changed. It would have" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(heading + ":"))
        for label, counts in (
            ("created", report.created),
            ("updated", report.updated),
            ("unchanged since the last import", report.unchanged),
            ("left alone (changed in Nashir)", report.kept),
            ("skipped", report.skipped),
        ):
            if counts:
                self.stdout.write(
                    f"  {label}: " + ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
                )
        if verbosity and report.left_alone:
            self.stdout.write(f"{len(report.left_alone)} item(s) left as they are in Nashir:")
            for what, why in report.left_alone:
                self.stdout.write(f"  {what}: {why}")
        if verbosity and report.problems:
            self.stdout.write(f"{len(report.problems)} item(s) not carried over whole:")
            for what, why in report.problems:
                self.stdout.write(f"  {what}: {why}")
        if report.error:
            raise CommandError(
                f"{path}: {report.error}. What came before it was imported." if not dry_run else report.error
            )
