import datetime
import zoneinfo

import pytest

from arabic import dates, numbers

UTC = datetime.UTC
DAMASCUS = zoneinfo.ZoneInfo("Asia/Damascus")


@pytest.mark.parametrize(
    ("value", "options", "expected"),
    [
        (datetime.date(2020, 5, 18), {}, "18 مايو/أيار 2020"),
        (datetime.date(2020, 5, 17), {"style": "dual"}, "17 مايو/أيار 2020"),
        (datetime.date(2020, 5, 18), {"style": "gulf"}, "18 مايو 2020"),
        (datetime.date(2020, 5, 18), {"style": "levantine"}, "18 أيار 2020"),
        (datetime.date(2019, 12, 1), {}, "1 ديسمبر/كانون الأول 2019"),
        (datetime.date(2019, 1, 31), {}, "31 يناير/كانون الثاني 2019"),
        (datetime.date(2019, 2, 1), {"style": "levantine"}, "1 شباط 2019"),
        (datetime.date(2019, 3, 1), {"style": "levantine"}, "1 آذار 2019"),
        (datetime.date(2019, 4, 1), {"style": "gulf"}, "1 أبريل 2019"),
        (datetime.date(2019, 6, 1), {}, "1 يونيو/حزيران 2019"),
        (datetime.date(2019, 7, 1), {}, "1 يوليو/تموز 2019"),
        (datetime.date(2019, 8, 1), {}, "1 أغسطس/آب 2019"),
        (datetime.date(2019, 9, 1), {}, "1 سبتمبر/أيلول 2019"),
        (datetime.date(2019, 10, 1), {}, "1 أكتوبر/تشرين الأول 2019"),
        (datetime.date(2019, 11, 1), {}, "1 نوفمبر/تشرين الثاني 2019"),
        (datetime.date(2020, 5, 18), {"digits": "arabic"}, "١٨ مايو/أيار ٢٠٢٠"),
        (datetime.date(2020, 5, 18), {"digits": "arabic", "style": "gulf"}, "١٨ مايو ٢٠٢٠"),
        (datetime.date(2020, 5, 18), {"hijri": True}, "18 مايو/أيار 2020 (25 رمضان 1441 هـ)"),
        (datetime.date(2020, 5, 18), {"hijri": True, "digits": "arabic"}, "١٨ مايو/أيار ٢٠٢٠ (٢٥ رمضان ١٤٤١ هـ)"),
        (datetime.date(2024, 3, 11), {"hijri": True, "style": "gulf"}, "11 مارس 2024 (1 رمضان 1445 هـ)"),
        # Outside the Hijri table the Gregorian date stands alone.
        (datetime.date(1800, 1, 1), {"hijri": True}, "1 يناير/كانون الثاني 1800"),
        # 21:30 UTC on 17 May is already 18 May in Damascus (UTC+3).
        (datetime.datetime(2020, 5, 17, 21, 30, tzinfo=UTC), {}, "18 مايو/أيار 2020"),
        (datetime.datetime(2020, 5, 18, 14, 5, tzinfo=DAMASCUS), {"with_time": True}, "18 مايو/أيار 2020، 14:05"),
        (
            datetime.datetime(2020, 5, 18, 11, 5, tzinfo=UTC),
            {"with_time": True, "digits": "arabic"},
            "١٨ مايو/أيار ٢٠٢٠، ١٤:٠٥",
        ),
        (None, {}, ""),
    ],
)
def test_format_date(value, options, expected):
    assert dates.format_date(value, **options) == expected


def test_format_date_follows_settings(settings):
    settings.NASHIR_MONTH_STYLE = "levantine"
    settings.NASHIR_DIGITS = "arabic"
    settings.NASHIR_SHOW_HIJRI = True
    assert dates.format_date(datetime.date(2020, 5, 18)) == "١٨ أيار ٢٠٢٠ (٢٥ رمضان ١٤٤١ هـ)"


@pytest.mark.parametrize("option", [{"style": "egyptian-ish"}, {"digits": "roman"}])
def test_unknown_styles_are_refused(option):
    with pytest.raises(ValueError, match="Unknown"):
        dates.format_date(datetime.date(2020, 5, 18), **option)


NOW = datetime.datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ago", "expected"),
    [
        (datetime.timedelta(seconds=0), "الآن"),
        (datetime.timedelta(seconds=59), "الآن"),
        (datetime.timedelta(seconds=-30), "الآن"),
        (datetime.timedelta(minutes=1), "منذ دقيقة"),
        (datetime.timedelta(minutes=2), "منذ دقيقتين"),
        (datetime.timedelta(minutes=3), "منذ 3 دقائق"),
        (datetime.timedelta(minutes=5), "منذ 5 دقائق"),
        (datetime.timedelta(minutes=10), "منذ 10 دقائق"),
        (datetime.timedelta(minutes=11), "منذ 11 دقيقة"),
        (datetime.timedelta(minutes=59, seconds=59), "منذ 59 دقيقة"),
        (datetime.timedelta(hours=1), "منذ ساعة"),
        (datetime.timedelta(hours=2), "منذ ساعتين"),
        (datetime.timedelta(hours=3), "منذ 3 ساعات"),
        (datetime.timedelta(hours=11), "منذ 11 ساعة"),
        (datetime.timedelta(hours=23), "منذ 23 ساعة"),
        (datetime.timedelta(days=1), "منذ يوم"),
        (datetime.timedelta(days=2), "منذ يومين"),
        (datetime.timedelta(days=7), "منذ 7 أيام"),
        (datetime.timedelta(days=15), "منذ 15 يومًا"),
        (datetime.timedelta(days=103), "منذ 103 أيام"),
        (datetime.timedelta(days=111), "منذ 111 يومًا"),
        (datetime.timedelta(days=200), "منذ 200 يوم"),
    ],
)
def test_format_relative(ago, expected):
    assert dates.format_relative(NOW - ago, now=NOW) == expected


def test_format_relative_with_arabic_digits():
    assert dates.format_relative(NOW - datetime.timedelta(minutes=5), now=NOW, digits="arabic") == "منذ ٥ دقائق"


@pytest.mark.parametrize(
    ("ago", "expected"),
    [
        (datetime.timedelta(minutes=5), "منذ 5 دقائق"),
        (datetime.timedelta(hours=23), "منذ 23 ساعة"),
        (datetime.timedelta(hours=25), "31 مايو/أيار 2024"),
        # A date in the future (a scheduled item seen early) is shown as a date.
        (datetime.timedelta(hours=-2), "1 يونيو/حزيران 2024"),
    ],
)
def test_format_published_switches_to_the_date_for_older_items(ago, expected):
    assert dates.format_published(NOW - ago, now=NOW) == expected


@pytest.mark.parametrize(
    ("value", "digits", "expected"), [(34, "western", "34"), (34, None, "34"), (1905, "arabic", "١٩٠٥")]
)
def test_format_number(value, digits, expected):
    assert numbers.format_number(value, digits=digits) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "تعليق واحد"),
        (2, "تعليقان"),
        (3, "3 تعليقات"),
        (10, "10 تعليقات"),
        (11, "11 تعليقًا"),
        (99, "99 تعليقًا"),
        (100, "100 تعليق"),
        (103, "103 تعليقات"),
    ],
)
def test_count_phrase_agrees_with_the_number(count, expected):
    assert numbers.count_phrase(count, "تعليق واحد", "تعليقان", "تعليقات", "تعليقًا", "تعليق") == expected
