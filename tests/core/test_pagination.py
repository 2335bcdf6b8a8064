"""Cursor encoding and decoding (property-based), and cursor misuse."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import column

from app.core.errors import InvalidCursor
from app.core.pagination import Ordering, SortKey, decode_cursor, encode_cursor

ORDERING = Ordering(
    "said_on",
    [SortKey(column("said_on"), nullable=True, kind=dt.date), SortKey(column("id"))],
)
RANKED = Ordering(
    "relevance",
    [SortKey(column("rank"), descending=True, kind=float), SortKey(column("id"))],
)
# Keys in cursors are ids: printable text (the decoder refuses control characters).
ids = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S")), min_size=1, max_size=100
)


@given(date=st.one_of(st.none(), st.dates()), fact_id=ids, scope=st.text(max_size=30))
def test_a_cursor_decodes_to_the_values_it_encodes(
    date: dt.date | None, fact_id: str, scope: str
) -> None:
    cursor = encode_cursor(ORDERING, [date, fact_id], scope)
    assert cursor.isascii()
    assert "=" not in cursor
    assert decode_cursor(cursor, ORDERING, scope) == [date, fact_id]


@given(rank=st.floats(allow_nan=False, allow_infinity=False), fact_id=ids)
def test_float_keys_round_trip_exactly(rank: float, fact_id: str) -> None:
    assert decode_cursor(encode_cursor(RANKED, [rank, fact_id]), RANKED) == [rank, fact_id]


@given(garbage=st.text(max_size=200))
def test_garbage_is_refused_as_an_invalid_cursor(garbage: str) -> None:
    try:
        decode_cursor(garbage, ORDERING)
    except InvalidCursor:
        return
    # The only strings that decode are real cursors for this ordering.
    payload = json.loads(base64.urlsafe_b64decode(garbage + "=" * (-len(garbage) % 4)))
    assert payload["o"] == ORDERING.name


@given(cursor=st.builds(encode_cursor, st.just(ORDERING), st.tuples(st.dates(), ids)))
def test_a_truncated_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor[: len(cursor) // 2], ORDERING)


def test_a_cursor_is_bound_to_its_order_and_filters() -> None:
    cursor = encode_cursor(ORDERING, [dt.date(2018, 5, 1), "x"], scope="speaker=a")
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor, RANKED, "speaker=a")
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor, ORDERING, "speaker=b")


@pytest.mark.parametrize(
    "keys",
    [["2018-05-01"], ["2018-05-01", "x", "y"], [12, "x"], ["not-a-date", "x"], ["2018-05-01", 7]],
)
def test_a_forged_payload_is_refused(keys: list[object]) -> None:
    raw = json.dumps({"o": ORDERING.name, "s": "", "k": keys}).encode()
    forged = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    with pytest.raises(InvalidCursor):
        decode_cursor(forged, ORDERING)
