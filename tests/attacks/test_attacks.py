"""The standing attack suite: each attack of the Hardening II review, bounded and on loopback,
runs against a live server while an unrelated client (the bystander) reads and writes; the
bystander must stay fast (p99 under 100 ms) and lose nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import functools
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from tests.attacks.conftest import SEED_ARTICLE, Target, assert_bystander_fast, baseline

pytestmark = pytest.mark.slow

BIG_ARTICLES = 8
BIG_TEXT = "word " * 180_000  # 900 kB: the export of the articles is 7 MB, more than sockets buffer
LETTERS_ARTICLE = "letters-only"
GIANT_ARTICLE = "giant-article"
GIANT_QUOTATIONS = 10_000


@pytest.fixture(scope="session")
def prepared(target: Target, tmp_path_factory: pytest.TempPathFactory) -> Target:
    """Data the attacks need: big articles, a million-letter article, a giant page.

    The giant article's bundle is loaded with `newsfacts load`, not through the server: it is
    the setup, not an attack, and the server's statement timeout (which a busy machine can push
    a 10,000-quotation import past) is not what is tested here.
    """
    with httpx.Client(base_url=target.base, timeout=300, headers=target.auth) as client:
        for n in range(BIG_ARTICLES):
            article = {"id": f"big-{n}", "title": "Big", "language": "en", "text": BIG_TEXT}
            assert client.post("/v1/articles", json=article).status_code == 201
        letters = {"id": LETTERS_ARTICLE, "title": "A", "language": "en", "text": "a" * 1_000_000}
        assert client.post("/v1/articles", json=letters).status_code == 201
        giant = {
            "version": 1,
            "article": {
                "id": GIANT_ARTICLE,
                "title": "Giant",
                "language": "en",
                "text": "x " * (GIANT_QUOTATIONS + 10) + "Speaker spoke.",
            },
            "participants": [
                {
                    "id": "giant-speaker",
                    "name": "Speaker",
                    "kind": "person",
                    "evidence": ["Speaker"],
                }
            ],
            "quotations": [
                {
                    "id": f"giant-q-{n:05d}",
                    "speaker": "giant-speaker",
                    "kind": "direct",
                    "text": "x",
                    "occurrence": n + 1,
                }
                for n in range(GIANT_QUOTATIONS)
            ],
        }
    bundle = tmp_path_factory.mktemp("giant") / "giant.json"
    bundle.write_text(json.dumps(giant))
    subprocess.run(  # nosec B603: our own CLI, fixed arguments
        [sys.executable, "-m", "app.cli", "load", str(bundle), "--no-migrate"],
        env={
            **os.environ,
            "NEWSFACTS_DATABASE_URL": target.database_url,
            "NEWSFACTS_LOG_LEVEL": "error",
        },
        capture_output=True,
        check=True,
    )
    return target


@contextmanager
def attacking(attack: Callable[[threading.Event], None], threads: int = 1) -> Iterator[None]:
    """Run the attack in threads until the block ends (each loops until told to stop)."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            attack(stop)
        except BaseException as exc:  # reported after the block
            errors.append(exc)

    workers = [threading.Thread(target=run, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    try:
        yield
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=60)
    if errors:
        raise errors[0]


def raw_socket(target: Target, receive_buffer: int | None = None) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if receive_buffer is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.connect(("127.0.0.1", target.port))
    return sock


def drain(sock: socket.socket, timeout: float) -> tuple[int, float]:
    """Read until the server closes the connection: (bytes read, seconds it took)."""
    sock.settimeout(timeout)
    started = time.monotonic()
    total = 0
    try:
        while chunk := sock.recv(1 << 20):
            total += len(chunk)
    except (ConnectionResetError, TimeoutError):
        pass
    return total, time.monotonic() - started


# --- 1. stalled readers ------------------------------------------------------------------

STREAMS = [
    "/v1/export?kind=articles",
    "/v1/export?kind=articles&format=csv",
    "/v1/export?kind=quotations",
    "/v1/changes?limit=100",
    f"/articles/{GIANT_ARTICLE}",
]


def test_stalled_readers_on_every_streaming_route(prepared: Target) -> None:
    before = baseline(prepared)
    sockets = []
    for _ in range(4):  # 20 stalled requests, four times the pool
        for path in STREAMS:
            sock = raw_socket(prepared, receive_buffer=4096)
            request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n"
            sock.sendall(request.encode())
            sockets.append((path, sock))
    time.sleep(1)  # every stalled request has started
    try:
        assert_bystander_fast(prepared, before)
        with httpx.Client(base_url=prepared.base, timeout=30) as client:
            assert client.get("/readyz").status_code == 200
            full = len(client.get("/v1/export", params={"kind": "articles"}).content)
        # A client that stops reading is dropped (NEWSFACTS_SEND_TIMEOUT_S is 3 s here).
        for path, sock in sockets:
            received, waited = drain(sock, timeout=20)
            assert waited < 20, path
            if path == "/v1/export?kind=articles":
                assert received < full, path
    finally:
        for _, sock in sockets:
            sock.close()


# --- 2. trickled bodies, and bombs in bodies ---------------------------------------------

WRITE_ROUTES = [
    ("POST", "/v1/imports"),
    ("POST", "/v1/issues"),
    ("PATCH", "/v1/issues/food-supplies-to-russia"),
    ("POST", "/v1/quotations"),
    ("PATCH", "/v1/quotations/lukashenka-good-relations-with-putin"),
    ("POST", "/v1/events"),
    ("PATCH", "/v1/events/lukashenka-putin-meeting-2018"),
    ("POST", "/v1/participants"),
    ("PATCH", "/v1/participants/vladimir-putin"),
    ("POST", "/v1/articles"),
    ("PATCH", "/v1/articles/big-0"),
]


def trickle(target: Target, method: str, path: str, with_key: bool, found: dict[str, str]) -> None:
    """Send a request whose body comes a byte at a time; record the status it ends with."""
    sock = raw_socket(target)
    auth = f"Authorization: Bearer {target.key}\r\n" if with_key else ""
    sock.sendall(
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"{auth}Content-Length: 100000\r\n\r\n{{".encode()
    )
    started = time.monotonic()
    try:
        while time.monotonic() - started < 20:
            readable, _, _ = select.select([sock], [], [], 0.2)
            if readable:
                answer = sock.recv(4096).decode("latin-1")
                found[f"{method} {path} {with_key}"] = answer.split(" ", 2)[1] if answer else "EOF"
                return
            sock.sendall(b" ")
        found[f"{method} {path} {with_key}"] = "no answer"
    finally:
        sock.close()


def test_trickled_bodies_on_every_write_route(prepared: Target) -> None:
    before = baseline(prepared)
    found: dict[str, str] = {}

    def attack(stop: threading.Event) -> None:
        workers = [
            threading.Thread(target=trickle, args=(prepared, method, path, with_key, found))
            for method, path in WRITE_ROUTES
            for with_key in (True, False)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    with attacking(attack):
        time.sleep(0.5)  # every trickle has started
        assert_bystander_fast(prepared, before)
    # Each ends with 408 once NEWSFACTS_BODY_TIMEOUT_S (3 s here) is up; without a key, a
    # route that checks the key before it reads the body answers 401 at once.
    assert set(found) == {
        f"{method} {path} {with_key}" for method, path in WRITE_ROUTES for with_key in (True, False)
    }
    for request, status in found.items():
        assert status in (("408",) if request.endswith("True") else ("401", "408")), request


@functools.cache
def yaml_flat_list() -> bytes:
    return "".join(f"- item{n}\n" for n in range(480_000)).encode()[:4_800_000]


@functools.cache
def yaml_distinct_keys() -> bytes:
    return "".join(f"key{n}: {n}\n" for n in range(40_000)).encode()


@functools.cache
def span_bomb_bundle(occurrence: int, length: int = 1_000_000) -> bytes:
    bundle = {
        "version": 1,
        "article": {
            "id": f"span-bomb-{length}",
            "title": "A",
            "language": "en",
            "text": "a" * length,
        },
        "participants": [
            {
                "id": "span-bomb-person",
                "name": "A",
                "kind": "person",
                "evidence": [{"text": "a", "occurrence": occurrence - n} for n in range(100)],
            }
        ],
    }
    return json.dumps(bundle).encode()


def span_bomb_issue(n: int, occurrence: int) -> dict[str, Any]:
    return {
        "id": f"span-bomb-issue-{n}",
        "title": "A",
        "category": "trade",
        "evidence": [
            {"article_id": LETTERS_ARTICLE, "text": "a", "occurrence": occurrence - k}
            for k in range(100)
        ],
    }


BOMBS: list[tuple[str, Callable[[httpx.Client, int], httpx.Response]]] = [
    (
        "a 4.8 MB flat YAML list",
        lambda c, _n: c.post(
            "/v1/imports",
            content=yaml_flat_list(),
            headers={"Content-Type": "application/yaml"},
        ),
    ),
    (
        "40,000 distinct keys",
        lambda c, _n: c.post(
            "/v1/imports",
            content=yaml_distinct_keys(),
            headers={"Content-Type": "application/yaml"},
        ),
    ),
    (
        "100 spans of one letter, huge occurrences, in a bundle",
        lambda c, _n: c.post(
            "/v1/imports",
            content=span_bomb_bundle(100_000),
            headers={"Content-Type": "application/json"},
        ),
    ),
    (
        "100 spans of one letter, occurrences past the end, in a bundle",
        lambda c, _n: c.post(
            "/v1/imports",
            content=span_bomb_bundle(100_000, length=50_000),
            headers={"Content-Type": "application/json"},
        ),
    ),
    (
        "100 spans of one letter, huge occurrences, in a write",
        lambda c, n: c.post("/v1/issues", json=span_bomb_issue(n, 100_000)),
    ),
]


@pytest.mark.parametrize(("name", "bomb"), BOMBS, ids=[name for name, _ in BOMBS])
def test_parse_and_span_bombs(
    prepared: Target, name: str, bomb: Callable[[httpx.Client, int], httpx.Response]
) -> None:
    statuses: list[int] = []
    with httpx.Client(base_url=prepared.base, timeout=120, headers=prepared.auth) as client:
        statuses.append(bomb(client, 0).status_code)  # payloads built, worker process started
    before = baseline(prepared)

    def attack(stop: threading.Event) -> None:
        with httpx.Client(base_url=prepared.base, timeout=120, headers=prepared.auth) as client:
            n = 0
            while not stop.is_set():
                n += 1
                statuses.append(bomb(client, int(time.monotonic_ns() % 10**9) + n).status_code)

    with attacking(attack):
        time.sleep(0.3)
        assert_bystander_fast(prepared, before)
    assert statuses
    assert set(statuses) <= {200, 201, 422}, statuses


# --- 3. a giant article page -------------------------------------------------------------


def test_a_giant_article_page(prepared: Target) -> None:
    before = baseline(prepared)
    sizes: list[int] = []

    def attack(stop: threading.Event) -> None:
        with httpx.Client(base_url=prepared.base, timeout=60) as client:
            while not stop.is_set():
                response = client.get(f"/articles/{GIANT_ARTICLE}", headers={"Cache-Control": "x"})
                assert response.status_code == 200
                sizes.append(len(response.content))
                time.sleep(0.01)

    with attacking(attack, threads=3):
        assert_bystander_fast(prepared, before)
    assert sizes
    assert max(sizes) < 2_000_000  # bounded: 10,000 quotations made 15.6 MB


# --- 4. poisoning the cache ----------------------------------------------------------------

POISON = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-For": "6.6.6.6",
    "Forwarded": "for=6.6.6.6;proto=https;host=evil.example",
}
POISONED_READS = [
    ("/v1/events", {"limit": "1"}, {}),
    ("/v1/quotations", {"limit": "1"}, {}),
    ("/v1/events/lukashenka-putin-meeting-2018", {}, {"Accept": "application/ld+json"}),
    (f"/v1/articles/{SEED_ARTICLE}", {}, {"Accept": "application/ld+json"}),
]


def test_forwarded_headers_from_an_untrusted_peer_poison_nothing(prepared: Target) -> None:
    before = baseline(prepared)

    def attack(stop: threading.Event) -> None:
        with httpx.Client(base_url=prepared.base, timeout=30) as client:
            while not stop.is_set():
                for path, params, headers in POISONED_READS:
                    client.get(path, params=params, headers={**headers, **POISON})
                    time.sleep(0.01)

    with attacking(attack):
        assert_bystander_fast(prepared, before)
    with httpx.Client(base_url=prepared.base, timeout=30) as client:
        for path, params, headers in POISONED_READS:
            for extra in ({}, POISON):
                response = client.get(path, params=params, headers={**headers, **extra})
                assert response.status_code == 200
                seen = response.headers.get("link", "") + response.text
                assert "https://127.0.0.1" not in seen, (path, extra)
                assert "evil.example" not in seen, (path, extra)
                assert "wss://" not in seen, (path, extra)


# --- 5. formula cells ------------------------------------------------------------------------


def test_formula_cells_are_inert_in_csv(prepared: Target) -> None:
    formula = '=HYPERLINK("http://evil.example","click")'
    with httpx.Client(base_url=prepared.base, timeout=30, headers=prepared.auth) as client:
        response = client.post(
            "/v1/participants",
            json={
                "id": f"formula-{prepared.backend}",
                "name": formula,
                "kind": "person",
                "evidence": [
                    {"article_id": SEED_ARTICLE, "text": "Vladimir Putin", "occurrence": 1}
                ],
            },
        )
        assert response.status_code == 201, response.text
        before = baseline(prepared)

        def attack(stop: threading.Event) -> None:
            with httpx.Client(base_url=prepared.base, timeout=30) as reader:
                while not stop.is_set():
                    exported = reader.get(
                        "/v1/export", params={"kind": "participants", "format": "csv"}
                    ).text
                    assert "'=HYPERLINK" in exported
                    assert ',"=HYPERLINK' not in exported

        with attacking(attack):
            assert_bystander_fast(prepared, before)
        ndjson = client.get("/v1/export", params={"kind": "participants"}).text
        assert json.dumps(formula)[1:-1] in ndjson  # NDJSON keeps the value as it is


# --- 7. forged cursors -------------------------------------------------------------------

CURSOR_LISTS = [
    ("/v1/events", {}),
    ("/v1/events", {"sort": "date"}),
    ("/v1/events", {"sort": "-date"}),
    ("/v1/quotations", {}),
    ("/v1/quotations", {"sort": "said_on"}),
    ("/v1/quotations", {"sort": "-said_on"}),
    ("/v1/quotations", {"q": "the"}),
    ("/v1/quotations", {"q": "we the"}),
    ("/v1/quotations", {"q": "the", "sort": "relevance", "speaker": "alyaksandr-lukashenka"}),
    ("/v1/issues", {}),
    ("/v1/participants", {}),
    ("/v1/articles", {}),
]
FORGED = [1e308, -1e308, 10**30, 2**63, "x" * 301, [], {}, True]


def _b64(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()


def test_forged_cursors_for_every_list_and_sort(prepared: Target) -> None:
    with httpx.Client(base_url=prepared.base, timeout=30) as client:
        forged: list[tuple[str, dict[str, str]]] = []
        for path, params in CURSOR_LISTS:
            cursor = client.get(path, params={**params, "limit": 1}).json()["next_cursor"]
            assert cursor, (path, params)
            payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
            for index in range(len(payload["k"])):
                for value in FORGED:
                    keys = list(payload["k"])
                    keys[index] = value
                    cursor = _b64({**payload, "k": keys})
                    if len(cursor) <= 512:  # longer is refused for its length (422)
                        forged.append((path, {**params, "cursor": cursor}))
        since = client.get("/v1/changes", params={"limit": 1}).json()["next_cursor"]
        payload = json.loads(base64.urlsafe_b64decode(since + "=" * (-len(since) % 4)))
        forged += [("/v1/changes", {"since": _b64({**payload, "k": [v]})}) for v in FORGED]
    answers: list[tuple[str, int]] = []
    before = baseline(prepared)

    def attack(stop: threading.Event) -> None:
        with httpx.Client(base_url=prepared.base, timeout=30) as attacker:
            while not stop.is_set():
                for path, params in forged:
                    answers.append((path, attacker.get(path, params=params).status_code))
                    time.sleep(0.01)

    with attacking(attack):
        assert_bystander_fast(prepared, before)
    assert answers
    assert {status for _, status in answers} <= {400}, sorted(set(answers))
