"""Arabic text handling: the one place that knows how Arabic is written.

Search, slugs, blocklists and de-duplication all go through these functions so
that `أحمد`, `احمد` and `أَحْمَد` are the same word everywhere.
"""

import re
import unicodedata
from urllib.parse import quote

# Harakat, tanween, shadda, sukun, dagger alef and Quranic marks.
_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
_TATWEEL = "\u0640"

ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_TO_ASCII_DIGITS = str.maketrans(ARABIC_INDIC_DIGITS + PERSIAN_DIGITS, "0123456789" * 2)
_TO_ARABIC_DIGITS = str.maketrans("0123456789", ARABIC_INDIC_DIGITS)

# Letter forms folded together for matching (not for display).
_LETTER_FOLDS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ک": "ك",  # Persian kaf
        "ی": "ي",  # Persian yeh
    }
)

# Arabic punctuation mapped to its Latin counterpart.
_PUNCTUATION = str.maketrans({"،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",", "«": '"', "»": '"'})

_SLUG_SEPARATORS = re.compile(r"[\s\-_]+")
_SLUG_DROP = re.compile(r"[^\w\s-]")


def strip_tashkeel(text: str) -> str:
    """Remove diacritics and tatweel, leaving every letter as written."""
    return _TASHKEEL.sub("", text).replace(_TATWEEL, "")


def to_ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII_DIGITS)


def to_arabic_digits(text: str) -> str:
    return text.translate(_TO_ARABIC_DIGITS)


def normalize(text: str) -> str:
    """Fold Arabic text for matching: diacritics, tatweel, letter forms, digits, punctuation.

    The result is for comparing and indexing, never for display: `ة` becomes
    `ه` and hamza seats are dropped, as readers type them.
    """
    text = unicodedata.normalize("NFKC", text)
    text = strip_tashkeel(text)
    text = text.translate(_LETTER_FOLDS).translate(_TO_ASCII_DIGITS).translate(_PUNCTUATION)
    return text.lower()


def slugify(text: str, *, max_bytes: int = 200) -> str:
    """A readable, stable URL slug for Arabic (or mixed) text.

    Diacritics and tatweel are removed but letters are kept as written, so the
    slug still reads as the headline. The slug is cut at a word boundary so
    that, once percent-encoded, it stays within `max_bytes` (Arabic letters take
    six bytes each in a URL).
    """
    text = unicodedata.normalize("NFKC", text)
    text = to_ascii_digits(strip_tashkeel(text)).lower()
    text = _SLUG_DROP.sub(" ", text)
    words = [word for word in _SLUG_SEPARATORS.split(text) if word]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(quote(candidate)) > max_bytes:
            break
        slug = candidate
    if not slug and words:
        # A single word longer than the budget: cut it by characters.
        for char in words[0]:
            if len(quote(slug + char)) > max_bytes:
                break
            slug += char
    return slug


# Bidi embeddings, overrides and isolates, and zero-width characters: they let
# a reader's name or comment reorder or hide text around it on the page.
_SPOOFING_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")
_NAME_JOINERS = re.compile("[\u200c\u200d]")


def strip_spoofing_controls(text: str, *, name: bool = False) -> str:
    """Remove characters that can disguise reader input; in names, joiners too."""
    text = _SPOOFING_CONTROLS.sub("", text)
    if name:
        text = _NAME_JOINERS.sub("", text)
    return text


# C0 and C1 controls (tab, line feed and carriage return aside), DEL, lone
# surrogates and the non-characters: XML 1.0 cannot carry most of them (a feed
# with one fails to parse) and nobody types them on purpose; they come with
# pasted text or a robot. Arabic marks, ZWNJ/ZWJ and the direction marks
# (LRM, RLM, ALM) are format characters, not controls, and stay.
_CONTROL_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
    + "]"
)


def strip_control_characters(text: str) -> str:
    """`text` without the characters that XML cannot carry and no one means to write."""
    return _CONTROL_CHARACTERS.sub("", text)


# Proclitics that attach to the front of an Arabic word (conjunctions,
# prepositions, the article), longest first.
PROCLITICS = ("وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ك", "ل")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", normalize(text))


def contains_any(text: str, words) -> str | None:
    """The first of `words` that `text` contains as a word, alone or with proclitics.

    Both sides are normalized, so `أحمق` in a blocklist matches `والاحمق`.
    """
    tokens = _words(text)
    joined = f" {' '.join(tokens)} "
    for word in words:
        folded = _words(word)
        if not folded:
            continue
        if len(folded) > 1:
            if f" {' '.join(folded)} " in joined:
                return word
            continue
        target = folded[0]
        for token in tokens:
            if token == target or (token.endswith(target) and token[: -len(target)] in PROCLITICS):
                return word
    return None
