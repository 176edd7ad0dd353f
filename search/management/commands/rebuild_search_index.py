from django.core.management.base import BaseCommand
from tqdm import tqdm

from news.models import ArticlePage
from search.services import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the readers' search index from every published article."

    def handle(self, *args, verbosity=1, **options):
        total = ArticlePage.objects.published().count()
        with tqdm(total=total, desc="Articles", unit="article", disable=verbosity == 0) as bar:
            indexed = index_rebuild(progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Indexed {indexed} published articles."))
