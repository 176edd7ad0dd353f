"""Where the search index lives: FTS5 on SQLite, a postings table on PostgreSQL.

Both rank with the BM25 of SQLite's FTS5 (k1 1.2, b 0.75, idf floored at
1e-6, document length over all fields, field weights applied to the term
frequency), so the same query ranks the same documents the same way on either
database. PostgreSQL's own `ts_rank` was not used: it ignores how rare a word
is, and common words then decide the order.

The analysis happens in Python (`arabic.analysis`) before text reaches either
backend; the database only stores and counts terms.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db import connection

from news.models import ArticleAuthor, ArticlePage
from search.models import Posting, SearchEntry, Spelling

# Title above standfirst above body; names (tags, sections, bylines) between.
FIELD_WEIGHTS = {"title_terms": 3.0, "standfirst_terms": 2.0, "body_terms": 1.0, "meta_terms": 1.5}
K1 = 1.2
B = 0.75
FTS_TABLE = "search_fts"
FTS_VOCAB_TABLE = "search_fts_vocab"
STATS_CACHE_KEY = "search:stats"
# Rows per statement when counting spellings: three parameters each, under SQLite's old 999 limit.
SPELLING_BATCH = 300


@dataclass(frozen=True)
class Filters:
    section_path: str = ""
    author_id: int | None = None
    desk_id: int | None = None
    published_from: datetime | None = None
    published_before: datetime | None = None

    def where(self, alias="e"):
        """SQL conditions on the entry table and their parameters (dates adapted as the ORM would)."""
        clauses, params = [], []
        if self.section_path:
            clauses.append(f"{alias}.path LIKE %s")
            params.append(self.section_path + "%")
        if self.author_id is not None:
            table = ArticleAuthor._meta.db_table
            clauses.append(f"{alias}.page_id IN (SELECT article_id FROM {table} WHERE author_id = %s)")
            params.append(self.author_id)
        if self.desk_id is not None:
            table = ArticlePage._meta.db_table
            clauses.append(f"{alias}.page_id IN (SELECT page_ptr_id FROM {table} WHERE desk_id = %s)")
            params.append(self.desk_id)
        if self.published_from is not None:
            clauses.append(f"{alias}.first_published_at >= %s")
            params.append(connection.ops.adapt_datetimefield_value(self.published_from))
        if self.published_before is not None:
            clauses.append(f"{alias}.first_published_at < %s")
            params.append(connection.ops.adapt_datetimefield_value(self.published_before))
        return clauses, params

    def __bool__(self):
        return any((self.section_path, self.author_id, self.desk_id, self.published_from, self.published_before))


NO_FILTERS = Filters()


@dataclass(frozen=True)
class Hits:
    ids: list[int]
    total: int
    # BM25 scores of `ids` (higher is better); for newest-first searches too.
    scores: list[float] = field(default_factory=list)


def bm25_idf(documents: int, frequency: int) -> float:
    """FTS5's idf: log((N - n + .5) / (n + .5)), floored so that very common terms still count a little."""
    idf = math.log((documents - frequency + 0.5) / (frequency + 0.5))
    return idf if idf > 0 else 1e-6


