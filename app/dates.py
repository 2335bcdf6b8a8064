"""Dates with a precision: `2018-05-14` (day), `2018-05` (month), `2018` (year)."""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import NamedTuple


class DatePrecision(enum.StrEnum):
    """How much of a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class PartialDate(NamedTuple):
    """A date stored as the first day of its period, with the period's precision."""

    value: dt.date
    precision: DatePrecision

    def __str__(self) -> str:
        return format_partial_date(self.value, self.precision)


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(raw: str) -> PartialDate:
    """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise ValueError for anything else."""
    match = _PARTIAL_DATE.match(raw)
    if match is None:
        raise ValueError(f"{raw!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        if day is not None:
            return PartialDate(dt.date(int(year), int(month), int(day)), DatePrecision.DAY)
        if month is not None:
            return PartialDate(dt.date(int(year), int(month), 1), DatePrecision.MONTH)
        return PartialDate(dt.date(int(year), 1, 1), DatePrecision.YEAR)
    except ValueError as exc:
        raise ValueError(f"{raw!r} is not a valid date: {exc}") from None


def format_partial_date(value: dt.date, precision: DatePrecision) -> str:
    """Render a date at its precision: `2018-05-14`, `2018-05` or `2018`."""
    if precision is DatePrecision.DAY:
        return value.isoformat()
    if precision is DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return f"{value.year:04d}"
