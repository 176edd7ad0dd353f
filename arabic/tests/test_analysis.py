"""The search analyzer: what the index stores and what a query becomes must meet."""

import pytest

from arabic.analysis import analyze, index_terms, is_stopword, prefix_variants, stem, tokenize, written_words


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        # The failures of WordPress search that readers hit.
        ("أحمد", "احمد"),
        ("إسماعيل", "اسماعيل"),
        ("آلاف", "الاف"),
        ("المعارضة", "المعارضه"),
        ("العقوبة", "عقوبات"),
        ("العقوبات", "عقوبه"),
        ("مُعَارَضَة", "معارضة"),
        ("الْمُعَارَضَةُ", "المعارضة"),
        ("مصطفى", "مصطفي"),
        ("مؤتمر", "موتمر"),
        ("رئيس", "رييس"),
        ("الســـوريين", "السوريين"),
        ("٢٠٢٠", "2020"),
        ("۲۰۱۹", "2019"),
        # Proclitics and the article.
        ("والمعارضة", "المعارضة"),
        ("بالمعارضة", "معارضة"),
        ("للمعارضة", "المعارضة"),
        ("فالحكومة", "الحكومة"),
        ("كالعادة", "العادة"),
        ("وزير", "الوزير"),
        ("والوزير", "وزير"),
        # Plurals and feminine endings.
        ("الانتخابات", "انتخابات"),
        ("المعلمون", "المعلمين"),
        ("اللاجئين", "لاجئون"),
        ("مدرستها", "مدرسة"),
        ("السورية", "السوري"),
        ("الحكومية", "حكومي"),
        ("الاتفاقيات", "اتفاقيه"),
        ("المفاوضات", "مفاوضات"),
        ("صحفيون", "صحفيين"),
        ("حكومتها", "الحكومة"),
        ("لبنان", "اللبنانية"),
        ("فلسطين", "الفلسطيني"),
        ("وزارة", "الوزارة"),
        ("والوطن", "وطن"),
    ],
)
def test_written_and_typed_forms_meet(written, typed):
    assert analyze(written) == analyze(typed)


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("كتاب", "كتاب"),
        ("بيان", "بيان"),  # a leading ب is part of the word, not a preposition
        ("كرة", "كره"),
        ("قطر", "قطر"),
        ("مصر", "مصر"),
        ("دمشق", "دمشق"),
        ("ولد", "ولد"),  # و stays when too little would remain
        ("وزن", "وزن"),
        ("اليوم", "يوم"),
        ("الله", "له"),
        ("الحرب", "حرب"),
        ("بالحرب", "حرب"),
        ("وبالحرب", "حرب"),
        ("وزير", "وزير"),  # a root و stays
        ("وسوريا", "سوريا"),  # the conjunction goes
        ("سنة", "سنه"),
        ("ابنها", "ابن"),
        ("كتبها", "كتب"),
        ("شركات", "شرك"),
        ("قيصر", "قيصر"),
        # A stem never spells a stopword, which the index also holds (ولا = و + لا).
        ("الولايات", "ولاي"),
        ("ولاية", "ولاي"),
    ],
)
def test_stem(token, expected):
    from arabic.text import normalize

    assert stem(normalize(token)) == expected


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("قانون قيصر 2019", ["قانون", "قيصر", "2019"]),
        ("COVID-19 في سوريا", ["covid", "19", "في", "سوريا"]),
        ("iPhone 15 Pro", ["iphone", "15", "pro"]),
        ("«الائتلاف» يرد!", ["الايتلاف", "يرد"]),
        ("هل؟ نعم، لا.", ["هل", "نعم", "لا"]),
        ("السوريين_المعتقلين", ["السوريين", "المعتقلين"]),
        ("١٨ مايو/أيار ٢٠٢٠", ["18", "مايو", "ايار", "2020"]),
        ("", []),
        ("!!! ؟؟؟ ...", []),
    ],
)
def test_tokenize_keeps_latin_words_and_numbers_whole(text, tokens):
    assert tokenize(text) == tokens


@pytest.mark.parametrize(
    ("token", "stop"),
    [
        ("في", True),
        ("وفي", True),
        ("التي", True),
        ("التى", True),
        ("الذي", True),
        ("هذا", True),
        ("وهذا", True),
        ("ان", True),
        ("لم", True),
        ("قال", True),
        ("وقال", True),
        ("كم", True),
        ("ماهي", True),
        ("بماذا", True),
        ("سوريا", False),
        ("قيصر", False),
        ("وزير", False),
        ("2020", False),
    ],
)
def test_stopwords(token, stop):
    from arabic.text import normalize

    assert is_stopword(normalize(token)) is stop


def test_analyze_drops_stopwords_and_keeps_order():
    assert analyze("قال الوزير إن العقوبات على سوريا في 2020") == ["وزير", "عقوب", "سوريا", "2020"]


def test_index_terms_keep_stopwords_for_phrases():
    assert index_terms("رئيس في الوزراء") == ["رييس", "في", "وزراء"]


def test_prefix_variants_offer_the_word_without_a_one_letter_proclitic():
    assert prefix_variants("بسوريا") == ["سوريا"]
    assert prefix_variants("لدمشق") == ["دمشق"]
    assert prefix_variants("بيت") == []  # too short to carry a proclitic
    assert prefix_variants("سوريا") == []
    assert prefix_variants("bank") == []


def test_written_words_pair_each_token_with_its_spelling():
    text = "سوقُ الحميـــدية، أسعار COVID-19 في ٢٠٢٠."
    pairs = written_words(text)
    assert pairs == [
        ("سوق", "سوق"),
        ("الحميديه", "الحميدية"),
        ("اسعار", "أسعار"),
        ("covid", "COVID"),
        ("19", "19"),
        ("في", "في"),
        ("2020", "٢٠٢٠"),
    ]
    assert [token for token, _ in pairs] == tokenize(text)