class BaseIndex:
    """One search's view of the index; document frequencies looked up once are kept for the rest of it."""

    def __init__(self):
        self._frequencies = {}
        self._spellings = {}

    def document_frequencies(self, terms):
        missing = [term for term in terms if term not in self._frequencies]
        if missing:
            found = self._lookup_frequencies(missing)
            self._frequencies.update({term: found.get(term, 0) for term in missing})
        return {term: self._frequencies[term] for term in terms if self._frequencies[term]}

    def spellings(self, forms):
        """{form: (its most frequent spelling in the articles, occurrences in all spellings)} for the forms they have.

        Of spellings as frequent as each other, one that is not the folded
        form wins: folding loses letters (`ة`, `أ`), so it is the likelier one
        to have been typed carefully.
        """
        missing = [form for form in forms if form not in self._spellings]
        if missing:
            found = {}
            for start in range(0, len(missing), SPELLING_BATCH):
                rows = Spelling.objects.filter(form__in=missing[start : start + SPELLING_BATCH], occurrences__gt=0)
                for form, written, occurrences in rows.values_list("form", "written", "occurrences"):
                    found.setdefault(form, []).append((occurrences, written))
            for form in missing:
                options = sorted(found.get(form, ()), key=lambda option: (-option[0], option[1] == form, option[1]))
                self._spellings[form] = (options[0][1], sum(n for n, _ in options)) if options else None
        return {form: self._spellings[form] for form in forms if self._spellings[form]}

    def spellings_counted(self, counts):
        """Add `counts` {(form, written): n} to the spellings (n < 0 takes occurrences away).

        One upsert for both databases; rows in key order, so that two writers
        lock them in the same order.
        """
        table = connection.ops.quote_name(Spelling._meta.db_table)
        rows = sorted((form, written, n) for (form, written), n in counts.items() if n)
        with connection.cursor() as cursor:
            for start in range(0, len(rows), SPELLING_BATCH):
                batch = rows[start : start + SPELLING_BATCH]
                values = ", ".join(["(%s, %s, %s)"] * len(batch))
                cursor.execute(
                    f"INSERT INTO {table} (form, written, occurrences) VALUES {values} ON CONFLICT (form, written) "
                    f"DO UPDATE SET occurrences = {table}.occurrences + excluded.occurrences",
                    [value for row in batch for value in row],
                )
            emptied = sorted({form for form, _, n in rows if n < 0})
            for start in range(0, len(emptied), SPELLING_BATCH):
                batch = emptied[start : start + SPELLING_BATCH]
                cursor.execute(
                    f"DELETE FROM {table} WHERE form IN ({', '.join(['%s'] * len(batch))}) AND occurrences <= 0", batch
                )

    def entries_removed(self):
        """Entries were deleted (on PostgreSQL the postings follow by cascade)."""
        cache.delete(STATS_CACHE_KEY)

    def statistics(self):
        """(documents, average length), cached until the index changes.

        Deleting a page removes its entry by cascade without telling the cache;
        one document more or less for ten minutes does not move a ranking.
        """
        stats = cache.get(STATS_CACHE_KEY)
        if stats is None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*), coalesce(sum(length), 0) FROM {SearchEntry._meta.db_table}")
                documents, tokens = cursor.fetchone()
            stats = (documents, tokens / documents if documents else 1.0)
            cache.set(STATS_CACHE_KEY, stats, 600)
        return stats

    def count(self, terms, phrases, filters):
        return self.search(terms=terms, phrases=phrases, filters=filters, newest_first=False, offset=0, limit=1).total


class SqliteIndex(BaseIndex):
    """An FTS5 table over the entries' term columns (external content, kept in step by triggers)."""

    def _lookup_frequencies(self, terms):
        placeholders = ", ".join(["%s"] * len(terms))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT term, doc FROM {FTS_VOCAB_TABLE} WHERE term IN ({placeholders})", list(terms))
            return dict(cursor.fetchall())

    def search(self, *, terms, phrases, filters, newest_first, offset, limit):
        entry_table = SearchEntry._meta.db_table
        match = " OR ".join(f'"{term}"' for term in terms)
        weights = ", ".join(str(weight) for weight in FIELD_WEIGHTS.values())
        where, params = filters.where()
        where.insert(0, f"{FTS_TABLE} MATCH %s")
        params.insert(0, match)
        for phrase in phrases:
            where.append(f"{FTS_TABLE}.rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)")
            params.append('"' + " ".join(phrase) + '"')
        join = f"JOIN {entry_table} e ON e.page_id = {FTS_TABLE}.rowid" if (filters or newest_first) else ""
        published = "e.first_published_at" if newest_first else "NULL"
        order = "published DESC, id DESC" if newest_first else "score DESC, id DESC"
        # bm25() only works in the query that scans the FTS table; the count over
        # all matches is taken outside it.
        sql = (
            f"SELECT id, score, count(*) OVER () FROM (SELECT {FTS_TABLE}.rowid AS id, "
            f"-bm25({FTS_TABLE}, {weights}) AS score, {published} AS published "
            f"FROM {FTS_TABLE} {join} WHERE {' AND '.join(where)}) "
            f"ORDER BY {order} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            rows = cursor.fetchall()
        return _hits(rows, offset, lambda: self.count(terms, phrases, filters))

    def entries_written(self, entries):
        """The triggers have indexed the rows; only the cached statistics are out of date."""
        cache.delete(STATS_CACHE_KEY)

    def optimize(self):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


class PostgresIndex(BaseIndex):
    """A postings table (term, entry, weighted tf, length) scored with FTS5's BM25 in SQL."""

    def _lookup_frequencies(self, terms):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, count(*) FROM {Posting._meta.db_table} WHERE term = ANY(%s) GROUP BY term",
                [list(terms)],
            )
            return dict(cursor.fetchall())

    def search(self, *, terms, phrases, filters, newest_first, offset, limit):
        documents, average_length = self.statistics()
        frequencies = self.document_frequencies(terms)
        known = [term for term in terms if frequencies.get(term)]
        if not known:
            return Hits(ids=[], total=0)
        idfs = [bm25_idf(documents, frequencies[term]) for term in known]
        entry_table, posting_table = SearchEntry._meta.db_table, Posting._meta.db_table
        where, params = filters.where()
        for phrase in phrases:
            # Entries with every word of the phrase, then the words side by side in one field.
            has_words = " INTERSECT ".join([f"SELECT entry_id FROM {posting_table} WHERE term = %s"] * len(phrase))
            adjacent = " OR ".join(f"(' ' || e.{column} || ' ') LIKE %s" for column in FIELD_WEIGHTS)
            where.append(f"e.page_id IN ({has_words}) AND ({adjacent})")
            params.extend([*phrase, *["% " + " ".join(phrase) + " %"] * len(FIELD_WEIGHTS)])
        join = f"JOIN {entry_table} e ON e.page_id = s.entry_id" if (where or newest_first) else ""
        order = "e.first_published_at DESC, s.entry_id DESC" if newest_first else "s.score DESC, s.entry_id DESC"
        sql = (
            "WITH q(term, idf) AS (SELECT * FROM unnest(%s::text[], %s::float8[])), "
            f"s AS (SELECT p.entry_id, sum(q.idf * p.tf * {K1 + 1} / "
            f"(p.tf + {K1} * ({1 - B} + {B} * p.length / %s))) AS score "
            f"FROM {posting_table} p JOIN q ON q.term = p.term GROUP BY p.entry_id) "
            f"SELECT s.entry_id, s.score, count(*) OVER () FROM s {join} "
            f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {order} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [known, idfs, average_length, *params, limit, offset])
            rows = cursor.fetchall()
        return _hits(rows, offset, lambda: self.count(known, phrases, filters))

    def entries_written(self, entries):
        cache.delete(STATS_CACHE_KEY)
        if not entries:
            return
        # COPY: a rebuild writes a few hundred postings per article.
        with connection.cursor() as cursor:
            with cursor.copy(f"COPY {Posting._meta.db_table} (entry_id, term, tf, length) FROM STDIN") as copy:
                for entry in entries:
                    for term, tf in entry_term_frequencies(entry).items():
                        copy.write_row((entry.pk, term, tf, entry.length))

    def optimize(self):
        """Fresh planner statistics, and after a bulk load a visibility map so term lookups read only the index."""
        cache.delete(STATS_CACHE_KEY)
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(f"{command} {Posting._meta.db_table}")
            cursor.execute(f"{command} {SearchEntry._meta.db_table}")


