"""BM25 as the database computes it, as the second pass recomputes it, and the candidates in between."""

import math

import pytest

from search.backends import NO_FILTERS, bm25_rescore, search_index
from search.query import terms_selective
from search.services import search_hits
from testing.helpers import indexed_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(home):
    texts = [
        ("الانتخابات البلدية في حلب", "جرت الانتخابات البلدية في حلب وسط إقبال ضعيف على الانتخابات."),
        ("حلب تستعد للشتاء", "تستعد حلب لشتاء قاس مع نقص الوقود."),
        ("الوقود في دمشق", "طوابير الوقود تطول في دمشق وحلب."),
        ("مهرجان ثقافي", "افتتح المهرجان الثقافي في حمص بحضور جمهور كبير."),
        ("حمص وحلب ودمشق", "زيارة ثلاث مدن: حمص وحلب ودمشق، ولقاءات مع الأهالي عن الوقود والانتخابات."),
    ]
    return [indexed_article(title, body) for title, body in texts]


def test_second_pass_scores_equal_the_databases_bm25(corpus):
    index = search_index()
    terms = ["حلب", "وقود", "انتخاب"]
    hits = index.search(terms=terms, phrases=[], filters=NO_FILTERS, newest_first=False, offset=0, limit=10)
    documents, average_length = index.statistics()
    rescored = dict(
        bm25_rescore(
            hits.ids, terms, index.document_frequencies(terms), documents=documents, average_length=average_length
        )
    )
    assert len(hits.ids) == 4  # the festival story has none of the words
    for pk, score in zip(hits.ids, hits.scores, strict=True):
        assert math.isclose(rescored[pk], score, rel_tol=1e-9), (pk, rescored[pk], score)
    assert hits.scores == sorted(hits.scores, reverse=True)


def test_common_words_rank_but_do_not_select(corpus, monkeypatch):
    # With a limit of one document, only the rarest word picks the candidates...
    monkeypatch.setattr("search.services.COMMON_TERM_LIMIT", 1)
    found = search_hits(text="حلب مهرجان")
    assert [corpus[3].pk] == found.ids
    # ...while the common word still orders the candidates it did not pick.
    found = search_hits(text="حلب حمص")
    assert found.ids == [corpus[4].pk, corpus[3].pk]


def test_terms_selective_keeps_rare_words_or_the_rarest():
    frequencies = {"a": 5, "b": 50, "c": 500}
    assert terms_selective(["a", "b", "c"], frequencies, limit=60) == ["a", "b"]
    assert terms_selective(["b", "c"], frequencies, limit=10) == ["b"]
    assert terms_selective([], frequencies, limit=10) == []
