from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from news.models import HomePage
from news.services import ArticleDataError, article_create_or_update, corpus_records_read


class Command(BaseCommand):
    help = (
        "Load articles from a JSONL file shaped like ../shared/data/arabic-news.jsonl "
        "(id, title, body, category_ar, date, source, url). Re-running updates instead of "
        "duplicating; a bad line stops the load before anything is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--limit", type=int, help="Load only the first N articles.")

    def handle(self, *, path, limit, verbosity, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("There is no home page; run `manage.py migrate` first.")
        try:
            records = corpus_records_read(path, limit=limit)
        except ArticleDataError as error:
            raise CommandError(f"{path}: {error}. Nothing was loaded.") from None

        created = updated = 0
        with transaction.atomic():
            for data in tqdm(records, desc="Articles", unit="article", disable=verbosity == 0):
                try:
                    _, was_created = article_create_or_update(home=home, data=data)
                except ValidationError as error:
                    raise CommandError(
                        f"{path}: article {data.external_id!r} is invalid ({'; '.join(error.messages)}). "
                        "Nothing was loaded."
                    ) from None
                created += was_created
                updated += not was_created
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(records)} articles: {created} created, {updated} updated."))
