"""Queries over quotations."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    Subquery,
    and_,
    bindparam,
    delete,
    exists,
    literal_column,
    not_,
    or_,
    select,
)
from sqlalchemy.orm import Session

from app.core.dates import within_clause
from app.core.errors import NotFound
from app.core.pagination import (
    MAX_LIMIT,
    SCORE_LIMIT,
    AnySelect,
    Ordering,
    RenderedPage,
    SortKey,
    bound_page_parameters,
    bound_paginate,
    decode_cursor,
    filter_scope,
    paginate,
    split_page,
)
from app.core.spans import SpanError, resolve_span
from app.core.sqljson import (
    SUPPORTED,
    json_array,
    json_object,
    json_or_null,
    json_text,
    partial_date_text,
    prerendered,
)
from app.core.sync import sync_rows
from app.core.websearch import parse_search
from app.evidence.service import evidence_json
from app.models.article import Article
from app.models.event import Event
from app.models.evidence import EvidenceSpan
from app.models.issue import Issue
from app.models.kind import RecordKind
from app.models.participant import Participant
from app.models.quotation import Quotation, QuotationIssue
from app.quotations.schemas import (
    QuotationCreate,
    QuotationQuery,
    QuotationRead,
    QuotationSort,
    QuotationUpdate,
)
from app.quotations.search import (
    FTS_RANKED,
    HOLDS_ENGLISH_FORM,
    RELEVANCE,
    SINGLE_LEXEME_FORMS,
    best_single_word_matches,
    best_word_matches,
    quotation_matches,
    ranked_fts_matches,
    single_search_term,
    word_match_parameters,
)
from app.writes.flows import (
    ResolvedSpan,
    invalid,
    replace_evidence,
    require_absent,
    require_ref,
    resolve_evidence,
)

# Reads select from the tables, not the mapped classes: a statement with no ORM entity or
# attribute in it skips the ORM's compile and result machinery (bench/README.md has the
# figures). Writes, below, use the ORM.
_quotations = Quotation.__table__
_q = _quotations.c
_qi = QuotationIssue.__table__.c
_evidence = EvidenceSpan.__table__
_speaker = Participant.__table__.alias("speaker")
_audience = Participant.__table__.alias("audience")

ORDERINGS = {
    QuotationSort.ID: Ordering("quotations:id", [SortKey(_q.id)]),
    QuotationSort.SAID_ON: Ordering(
        "quotations:said_on",
        [SortKey(_q.said_on, nullable=True, kind=dt.date), SortKey(_q.id)],
    ),
    QuotationSort.SAID_ON_DESC: Ordering(
        "quotations:-said_on",
        [
            SortKey(_q.said_on, descending=True, nullable=True, kind=dt.date),
            SortKey(_q.id, descending=True),
        ],
    ),
}


def _item_json(dialect: str) -> Any:
    """A QuotationRead, rendered by the database (app.core.sqljson), with the same fields in the
    same order; tests/core/test_sqljson.py holds the two to each other."""
    evidence = evidence_json(dialect, _evidence.c.quotation_id == _q.id)
    issue_ids = json_array(
        dialect,
        _qi.issue_id,
        # Served by the primary key (quotation_id, issue_id), in this order.
        select(_qi.issue_id).where(_qi.quotation_id == _q.id),
        [_qi.issue_id],
    )
    item = json_object(
        dialect,
        {
            "id": _q.id,
            "text": _q.text,
            "kind": _q.kind,
            "speaker": json_object(dialect, {"id": _q.speaker_id, "name": _speaker.c.name}),
            "said_on": partial_date_text(dialect, _q.said_on, _q.said_on_precision),
            "said_on_precision": _q.said_on_precision,
            "event_id": _q.event_id,
            "audience": json_or_null(
                dialect,
                _q.audience_id,
                json_object(dialect, {"id": _q.audience_id, "name": _audience.c.name}),
            ),
            "issue_ids": issue_ids,
            "article_id": _q.article_id,
            "evidence": evidence,
        },
    )
    return prerendered(f"quotation_item_{dialect}", json_text(dialect, item))


def _build_base_select(dialect: str) -> AnySelect:
    # The sort keys a cursor needs, and the item as JSON: one statement for a whole page.
    statement: AnySelect = (
        select(_q.id, _q.said_on, _item_json(dialect).label("item"))
        .select_from(_quotations)
        .join(_speaker, _speaker.c.id == _q.speaker_id)
        .outerjoin(_audience, _audience.c.id == _q.audience_id)
    )
    return statement


# Statements are immutable: built once per dialect, each page refines them (where, order,
# limit), which spares building the item's JSON expression on every page.
_BASE_SELECTS = {dialect: _build_base_select(dialect) for dialect in SUPPORTED}


def _base_select(session: Session) -> AnySelect:
    return _BASE_SELECTS[session.get_bind().dialect.name]


def quotation_reads(rows: Sequence[Any]) -> list[QuotationRead]:
    """Models of rows of _base_select() (for answers that embed or transform them)."""
    return [QuotationRead.model_validate_json(row.item) for row in rows]


def _page(rows: Sequence[Any], next_cursor: str | None) -> RenderedPage:
    return RenderedPage(items=[row.item for row in rows], next_cursor=next_cursor)


def _rendered(
    session: Session,
    keys: Subquery,
    id_column: Any,
    *order_by: Any,
    params: dict[str, Any] | None = None,
) -> Sequence[Any]:
    """The rows of a page cut by `keys` (a subquery with the page's ids and their `rank`),
    rendered. Searches cut the page first: SQLite computes a row's every column before
    sorting it, so ranking rendered rows would render every match where the page needs 21
    (bench/README.md)."""
    statement = (
        _base_select(session)
        .join(keys, id_column == _q.id)
        .add_columns(keys.c.rank)
        .order_by(*order_by)
    )
    return session.execute(statement, params).all()


# The filters a list is narrowed by (besides its dates and its search), each as the condition
# it puts on a quotation given the filter's value.
_FILTERS: dict[str, Callable[[Any], ColumnElement[bool]]] = {
    "speaker": lambda value: _q.speaker_id == value,
    "event": lambda value: _q.event_id == value,
    "article": lambda value: _q.article_id == value,
    "audience": lambda value: _q.audience_id == value,
    "kind": lambda value: _q.kind == value,
    "issue": lambda value: exists().where(_qi.quotation_id == _q.id, _qi.issue_id == value),
}


def _filtered(statement: AnySelect, filters: tuple[tuple[str, str], ...]) -> AnySelect:
    """The statement narrowed by each (bound parameter, filter name) of `filters`."""
    for parameter, name in filters:
        statement = statement.where(_FILTERS[name](bindparam(parameter)))
    return statement


@functools.lru_cache(maxsize=512)
def _list_page_statement(
    dialect: str,
    filters: tuple[tuple[str, str], ...],
    sort: QuotationSort,
    after_nulls: tuple[bool, ...] | None,
) -> AnySelect:
    """A page's statement, built once per shape: its filters, its sort, and which of its
    cursor's keys are null. Values are bound parameters, so a page skips building the
    statement and its cache key (bench/README.md)."""
    return bound_paginate(_filtered(_BASE_SELECTS[dialect], filters), ORDERINGS[sort], after_nulls)


# A query with only these parameters is a plain search, which _ranked_search_page can page.
SEARCH_ONLY = {"q", "sort", "limit", "cursor"}


def list_quotations(session: Session, query: QuotationQuery, **fixed: str) -> RenderedPage:
    """Quotations matching the query; `fixed` adds filters set by the path (e.g. speaker)."""
    sort = query.sort or (QuotationSort.RELEVANCE if query.q else QuotationSort.ID)
    if sort is QuotationSort.RELEVANCE and not query.q:
        sort = QuotationSort.ID  # without q every quotation ranks alike
    scope = filter_scope(query) + "/" + ",".join(f"{k}={v}" for k, v in sorted(fixed.items()))
    given = query.model_dump(exclude_none=True)
    searched_only = not fixed and given.keys() <= SEARCH_ONLY
    if query.q and searched_only and sort is QuotationSort.RELEVANCE:
        ranked_page = _ranked_search_page(session, query, scope)
        if ranked_page is not None:
            return ranked_page
    # Path filters (e.g. /participants/{id}/quotations) and query filters both apply, each
    # value a bound parameter named for where it came from.
    bound = [
        (f"{origin}_{name}", name, values[name])
        for origin, values in (("query", given), ("path", fixed))
        for name in _FILTERS
        if name in values
    ]
    filters = tuple((parameter, name) for parameter, name, _ in bound)
    params: dict[str, Any] = {parameter: value for parameter, _, value in bound}
    dated = within_clause(_q.said_on, _q.said_on_precision, query.said_from, query.said_to)
    ordering = ORDERINGS.get(sort, ORDERINGS[QuotationSort.ID])
    if query.q:
        # A search is paged on the quotations' keys alone, then only its page is rendered.
        statement = _filtered(select(_q.id, _q.said_on).select_from(_quotations), filters)
        if dated is not None:
            statement = statement.where(dated)
        matches = quotation_matches(session, query.q)
        if matches is None:  # no word to search: nothing matches (a bad cursor is still a 400)
            if query.cursor is not None:
                decode_cursor(query.cursor, ordering, scope)
            return RenderedPage(items=[], next_cursor=None)
        statement = statement.join(matches, matches.c.quotation_id == _q.id).add_columns(
            matches.c.rank
        )
        if sort is QuotationSort.RELEVANCE:
            ordering = _relevance(matches.c.rank)
        keys = paginate(statement, ordering, query.cursor, query.limit, scope).subquery("page")
        outer_order = (
            [keys.c.rank.desc(), _q.id] if sort is QuotationSort.RELEVANCE else ordering.order_by()
        )
        rows = _rendered(session, keys, keys.c.id, *outer_order, params=params)
    else:
        after = None if query.cursor is None else decode_cursor(query.cursor, ordering, scope)
        statement = _list_page_statement(
            session.get_bind().dialect.name,
            filters,
            sort,
            None if after is None else tuple(value is None for value in after),
        )
        if dated is not None:
            statement = statement.where(dated)
        params.update(bound_page_parameters(after, query.limit))
        rows = session.execute(statement, params).all()
    page, next_cursor = split_page(
        rows, ordering, query.limit, lambda row: _sort_values(sort, row), scope
    )
    return _page(page, next_cursor)


def _relevance(rank: Any) -> Ordering:
    """The relevance order of a search whose matches have this rank: higher first, ties by id."""
    return Ordering(
        RELEVANCE,
        [SortKey(rank, descending=True, kind=float, limit=SCORE_LIMIT), SortKey(_q.id)],
    )


def _ranked_search_page(session: Session, query: QuotationQuery, scope: str) -> RenderedPage | None:
    """A search with no other filter: on PostgreSQL a word's best matches are read in rank
    order; on SQLite FTS5 ranks and pages the matches on its own, and only the page is joined
    to the quotations. None where that does not apply."""
    if session.get_bind().dialect.name == "postgresql":
        word = parse_search(query.q or "").single_word
        return None if word is None else _single_word_page(session, word, query, scope)
    single = single_search_term(query.q or "")
    if single is not None:
        single_term_page = _single_term_page(session, *single, query, scope)
        if single_term_page is not None:
            return single_term_page
    ranked = ranked_fts_matches(session, query.q or "")
    if ranked is None:
        return None
    matches = paginate(ranked, FTS_RANKED, query.cursor, query.limit, scope).subquery("page")
    rows = _rendered(session, matches, matches.c.quotation_id, matches.c.rank, _q.id)
    page, next_cursor = split_page(
        rows, FTS_RANKED, query.limit, lambda row: [row.rank, row.id], scope
    )
    return _page(page, next_cursor)


@functools.lru_cache(maxsize=2 * (MAX_LIMIT + 1))
def _word_page_statement(after: bool, rows: int) -> AnySelect:
    """PostgreSQL: a one-word search's page of `rows` rows, its matches cut by
    best_word_matches (on the first page, or `after` a cursor), rendered; and whether a row
    came from the marked form's list yet holds the English form. Built once a shape; the word
    and cursor are bound parameters."""
    keys = best_word_matches(after, rows)
    held_twice = and_(not_(keys.c.english), HOLDS_ENGLISH_FORM)
    statement: AnySelect = (
        _BASE_SELECTS["postgresql"]
        .join(keys, keys.c.quotation_id == _q.id)
        .add_columns(keys.c.rank, held_twice.label("held_twice"))
        .order_by(keys.c.rank.desc(), _q.id)
    )
    return statement


_RELEVANCE = _relevance(literal_column("rank"))  # a cursor's keys: rank, then id


def _single_word_page(
    session: Session, word: str, query: QuotationQuery, scope: str
) -> RenderedPage | None:
    """A one-word search on PostgreSQL: the page's matches read best first from each form's
    stored ranks (app/quotations/search.py), cut and rendered in one statement. The same page
    and cursor as the search that ranks every match; None when that search should rank them
    (a form of more than one lexeme, or a row of the page holding both forms)."""
    after = None
    if query.cursor is not None:
        rank, quotation_id = decode_cursor(query.cursor, _RELEVANCE, scope)
        after = (rank, quotation_id)
    statement = _word_page_statement(after is not None, query.limit + 1)
    rows = session.execute(statement, word_match_parameters(word, after)).all()
    if not rows and not session.scalar(SINGLE_LEXEME_FORMS, {"word": word}):
        return None
    if any(row.held_twice for row in rows):
        return None
    page, next_cursor = split_page(
        rows, _RELEVANCE, query.limit, lambda row: [row.rank, row.id], scope
    )
    return _page(page, next_cursor)


def _single_term_page(
    session: Session, word: str, term: str, query: QuotationQuery, scope: str
) -> RenderedPage | None:
    """A one-word search on SQLite: the page's matches are found without ranking the others
    (app/quotations/search.py), then read in one statement. None when FTS5 should rank them
    instead."""
    after = None
    if query.cursor is not None:
        rank, quotation_id = decode_cursor(query.cursor, FTS_RANKED, scope)
        after = (rank, quotation_id)
    matches = best_single_word_matches(session, word, term, after, query.limit + 1)
    if matches is None:
        return None
    if not matches:  # no match, or past the last page: nothing to read
        return RenderedPage(items=[], next_cursor=None)
    rank_of = {quotation_id: rank for rank, quotation_id in matches}
    found = {
        row.id: row
        for row in session.execute(_base_select(session).where(_q.id.in_(list(rank_of))))
    }
    rows = [found[quotation_id] for _, quotation_id in matches]
    page, next_cursor = split_page(
        rows, FTS_RANKED, query.limit, lambda row: [rank_of[row.id], row.id], scope
    )
    return _page(page, next_cursor)


def _sort_values(sort: QuotationSort, row: Any) -> list[Any]:
    if sort is QuotationSort.RELEVANCE:
        return [row.rank, row.id]
    if sort in (QuotationSort.SAID_ON, QuotationSort.SAID_ON_DESC):
        return [row.said_on, row.id]
    return [row.id]


def get_quotation(session: Session, quotation_id: str) -> QuotationRead:
    """One quotation; NotFound if there is none."""
    row = session.execute(_base_select(session).where(_q.id == quotation_id)).first()
    if row is None:
        raise NotFound(f"No quotation with id {quotation_id!r}.")
    return quotation_reads([row])[0]


def _build_reporting_select(dialect: str) -> AnySelect:
    # The article ids as a list, not a subquery: PostgreSQL serves an OR of `=` and `= ANY`
    # with two indexes, but reads every row for an OR with `IN (SELECT ...)`.
    statement: AnySelect = (
        _BASE_SELECTS[dialect]
        .where(
            or_(
                _q.event_id == bindparam("event_id", type_=String),
                _q.article_id.in_(bindparam("article_ids", expanding=True)),
            )
        )
        .order_by(*ORDERINGS[QuotationSort.SAID_ON].order_by())
    )
    return statement


# Found from the event's side (its quotations, its articles' quotations), and filtered by
# issue here rather than in SQL, where a planner could start from the issues instead: the cost
# follows how much was written about the event, not how often its issues were quoted.
_REPORTING_SELECTS = {dialect: _build_reporting_select(dialect) for dialect in SUPPORTED}


def quotations_reporting_event(
    session: Session,
    event_id: str,
    article_ids: Sequence[str],
    issue_ids: Collection[str],
    per_issue: int,
) -> dict[str, list[dict[str, Any]]]:
    """The first `per_issue` quotations (as served, parsed) on each issue of the event's agenda,
    oldest first (undated last), among those said at the event or in the articles reporting it.
    """
    if per_issue == 0 or not issue_ids:
        return {}
    statement = _REPORTING_SELECTS[session.get_bind().dialect.name]
    chosen: dict[str, list[dict[str, Any]]] = defaultdict(list)
    bound = {"event_id": event_id, "article_ids": list(article_ids)}
    for row in session.execute(statement, bound):
        item = json.loads(row.item)
        for issue_id in item["issue_ids"]:
            if issue_id in issue_ids and len(chosen[issue_id]) < per_issue:
                chosen[issue_id].append(item)
    return chosen


# --- writes --------------------------------------------------------------------------------


def _spans(session: Session, quotation_id: str) -> list[ResolvedSpan]:
    return [
        (span.article_id, span.start, span.end)
        for span in session.scalars(
            select(EvidenceSpan).where(EvidenceSpan.quotation_id == quotation_id)
        )
    ]


def _own_span(session: Session, quotation: Quotation, spans: list[ResolvedSpan]) -> ResolvedSpan:
    """The span that is exactly the quotation's text (found again if none is stored)."""
    article = session.get(Article, quotation.article_id)
    if article is None:  # the foreign key makes this impossible
        raise NotFound(f"No article with id {quotation.article_id!r}.")
    for span in spans:
        if span[0] == quotation.article_id and article.text[span[1] : span[2]] == quotation.text:
            return span
    return _resolve_text(session, quotation.article_id, quotation.text, None)


def _resolve_text(
    session: Session, article_id: str, text: str, occurrence: int | None
) -> ResolvedSpan:
    article = session.get(Article, article_id)
    if article is None:
        raise invalid("article_id", f"unknown article id {article_id!r}")
    try:
        span = resolve_span(article.text, text, occurrence)
    except SpanError as exc:
        raise invalid("text", str(exc)) from None
    return (article_id, span.start, span.end)


def _apply(session: Session, quotation: Quotation, values: dict[str, Any]) -> None:
    for name in ("speaker_id", "audience_id"):
        if name in values:
            require_ref(session, Participant, values[name], name)
    if "event_id" in values:
        require_ref(session, Event, values["event_id"], "event_id")
    for name in ("speaker_id", "kind", "event_id", "audience_id"):
        if name in values:
            setattr(quotation, name, values[name])
    if "said_on" in values:
        said_on = values["said_on"]
        quotation.said_on = said_on.value if said_on else None
        quotation.said_on_precision = said_on.precision if said_on else None

    stored = _spans(session, quotation.id)
    old_own = _own_span(session, quotation, stored) if stored else None
    extras = [span for span in stored if span != old_own]
    if "text" in values or "occurrence" in values or old_own is None:
        text = values.get("text") or quotation.text
        own = _resolve_text(session, quotation.article_id, text, values.get("occurrence"))
        quotation.text = text
    else:
        own = old_own
    if "evidence" in values:
        extras = resolve_evidence(session, values["evidence"])
    session.flush()
    replace_evidence(session, RecordKind.QUOTATION, quotation.id, sorted({own, *extras}))
    if "issue_ids" in values:
        issue_ids = values["issue_ids"]
        for index, issue_id in enumerate(issue_ids):
            require_ref(session, Issue, issue_id, f"issue_ids.{index}")
        sync_rows(
            session,
            QuotationIssue,
            QuotationIssue.quotation_id == quotation.id,
            {(quotation.id, issue_id) for issue_id in issue_ids},
            ("quotation_id", "issue_id"),
        )


def create_quotation(session: Session, data: QuotationCreate) -> None:
    """Insert a quotation; its own text becomes its first evidence span."""
    require_absent(session, Quotation, data.id)
    require_ref(session, Article, data.article_id, "article_id")
    require_ref(session, Participant, data.speaker_id, "speaker_id")
    quotation = Quotation(
        id=data.id,
        article_id=data.article_id,
        speaker_id=data.speaker_id,
        text=data.text,
        kind=data.kind,
    )
    values = {name: getattr(data, name) for name in data.model_fields_set | {"text"}}
    values.pop("id", None)
    values.pop("article_id", None)
    values.setdefault("evidence", [])
    # Resolve the text before inserting, so a bad span is a 422 and nothing is written.
    _resolve_text(session, data.article_id, data.text, data.occurrence)
    session.add(quotation)
    session.flush()
    _apply(session, quotation, values)


def update_quotation(session: Session, quotation_id: str, data: QuotationUpdate) -> None:
    """Change the fields the client sent."""
    quotation = session.get(Quotation, quotation_id)
    if quotation is None:
        raise NotFound(f"No quotation with id {quotation_id!r}.")
    _apply(session, quotation, data.changes())


def delete_quotation(session: Session, quotation_id: str) -> None:
    """Delete a quotation with its evidence and issue links."""
    session.execute(delete(Quotation).where(Quotation.id == quotation_id))
