"""Password validators for the passwords Arabic-speaking staff actually pick.

Django's validators know English dictionary words and digits; these add the
Arabic keyboard's rows, a word typed twice, the site's own name, and a season
or month with a year (`Summer2024`, `رمضان2024`).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from arabic.dates import GULF_MONTHS, HIJRI_MONTHS, LEVANTINE_MONTHS
from arabic.text import normalize, strip_tashkeel, to_ascii_digits

# Rows of the Arabic (101) and US keyboards, as the keys sit from left to right;
# "لا" is one key on the Arabic layout.
KEYBOARD_ROWS = (
    "ذ1234567890-=",
    "ضصثقفغعهخحجد",
    "شسيبلاتنمكط",
    "ئءؤرلاىةوزظ",
    "`1234567890-=",
    "qwertyuiop[]",
    "asdfghjkl;'",
    "zxcvbnm,./",
)
SEASONS = (
    "spring summer autumn fall winter "
    "january february march april may june july august september october november december "
    "ربيع صيف خريف شتاء"
).split()
CALENDAR_WORDS = tuple(SEASONS) + GULF_MONTHS + LEVANTINE_MONTHS + HIJRI_MONTHS
# Words any newsroom's attacker tries first, besides the site's own name.
NEWSROOM_WORDS = ("nashir", "ناشر", "admin", "password", "wagtail", "كلمة السر", "كلمة المرور")


def _plain(text: str) -> str:
    """Folded for matching words: no diacritics, one form of each letter, no spaces or punctuation."""
    return re.sub(r"[\W_]+", "", normalize(text))


def _keys(text: str) -> str:
    """As typed: diacritics dropped, digits Western, letters kept apart (ة is not ه on the keyboard)."""
    return to_ascii_digits(strip_tashkeel(text)).lower().replace(" ", "")


def _longest_keyboard_run(text: str) -> int:
    rows = KEYBOARD_ROWS + tuple(row[::-1] for row in KEYBOARD_ROWS)
    best = 0
    for start in range(len(text)):
        for end in range(len(text), start + best, -1):
            if any(text[start:end] in row for row in rows):
                best = end - start
                break
    return best


def _names() -> list[str]:
    from wagtail.models import Site

    names = [settings.WAGTAIL_SITE_NAME, *NEWSROOM_WORDS]
    names += [name for name in Site.objects.values_list("site_name", flat=True) if name]
    return [plain for plain in {_plain(name) for name in names} if len(plain) >= 3]


class GuessablePasswordValidator:
    """Refuses keyboard rows, a repeated word, the newsroom's name with little else, and season + year."""

    def __init__(self, min_other_characters: int = 8):
        self.min_other_characters = min_other_characters

    def validate(self, password, user=None):
        keys = _keys(password)
        if len(keys) >= 4 and _longest_keyboard_run(keys) >= max(4, len(keys) // 2):
            raise ValidationError(
                _("كلمة المرور صفّ متتالٍ من لوحة المفاتيح، وهو أول ما يجرّبه المهاجمون."), code="password_keyboard"
            )
        plain = _plain(password)
        core = re.sub(r"\d+$", "", plain) or plain
        if re.fullmatch(r"(.+?)\1+", core):
            raise ValidationError(_("كلمة المرور كلمة مكرّرة؛ اختر عبارة من كلمات مختلفة."), code="password_repeated")
        for name in _names():
            if name in plain and len(plain.replace(name, "")) < self.min_other_characters:
                raise ValidationError(
                    _("كلمة المرور مبنية على اسم الموقع أو غرفة الأخبار، فيسهل تخمينها."), code="password_site_name"
                )
        for word in CALENDAR_WORDS:
            word = _plain(word)
            year = r"(?:19|20)?\d\d"
            if re.fullmatch(rf"(?:ال)?{word}{year}|{year}(?:ال)?{word}", plain):
                raise ValidationError(
                    _("كلمة المرور فصل أو شهر مع سنة، وهذا من أشهر كلمات المرور."), code="password_season_year"
                )

    def get_help_text(self):
        return _(
            "لا تستخدم صفًّا من لوحة المفاتيح، ولا كلمة مكرّرة، ولا اسم الموقع، ولا فصلًا أو شهرًا مع سنة؛ "
            "عبارة من أربع كلمات لا رابط بينها أقوى وأسهل حفظًا."
        )
