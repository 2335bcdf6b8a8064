"""Every list filter is served by an index, with the order it is paged in (EXPLAIN)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from app.quotations.search import _OF_LENGTH
from tests.api import is_transaction_control

# (request, whether a whole-index walk in the paging order is expected): filtered requests
# must find their rows by index (SEARCH), in their paging order (no sort step); an unfiltered
# page walks an index in its order and stops at the limit.
REQUESTS = [
    ("/v1/quotations?speaker=alyaksandr-lukashenka", False),
    ("/v1/quotations?speaker=alyaksandr-lukashenka&sort=-said_on", False),
    ("/v1/quotations?event=lukashenka-remarks-to-producers-2018-03", False),
    ("/v1/quotations?article=lukashenka-putin-sochi-2018", False),
    ("/v1/quotations?audience=georgian-journalists", False),
    ("/v1/quotations?kind=partial", False),
    ("/v1/events?status=held", False),
    ("/v1/events?kind=visit", False),
    ("/v1/quotations?sort=said_on", True),
    ("/v1/events?sort=date", True),
]
BIG_TABLES = (
    "quotations",
    "evidence_spans",
    "quotation_issues",
    "events",
    "quotations_fts_lexemes",
)


def captured_selects(client: TestClient, session: Session, path: str) -> list[tuple[str, Any]]:
    statements: list[tuple[str, Any]] = []
    connection = session.connection()

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and not is_transaction_control(
            statement
        ):
            statements.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(connection, "before_cursor_execute", record)
    return statements


def plan_problems(
    session: Session,
    backend: str,
    statement: str,
    parameters: Any,
    walk: bool,
    sorts: bool = False,
) -> list[str]:
    """What in a statement's plan reads a big table without an index, or (unless `sorts`)
    sorts it."""
    connection = session.connection()
    if backend == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
        problems = []
        for detail in (str(row[-1]) for row in rows):
            scans_big = any(detail.startswith(f"SCAN {table}") for table in BIG_TABLES)
            if scans_big and not (walk and " USING " in detail):
                problems.append(detail)
            if not sorts and (
                "TEMP B-TREE FOR ORDER BY" in detail or "TEMP B-TREE FOR RIGHT" in detail
            ):
                problems.append(detail)
        return problems
    # PostgreSQL prefers sequential scans on tables this small; forbid them to see whether
    # an index can serve the query at all.
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar()
    connection.execute(text("SET LOCAL enable_seqscan = on"))
    problems = []

    def visit(node: dict[str, Any]) -> None:
        relation = node.get("Relation Name")
        kind = node["Node Type"]
        if relation in BIG_TABLES:
            if kind == "Seq Scan":
                problems.append(f"Seq Scan on {relation}")
            elif "Index" in kind and "Index Cond" not in node and not walk:
                problems.append(f"{kind} on {relation} without a condition")
        for child in node.get("Plans", []):
            visit(child)

    visit(plan[0]["Plan"])
    return problems


@pytest.mark.parametrize(("path", "walk"), REQUESTS)
def test_each_filter_and_order_is_served_by_an_index(
    client: TestClient, session: Session, backend: str, path: str, walk: bool
) -> None:
    selects = captured_selects(client, session, path)
    assert selects
    for statement, parameters in selects:
        assert plan_problems(session, backend, statement, parameters, walk) == [], statement


def plan_text(session: Session, backend: str, statement: str, parameters: Any) -> str:
    """The plan of a statement as text, on either backend."""
    connection = session.connection()
    if backend == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
        return "\n".join(str(row[-1]) for row in rows)
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()
    connection.execute(text("SET LOCAL enable_seqscan = on"))
    return "\n".join(str(row[0]) for row in rows)


def test_an_agenda_is_found_from_its_event_not_from_its_issues(
    client: TestClient, session: Session, backend: str
) -> None:
    """An agenda reads what reports the event, by index: never every quotation on an agenda
    issue (an issue may be quoted a million times). Its few candidates may be sorted."""
    selects = captured_selects(client, session, "/v1/events/lukashenka-putin-meeting-2018/agenda")
    assert len(selects) >= 3
    for statement, parameters in selects:
        problems = plan_problems(session, backend, statement, parameters, walk=False, sorts=True)
        assert problems == [], statement
        assert "ix_quotation_issues_issue_id" not in plan_text(
            session, backend, statement, parameters
        ), statement


def test_a_filter_no_index_serves_is_caught(
    client: TestClient, session: Session, backend: str
) -> None:
    """The check can fail: a substring match on locations has no index to use."""
    selects = captured_selects(client, session, "/v1/events?location=Sochi")
    assert any(plan_problems(session, backend, s, p, walk=False) for s, p in selects)


def test_a_search_is_ranked_by_its_index_and_only_its_page_is_joined(
    client: TestClient, session: Session, backend: str
) -> None:
    """SQLite: FTS5 ranks and cuts the page before any quotation row is read (a search of
    two words or more; one word is the next test's). PostgreSQL: the matches are found through
    the GIN index, never by reading every quotation, and ranked on the stored vector (migration
    0007) instead of tokenizing each match's text again."""
    path = "/v1/quotations?q=issues+raised"
    statement, parameters = captured_selects(client, session, path)[0]
    if backend == "postgresql":
        assert plan_problems(session, backend, statement, parameters, walk=False) == []
        assert "text_fts" in statement
        assert "to_tsvector" not in statement
        return
    connection = session.connection()
    plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    details = [str(row[-1]) for row in plan]
    assert any(d.startswith("MATERIALIZE") for d in details), details
    assert any(d.startswith("SCAN quotations_fts VIRTUAL TABLE") for d in details), details
    assert any(d.startswith("SEARCH quotations USING INDEX") for d in details), details
    assert not any(d.startswith("SCAN quotations ") or d == "SCAN quotations" for d in details)


def test_a_one_word_search_on_sqlite_scores_no_match_in_sql(
    client: TestClient, session: Session, backend: str
) -> None:
    """SQLite, one word: no statement ranks the matches or sorts them all (app/quotations/search.py
    scores only the shortest ones and the few holding the word more than once); FTS5 lists
    them in rowid order, one length's ties are sorted within that length's rowid range, and
    the rest is read by key. (PostgreSQL: the next test.)"""
    if backend == "postgresql":
        pytest.skip("PostgreSQL's one-word search: the next test")
    selects = captured_selects(client, session, "/v1/quotations?q=issues")
    connection = session.connection()

    def plan(statement: str, parameters: Any) -> list[str]:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return [str(row[-1]) for row in rows]

    plans = {statement: plan(statement, parameters) for statement, parameters in selects}
    assert not any("bm25" in statement or ".rank" in statement for statement in plans)
    streams = [statement for statement in plans if "MATCH" in statement]
    assert len(streams) == 1, list(plans)
    # MATCH and rowid >= low, in rowid order: no sort.
    assert plans[streams[0]] == ["SCAN quotations_fts VIRTUAL TABLE INDEX 64:M2>"]
    for statement, details in plans.items():
        assert not any("TEMP B-TREE" in d for d in details), (statement, details)
        assert not any(d.startswith("SCAN") for d in details if "VIRTUAL TABLE" not in d)
    one_length = {"match": '"issues"', "low": 0, "high": 1, "after_id": "", "rows": 5}
    explained = session.execute(text(f"EXPLAIN QUERY PLAN {_OF_LENGTH.text}"), one_length)
    assert [str(row[-1]) for row in explained] == [
        "SCAN f VIRTUAL TABLE INDEX 0:M2><",  # MATCH within one length's rowids
        "SEARCH r USING INTEGER PRIMARY KEY (rowid=?)",
        "USE TEMP B-TREE FOR ORDER BY",
    ]


def lexeme_scan_problems(session: Session, statement: str, parameters: Any) -> list[str]:
    """PostgreSQL: what in a statement's plan reads quotations_fts_lexemes other than as a
    range of its primary key on one lexeme (the keyset in the index condition, no filter), or
    sorts what it reads before a limit cuts it (a sort of every match)."""
    connection = session.connection()
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar()
    connection.execute(text("SET LOCAL enable_seqscan = on"))
    problems: list[str] = []
    scans = 0

    def visit(node: dict[str, Any], above: list[str]) -> None:
        nonlocal scans
        if node.get("Relation Name") == "quotations_fts_lexemes":
            scans += 1
            kind, condition = node["Node Type"], node.get("Index Cond", "")
            if kind not in ("Index Scan", "Index Only Scan") or "lexeme =" not in condition:
                problems.append(f"{kind} on quotations_fts_lexemes: {condition!r}")
            if "Filter" in node:
                problems.append(f"a filter on quotations_fts_lexemes: {node['Filter']}")
            cut = [kind for kind in above if kind in ("Limit", "Sort")]
            if not cut or cut[-1] != "Limit":
                problems.append(f"quotations_fts_lexemes read under {above}")
        for child in node.get("Plans", []):
            visit(child, [*above, node["Node Type"]])

    visit(plan[0]["Plan"], [])
    return problems if scans else ["quotations_fts_lexemes is not read"]


@pytest.mark.parametrize("page", [1, 2])
def test_a_one_word_search_on_postgresql_reads_its_page_by_index(
    client: TestClient, session: Session, backend: str, page: int
) -> None:
    """PostgreSQL, one word: one statement a page, which reads each form's best matches as a
    range of the lexeme index (after the cursor's key, on page 2), cuts them to the page before
    any sort, and ranks no match (no ts_rank)."""
    if backend != "postgresql":
        pytest.skip("the lexeme index is PostgreSQL's (SQLite: the previous test)")
    path = "/v1/quotations?q=issues&limit=2"
    if page == 2:
        cursor = client.get(path).json()["next_cursor"]
        assert cursor
        path += f"&cursor={cursor}"
    selects = captured_selects(client, session, path)
    assert len(selects) == 1, selects
    statement, parameters = selects[0]
    assert "quotations_fts_lexemes" in statement
    assert "ts_rank" not in statement
    assert plan_problems(session, backend, statement, parameters, walk=False) == []
    assert lexeme_scan_problems(session, statement, parameters) == []
    if page == 2:
        assert "ROW(" in plan_text(session, backend, statement, parameters)


def test_a_lexeme_read_that_sorts_every_match_is_caught(session: Session, backend: str) -> None:
    """The check can fail: matches ordered by id alone are sorted before the limit, and
    matches found by quotation id are not a range of one lexeme."""
    if backend != "postgresql":
        pytest.skip("the lexeme index is PostgreSQL's")
    sorted_all = (
        "SELECT quotation_id FROM quotations_fts_lexemes WHERE lexeme = 'issu'"
        " ORDER BY quotation_id LIMIT 3"
    )
    assert any("read under" in p for p in lexeme_scan_problems(session, sorted_all, {}))
    by_id = "SELECT lexeme FROM quotations_fts_lexemes WHERE quotation_id = 'x' LIMIT 3"
    assert lexeme_scan_problems(session, by_id, {})
    assert lexeme_scan_problems(session, "SELECT 1", {}) == ["quotations_fts_lexemes is not read"]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/quotations?q=issues&kind=partial",
        "/v1/quotations?q=issues&speaker=alyaksandr-lukashenka&sort=said_on",
    ],
)
def test_a_filtered_search_renders_only_its_page(
    client: TestClient, session: Session, backend: str, path: str
) -> None:
    """A search with a filter is ranked and cut to a page on the quotations' keys, in a
    subquery; only the page's rows are joined to what renders their items. (SQLite computes a
    row's every column before sorting it, so ranking rendered items rendered every match.)"""
    selects = [
        (statement, parameters)
        for statement, parameters in captured_selects(client, session, path)
        if "quotations_fts" in statement or "text_fts" in statement
    ]
    assert len(selects) == 1
    statement, parameters = selects[0]
    if backend == "postgresql":
        # PostgreSQL flattens the subquery; its Limit stays below the joins that render.
        lines = plan_text(session, backend, statement, parameters).splitlines()
        (limit,) = [line for line in lines if line.lstrip(" ->").startswith("Limit")]
        assert limit.startswith(" "), lines[0]
        return
    rows = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    parent_of = {}
    detail_of = {}
    for node, parent, _, detail in rows:
        parent_of[node] = parent
        detail_of[node] = str(detail)
    (page,) = [n for n, d in detail_of.items() if d in ("MATERIALIZE page", "CO-ROUTINE page")]
    (fts,) = [n for n, d in detail_of.items() if d.startswith("SCAN quotations_fts")]
    assert parent_of[fts] == page
    assert any(
        parent_of[n] == 0 and d.startswith("SEARCH quotations USING INDEX sqlite_autoindex")
        for n, d in detail_of.items()
    ), detail_of
