"""Arabic dates and numbers as newsrooms write them.

`format_date` gives the Levantine dual-month form by default
(`18 مايو/أيار 2020`); the settings `NASHIR_MONTH_STYLE`, `NASHIR_DIGITS` and
`NASHIR_SHOW_HIJRI` choose the month names, the digits and an optional Hijri
date. `format_relative` gives `منذ 5 دقائق` with Arabic number agreement.
Never use `strftime` for display: it follows the C locale, not the reader.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from hijridate import Gregorian

from .numbers import count_phrase, localize_digits

GULF_MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
LEVANTINE_MONTHS = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)
HIJRI_MONTHS = (
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
)
MONTH_STYLES = ("dual", "gulf", "levantine")

# (one, two, 3–10, 11–99, 100) for each unit: Arabic counts agree with the
# number: دقيقة، دقيقتين، 3 دقائق، 11 دقيقة.
_UNITS = {
    "minute": ("دقيقة", "دقيقتين", "دقائق", "دقيقة", "دقيقة"),
    "hour": ("ساعة", "ساعتين", "ساعات", "ساعة", "ساعة"),
    "day": ("يوم", "يومين", "أيام", "يومًا", "يوم"),
}


def month_name(month: int, style: str | None = None) -> str:
    style = style or settings.NASHIR_MONTH_STYLE
    if style not in MONTH_STYLES:
        raise ValueError(f"Unknown month style {style!r}; expected one of {MONTH_STYLES}.")
    gulf, levantine = GULF_MONTHS[month - 1], LEVANTINE_MONTHS[month - 1]
    if style == "gulf":
        return gulf
    if style == "levantine":
        return levantine
    return f"{gulf}/{levantine}"


def _local_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def hijri_date(value: date | datetime, *, digits: str | None = None) -> str:
    """`25 رمضان 1441 هـ`, or an empty string outside the calendar's table."""
    day = _local_date(value)
    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except OverflowError:
        return ""
    return localize_digits(f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]} {hijri.year} هـ", digits)


def format_date(
    value: date | datetime | None,
    *,
    style: str | None = None,
    digits: str | None = None,
    hijri: bool | None = None,
    with_time: bool = False,
) -> str:
    """`18 مايو/أيار 2020`, in the site's time zone when given a datetime."""
    if value is None:
        return ""
    day = _local_date(value)
    text = f"{day.day} {month_name(day.month, style)} {day.year}"
    if with_time and isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        text = f"{text}، {local:%H:%M}"
    text = localize_digits(text, digits)
    show_hijri = settings.NASHIR_SHOW_HIJRI if hijri is None else hijri
    if show_hijri:
        hijri_text = hijri_date(day, digits=digits)
        if hijri_text:
            text = f"{text} ({hijri_text})"
    return text


def format_relative(value: datetime, *, now: datetime | None = None, digits: str | None = None) -> str:
    """`منذ 5 دقائق` for a moment in the past; a future moment reads as `الآن`."""
    now = now or timezone.now()
    seconds = int((now - value).total_seconds())
    if seconds < 60:
        return "الآن"
    minutes = seconds // 60
    if minutes < 60:
        phrase = count_phrase(minutes, *_UNITS["minute"], digits=digits)
    elif minutes < 24 * 60:
        phrase = count_phrase(minutes // 60, *_UNITS["hour"], digits=digits)
    else:
        phrase = count_phrase(minutes // (24 * 60), *_UNITS["day"], digits=digits)
    return f"منذ {phrase}"


def format_published(value: datetime | None, *, now: datetime | None = None) -> str:
    """What a listing shows: a relative time for recent items, the date otherwise."""
    if value is None:
        return ""
    now = now or timezone.now()
    if timedelta(0) <= now - value < timedelta(hours=settings.NASHIR_RELATIVE_HOURS):
        return format_relative(value, now=now)
    return format_date(value)
