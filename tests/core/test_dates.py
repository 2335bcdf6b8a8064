"""Partial dates: parsing, formatting, period ends, and the SQL of date-range filters."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.dates import (
    PARTIAL_DATE_PATTERN,
    DatePrecision,
    PartialDate,
    format_partial_date,
    parse_partial_date,
    period_end,
    within_clause,
)
from app.models.event import Event, EventKind, EventStatus

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


def last_day(start: dt.date, precision: DatePrecision) -> dt.date:
    """The last day of a period, computed independently of app.core.dates."""
    if precision is DAY:
        return start
    if precision is MONTH:
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start.replace(month=12, day=31)


def _start(raw: str) -> tuple[dt.date, DatePrecision]:
    parsed = parse_partial_date(raw)
    return parsed.value, parsed.precision


# --- parse_partial_date ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "precision"),
    [
        ("2018", dt.date(2018, 1, 1), YEAR),
        ("2018-05", dt.date(2018, 5, 1), MONTH),
        ("2018-05-14", dt.date(2018, 5, 14), DAY),
        ("2020-02-29", dt.date(2020, 2, 29), DAY),
        ("2018-12-31", dt.date(2018, 12, 31), DAY),
        ("0001", dt.date(1, 1, 1), YEAR),
        ("9999-12", dt.date(9999, 12, 1), MONTH),
    ],
)
def test_parse_reads_each_precision_as_the_first_day_of_its_period(
    raw: str, value: dt.date, precision: DatePrecision
) -> None:
    assert parse_partial_date(raw) == PartialDate(value, precision)


@pytest.mark.parametrize(
    "raw",
    [
        "2018-13",
        "2018-00",
        "2018-05-00",
        "2018-02-30",
        "2019-02-29",
        "May 2018",
        "14 May 2018",
        "18",
        "20180",
        "2018-5",
        "2018-05-1",
        "2018/05",
        "2018-05-14T10:00",
        "",
        " 2018",
        "2018 ",
        "+2018",
        "0000",
    ],
)
def test_parse_refuses_anything_but_yyyy_yyyy_mm_yyyy_mm_dd(raw: str) -> None:
    with pytest.raises(ValueError, match="not a"):
        parse_partial_date(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "2018\n",  # `$` also matches before a final newline
        "２０１８",  # fullwidth digits match `\d` and int() reads them
        "٢٠١٨-٠٥",  # Arabic-Indic digits
    ],
)
def test_parse_refuses_non_ascii_digits_and_a_trailing_newline(raw: str) -> None:
    with pytest.raises(ValueError, match="not a"):
        parse_partial_date(raw)


# --- format_partial_date and PartialDate ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "precision", "text"),
    [
        (dt.date(2018, 5, 14), DAY, "2018-05-14"),
        (dt.date(2018, 5, 1), MONTH, "2018-05"),
        (dt.date(2018, 5, 14), MONTH, "2018-05"),
        (dt.date(2018, 1, 1), YEAR, "2018"),
        (dt.date(2018, 7, 9), YEAR, "2018"),
        (dt.date(5, 3, 2), DAY, "0005-03-02"),
        (dt.date(5, 3, 2), MONTH, "0005-03"),
        (dt.date(5, 3, 2), YEAR, "0005"),
    ],
)
def test_format_renders_a_date_at_its_precision(
    value: dt.date, precision: DatePrecision, text: str
) -> None:
    assert format_partial_date(value, precision) == text
    assert str(PartialDate(value, precision)) == text


@pytest.mark.parametrize("raw", ["2018", "2018-05", "2018-05-14", "0042-01", "9999-12-31"])
def test_format_inverts_parse(raw: str) -> None:
    parsed = parse_partial_date(raw)
    assert format_partial_date(parsed.value, parsed.precision) == raw
    assert str(parsed) == raw


def test_partial_dates_order_by_their_start() -> None:
    dates = [parse_partial_date(raw) for raw in ["2018-05-14", "2018", "2018-05", "2017-12-31"]]
    assert [str(d) for d in sorted(dates)] == ["2017-12-31", "2018", "2018-05", "2018-05-14"]


# --- period_end -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "end"),
    [
        ("2018-05-14", dt.date(2018, 5, 14)),
        ("2018-05", dt.date(2018, 5, 31)),
        ("2018-04", dt.date(2018, 4, 30)),
        ("2018-02", dt.date(2018, 2, 28)),
        ("2020-02", dt.date(2020, 2, 29)),
        ("1900-02", dt.date(1900, 2, 28)),
        ("2000-02", dt.date(2000, 2, 29)),
        ("2018-11", dt.date(2018, 11, 30)),
        ("2018-12", dt.date(2018, 12, 31)),
        ("2018", dt.date(2018, 12, 31)),
        ("0001-01", dt.date(1, 1, 31)),
        ("9999", dt.date(9999, 12, 31)),
    ],
)
def test_period_end_is_the_last_day_of_the_period(raw: str, end: dt.date) -> None:
    assert period_end(parse_partial_date(raw)) == end


def test_period_end_of_every_month_matches_the_calendar() -> None:
    for year, month in itertools.product((1999, 2000, 2018, 2020, 2100), range(1, 13)):
        start = dt.date(year, month, 1)
        assert period_end(PartialDate(start, MONTH)) == last_day(start, MONTH)


def test_period_end_of_the_last_month_of_9999() -> None:
    assert period_end(parse_partial_date("9999-12")) == dt.date(9999, 12, 31)


# --- within_clause --------------------------------------------------------------------------------

STORED = [
    ("2017-12-31", DAY),
    ("2018-01-01", YEAR),
    ("2018-01-01", MONTH),
    ("2018-02-01", MONTH),
    ("2018-02-28", DAY),
    ("2018-03-01", DAY),
    ("2018-05-01", MONTH),
    ("2018-05-14", DAY),
    ("2018-12-01", MONTH),
    ("2018-12-31", DAY),
    ("2019-01-01", YEAR),
    ("2019-01-01", DAY),
    ("2020-02-01", MONTH),
    ("2020-02-29", DAY),
]
BOUNDS = [
    "2017",
    "2018",
    "2018-01",
    "2018-02",
    "2018-02-28",
    "2018-03-01",
    "2018-05",
    "2018-05-14",
    "2018-12",
    "2018-12-30",
    "2019",
    "2020-02",
    "2020-02-28",
]


@pytest.fixture
def dated_events(session: Session) -> dict[str, tuple[dt.date, DatePrecision] | None]:
    """Events over many periods (plus one undated), keyed by id."""
    events: dict[str, tuple[dt.date, DatePrecision] | None] = {
        f"dated-{n:02d}": (dt.date.fromisoformat(raw), precision)
        for n, (raw, precision) in enumerate(STORED)
    }
    events["dated-none"] = None
    session.add_all(
        Event(
            id=event_id,
            title=event_id,
            kind=EventKind.OTHER,
            status=EventStatus.HELD,
            date=None if dated is None else dated[0],
            date_precision=None if dated is None else dated[1],
        )
        for event_id, dated in events.items()
    )
    session.flush()
    return events


def selected(
    session: Session, event_ids: list[str], date_from: str | None, date_to: str | None
) -> set[str]:
    clause = within_clause(
        Event.date,
        Event.date_precision,
        None if date_from is None else parse_partial_date(date_from),
        None if date_to is None else parse_partial_date(date_to),
    )
    statement = select(Event.id).where(Event.id.in_(event_ids))
    if clause is not None:
        statement = statement.where(clause)
    return set(session.scalars(statement))


def test_within_clause_without_bounds_is_none() -> None:
    assert within_clause(Event.date, Event.date_precision, None, None) is None


def test_within_clause_keeps_facts_whose_whole_period_lies_in_the_range(
    session: Session, dated_events: dict[str, tuple[dt.date, DatePrecision] | None]
) -> None:
    event_ids = list(dated_events)
    pairs = [
        *itertools.product(BOUNDS, BOUNDS),
        *((b, None) for b in BOUNDS),
        *((None, b) for b in BOUNDS),
    ]
    sizes = set()
    for date_from, date_to in pairs:
        low = None if date_from is None else parse_partial_date(date_from).value
        high = None if date_to is None else last_day(*_start(date_to))
        expected = {
            event_id
            for event_id, dated in dated_events.items()
            if dated is not None
            and (low is None or dated[0] >= low)
            and (high is None or last_day(*dated) <= high)
        }
        sizes.add(len(expected))
        assert selected(session, event_ids, date_from, date_to) == expected, (date_from, date_to)
    assert len(sizes) > 5


def test_a_month_lies_within_its_month_but_not_within_part_of_it(
    session: Session, dated_events: dict[str, tuple[dt.date, DatePrecision] | None]
) -> None:
    event_ids = list(dated_events)
    may = "dated-06"  # 2018-05, month precision
    may_14 = "dated-07"  # 2018-05-14
    year_2018 = "dated-01"  # 2018, year precision
    assert dated_events[may] == (dt.date(2018, 5, 1), MONTH)
    assert dated_events[year_2018] == (dt.date(2018, 1, 1), YEAR)
    in_may = selected(session, event_ids, "2018-05", "2018-05")
    assert in_may == {may, may_14}
    assert selected(session, event_ids, "2018-05-01", "2018-05-31") == {may, may_14}
    assert selected(session, event_ids, "2018-05-01", "2018-05-30") == {may_14}
    assert selected(session, event_ids, "2018-05-02", "2018-05-31") == {may_14}
    assert year_2018 in selected(session, event_ids, "2018", "2018")
    assert year_2018 not in selected(session, event_ids, "2018-01", "2018-11")


def test_undated_facts_never_match_a_date_bound(
    session: Session, dated_events: dict[str, tuple[dt.date, DatePrecision] | None]
) -> None:
    event_ids = list(dated_events)
    for date_from, date_to in (("0001", None), (None, "9998"), ("0001", "9998")):
        found = selected(session, event_ids, date_from, date_to)
        assert found == set(event_ids) - {"dated-none"}


@pytest.mark.parametrize("date_to", ["9999", "9999-12", "9999-12-31", "0001-01", "0001-01-01"])
def test_within_clause_accepts_the_extreme_dates_parse_accepts(
    session: Session,
    dated_events: dict[str, tuple[dt.date, DatePrecision] | None],
    date_to: str,
) -> None:
    expected = set(dated_events) - {"dated-none"} if date_to.startswith("9999") else set()
    assert selected(session, list(dated_events), None, date_to) == expected


def test_the_documented_pattern_accepts_exactly_the_real_dates() -> None:
    """The OpenAPI pattern and the parser agree, so schema-valid dates are never refused."""
    pattern = re.compile(PARTIAL_DATE_PATTERN)
    day = dt.date(1, 1, 1)
    while day < dt.date(2405, 1, 1):
        assert pattern.match(day.isoformat()), day
        day += dt.timedelta(days=1)
    for year in range(0, 10_000, 37):
        for month in range(0, 14):
            assert bool(pattern.match(f"{year:04d}-{month:02d}")) == (year > 0 and 1 <= month <= 12)
            for day_of_month in (0, 1, 28, 29, 30, 31, 32):
                text = f"{year:04d}-{month:02d}-{day_of_month:02d}"
                try:
                    parse_partial_date(text)
                    valid = True
                except ValueError:
                    valid = False
                assert bool(pattern.match(text)) == valid, text
