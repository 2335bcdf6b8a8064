"""`POST /v1/extractions`: every field, true spans, stored speakers, bad input, no writes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app.bundles.loader import seed_bundle_paths
from app.core.config import Settings
from app.core.db import create_db_engine, read_generation
from app.main import create_app
from tests.api import assert_problem
from tests.snapshot import snapshot

ROOT = Path(__file__).resolve().parents[2]
SEED_PATH = next(p for p in seed_bundle_paths() if p.name == "lukashenka-putin-sochi-2018.yaml")
SEED: dict[str, Any] = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
ARTICLE_ID: str = SEED["article"]["id"]
TEXT: str = SEED["article"]["text"]
NEW_TEXT = (
    "“We will build it,” Ann Marsh said. “And they will pay for it.”\n"
    "She told reporters the wall would be finished in March."
)
QUOTATION_FIELDS = {
    "text",
    "start",
    "end",
    "segments",
    "kind",
    "speaker",
    "cue",
    "said_on",
    "said_on_precision",
    "confidence",
}


def assert_true_to(article: str, body: dict[str, Any]) -> None:
    """Every field is there, and every span is `article[start:end]`."""
    assert set(body) == {"quotations", "participants"}
    for q in body["quotations"]:
        assert set(q) == QUOTATION_FIELDS
        assert article[q["start"] : q["end"]] == q["text"]
        assert q["segments"], q
        for segment in q["segments"]:
            assert set(segment) == {"start", "end", "text"}
            assert article[segment["start"] : segment["end"]] == segment["text"]
            assert q["start"] <= segment["start"] < segment["end"] <= q["end"]
        assert q["kind"] in ("direct", "partial", "indirect")
        assert 0 <= q["confidence"] <= 1
        if q["speaker"] is not None:
            assert set(q["speaker"]) == {"name", "participant_id", "kind", "mention"}
            mention = q["speaker"]["mention"]
            if mention is not None:
                assert article[mention["start"] : mention["end"]] == mention["text"]
        if q["cue"] is not None:
            assert article[q["cue"]["start"] : q["cue"]["end"]] == q["cue"]["text"]
        assert (q["said_on"] is None) == (q["said_on_precision"] is None)
    for p in body["participants"]:
        assert set(p) == {"id", "name", "kind", "mention"}
        mention = p["mention"]
        assert article[mention["start"] : mention["end"]] == mention["text"]
    starts = [q["start"] for q in body["quotations"]]
    assert starts == sorted(starts)


def extract(client: TestClient, body: Any) -> dict[str, Any]:
    response = client.post("/v1/extractions", json=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    result: dict[str, Any] = response.json()
    return result


def by_text(body: dict[str, Any], quoted: str) -> dict[str, Any]:
    found = [q for q in body["quotations"] if q["text"] == quoted]
    assert found, f"{quoted!r} not among {[q['text'] for q in body['quotations']]}"
    return found[0]


def test_the_seed_article_by_id_resolves_its_stored_speakers(client: TestClient) -> None:
    body = extract(client, {"article_id": ARTICLE_ID})
    assert_true_to(TEXT, body)
    # The fixture's direct and partial quotations come back with their kind and speaker.
    for expected in SEED["quotations"]:
        if expected["kind"] == "indirect":
            continue
        q = by_text(body, expected["text"])
        assert q["kind"] == expected["kind"], expected["id"]
        assert q["speaker"]["participant_id"] == expected["speaker"], expected["id"]
    mentions = {
        q["speaker"]["mention"]["text"]: q["speaker"]
        for q in body["quotations"]
        if q["speaker"] is not None and q["speaker"]["mention"] is not None
    }
    for words in ("the Belarusian leader", "he"):
        speaker = next(s for m, s in mentions.items() if m.lower() == words.lower())
        assert speaker["participant_id"] == "alyaksandr-lukashenka", words
        assert speaker["name"] == "Alyaksandr Lukashenka"
        assert speaker["kind"] == "person"
    press = by_text(body, SEED["quotations"][0]["text"])
    assert press["speaker"]["participant_id"] == "belarus-president-press-service"
    assert press["speaker"]["kind"] == "organization"
    assert press["cue"]["text"] == "reports"
    # Dates come from the article's own words, resolved against its publication (2018-05).
    army = by_text(
        body,
        "the need of Russia’s assistance in the modernization and rearmament"
        " of the Belarusian army",
    )
    assert (army["said_on"], army["said_on_precision"]) == ("2018-02", "month")
    assert army["kind"] == "indirect"
    # Every speaker is stored: no draft participants.
    assert body["participants"] == []


def test_the_seed_text_posted_resolves_the_same_speakers(client: TestClient) -> None:
    posted = extract(client, {"text": TEXT, "language": "en", "published": "2018-05"})
    stored = extract(client, {"article_id": ARTICLE_ID})
    assert posted == stored


def test_a_new_article_drafts_its_speakers_as_participants(client: TestClient) -> None:
    body = extract(client, {"text": NEW_TEXT, "published": "2016-10-12"})
    assert_true_to(NEW_TEXT, body)
    split = body["quotations"][0]
    assert split["kind"] == "direct"
    assert [s["text"] for s in split["segments"]] == [
        "We will build it",
        "And they will pay for it",
    ]
    assert split["speaker"] == {
        "name": "Ann Marsh",
        "participant_id": None,
        "kind": "person",
        "mention": {"start": 20, "end": 29, "text": "Ann Marsh"},
    }
    assert split["cue"] == {"start": 30, "end": 34, "text": "said"}
    reported = body["quotations"][1]
    assert reported["kind"] == "indirect"
    assert reported["speaker"]["name"] == "Ann Marsh"
    assert reported["speaker"]["mention"]["text"] == "She"
    assert body["participants"] == [
        {
            "id": "ann-marsh",
            "name": "Ann Marsh",
            "kind": "person",
            "mention": {"start": 20, "end": 29, "text": "Ann Marsh"},
        }
    ]


@pytest.mark.parametrize(
    "text",
    ["", "Nothing was said here.", "“Marks”", "\t\n", "a" * 1000],
    ids=["empty-is-refused", "no-quotes", "bare-marks", "whitespace", "one-word"],
)
def test_texts_with_nothing_to_draft(client: TestClient, text: str) -> None:
    response = client.post("/v1/extractions", json={"text": text})
    if not text.strip():
        assert_problem(response, 422)
        return
    body = response.json()
    assert response.status_code == 200, body
    assert_true_to(text, body)


def test_line_breaks_and_tabs_are_text(client: TestClient) -> None:
    article = "Intro.\r\n\tAnn Marsh said:\t“We will build it.”\r\n"
    body = extract(client, {"text": article})
    assert_true_to(article, body)
    assert [q["text"] for q in body["quotations"]] == ["We will build it"]


def test_code_points_count_as_one(client: TestClient) -> None:
    """Offsets count code points: astral characters before a quotation do not shift it."""
    article = "𝔸𝔹ℂ 😀 Ann Marsh said: “We will build it.”"
    body = extract(client, {"text": article})
    assert_true_to(article, body)
    assert body["quotations"][0]["start"] == article.index("We")


BAD_BODIES: list[tuple[str, Any, int, str]] = [
    ("empty text", {"text": ""}, 422, "text"),
    ("whitespace text", {"text": " \n\t "}, 422, "text"),
    ("text over 200,000", {"text": "a" * 200_001}, 422, "text"),
    ("French", {"text": "Il a dit : « oui ».", "language": "fr"}, 422, "language"),
    ("en-GB", {"text": "x y", "language": "en-GB"}, 422, "language"),
    ("language null-ish", {"text": "x y", "language": ""}, 422, "language"),
    ("NUL", {"text": "a\x00b"}, 422, "text"),
    ("escape", {"text": "a\x1bb"}, 422, "text"),
    ("vertical tab", {"text": "a\x0bb"}, 422, "text"),
    ("DEL", {"text": "a\x7fb"}, 422, "text"),
    ("lone surrogate", {"text": "a\ud800b"}, 422, "text"),
    ("neither", {}, 422, ""),
    ("both", {"text": "x", "article_id": ARTICLE_ID}, 422, ""),
    ("article with a date", {"article_id": ARTICLE_ID, "published": "2018"}, 422, ""),
    ("bad date", {"text": "x", "published": "2018-02-30"}, 422, "published"),
    ("bad id", {"article_id": "Not A Slug"}, 422, "article_id"),
    ("unknown field", {"text": "x", "title": "t"}, 422, "title"),
    ("text not a string", {"text": 5}, 422, "text"),
]


@pytest.mark.parametrize(
    ("body", "status", "name"),
    [pytest.param(b, s, n, id=label) for label, b, s, n in BAD_BODIES],
)
def test_bad_input_is_a_problem_naming_the_field(
    client: TestClient, session: Session, body: Any, status: int, name: str
) -> None:
    before = snapshot(session)
    content = json.dumps(body).encode("ascii")
    response = client.post(
        "/v1/extractions", content=content, headers={"Content-Type": "application/json"}
    )
    problem = assert_problem(response, status)
    assert problem["type"] == "/problems/validation-failed"
    assert [e["name"] for e in problem["errors"]] == [name], problem
    if name == "language":
        assert "supported languages are en" in problem["errors"][0]["message"]
    assert snapshot(session) == before


def test_an_unknown_article_is_a_404(client: TestClient) -> None:
    problem = assert_problem(client.post("/v1/extractions", json={"article_id": "nope"}), 404)
    assert "nope" in problem["detail"]


def test_a_stored_article_in_another_language_is_refused(
    client: TestClient, writer: dict[str, str]
) -> None:
    created = client.post(
        "/v1/articles",
        json={"id": "ru-article", "title": "Т", "language": "ru", "text": "Он сказал: «да»."},
        headers=writer,
    )
    assert created.status_code == 201, created.text
    problem = assert_problem(client.post("/v1/extractions", json={"article_id": "ru-article"}), 422)
    assert problem["errors"][0]["name"] == "article_id"
    assert "supported languages are en" in problem["errors"][0]["message"]


def test_a_body_that_is_not_json_is_a_415(client: TestClient) -> None:
    response = client.post(
        "/v1/extractions", content=TEXT.encode(), headers={"Content-Type": "text/plain"}
    )
    assert_problem(response, 415)


def test_nothing_is_written(client: TestClient, session: Session) -> None:
    before = snapshot(session)
    feed = client.get("/v1/changes", params={"limit": 100}).json()
    for body in ({"article_id": ARTICLE_ID}, {"text": NEW_TEXT}, {"text": TEXT}):
        extract(client, body)
    assert snapshot(session) == before
    assert client.get("/v1/changes", params={"limit": 100}).json() == feed


# --- a real application: its own sessions, limits and time bound ------------------------------


@pytest.fixture
def engine_of(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


def served(database_url: str, **settings: Any) -> TestClient:
    application = create_app(Settings(database_url=database_url, read_cache_entries=0, **settings))
    return TestClient(application, raise_server_exceptions=False)


def test_an_extraction_takes_no_write_lock(database_url: str, engine_of: Engine) -> None:
    """200 while another transaction holds the write lock: the extraction neither waits for
    it nor counts as a write (the write generation, which every write bumps, is unchanged)."""
    generation = read_generation(engine_of)
    holding = threading.Event()
    release = threading.Event()

    def writer() -> None:
        with engine_of.connect() as connection:
            if engine_of.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"),
                    {"key": 0x6E6577736661637473 % (2**63)},
                )
            else:
                connection.exec_driver_sql("COMMIT")  # end the implicit BEGIN
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            holding.set()
            release.wait(60)
            connection.rollback()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(30)
        with served(database_url) as client:
            body = extract(client, {"article_id": ARTICLE_ID})
        assert body["quotations"]
    finally:
        release.set()
        thread.join(60)
    assert read_generation(engine_of) == generation


def test_no_connection_is_held_while_the_engine_runs(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The article and the participants are read, the connection goes back to the pool, and
    only then does the request wait for an engine (up to its time limit)."""
    from app.extraction import service as extraction_service

    held: list[int] = []
    with served(database_url) as client:
        pool = client.app.state.engine.pool  # type: ignore[attr-defined]

        def run(*_args: Any) -> list[Any]:
            held.append(pool.checkedout())
            return []

        monkeypatch.setattr(extraction_service._ENGINES, "run", run)
        response = client.post("/v1/extractions", json={"article_id": ARTICLE_ID})
    assert response.status_code == 200, response.text
    assert held == [0]


