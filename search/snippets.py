"""Highlighting the reader's words in the article's own text.

The text is shown as written, with its diacritics and hamzas; a word is
marked when its analyzed form is one of the query's terms, so `احمد` marks
`أَحْمَد`. The result is a list of (text, matched) pieces for the template
to escape and wrap, never HTML built here.
"""

from functools import lru_cache

from arabic.analysis import WRITTEN_WORD as WORD
from arabic.analysis import stem, tokenize

SNIPPET_WORDS = 40


@lru_cache(maxsize=50_000)
def word_term(word: str) -> str:
    tokens = tokenize(word)
    return stem(tokens[0]) if tokens else ""


def highlight(text: str, terms) -> list[tuple[str, bool]]:
    """All of `text` in pieces, the words whose term is in `terms` marked."""
    pieces, start = [], 0
    for match in WORD.finditer(text):
        if word_term(match.group()) in terms:
            if match.start() > start:
                pieces.append((text[start : match.start()], False))
            pieces.append((match.group(), True))
            start = match.end()
    if start < len(text):
        pieces.append((text[start:], False))
    return pieces


def snippet(text: str, terms, *, size: int = SNIPPET_WORDS) -> list[tuple[str, bool]]:
    """The `size`-word passage of `text` with the most of `terms` (the most distinct first), highlighted.

    Returns [] when no word of `text` matches, so the caller can show something else.
    """
    words = list(WORD.finditer(text))
    matched = [word_term(word.group()) in terms and word_term(word.group()) for word in words]
    if not any(matched):
        return []
    best = _best_window(matched, size)
    # No match lies between `best` and the window's first match: moving up to a
    # few words before it loses none and gives the reader the words that follow.
    first = max(best, min(_first_match(matched, best) - size // 4, len(words) - size))
    last = min(len(words), first + size) - 1
    start, end = words[first].start(), words[last].end()
    pieces = highlight(text[start:end].replace("\n", " "), terms)
    if start > 0:
        pieces.insert(0, ("… ", False))
    if end < len(text.rstrip()):
        pieces.append((" …", False))
    return pieces


def _best_window(matched, size: int) -> int:
    """Where the first `size`-word window with the most distinct terms (then the most matches) starts.

    Slid one word at a time, counting what enters and leaves: a long article's
    body costs a pass over its words, not `size` for each of them.
    """
    counts: dict[str, int] = {}
    hits = 0

    def enter(term):
        nonlocal hits
        if term:
            counts[term] = counts.get(term, 0) + 1
            hits += 1

    def leave(term):
        nonlocal hits
        if term:
            counts[term] -= 1
            if not counts[term]:
                del counts[term]
            hits -= 1

    for term in matched[:size]:
        enter(term)
    best, best_score = 0, (len(counts), hits)
    for first in range(1, len(matched) - size + 1):
        leave(matched[first - 1])
        enter(matched[first + size - 1])
        score = (len(counts), hits)
        if score > best_score:
            best, best_score = first, score
    return best


def _first_match(matched, start):
    """Index of the first matched word at or after `start`: the window opens a little before it."""
    return next(index for index in range(start, len(matched)) if matched[index])
