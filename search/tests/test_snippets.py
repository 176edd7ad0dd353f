"""The snippet's passage: the window with the most distinct query terms, found in one pass."""

import random

import pytest

from search.snippets import _best_window, snippet


def best_window_by_counting_each(matched, size):
    """Every window counted afresh: what `_best_window` must agree with."""
    best, best_score = 0, (-1, -1)
    for first in range(max(1, len(matched) - size + 1)):
        window = [term for term in matched[first : first + size] if term]
        score = (len(set(window)), len(window))
        if score > best_score:
            best, best_score = first, score
    return best


@pytest.mark.parametrize("seed", range(200))
def test_the_sliding_window_finds_the_same_passage_as_counting_every_window(seed):
    chance = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    size = chance.choice([1, 3, 5, 40])
    words = chance.randint(0, 120)
    matched = [chance.choice([False, False, False, "حكم", "سور", "دمشق"]) for _ in range(words)]
    assert _best_window(matched, size) == best_window_by_counting_each(matched, size)


def test_the_passage_with_both_words_beats_an_earlier_one_with_one_repeated():
    text = " ".join(["الحكومة"] * 5 + ["كلمة"] * 60 + ["الحكومة", "السورية"] + ["كلمة"] * 60)
    pieces = snippet(text, {"حكوم", "سور"}, size=10)
    assert [piece for piece, marked in pieces if marked] == ["الحكومة", "السورية"]
    assert pieces[0] == ("… ", False) and pieces[-1] == (" …", False)
