# Django leaves DATETIME_FORMAT and SHORT_DATETIME_FORMAT unset for Arabic, so
# its English defaults apply: «ديسمبر 4, 2026, 8:10 م». Day, month, year, and
# the 24-hour clock the admin's date picker uses.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d‏/m‏/Y"
SHORT_DATETIME_FORMAT = "d‏/m‏/Y H:i"
