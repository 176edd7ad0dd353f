from django import template
from django.utils import timezone

from arabic import dates, numbers

register = template.Library()


@register.filter
def arabic_date(value):
    """`18 مايو/أيار 2020` in the site's style."""
    return dates.format_date(value)


@register.filter
def arabic_datetime(value):
    return dates.format_date(value, with_time=True)


@register.filter
def arabic_published(value):
    """A relative time for recent items, the date for older ones."""
    return dates.format_published(value)


@register.filter
def iso_datetime(value):
    """ISO 8601 to the second in the site's time zone, as HTML's datetime attribute and OpenGraph expect."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.filter
def arabic_number(value):
    if value is None or value == "":
        return ""
    return numbers.format_number(value)


@register.filter
def arabic_comment_count(value):
    """`تعليق واحد`، `تعليقان`، `3 تعليقات`، `11 تعليقًا`."""
    return numbers.count_phrase(int(value), "تعليق واحد", "تعليقان", "تعليقات", "تعليقًا", "تعليق")


@register.filter
def arabic_minutes(value):
    """`دقيقة واحدة`، `دقيقتان`، `3 دقائق`، `11 دقيقة`."""
    return numbers.count_phrase(int(value), "دقيقة واحدة", "دقيقتان", "دقائق", "دقيقة", "دقيقة")
