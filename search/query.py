"""From what the reader typed to the terms the index is asked for.

The same analysis as the index (`arabic.analysis`), plus what only a query
needs: quoted phrases, dropping stopwords unless nothing else is left, and
choosing between a word and its form without a one-letter proclitic
(بسوريا → سوريا) by what the index actually holds. When no word is known,
`corrections` proposes spelling-near index terms and splits of words typed
together.
"""

import re
from dataclasses import dataclass, field

from arabic.analysis import ARABIC_LETTERS, index_terms, is_stopword, prefix_variants, stem, tokenize
from arabic.text import normalize

MAX_QUERY_LENGTH = 256
# More words than this add nothing but cost; the rest of a pasted paragraph is ignored.
MAX_WORDS = 32
MAX_TERM_LENGTH = 60
PHRASE = re.compile(r'"([^"]*)"')
# Letters a typo can put in or take out, in normalized form.
ALPHABET = "ءابتثجحخدذرزسشصضطظعغفقكلمنهوي"
LATIN_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
MIN_SPLIT_PART = 2


@dataclass
class ParsedQuery:
    text: str
    words: list[str] = field(default_factory=list)
    phrases: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def content_words(self):
        """The words that carry meaning; all words when there are only stopwords."""
        return [word for word in self.words if not is_stopword(word)] or self.words


def query_parse(text: str) -> ParsedQuery:
    """Words and quoted phrases («…» and "…" alike) of a query, normalized."""
    normalized = normalize(text[:MAX_QUERY_LENGTH])
    phrases = []
    for quoted in PHRASE.findall(normalized):
        terms = tuple(term[:MAX_TERM_LENGTH] for term in index_terms(quoted))
        if len(terms) > 1 and terms not in phrases:
            phrases.append(terms)
    words = []
    for word in tokenize(normalized):
        if word not in words:
            words.append(word)
    return ParsedQuery(text=text, words=words[:MAX_WORDS], phrases=phrases)


def term_candidates(word: str) -> list[str]:
    """The stem of `word`, then its stems without a one-letter proclitic."""
    return [term[:MAX_TERM_LENGTH] for term in [stem(word), *prefix_variants(word)]]


def terms_resolve(words, frequencies):
    """(terms the index knows, words it knows in no form).

    `frequencies(terms)` gives the document frequency of each term it knows.
    A word's own stem wins when the index has it (كتاب stays كتاب); a form
    without a proclitic is used only when it does not (بسوريا → سوري).
    """
    candidates = {word: term_candidates(word) for word in words}
    known = frequencies({term for options in candidates.values() for term in options})
    terms, unknown = [], []
    for word, options in candidates.items():
        found = next((term for term in options if known.get(term)), None)
        if found is None:
            unknown.append(word)
        elif found not in terms:
            terms.append(found)
    return terms, unknown


def terms_selective(terms, frequencies, *, limit):
    """The distinctive terms: those in at most `limit` documents, else the rarest one.

    A search's results are the articles with at least one distinctive term.
    A word found in a large part of the archive gets almost no weight from
    BM25 (its idf nears zero) but would make every article containing it a
    candidate to score; it still counts when the candidates are ranked.
    The limit is a number of documents, not a share, because it bounds the
    work of scoring: a small archive is searched exhaustively.
    """
    if not terms:
        return terms
    selective = [term for term in terms if frequencies.get(term, 0) <= limit]
    return selective or [min(terms, key=lambda term: frequencies.get(term, 0))]


def corrections(word, frequencies, *, written=None):
    """Replacements for a word the index does not know, best first: [(replacement text, score)].

    Two words typed without a space (تتطورالاعراض) and words one typing
    mistake away (a letter missing, extra, wrong or swapped) that the index
    holds, scored by how many documents contain them. `written(forms)`, if
    given, says how often the articles write each form; a replacement whose
    words the articles write comes before one they never do (الحميديه, not
    الحميد به, when only the first is written anywhere).
    """
    splits = [(word[:i], word[i:]) for i in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1)]
    edits = _edits(word)
    terms = {stem(part) for pair in splits for part in pair} | {stem(edit) for edit in edits}
    known = frequencies(terms)
    scored = {}
    for first, second in splits:
        pair_known = [known.get(stem(part), 0) or (is_stopword(part) and 1) for part in (first, second)]
        if all(pair_known):
            scored[f"{first} {second}"] = min(pair_known)
    for edit in edits:
        frequency = known.get(stem(edit), 0)
        if frequency and not is_stopword(edit):
            scored[edit] = max(scored.get(edit, 0), frequency)
    seen = written({part for text in scored for part in text.split()}) if written and scored else {}

    def rank(item):
        text, score = item
        return (not all(part in seen for part in text.split()) if seen else False, -score, text)

    return sorted(scored.items(), key=rank)


def _edits(word):
    """Every string one insertion, deletion, substitution or transposition away from `word`."""
    alphabet = ALPHABET if ARABIC_LETTERS.match(word) else LATIN_ALPHABET
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [left + right[1:] for left, right in splits if right]
    transposes = [left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1]
    replaces = [left + letter + right[1:] for left, right in splits if right for letter in alphabet]
    inserts = [left + letter + right for left, right in splits for letter in alphabet]
    return {edit for edit in deletes + transposes + replaces + inserts if len(edit) >= MIN_SPLIT_PART} - {word}
