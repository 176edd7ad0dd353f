from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from news.models import ArticlePage, HomePage
from news.services import ArticleDataError, article_create_or_update, corpus_records_read, planner_statistics_refresh

# Articles written per transaction: a reader's comment waits for one batch
# (a few seconds on SQLite), not for the whole load.
BATCH_SIZE = 100


class Command(BaseCommand):
    help = (
        "Load articles from a JSONL file shaped like ../shared/data/arabic-news.jsonl "
        "(id, title, body, category_ar, date, source, url). Re-running updates instead of "
        "duplicating; a bad line stops the load before anything is written. Written "
        f"{BATCH_SIZE} articles per transaction, so that readers can write in between."
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

        title_length = ArticlePage._meta.get_field("title").max_length
        for data in records:
            if len(data.title) > title_length:
                raise CommandError(
                    f"{path}: article {data.external_id!r} has a title longer than {title_length} characters. "
                    "Nothing was loaded."
                )

        created = updated = 0
        with tqdm(total=len(records), desc="Articles", unit="article", disable=verbosity == 0) as bar:
            for start in range(0, len(records), BATCH_SIZE):
                batch_created = batch_updated = 0
                with transaction.atomic():
                    for data in records[start : start + BATCH_SIZE]:
                        try:
                            _, was_created = article_create_or_update(home=home, data=data)
                        except ValidationError as error:
                            loaded = (
                                f"The {start} articles before its batch were loaded; re-running updates them."
                                if start
                                else "Nothing was loaded."
                            )
                            raise CommandError(
                                f"{path}: article {data.external_id!r} is invalid ({'; '.join(error.messages)}). "
                                + loaded
                            ) from None
                        batch_created += was_created
                        batch_updated += not was_created
                created, updated = created + batch_created, updated + batch_updated
                bar.update(batch_created + batch_updated)
        planner_statistics_refresh()
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(records)} articles: {created} created, {updated} updated."))
