"""The reader-facing search index: one entry per published article.

An entry keeps the article's text twice: as written (for snippets) and as
analyzed terms (for matching). On SQLite an FTS5 table indexes the term
columns (kept in step by triggers, see migration 0002); on PostgreSQL the
`Posting` table holds the same terms with their weighted frequencies, so both
rank with the same BM25 formula. `Spelling`, on both, keeps how the articles
write each word, for suggestions.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    page = models.OneToOneField(
        "news.ArticlePage", primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    # The page's tree path, so that a section filter includes its subsections.
    path = models.CharField(max_length=255, db_index=True)
    first_published_at = models.DateTimeField(db_index=True)
    title = models.TextField()
    standfirst = models.TextField(blank=True)
    body = models.TextField(blank=True)
    title_terms = models.TextField()
    standfirst_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    # Tags, sections, authors and desk: searchable names that are not in the text.
    meta_terms = models.TextField(blank=True)
    # Terms in all fields together: BM25's document length.
    length = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("مدخل في فهرس البحث")
        verbose_name_plural = _("مداخل فهرس البحث")

    def __str__(self):
        return self.title


class Posting(models.Model):
    """A term of an entry with its field-weighted frequency (PostgreSQL only).

    `length` repeats the entry's length so that scoring reads only this table.
    """

    pk = models.CompositePrimaryKey("entry", "term")
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=100)
    tf = models.FloatField()
    length = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["term"], include=["entry", "tf", "length"], name="search_posting_term")]

    def __str__(self):
        return f"{self.term} @ {self.entry_id}"


class Spelling(models.Model):
    """How often the indexed articles write a word (its normalized form) one way: `القاهره` as `القاهرة`.

    Counted over the entries' title, standfirst and body, all entries together,
    so that a suggestion is shown as the articles spell it. Kept in step with
    the entries by `search.services`; a count that reaches zero is removed.
    """

    pk = models.CompositePrimaryKey("form", "written")
    form = models.CharField(max_length=100)
    written = models.CharField(max_length=100)
    occurrences = models.IntegerField()

    def __str__(self):
        return f"{self.form} → {self.written} ({self.occurrences})"
