"""JSON built by the database: SQLite's JSON functions, PostgreSQL's `json_build_object`.

A list page whose items the database renders is one statement: no query per part of an item,
no model built and validated per item in Python, and the page's bytes are the rows' text
joined (app.core.pagination.RenderedPage). The pydantic models stay the documented schema; tests
hold the two to each other on both backends (tests/core/test_sqljson.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Response
from sqlalchemy import BindParameter, ColumnClause, Select, Text, case, cast, func, literal_column
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import iterate

SUPPORTED = ("sqlite", "postgresql")


@dataclass(frozen=True)
class RenderedJson:
    """A response body rendered as JSON already (by the database, or assembled from its JSON)."""

    body: bytes

    def response(self) -> Response:
        """The body as a JSON response."""
        return Response(self.body, media_type="application/json")


def _check(dialect: str) -> None:
    if dialect not in SUPPORTED:
        raise ValueError(f"no JSON rendering for the {dialect!r} dialect")


def _key(name: str) -> Any:
    # Keys are this module's callers' constants (field names), never user input.
    if not name.isidentifier():
        raise ValueError(f"not a field name: {name!r}")
    return literal_column(f"'{name}'")


def constant(value: int | str) -> Any:
    """A constant written into the SQL, not bound: see `prerendered`."""
    if isinstance(value, int):
        return literal_column(str(int(value)))
    if "'" in value:
        raise ValueError(f"not a plain constant: {value!r}")
    return literal_column(f"'{value}'")


class _Prerendered(ColumnClause[Any]):
    """A fixed expression under a unique name, which is its whole cache key (SQLAlchemy's
    "Enabling Caching Support for Custom Constructs"): a statement holding it is keyed without
    walking the expression, which for a rendered item costs more than the query itself."""

    inherit_cache = True

    def __init__(self, name: str, expression: ColumnElement[Any]) -> None:
        super().__init__(name, type_=expression.type)
        self.rendered = expression


@compiles(_Prerendered)
def _compile_prerendered(element: _Prerendered, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.rendered, **kw)


_PRERENDERED_NAMES: set[str] = set()


def prerendered(name: str, expression: ColumnElement[Any]) -> ColumnElement[Any]:
    """`expression`, cache-keyed by `name` alone: it must hold no bound parameter (a cached
    statement would not see its value), so its constants are written with `constant`; and no
    other expression may take its name (the two would share compiled SQL)."""
    bound = [e for e in iterate(expression) if isinstance(e, BindParameter)]
    if bound:
        raise ValueError(f"{name}: a prerendered expression binds {bound[0].key!r}")
    if name in _PRERENDERED_NAMES:
        raise ValueError(f"{name}: a prerendered expression has this name already")
    _PRERENDERED_NAMES.add(name)
    return _Prerendered(name, expression)


def json_object(dialect: str, fields: dict[str, Any]) -> ColumnElement[Any]:
    """A JSON object of the given fields, in their order."""
    _check(dialect)
    arguments = [part for name, value in fields.items() for part in (_key(name), value)]
    if dialect == "sqlite":
        return func.json_object(*arguments)
    return func.json_build_object(*arguments)


def json_or_null(dialect: str, present: Any, value: ColumnElement[Any]) -> Any:
    """`value` (a JSON object) where `present` is not NULL, else JSON null."""
    chosen = case((present.is_(None), None), else_=value)
    # SQLite passes JSON between functions as text with a subtype; json() restores it.
    return func.json(chosen) if dialect == "sqlite" else chosen


def json_array(
    dialect: str, value: Any, rows: Select[Any], order_by: Sequence[Any]
) -> ColumnElement[Any]:
    """The JSON array of `value` over the rows of a correlated select, in `order_by` order
    (`[]` when there are none).

    PostgreSQL orders the aggregate itself. SQLite before 3.44 takes no ORDER BY inside an
    aggregate: it aggregates rows in the order its plan reads them, so `rows` must be served
    by an index in `order_by` order (the tests check both the plan and the order).
    """
    _check(dialect)
    if dialect == "postgresql":
        aggregated = func.json_agg(aggregate_order_by(value, *order_by))
        return func.coalesce(
            rows.with_only_columns(aggregated).scalar_subquery(),
            literal_column("'[]'::json"),
        )
    return func.json(rows.with_only_columns(func.json_group_array(value)).scalar_subquery())


def partial_date_text(dialect: str, value: Any, precision: Any) -> ColumnElement[Any]:
    """A date at its precision as app.core.dates.format_partial_date writes it (NULL stays NULL)."""
    _check(dialect)
    month, year, one = constant("month"), constant("year"), constant(1)
    if dialect == "sqlite":  # dates are stored as 'YYYY-MM-DD' text
        return case(
            (precision == month, func.substr(value, one, constant(7))),
            (precision == year, func.substr(value, one, constant(4))),
            else_=func.substr(value, one, constant(10)),
        )
    return case(
        (precision == month, func.to_char(value, constant("YYYY-MM"))),
        (precision == year, func.to_char(value, constant("YYYY"))),
        else_=func.to_char(value, constant("YYYY-MM-DD")),
    )


def json_text(dialect: str, value: ColumnElement[Any]) -> ColumnElement[str]:
    """The JSON as text (psycopg would otherwise parse a json column into Python objects)."""
    return cast(value, Text) if dialect == "postgresql" else value
