"""When a quotation was said: dates written near its cue, resolved against the publication date."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from .lexicon import MONTHS, WEEKDAYS

Precision = Literal["day", "month", "year"]

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE = re.compile(
    r"\b(?:(?P<month>" + _MONTH_NAMES + r")\.?(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b)?"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
    r"|(?P<weekday>" + "|".join(WEEKDAYS) + r")"
    r"|(?P<relative>yesterday|today|last week|last month|last year|this week|earlier this week"
    r"|earlier this month|earlier this year)"
    r"|in\s+(?P<bare_year>(?:19|20)\d\d))\b",
    re.IGNORECASE,
)


def parse_published(published: str | None) -> tuple[int, int | None, int | None] | None:
    """Year, month and day of an ISO partial date ("2016", "2016-10", "2016-10-12")."""
    if not published:
        return None
    m = re.match(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", published)
    if m is None:
        return None
    return int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None


def _fmt(y: int, mo: int | None = None, d: int | None = None) -> tuple[str, Precision]:
    if mo is None:
        return f"{y:04d}", "year"
    if d is None:
        return f"{y:04d}-{mo:02d}", "month"
    return f"{y:04d}-{mo:02d}-{d:02d}", "day"


def resolve(match: re.Match[str], published: str | None) -> tuple[str, Precision] | None:
    """The date a DATE match names, at the precision its words and the publication allow."""
    pub = parse_published(published)
    g = match.groupdict()
    if g["month"]:
        month = MONTHS[g["month"].lower().rstrip(".")]
        if g["month"][0].islower() and g["month"].lower() in ("may", "march", "mar", "dec"):
            return None  # "may" the verb, "march" the noun
        if g["year"]:
            year = int(g["year"])
        elif pub is not None:
            year = pub[0]
            # A month after the publication's month is last year's ("in December", said in May).
            if pub[1] is not None and month > pub[1]:
                year -= 1
        else:
            return None
        day = int(g["day"]) if g["day"] and 1 <= int(g["day"]) <= 31 else None
        try:
            if day is not None:
                date(year, month, day)
        except ValueError:
            day = None
        return _fmt(year, month, day)
    if g["bare_year"]:
        return _fmt(int(g["bare_year"]))
    if pub is None:
        return None
    y, mo, d = pub
    if g["weekday"]:
        if mo is None or d is None:
            return _fmt(y, mo) if mo is not None else _fmt(y)
        wanted = WEEKDAYS.index(g["weekday"].lower())
        day0 = date(y, mo, d)
        back = (day0.weekday() - wanted) % 7
        day1 = day0 - timedelta(days=back)
        return _fmt(day1.year, day1.month, day1.day)
    rel = g["relative"].lower()
    if rel in ("yesterday", "today"):
        if mo is None or d is None:
            return _fmt(y, mo) if mo is not None else _fmt(y)
        day1 = date(y, mo, d) - timedelta(days=1 if rel == "yesterday" else 0)
        return _fmt(day1.year, day1.month, day1.day)
    if rel == "last year":
        return _fmt(y - 1)
    if rel in ("last month",):
        if mo is None:
            return _fmt(y)
        return _fmt(y - 1, 12) if mo == 1 else _fmt(y, mo - 1)
    if rel in ("earlier this month", "this week", "earlier this week", "last week"):
        # A week is vaguer than a day: its month, or its year, is what the words support.
        if mo is None:
            return _fmt(y)
        if rel == "last week" and d is not None:
            day1 = date(y, mo, d) - timedelta(days=7)
            return _fmt(day1.year, day1.month)
        return _fmt(y, mo)
    return _fmt(y)


def said_on(text: str, start: int, end: int, published: str | None) -> tuple[str, Precision] | None:
    """The first date written in text[start:end] (the clause around a cue), resolved."""
    for m in DATE.finditer(text, start, end):
        found = resolve(m, published)
        if found is not None:
            return found
    return None