def test_no_thread_is_held_while_a_request_waits_for_an_engine(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every engine busy, the requests waiting for one hold no thread of the shared pool
    (which every database call needs), only their place in the queue."""
    import anyio.to_thread

    from app.extraction import service as extraction_service

    release = threading.Event()
    running: list[int] = []

    def run(*_args: Any) -> list[Any]:
        running.append(1)
        release.wait(30)
        return []

    monkeypatch.setattr(extraction_service._ENGINES, "run", run)
    engines = extraction_service._ENGINES.size
    with served(database_url) as client:
        statuses: list[int] = []

        def post() -> None:
            response = client.post("/v1/extractions", json={"text": NEW_TEXT})
            statuses.append(response.status_code)

        portal = client.portal
        assert portal is not None  # the client is started
        posts = [threading.Thread(target=post) for _ in range(engines + 3)]
        for thread in posts:
            thread.start()
        try:

            def waiting() -> int:
                return int(extraction_service._turns().statistics().tasks_waiting)

            deadline = time.monotonic() + 30
            while (len(running) < engines or portal.call(waiting) < 3) and (
                time.monotonic() < deadline
            ):
                time.sleep(0.05)
            assert len(running) == engines
            assert portal.call(waiting) == 3
            threads = portal.call(
                lambda: anyio.to_thread.current_default_thread_limiter().borrowed_tokens
            )
            assert threads == engines  # the running ones only
        finally:
            release.set()
            for thread in posts:
                thread.join(60)
    assert statuses == [200] * (engines + 3)


def test_reads_that_need_a_key_need_one_here_too(database_url: str, engine_of: Engine) -> None:
    from app.auth.service import Scope, create_key

    with Session(engine_of) as session, session.begin():
        _, plaintext = create_key(session, "extraction-reader", [Scope.READ])
    try:
        with served(database_url, require_read_key=True) as client:
            assert_problem(client.post("/v1/extractions", json={"text": NEW_TEXT}), 401)
            response = client.post(
                "/v1/extractions",
                json={"text": NEW_TEXT},
                headers={"Authorization": f"Bearer {plaintext}"},
            )
            assert response.status_code == 200, response.text
    finally:
        with Session(engine_of) as session, session.begin():
            session.execute(text("DELETE FROM api_keys WHERE name = 'extraction-reader'"))


def test_the_rate_limit_applies(database_url: str) -> None:
    with served(database_url, rate_limit_per_minute=2) as client:
        statuses = [
            client.post("/v1/extractions", json={"text": NEW_TEXT}).status_code for _ in range(3)
        ]
    assert statuses[:2] == [200, 200]
    assert statuses[2] == 429


def test_the_body_limit_applies(database_url: str) -> None:
    with served(database_url, max_body_bytes=1024) as client:
        response = client.post("/v1/extractions", json={"text": "word " * 400})
    assert_problem(response, 413)


def test_an_extraction_past_its_time_is_a_503(database_url: str) -> None:
    with served(database_url, extraction_timeout_s=1e-9) as client:
        response = client.post("/v1/extractions", json={"text": TEXT})
    problem = assert_problem(response, 503)
    assert response.headers["retry-after"] == "5"
    assert "did not finish" in problem["detail"]


def test_a_participant_stored_now_is_resolved_next(
    client: TestClient, writer: dict[str, str]
) -> None:
    """Speakers resolve through what is stored at the time: names, aliases and titles."""
    assert extract(client, {"text": NEW_TEXT})["quotations"][0]["speaker"]["participant_id"] is None
    created = client.post(
        "/v1/participants",
        json={
            "id": "ann-marsh-builder",
            "name": "Annabel Marsh",
            "kind": "person",
            "title": "Chief builder",
            "aliases": [{"alias": "Ann Marsh", "language": "en"}],
            "evidence": [{"article_id": ARTICLE_ID, "text": "Sochi", "occurrence": 1}],
        },
        headers=writer,
    )
    assert created.status_code == 201, created.text
    body = extract(client, {"text": NEW_TEXT})
    split, reported = body["quotations"]
    for q in (split, reported):
        assert q["speaker"]["participant_id"] == "ann-marsh-builder"
        assert q["speaker"]["name"] == "Annabel Marsh"
    assert body["participants"] == []


# --- the engine's processes -----------------------------------------------------------------

# The rules take minutes on this (quadratic in the number of tiny quotations): a run that must
# be stopped, not waited for.
PATHOLOGICAL = "“a”" * 3000


def test_a_run_past_its_time_is_stopped_with_its_process() -> None:
    from app.extraction.worker import EnginePool, EngineTimeout

    pool = EnginePool(size=1)
    try:
        assert len(pool.run(NEW_TEXT, None, (), 60)) == 2
        [child] = pool._idle
        with pytest.raises(EngineTimeout):
            pool.run(PATHOLOGICAL, None, (), 0.5)
        assert not child.process.is_alive()
        assert pool._idle == []
        assert len(pool.run(NEW_TEXT, None, (), 60)) == 2  # a new process takes its place
    finally:
        pool.close()


def test_a_request_waits_for_a_free_process_within_its_time() -> None:
    from app.extraction.worker import EngineBusy, EnginePool, EngineTimeout

    pool = EnginePool(size=1)
    outcome: list[BaseException] = []

    def long_run() -> None:
        try:
            pool.run(PATHOLOGICAL, None, (), 3)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=long_run)
    try:
        thread.start()
        while pool._slots._value != 0 and thread.is_alive():  # the long run holds the process
            threading.Event().wait(0.01)
        with pytest.raises(EngineBusy):
            pool.run(NEW_TEXT, None, (), 0.1)
        thread.join(60)
        assert [type(e) for e in outcome] == [EngineTimeout]
        assert len(pool.run(NEW_TEXT, None, (), 60)) == 2
    finally:
        thread.join(60)
        pool.close()


def _running(pid: int) -> bool:
    """Whether a process runs (a zombie, ended but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_an_extractor_does_not_outlive_its_server(tmp_path: Path) -> None:
    """A server that ends mid-run without stopping its children (killed, or by its shutdown
    watchdog) leaves no extractor running the rest of a run that can take minutes."""
    script = f"""
import os, threading, time
from app.extraction.worker import EnginePool
pool = EnginePool(size=1)
pool.run("x", None, (), 60)
print(pool._idle[0].process.pid, flush=True)
threading.Thread(target=pool.run, args=({PATHOLOGICAL!r}, None, (), 600), daemon=True).start()
time.sleep(1)
os._exit(1)
"""
    # Output to a file, not a pipe: the orphan would hold a pipe open, and waiting for its end
    # would wait for the orphan.
    output = tmp_path / "pid"
    with output.open("w") as file:
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            stdout=file,
            stderr=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
    pid = int(output.read_text().split()[0])
    deadline = time.monotonic() + 10
    try:
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _running(pid), "the extractor still runs after its server ended"
    finally:
        if _running(pid):
            os.kill(pid, signal.SIGKILL)


def test_a_served_app_with_two_workers_extracts(database_url: str) -> None:
    """Under `newsfacts serve --workers 2` each worker starts its own extractor processes."""
    import httpx

    from tests.live import live_server

    with live_server(database_url, workers=2) as base:
        for _ in range(4):  # whichever worker each request reaches
            response = httpx.post(
                f"{base}/v1/extractions", json={"article_id": ARTICLE_ID}, timeout=60
            )
            assert response.status_code == 200, response.text
            assert_true_to(TEXT, response.json())
