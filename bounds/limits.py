"""The numbers and dates a request may ask for: within what Python and the databases hold.

One place for the limits every address shares: ids in paths (the `id`
converter), page numbers, the search form's dates and section, the API's
query parameters. Past them a reader gets a clear answer (a 400 with an
Arabic message, or a 404 for an id that cannot exist), never a server error.
"""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The largest key SQLite and PostgreSQL's bigint hold; a larger one is not
# "not found" to SQLite but an OverflowError.
MAX_ROW_ID = 2**63 - 1
# Dates far enough from Python's limits (years 1 and 9999) that moving them to
# UTC or adding a day cannot overflow, and wide enough for any news archive.
EARLIEST_DATE = date(1800, 1, 1)
LATEST_DATE = date(2999, 12, 31)
DATE_OUT_OF_RANGE = _("اختر تاريخًا بين %(earliest)s و%(latest)s.")


def whole_number(value, *, minimum: int, maximum: int) -> int | None:
    """`value` (text from a request) as a whole number from `minimum` to `maximum`, or None.

    Decimal digits only, Arabic-Indic ones included: `isdigit()` also passes
    "²", which `int()` refuses, and `int()` refuses a few thousand digits too.
    """
    text = str(value).strip()
    digits = text.removeprefix("-")
    if not digits or len(digits) > 20 or not digits.isdecimal():
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def row_id(value) -> int | None:
    """`value` as a possible primary key (1 to MAX_ROW_ID), or None."""
    return whole_number(value, minimum=1, maximum=MAX_ROW_ID)


class RowIdConverter:
    """`<id:name>` in a path: a possible primary key; any other number is no match, so a 404."""

    regex = "[0-9]+"

    def to_python(self, value):
        number = row_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value):
        return str(value)


def validate_date(value: date | datetime) -> None:
    """Refuse a date (or a moment) outside EARLIEST_DATE to LATEST_DATE, in Arabic."""
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(DATE_OUT_OF_RANGE, code="date_range", params=date_range())


def date_range() -> dict:
    return {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()}


class DateField(forms.DateField):
    """A date a reader picks, within the range the site can search; the browser's date picker is told the range."""

    default_validators = [validate_date]

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}
