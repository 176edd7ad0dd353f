"""Keeping the search index current and answering readers' searches."""

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch

from arabic.analysis import index_terms, written_words
from news.models import ArticleAuthor, ArticlePage, SectionPage
from search.backends import NO_FILTERS, Hits, bm25_rescore, search_index
from search.models import SearchEntry, Spelling
from search.query import MAX_TERM_LENGTH, ParsedQuery, corrections, query_parse, terms_resolve, terms_selective
from search.snippets import highlight, snippet

PAGE_SIZE = 10
# Past this many pages a reader refines the query instead; deep pages cost the most.
MAX_PAGES = 50
INDEX_BATCH_SIZE = 200
# A query word in more articles than this does not make an article a result
# on its own when rarer words are present (see `terms_selective`); it still
# counts in the ranking.
COMMON_TERM_LIMIT = 2000
# How many candidates the second pass scores with every query word.
RERANK_DEPTH = 200


def _terms(text):
    return " ".join(term[:MAX_TERM_LENGTH] for term in index_terms(text))


def entry_build(article, *, section_titles) -> SearchEntry:
    """The index entry of a published article; `section_titles` maps section paths to titles."""
    ancestors = [article.path[:end] for end in range(4, len(article.path), 4)]
    sections = [section_titles[path] for path in ancestors if path in section_titles]
    names = [
        *sections,
        *(tag.name for tag in article.tags.all()),
        *(byline.author.name for byline in article.bylines.all()),
        article.desk.name if article.desk else "",
    ]
    body = article.body_text()
    fields = {
        "title_terms": _terms(article.title),
        "standfirst_terms": _terms(article.standfirst),
        "body_terms": _terms(body),
        "meta_terms": _terms(" \n ".join(name for name in names if name)),
    }
    return SearchEntry(
        page_id=article.pk,
        path=article.path,
        first_published_at=article.first_published_at,
        title=article.title,
        standfirst=article.standfirst,
        body=body,
        length=sum(len(terms.split()) for terms in fields.values()),
        **fields,
    )


