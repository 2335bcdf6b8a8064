"""Keyset pagination: opaque cursors, `{items, next_cursor}` pages and `Link` headers.

A cursor encodes the sort it was issued for and the sort key of the last item on the page; the
next page is everything strictly after that key in the same order. No OFFSET is ever used, so
page 1,000 costs what page 1 costs.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Select, and_, bindparam, or_
from sqlalchemy.orm import QueryableAttribute

from app.core.errors import InvalidCursor

T = TypeVar("T")
AnySelect = Select[*tuple[Any, ...]]
DEFAULT_LIMIT = 20
MAX_LIMIT = 100

Limit = Annotated[
    int,
    Query(ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT}."),
]
Cursor = Annotated[
    str | None,
    Query(
        max_length=512,
        description="Opaque cursor from a previous page's `next_cursor`; omit for the first page.",
    ),
]


class Page(BaseModel, Generic[T]):
    """One page of a list, and the cursor of the next page (null on the last page)."""

    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null when this is the last page."
    )


@dataclass(frozen=True)
class RenderedPage:
    """A Page whose items the database rendered as JSON (app.core.sqljson): served as they are."""

    items: list[str]
    next_cursor: str | None

    def body(self) -> bytes:
        """`{"items": [...], "next_cursor": ...}`, the items' JSON joined as it is."""
        cursor = json.dumps(self.next_cursor)
        return f'{{"items":[{",".join(self.items)}],"next_cursor":{cursor}}}'.encode()

    def response(self, request: Request) -> Response:
        """The page as a JSON response, with its Link header."""
        response = Response(self.body(), media_type="application/json")
        set_link_header(request, response, self.next_cursor)
        return response


@dataclass(frozen=True)
class SortKey:
    """One column of a keyset order; `nullable` columns sort their NULLs last."""

    column: ColumnElement[Any] | QueryableAttribute[Any]
    descending: bool = False
    nullable: bool = False
    kind: type = str  # the Python type of the key value: str, int, float or dt.date
    limit: float | None = None  # a float key's largest magnitude, when it has one


@dataclass(frozen=True)
class Ordering:
    """A named, total order: the last key must be unique (the id)."""

    name: str
    keys: Sequence[SortKey]

    def order_by(self) -> list[ColumnElement[Any]]:
        """ORDER BY clauses for this ordering."""
        clauses: list[ColumnElement[Any]] = []
        for key in self.keys:
            clause = key.column.desc() if key.descending else key.column.asc()
            clauses.append(clause.nulls_last() if key.nullable else clause)
        return clauses

    def after(self, values: Sequence[Any]) -> ColumnElement[bool]:
        """The condition selecting rows strictly after the row whose keys are `values`."""
        return _after(list(self.keys), list(values))


def _after(keys: list[SortKey], values: list[Any]) -> ColumnElement[bool]:
    key, value = keys[0], values[0]
    column: Any = key.column
    if len(keys) == 1:
        if value is None:
            raise InvalidCursor("The cursor does not match this list.")
        beyond: ColumnElement[bool] = column < value if key.descending else column > value
        return beyond
    rest = _after(keys[1:], values[1:])
    if value is None:
        # NULLs sort last: after a NULL key come only the NULL rows later in the tie-breakers.
        return and_(column.is_(None), rest)
    beyond = column < value if key.descending else column > value
    clauses: list[ColumnElement[bool]] = [beyond, and_(column == value, rest)]
    if key.nullable:
        clauses.append(column.is_(None))
    return or_(*clauses)


def encode_cursor(ordering: Ordering, values: Sequence[Any], scope: str = "") -> str:
    """An opaque cursor for the position after the row with these key values.

    `scope` fingerprints the filters of the list, so a cursor cannot be replayed on another.
    """
    payload = {"o": ordering.name, "s": scope, "k": [_encode_value(v) for v in values]}
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str, ordering: Ordering, scope: str = "") -> list[Any]:
    """The key values a cursor holds; InvalidCursor if it is malformed or for another order."""
    if not _CURSOR_ALPHABET.match(cursor):
        # b64decode would skip stray characters; a cursor this API issued has none.
        raise InvalidCursor("The cursor is not one this API issued.")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidCursor("The cursor is not one this API issued.") from None
    if (
        not isinstance(payload, dict)
        or payload.get("o") != ordering.name
        or payload.get("s") != scope
        or not isinstance(payload.get("k"), list)
        or len(payload["k"]) != len(ordering.keys)
    ):
        raise InvalidCursor("The cursor was issued for a different list or sort order.")
    try:
        return [_decode_value(v, key) for v, key in zip(payload["k"], ordering.keys, strict=True)]
    except (TypeError, ValueError, OverflowError):
        raise InvalidCursor("The cursor is not one this API issued.") from None


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return value


