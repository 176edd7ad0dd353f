"""Arabic text analysis for search: tokens, stopwords and a light stemmer.

Built on `arabic.text.normalize`, so the index and the reader's query fold
letters the same way. The stemmer is light (in the style of Larkey's light10):
it strips the article and conjunctions in front and common suffixes behind,
never roots, and keeps a minimum stem length so that short words survive.
Latin words and numbers pass through whole (mixed text is common in news).
"""

import re
import unicodedata
from functools import lru_cache

from .text import normalize, strip_tashkeel

TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
ARABIC_LETTERS = re.compile(r"[\u0621-\u064a]")
# A word as written: letters and digits with any diacritics or tatweel inside.
WRITTEN_WORD = re.compile(r"(?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed])+")

# Normalized forms (ة→ه, ى→ي, أإآ→ا), as `normalize` leaves them.
STOPWORDS = frozenset(
    normalize(word)
    for word in """
    في من على إلى الى عن مع عند لدى منذ حتى بين خلال نحو حول ضد دون سوى غير بعد قبل فوق تحت أمام وراء
    و أو ثم بل لكن لكنّ إلا الا أم إما اما فإن وإن لأن كما مثل أي أيّ كل كلا بعض جميع نفس ذات
    ان أن إن إنّ أنّ لا لم لن ليس ليست ما ماذا متى أين كيف لماذا هل قد لقد سوف س
    هذا هذه ذلك تلك هؤلاء أولئك هنا هناك ذا ذي التي الذي الذين اللذين اللتين اللاتي اللواتي
    هو هي هم هن هما أنا نحن أنت أنتم انت انتم له لها لهم لهن به بها بهم فيه فيها فيهم منه منها منهم عليه عليها عليهم
    إليه اليه إليها اليها عنه عنها معه معها
    كان كانت كانوا يكون تكون يكن أصبح أصبحت صار ظل مازال لازال
    إذا اذا إذ لو لولا عندما حين حيث بينما كلما أيضا أيضاً فقط جدا
    كم بكم ماهو ماهي بماذا لماذا ممن مما عما فيما لما إلام علام أية تم يتم تمت اللتي اللذي
    قال قالت وقال وقالت يقول تقول أكد وأكد أضاف وأضاف أشار وأشار أوضح وأوضح
    عام يوم اليوم أمس غدا الآن الان ف ب ل ك
    التى الذى""".split()
)

# Words whose first letter is a root و, not the conjunction: stripping it would
# turn وزير into زير. Stems of the و-words that take the article (الوزير،
# الوطن…) twenty times or more in the sample news corpus.
W_INITIAL_STEMS = frozenset(
    """واحد وارد واسع واضح وافد واقع والد وثايق وثيق وجب وجه وجو وجود وحد وحش وحيد ودايع ودي ورق وزار
    وزراء وزن وزير وسايل وسط وسيط وصل وصول وضع وطن وظايف وظيف وعي وفاء وفاق وفد وقت وقود وقوف وكال
    ولاد وليد ولاي وفا وفيات ويلز ويب""".split()
)

DEFINITE_ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")
SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
PRONOUN_SUFFIXES = ("ها", "ه")
MIN_STEM = 3


def tokenize(text: str) -> list[str]:
    """Normalized word tokens; Latin words and numbers stay whole."""
    return TOKEN.findall(normalize(text))


def written_words(text: str) -> list[tuple[str, str]]:
    """(token, spelling) for each word of `text`, in order.

    The token is what `tokenize` gives for the word; the spelling is the word
    as written, without diacritics or tatweel: `القاهرة` for `القاهره`, `COVID`
    for `covid`. What the index folds together, a reader is shown as written.
    """
    pairs = []
    for match in WRITTEN_WORD.finditer(text):
        pair = _written_word(match.group())
        if pair is not None:
            pairs.append(pair)
    return pairs


@lru_cache(maxsize=50_000)
def _written_word(word: str) -> tuple[str, str] | None:
    spelling = strip_tashkeel(unicodedata.normalize("NFKC", word))
    tokens = tokenize(spelling)
    # A compatibility character that unfolds into several words has no one spelling.
    return (tokens[0], spelling) if len(tokens) == 1 else None


def is_stopword(token: str) -> bool:
    return token in STOPWORDS or (token.startswith("و") and token[1:] in STOPWORDS)


def stem(token: str) -> str:
    """The light stem of one normalized token; non-Arabic tokens are returned as they are."""
    if not ARABIC_LETTERS.match(token):
        return token
    if token.startswith("و") and len(token) - 1 >= MIN_STEM and _strip_suffixes(token) not in W_INITIAL_STEMS:
        token = token[1:]
    for article in DEFINITE_ARTICLES:
        if token.startswith(article) and len(token) - len(article) >= 2:
            token = token[len(article) :]
            break
    return _strip_suffixes(token)


def _strip_suffixes(token: str) -> str:
    """Strip suffixes until none applies, so that the order they were added in does not matter."""
    stripped = True
    while stripped:
        stripped = False
        for suffix in SUFFIXES:
            # A stem that spells a stopword would share its index term (ولايات → ولا).
            if (
                token.endswith(suffix)
                and len(token) - len(suffix) >= MIN_STEM
                and not is_stopword(token[: -len(suffix)])
            ):
                token = token[: -len(suffix)]
                stripped = True
                if suffix in PRONOUN_SUFFIXES and token.endswith("ت") and len(token) > MIN_STEM:
                    # ة becomes ت before a pronoun: مدرستها is مدرسة + ها.
                    token = token[:-1]
    return token


def analyze(text: str) -> list[str]:
    """The content terms of `text`, in order: stems without the stopwords."""
    return [stem(token) for token in tokenize(text) if not is_stopword(token)]


def index_terms(text: str) -> list[str]:
    """Every term of `text` as a search index stores it, stopwords included.

    Keeping stopwords in the index lets a quoted phrase match exactly and a
    question made only of stopwords still find something; queries leave them
    out otherwise, and BM25 gives them almost no weight anyway.
    """
    return [stem(token) for token in tokenize(text)]


def prefix_variants(token: str) -> list[str]:
    """Stems of `token` without a one-letter proclitic (ب ل ك ف), for the query side.

    Stripping these in the index would break words that start with them
    (بيان، كتاب); at query time the candidates are checked against the index.
    """
    variants = []
    if ARABIC_LETTERS.match(token) and token[0] in "بلكف" and len(token) - 1 >= MIN_STEM:
        variants.append(stem(token[1:]))
    return variants
