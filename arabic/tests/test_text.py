from urllib.parse import quote

import pytest

from arabic import text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آمال", "امال"),
        ("ٱلله", "الله"),
        ("مصطفى", "مصطفي"),
        ("المعارضة", "المعارضه"),
        ("مؤتمر", "موتمر"),
        ("رئيس", "رييس"),
        ("كَتَبَ", "كتب"),
        ("مُحَمَّدٌ", "محمد"),
        ("الســـلام", "السلام"),
        ("عام ٢٠٢٠", "عام 2020"),
        ("عام ۲۰۲۰", "عام 2020"),
        ("ماذا؟", "ماذا?"),
        ("أولًا، ثانيًا؛", "اولا, ثانيا;"),
        ("Syria سوريا", "syria سوريا"),
        ("ﻻ", "لا"),  # presentation-form ligature
    ],
)
def test_normalize(raw, expected):
    assert text.normalize(raw) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("الشرق الأوسط", "الشرق-الأوسط"),
        ("قيصر: يتهم المعارضة", "قيصر-يتهم-المعارضة"),
        ("مُحَمَّد يَكْتُبُ", "محمد-يكتب"),
        ("الســـلام", "السلام"),
        ("عام ٢٠٢٠", "عام-2020"),
        ("World Cup 2018 كأس العالم", "world-cup-2018-كأس-العالم"),
        ("  «اقتباس»  - و،   ", "اقتباس-و"),
        ("!!!", ""),
    ],
)
def test_slugify_is_readable(title, expected):
    assert text.slugify(title) == expected


def test_slugify_cuts_at_a_word_boundary_within_the_byte_budget():
    title = "قيصر: يتهم المعارضة بالتسلق على قانون سيزر والائتلاف يرد"
    slug = text.slugify(title, max_bytes=120)
    assert len(quote(slug)) <= 120
    assert title.replace(":", "").replace(" ", "-").startswith(slug)
    assert not slug.endswith("-")
    # Adding the next word would have gone over the budget.
    next_word = title.replace(":", "").split()[len(slug.split("-"))]
    assert len(quote(f"{slug}-{next_word}")) > 120


def test_slugify_cuts_a_single_long_word_by_characters():
    slug = text.slugify("ب" * 100, max_bytes=60)
    assert slug == "ب" * 10


def test_slugify_is_stable():
    assert text.slugify("خبر عاجل") == text.slugify("خبر عاجل") == "خبر-عاجل"


@pytest.mark.parametrize(
    ("raw", "name", "expected"),
    [
        ("علي\u202eالمزور", False, "عليالمزور"),
        ("نص\u2066معزول\u2069", False, "نصمعزول"),
        ("كلمة\u200bمخفية", False, "كلمةمخفية"),
        ("\ufeffبداية", False, "بداية"),
        ("می\u200cخواهم", False, "می\u200cخواهم"),  # a joiner is legitimate in running text
        ("سا\u200dمي", True, "سامي"),  # but not in a name
        ("عادي", True, "عادي"),
    ],
)
def test_strip_spoofing_controls(raw, name, expected):
    assert text.strip_spoofing_controls(raw, name=name) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("نص\x1b[31m\x01\x07 أحمر", "نص[31m أحمر"),  # escape, start of heading, bell
        ("سطر\x0b\x0cآخر\x00", "سطرآخر"),  # vertical tab, form feed, NUL
        ("\x7f\x80\x85\x9f", ""),  # DEL and the C1 controls
        ("ا\ud800ب\udfffج", "ابج"),  # lone surrogates
        ("\ufffe\uffff\ufdd0\U0001fffe\U0010ffff", ""),  # non-characters
        ("سطر\tأول\r\nثان", "سطر\tأول\r\nثان"),  # tab and line breaks stay
        # Writing, not controls: tashkeel, tatweel, ZWNJ, ZWJ, LRM, RLM, ALM, private use, emoji.
        ("مُحَمَّد ـ\u200c\u200d\u200e\u200f\u061c\ue000😀", "مُحَمَّد ـ\u200c\u200d\u200e\u200f\u061c\ue000😀"),
    ],
)
def test_strip_control_characters_keeps_arabic_writing(raw, expected):
    assert text.strip_control_characters(raw) == expected


@pytest.mark.parametrize(
    ("comment", "blocklist", "expected"),
    [
        ("أنت أحمق", ["احمق"], "احمق"),
        ("يا والأحمق", ["أحمق"], "أحمق"),
        ("بالأحمق", ["أحمق"], "أحمق"),
        ("مُغَفَّل حقًا", ["مغفل"], "مغفل"),
        ("الحمقى", ["أحمق"], None),  # a different word is not a match
        ("سلاحمقبض", ["أحمق"], None),  # nor is a word that merely contains it
        ("buy cheap pills now", ["cheap pills"], "cheap pills"),
        ("Cheap", ["cheap"], "cheap"),
        ("تعليق مهذب", ["احمق", ""], None),
    ],
)
def test_contains_any_matches_words_after_normalization(comment, blocklist, expected):
    assert text.contains_any(comment, blocklist) == expected
