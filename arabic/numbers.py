"""Arabic numerals and counted nouns.

Arabic nouns agree with their count: تعليق واحد، تعليقان، 3 تعليقات، 11 تعليقًا.
"""

from django.conf import settings

from .text import to_arabic_digits

DIGIT_STYLES = ("western", "arabic")


def localize_digits(text: str, digits: str | None = None) -> str:
    digits = digits or settings.NASHIR_DIGITS
    if digits not in DIGIT_STYLES:
        raise ValueError(f"Unknown digit style {digits!r}; expected one of {DIGIT_STYLES}.")
    return to_arabic_digits(text) if digits == "arabic" else text


def format_number(value: int, *, digits: str | None = None) -> str:
    return localize_digits(str(value), digits)


def count_phrase(
    count: int, one: str, two: str, few: str, many: str, singular: str | None = None, *, digits: str | None = None
) -> str:
    """`one` for 1, `two` for 2, then by the last two digits: `3 few` to `10 few`,
    `11 many` to `99 many`, and `100 singular` (also 101, 102, 200…)."""
    if count == 1:
        return one
    if count == 2:
        return two
    tail = count % 100
    if 3 <= tail <= 10:
        noun = few
    elif tail >= 11:
        noun = many
    else:
        noun = singular or many
    return f"{format_number(count, digits=digits)} {noun}"
