"""Dates with a precision: `2018-05-14` (day), `2018-05` (month), `2018` (year)."""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from sqlalchemy import ColumnElement, and_, false, or_
from sqlalchemy.orm import QueryableAttribute


class DatePrecision(enum.StrEnum):
    """How much of a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date stored as the first day of its period, with the period's precision."""

    value: dt.date
    precision: DatePrecision

    def __str__(self) -> str:
        return format_partial_date(self.value, self.precision)


# What the schema promises (checked again by the calendar): a year from 0001, a real month, and
# a day that exists in that month, 29 February only in leap years.
_YEAR = r"([0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"
_LEAP_YEAR = r"([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)"
PARTIAL_DATE_PATTERN = (
    rf"^({_YEAR}(-(0[1-9]|1[0-2]))?"
    rf"|{_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
    rf"|{_YEAR}-(0[13-9]|1[0-2])-(29|30)"
    rf"|{_YEAR}-(0[13578]|1[02])-31"
    rf"|{_LEAP_YEAR}-02-29)$"
)
PARTIAL_DATE_JSON_SCHEMA = {
    "type": "string",
    "pattern": PARTIAL_DATE_PATTERN,
    "description": "ISO 8601 at its precision: `2018-05-14`, `2018-05` or `2018`.",
    "examples": ["2018-05"],
}
# ASCII digits only (\d would take any script's), and \Z (as $ would allow a final newline).
_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")


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


def format_optional_date(value: dt.date | None, precision: DatePrecision | None) -> str | None:
    """format_partial_date, or None when the date or its precision is missing."""
    if value is None or precision is None:
        return None
    return format_partial_date(value, precision)


def period_end(date: PartialDate) -> dt.date:
    """The last day of the period a partial date names."""
    value, precision = date.value, date.precision
    if precision is DatePrecision.DAY:
        return value
    if precision is DatePrecision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return dt.date(value.year, 12, 31)


def _latest_start_ending_by(end: dt.date, precision: DatePrecision) -> dt.date | None:
    """The latest start of a period of this precision ending on or before `end` (None: none)."""
    if precision is DatePrecision.DAY:
        return end
    if precision is DatePrecision.MONTH:
        first = end.replace(day=1)
        if period_end(PartialDate(first, precision)) == end:
            return first
        if first == dt.date.min:
            return None
        return (first - dt.timedelta(days=1)).replace(day=1)
    if end.month == 12 and end.day == 31:
        return end.replace(month=1, day=1)
    return dt.date(end.year - 1, 1, 1) if end.year > dt.MINYEAR else None


def within_clause(
    date_column: ColumnElement[Any] | QueryableAttribute[Any],
    precision_column: ColumnElement[Any] | QueryableAttribute[Any],
    date_from: PartialDate | None,
    date_to: PartialDate | None,
) -> ColumnElement[bool] | None:
    """Rows whose whole dated period lies within [date_from, date_to]; None when unbounded.

    A fact dated `2018-05` is within May 2018 but not within 1-14 May; one dated `2018` is not
    within May 2018. Undated facts never match a date filter.
    """
    clauses: list[ColumnElement[bool]] = []
    if date_from is not None:
        clauses.append(date_column >= date_from.value)
    if date_to is not None:
        end = period_end(date_to)
        cutoffs = {p: _latest_start_ending_by(end, p) for p in DatePrecision}
        clauses.append(
            or_(
                false(),
                *(
                    and_(precision_column == precision.value, date_column <= cutoff)
                    for precision, cutoff in cutoffs.items()
                    if cutoff is not None
                ),
            )
        )
    if not clauses:
        return None
    return and_(date_column.is_not(None), *clauses)


PartialDateQuery = Annotated[
    PartialDate,
    BeforeValidator(lambda v: parse_partial_date(v) if isinstance(v, str) else v),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(PARTIAL_DATE_JSON_SCHEMA),
]