_CURSOR_ALPHABET = re.compile(r"^[A-Za-z0-9_-]*\Z")
_INT_RANGE = range(-(2**31), 2**31)  # the id columns that integer keys compare with
# Relevance scores (bm25, ts_rank) are small numbers: a score key beyond this is forged, and
# arithmetic on it (a search's length bound) would overflow.
SCORE_LIMIT = 1e6


def _decode_value(value: Any, key: SortKey) -> Any:
    if value is None:
        if not key.nullable:
            raise ValueError("null key")
        return None
    if key.kind is dt.date:
        if not isinstance(value, str):
            raise TypeError("date key")
        return dt.date.fromisoformat(value)
    if key.kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError("float key")
        if not math.isfinite(value) or (key.limit is not None and abs(value) > key.limit):
            raise ValueError("float key")
        return float(value)
    if key.kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or value not in _INT_RANGE:
            raise TypeError("int key")
        return value
    if not isinstance(value, str) or len(value) > 300 or not value.isprintable():
        raise TypeError("string key")
    value.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError, a ValueError
    return value


def paginate(
    statement: AnySelect,
    ordering: Ordering,
    cursor: str | None,
    limit: int,
    scope: str = "",
) -> AnySelect:
    """Apply the ordering, the cursor's position and limit+1 (to detect a next page)."""
    after = None if cursor is None else decode_cursor(cursor, ordering, scope)
    return _keyset(statement, ordering, after, limit + 1)


def bound_paginate(
    statement: AnySelect, ordering: Ordering, after_nulls: Sequence[bool] | None
) -> AnySelect:
    """paginate for a statement built once and run for many pages: the cursor's keys and the
    row count are bound parameters (`after_0`, `after_1`..., `rows`: see bound_page_parameters).
    `after_nulls` says which of the cursor's keys are null, since that shapes the condition;
    None for the first page."""
    after: list[Any] | None = None
    if after_nulls is not None:
        after = [None if null else bindparam(f"after_{i}") for i, null in enumerate(after_nulls)]
    return _keyset(statement, ordering, after, bindparam("rows"))


def bound_page_parameters(after: Sequence[Any] | None, limit: int) -> dict[str, Any]:
    """The values of bound_paginate's parameters for a cursor's keys (None on the first page)."""
    parameters: dict[str, Any] = {"rows": limit + 1}
    for index, value in enumerate(after or ()):
        if value is not None:
            parameters[f"after_{index}"] = value
    return parameters


def _keyset(
    statement: AnySelect, ordering: Ordering, after: Sequence[Any] | None, rows: Any
) -> AnySelect:
    if after is not None:
        statement = statement.where(ordering.after(after))
    return statement.order_by(*ordering.order_by()).limit(rows)


def split_page(
    rows: Sequence[T],
    ordering: Ordering,
    limit: int,
    key_of: Callable[[T], Sequence[Any]],
    scope: str = "",
) -> tuple[list[T], str | None]:
    """Cut the limit+1 rows to a page and make the cursor of the next page, if there is one."""
    if len(rows) <= limit:
        return list(rows), None
    page = list(rows[:limit])
    return page, encode_cursor(ordering, key_of(page[-1]), scope)


def filter_scope(query: BaseModel) -> str:
    """A short fingerprint of a list query's filters (everything but limit and cursor)."""
    filters = query.model_dump(mode="json", exclude={"limit", "cursor"}, exclude_none=True)
    if not filters:
        return ""
    raw = json.dumps(filters, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:12]


def _host(request: Request) -> str:
    host = request.headers.get("host")
    if host:
        return host
    server = request.scope.get("server") or ("localhost", 80)
    return f"{server[0]}:{server[1]}"


def set_link_header(
    request: Request, response: Response, next_cursor: str | None, parameter: str = "cursor"
) -> None:
    """Add `Link: <...>; rel="next"` when there is a next page."""
    if next_cursor is None:
        return
    from app.core.config import get_settings

    # From the decoded parameters: request.url would re-decode the raw query strictly.
    params = [(k, v) for k, v in request.query_params.multi_items() if k != parameter]
    query = urlencode([*params, (parameter, next_cursor)])
    path = request.scope["path"]
    base = get_settings().public_base_url or f"{request.scope['scheme']}://{_host(request)}"
    url_text = f"{base.rstrip('/')}{path}?{query}"
    response.headers["Link"] = f'<{url_text}>; rel="next"'