def _indexable():
    return (
        ArticlePage.objects.published()
        .select_related("desk")
        .prefetch_related("tags", Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author")))
    )


def _section_titles():
    return dict(SectionPage.objects.values_list("path", "title"))


def spelling_counts(texts) -> Counter:
    """{(form, spelling): occurrences} of the words in `texts`, as `search.models.Spelling` counts them."""
    return Counter(pair for text in texts for pair in written_words(text) if len(pair[1]) <= MAX_TERM_LENGTH)


def _entries_spellings(entries) -> Counter:
    """Spelling counts of entries given as rows of (title, standfirst, body)."""
    return spelling_counts(text for texts in entries for text in texts)


def articles_sync(page_ids, *, progress=None) -> int:
    """Index the published articles among `page_ids` afresh and drop the rest; returns how many are indexed.

    `progress(n)`, if given, is called after each batch of n articles.
    """
    page_ids = list(page_ids)
    indexed = 0
    section_titles = _section_titles()
    for start in range(0, len(page_ids), INDEX_BATCH_SIZE):
        batch = page_ids[start : start + INDEX_BATCH_SIZE]
        entries = [entry_build(article, section_titles=section_titles) for article in _indexable().filter(pk__in=batch)]
        with transaction.atomic():
            old = SearchEntry.objects.filter(pk__in=batch)
            spellings = _entries_spellings((entry.title, entry.standfirst, entry.body) for entry in entries)
            spellings.subtract(_entries_spellings(old.values_list("title", "standfirst", "body")))
            old.delete()
            SearchEntry.objects.bulk_create(entries)
            index = search_index()
            index.entries_written(entries)
            index.spellings_counted(spellings)
        indexed += len(entries)
        if progress:
            progress(len(batch))
    return indexed


def articles_unindex(page_ids):
    entries = SearchEntry.objects.filter(pk__in=list(page_ids))
    with transaction.atomic():
        spellings = _entries_spellings(entries.values_list("title", "standfirst", "body"))
        entries.delete()
        index = search_index()
        index.entries_removed()
        index.spellings_counted({pair: -n for pair, n in spellings.items()})


def entries_stale_for(*, name, path="", article_ids=None):
    """Ids of indexed articles (under `path`, or among `article_ids`) whose names don't include `name` yet.

    A renamed section, author or desk only re-indexes the entries that still
    carry the old name; saving without a change re-indexes nothing.
    """
    entries = SearchEntry.objects.all()
    if path:
        entries = entries.filter(path__startswith=path)
    if article_ids is not None:
        entries = entries.filter(pk__in=article_ids)
    return list(entries.exclude(meta_terms__contains=_terms(name)).values_list("pk", flat=True))


def index_rebuild(*, progress=None) -> int:
    """Re-index every published article from scratch; `progress(n)` is called after each batch."""
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        Spelling.objects.all().delete()
    indexed = articles_sync(
        ArticlePage.objects.published().order_by("pk").values_list("pk", flat=True), progress=progress
    )
    search_index().optimize()
    return indexed


@dataclass
class SearchResult:
    article: ArticlePage
    title: list
    snippet: list


@dataclass
class SearchOutcome:
    query: ParsedQuery
    results: list[SearchResult] = field(default_factory=list)
    total: int = 0
    number: int = 1
    per_page: int = PAGE_SIZE
    # When nothing the reader typed is in the index: the query searched instead.
    corrected: str = ""
    # A better spelling of the query when some of its words are unknown.
    suggestion: str = ""
    # No article had a quoted phrase: the results have its words anywhere.
    phrases_dropped: bool = False

    @property
    def num_pages(self):
        return min(MAX_PAGES, math.ceil(self.total / self.per_page)) if self.total else 1

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.num_pages

    @property
    def start_index(self):
        return (self.number - 1) * self.per_page + 1


@dataclass
class SearchHits:
    """What the index found for a query, before any page is loaded."""

    query: ParsedQuery
    terms: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    total: int = 0
    number: int = 1
    corrected: str = ""
    suggestion: str = ""
    phrases_dropped: bool = False


def search_hits(*, text, filters=NO_FILTERS, newest_first=False, page=1, per_page=PAGE_SIZE) -> SearchHits:
    """Ids of the published articles matching `text` on page `page`: the query path readers and benchmarks share."""
    query = query_parse(text)
    found = SearchHits(query=query)
    if not query.words:
        return found
    index = search_index()
    terms, unknown = terms_resolve(query.content_words, index.document_frequencies)
    suggestion = _suggestion(query, unknown, index)
    if not terms and suggestion:
        # Nothing the reader typed is in the index: search the correction, and say so.
        found.corrected = suggestion
        terms, _ = terms_resolve(query_parse(suggestion).content_words, index.document_frequencies)
    else:
        found.suggestion = suggestion
    if not terms:
        return found
    frequencies = index.document_frequencies(terms)
    distinctive = terms_selective(terms, frequencies, limit=COMMON_TERM_LIMIT)

    def run(number):
        offset = (number - 1) * per_page
        if newest_first:
            return index.search(
                terms=distinctive,
                phrases=query.phrases,
                filters=filters,
                newest_first=True,
                offset=offset,
                limit=per_page,
            )
        # Candidates by the distinctive words, then every word's BM25 decides the order.
        candidates = index.search(
            terms=distinctive,
            phrases=query.phrases,
            filters=filters,
            newest_first=False,
            offset=0,
            limit=max(RERANK_DEPTH, offset + per_page + RERANK_DEPTH // 2),
        )
        documents, average_length = index.statistics()
        scored = bm25_rescore(candidates.ids, terms, frequencies, documents=documents, average_length=average_length)
        return Hits(ids=[pk for pk, _ in scored[offset : offset + per_page]], total=candidates.total)

    number = max(1, min(page, MAX_PAGES))
    hits = run(number)
    if not hits.total and query.phrases:
        # No article has the quoted words side by side: show those with the words, and say so.
        found.phrases_dropped, query.phrases = True, []
        hits = run(number)
    if not hits.ids and hits.total:
        number = min(MAX_PAGES, math.ceil(hits.total / per_page))
        hits = run(number)
    found.terms, found.ids, found.total, found.number = terms, hits.ids, hits.total, number
    return found


def articles_search(*, text, filters=NO_FILTERS, newest_first=False, page=1, per_page=PAGE_SIZE) -> SearchOutcome:
    """One page of published articles matching `text`, best (or newest) first, with highlighted snippets."""
    found = search_hits(text=text, filters=filters, newest_first=newest_first, page=page, per_page=per_page)
    phrase_terms = {term for phrase in found.query.phrases for term in phrase}
    return SearchOutcome(
        query=found.query,
        results=_results(found.ids, {*found.terms, *phrase_terms}),
        total=found.total,
        number=found.number,
        per_page=per_page,
        corrected=found.corrected,
        suggestion=found.suggestion,
        phrases_dropped=found.phrases_dropped,
    )


def _suggestion(query, unknown, index):
    """The query with each unknown word replaced by its best correction; "" when there is none.

    Every word is spelled as the articles most often write it (`القاهرة`, not
    the folded `القاهره` the index matches on), else as the reader typed it.
    """

    def written(forms):
        return {form: occurrences for form, (_, occurrences) in index.spellings(forms).items()}

    replacements = {}
    for word in unknown[:3]:
        found = corrections(word, index.document_frequencies, written=written)
        if found:
            replacements[word] = found[0][0]
    if not replacements:
        return ""
    forms = " ".join(replacements.get(word, word) for word in query.words).split()
    spellings = index.spellings(forms)
    typed = dict(reversed(written_words(query.text)))
    return " ".join(spellings[form][0] if form in spellings else typed.get(form, form) for form in forms)


def _results(ids, terms):
    articles = ArticlePage.objects.published().for_listing().in_bulk(ids)
    texts = SearchEntry.objects.only("title", "standfirst", "body").in_bulk(ids)
    results = []
    for pk in ids:
        if pk not in articles or pk not in texts:
            continue
        entry = texts[pk]
        passage = (
            snippet(entry.body, terms)
            or snippet(entry.standfirst, terms)
            or highlight(" ".join(entry.standfirst.split()[:40]), terms)
        )
        results.append(SearchResult(article=articles[pk], title=highlight(entry.title, terms), snippet=passage))
    return results