def bm25_rescore(ids, terms, frequencies, *, documents, average_length):
    """[(id, score)] of the entries `ids` for all of `terms`, best first, by the formula FTS5 uses.

    The second pass of a search: the database picks candidates by the query's
    distinctive words, and this scores them for every word, common ones too.
    """
    idfs = {term: bm25_idf(documents, frequencies[term]) for term in terms if frequencies.get(term)}
    rows = SearchEntry.objects.filter(pk__in=ids).values_list("pk", *FIELD_WEIGHTS, "length")
    scored = []
    title_weight, standfirst_weight, body_weight, meta_weight = FIELD_WEIGHTS.values()
    for pk, title, standfirst, body, meta, length in rows:
        # Counting " term " in a text with every space doubled counts each
        # occurrence (repeats side by side too), at C speed; the loop is
        # unrolled by field because this runs for every candidate.
        title, standfirst, body, meta = (
            " " + text.replace(" ", "  ") + " " for text in (title, standfirst, body, meta)
        )
        norm = K1 * (1 - B + B * length / average_length)
        score = 0.0
        for term, idf in idfs.items():
            needle = f" {term} "
            tf = (
                title_weight * title.count(needle)
                + standfirst_weight * standfirst.count(needle)
                + body_weight * body.count(needle)
                + meta_weight * meta.count(needle)
            )
            if tf:
                score += idf * tf * (K1 + 1) / (tf + norm)
        scored.append((pk, score))
    scored.sort(key=lambda item: (-item[1], -item[0]))
    return scored


def entry_term_frequencies(entry):
    """{term: field-weighted frequency}, as FTS5 counts a term's hits in a row."""
    frequencies = {}
    for column, weight in FIELD_WEIGHTS.items():
        for term in getattr(entry, column).split():
            frequencies[term] = frequencies.get(term, 0.0) + weight
    return frequencies


def _hits(rows, offset, count):
    """Hits from result rows; past the last page the total needs a query of its own."""
    if rows:
        return Hits(ids=[row[0] for row in rows], total=rows[0][2], scores=[row[1] for row in rows])
    return Hits(ids=[], total=count() if offset else 0)


def search_index():
    """The index for the database in use."""
    return PostgresIndex() if connection.vendor == "postgresql" else SqliteIndex()
