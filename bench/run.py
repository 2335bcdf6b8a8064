"""The newsfacts benchmark: the API against Datasette over the same SQLite file (and PostgreSQL).

    python bench/run.py [--articles 100000] [--duration 10] [--postgres URL] [--values 300]
        [--cases "speaker quotations,full-text search"]

Builds (or reuses) a synthetic corpus, starts the API with one worker and then N, starts
`datasette serve -i` on the same file, drives each with a load generator (wrk when installed,
else a built-in threaded one), and prints requests/s, p50 and p99 per case, also as JSON.
Each case runs once with one URL repeated and once rotating over a few hundred values of its
parameter (bench/README.md, "Rotating load"). Only localhost is ever targeted.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import NamedTuple, TypeVar

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass
class Result:
    """One load run: what was asked, and how fast it was answered."""

    case: str
    server: str
    url: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    values: int = 1  # the distinct URLs requested in turn (a rotating run's values)
    requests: int = 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


@contextmanager
def running(command: list[str], ready_path: str, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    process = subprocess.Popen(
        command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + ready_path, process)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def resident_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn workers), in MB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        status = Path(f"/proc/{each}/status")
        if status.exists():
            match = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
            total += int(match.group(1)) if match else 0
    return total / 1024


class Load(NamedTuple):
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def rotation_script(urls: list[str]) -> str:
    """A wrk script requesting the URLs' paths in turn, the next one on each request (one
    thread: round-robin over all its connections); the URLs share one host."""
    paths = []
    for url in urls:
        parts = urllib.parse.urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        assert path.isascii(), path  # quoted, so a JSON string is a Lua string too
        paths.append(json.dumps(path))
    return (
        "local paths = {\n" + "".join(f"  {path},\n" for path in paths) + "}\n"
        "local turn = 0\n"
        "function request()\n"
        "  turn = turn % #paths + 1\n"
        '  return wrk.format("GET", paths[turn])\n'
        "end\n"
    )


def _wrk(urls: list[str], duration: float, connections: int) -> Load:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", "--latency"]
    with tempfile.TemporaryDirectory() as scratch:
        if len(urls) > 1:
            script = Path(scratch) / "rotation.lua"
            script.write_text(rotation_script(urls))
            command += ["-s", str(script)]
        out = subprocess.run([*command, urls[0]], capture_output=True, text=True, check=True).stdout

    def millis(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Load(rps, millis("50"), millis("99"), int(errors.group(1)) if errors else 0, requests)


def _python_load(urls: list[str], duration: float, connections: int) -> Load:
    latencies: list[float] = []
    errors = 0
    turn = 0
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def worker() -> None:
        nonlocal errors, turn
        with httpx.Client(timeout=30) as client:
            # At least one request each: on a busy machine a thread may only start after `stop`.
            first = True
            while first or time.monotonic() < stop:
                first = False
                with lock:  # the next URL of the rotation, as wrk's script takes it
                    url = urls[turn % len(urls)]
                    turn += 1
                began = time.perf_counter()
                status = client.get(url).status_code
                elapsed = (time.perf_counter() - began) * 1000
                with lock:
                    latencies.append(elapsed)
                    errors += status >= 300

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0
    median = statistics.median(latencies) if latencies else 0.0
    return Load(len(latencies) / duration, median, p99, errors, len(latencies))


WARM_UP = 3  # URLs requested before a run (each, with warm_all)


def measure(
    case: str, server: str, urls: list[str], args: argparse.Namespace, warm_all: bool = False
) -> Result:
    """Drive one case on one server with its one URL, or its rotation: each request takes the
    next URL of the list, round-robin. The first URLs are requested before (all of them with
    `warm_all`, for a cache's steady state), which also fails loudly on a bad one."""
    with httpx.Client(timeout=60) as client:
        for url in urls if warm_all else urls[:WARM_UP]:
            client.get(url).raise_for_status()
    load = (_wrk if args.generator == "wrk" else _python_load)(
        urls, args.duration, args.connections
    )
    rps, p50, p99 = load.requests_per_second, load.p50_ms, load.p99_ms
    values = len(set(urls))
    result = Result(
        case, server, urls[0], round(rps, 1), round(p50, 2), round(p99, 2), load.errors,
        values, load.requests,
    )  # fmt: skip
    rotation = f"  ({values} values)" if values > 1 else ""
    print(
        f"  {case:<24} {server:<35} {rps:9.1f} req/s  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms"
        + rotation
    )
    return result


PAGE_SIZE = 20
DEEP_PAGE = 1000  # the single "keyset page 1000", and the first page the rotation may take
ROTATION = 300  # the values a case rotates over (--values)
WORD_SAMPLE = 20_000  # quotations read for the words' document frequencies
WORD_SHARES = (0.001, 0.05)  # the rotation's words are found in 0.1% to 5% of quotations
T = TypeVar("T")


@dataclass
class Cases:
    """The parameters of each case, picked from the corpus: one value a case for the single-URL
    runs, and a rotation of a few hundred, in the order they are requested, for the rotating
    runs (the same for the API and Datasette)."""

    speaker: str
    word: str
    word_share: float
    event: str
    alias: str
    page_1000_id: str
    speakers: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    word_shares: list[float] = field(default_factory=list)  # of the sampled quotations
    events: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    deep_pages: list[int] = field(default_factory=list)  # page numbers, DEEP_PAGE and beyond
    deep_page_ids: list[str] = field(default_factory=list)  # the id before each (`_next`)


def pick_cases(database: Path, values: int = ROTATION, seed: int = 1) -> Cases:
    connection = sqlite3.connect(database)
    try:
        speaker = connection.execute(
            "SELECT speaker_id FROM quotations GROUP BY speaker_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        total = connection.execute("SELECT count(*) FROM quotations").fetchone()[0]
        sample = [
            text
            for (text,) in connection.execute(
                "SELECT text FROM quotations ORDER BY id LIMIT ?", (WORD_SAMPLE,)
            )
        ]
        counts = _document_counts(sample[:2000])
        # The word found in closest to 1% of quotations.
        word = min(counts, key=lambda w: abs(counts[w] / len(sample[:2000]) - 0.01))
        share = connection.execute(
            "SELECT count(*) FROM quotations_fts WHERE quotations_fts MATCH ?", (f'"{word}"',)
        ).fetchone()[0] / max(total, 1)
        event = connection.execute(
            "SELECT event_id FROM agenda_items GROUP BY event_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        alias = connection.execute(
            "SELECT alias_key FROM participant_aliases WHERE language = 'en'"
            " AND length(alias_key) >= 8 ORDER BY alias LIMIT 1"
        ).fetchone()[0]
        page_1000 = connection.execute(
            "SELECT id FROM quotations ORDER BY id LIMIT 1 OFFSET ?",
            ((DEEP_PAGE - 1) * PAGE_SIZE - 1,),
        ).fetchone()
        page_1000_id = page_1000[0] if page_1000 else ""
        # Part of an alias, not its start: the search matches inside names and aliases.
        cases = Cases(speaker, word, share, event, alias[1:7], page_1000_id)
        rng = random.Random(seed)  # noqa: S311 (a sample, not a secret)
        _pick_rotations(connection, cases, sample, total, values, rng)
    finally:
        connection.close()
    return cases


def _pick_rotations(
    connection: sqlite3.Connection,
    cases: Cases,
    sample: list[str],
    total: int,
    values: int,
    rng: random.Random,
) -> None:
    """Each case's rotation: `values` of its values (all when there are fewer), spread over its
    range and drawn with a seeded generator, so a corpus always gives the same ones."""

    def column(sql: str) -> list[str]:
        return [row[0] for row in connection.execute(sql)]

    # Speakers from the most quoted to the least, events from the longest agenda to the shortest.
    cases.speakers = _spread(
        column(
            "SELECT speaker_id FROM quotations GROUP BY speaker_id"
            " ORDER BY count(*) DESC, speaker_id"
        ),
        values,
        rng,
    )
    cases.events = _spread(
        column(
            "SELECT event_id FROM agenda_items GROUP BY event_id ORDER BY count(*) DESC, event_id"
        ),
        values,
        rng,
    )
    # Words (plain ASCII, as typed) spread evenly over the logarithm of their document
    # frequency within WORD_SHARES; stop-word-like ones (found in over 20%) are far above it.
    shares = {
        word: count / len(sample)
        for word, count in _document_counts(sample).items()
        if word.isascii() and word.isalpha()
    }
    cases.words = _spread_over_shares(shares, values, rng)
    cases.word_shares = [round(shares[word], 5) for word in cases.words]
    # Parts of aliases, as the single case's, each taken once; none starting or ending with a
    # space, which the API's search would drop and Datasette's `__contains` would keep.
    keys = column(
        "SELECT alias_key FROM participant_aliases WHERE language = 'en'"
        " AND length(alias_key) >= 8 ORDER BY alias, alias_key"
    )
    parts = dict.fromkeys(key[1:7] for key in keys if key[1:7] == key[1:7].strip())
    cases.aliases = _spread(list(parts), values, rng)
    # Deep pages, from page 1,000 to the last full page; each named by the id of the quotation
    # before it (row (page - 1) * PAGE_SIZE in id order), read in one scan of the id index.
    cases.deep_pages = _spread(list(range(DEEP_PAGE, total // PAGE_SIZE + 1)), values, rng)
    rows = [(page - 1) * PAGE_SIZE for page in cases.deep_pages]
    ids = dict(
        connection.execute(
            "SELECT n, id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM quotations)"
            " WHERE n IN (SELECT value FROM json_each(?))",
            (json.dumps(rows),),
        )
    )
    cases.deep_page_ids = [ids[row] for row in rows]


def _document_counts(texts: list[str]) -> dict[str, int]:
    """How many of the texts hold each word."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in set(re.findall(r"\w+", text.lower())):
            counts[word] = counts.get(word, 0) + 1
    return counts


def _spread(ranked: list[T], count: int, rng: random.Random) -> list[T]:
    """`count` of the items (all when fewer), one drawn from each of `count` equal slices of
    the list, so they spread from its first to its last; shuffled (the order of requests)."""
    n = len(ranked)
    if n <= count:
        chosen = list(ranked)
    else:
        chosen = [ranked[rng.randrange(i * n // count, (i + 1) * n // count)] for i in range(count)]
    rng.shuffle(chosen)
    return chosen


def _spread_over_shares(shares: dict[str, float], count: int, rng: random.Random) -> list[str]:
    """`count` words found in a share of WORD_SHARES (all when fewer): for each of `count`
    shares spaced evenly on a log scale over that range, the nearest word not yet taken;
    shuffled."""
    low, high = (math.log(share) for share in WORD_SHARES)
    left = sorted(
        (word for word, share in shares.items() if WORD_SHARES[0] <= share <= WORD_SHARES[1]),
        key=lambda word: (shares[word], word),
    )
    if len(left) <= count:
        chosen = left
    else:
        chosen = []
        for step in range(count):
            target = low + (high - low) * (step + 0.5) / count
            nearest = min(left, key=lambda word: abs(math.log(shares[word]) - target))
            left.remove(nearest)
            chosen.append(nearest)
    rng.shuffle(chosen)
    return chosen


def keyset_cursors(base: str, after_ids: list[str]) -> list[str]:
    """The API's cursors of the pages (of quotations by id) after these quotation ids.

    A cursor is opaque to clients, but the harness knows what the API puts in one: page 1's
    `next_cursor` holds the id of page 1's last quotation, and the same with another id is the
    cursor of the page after that id. Both are checked against the API (page 1's cursor built
    so is the one it gave; the page after the first id is served, and is neither page 1 nor
    holds that id), so a change of the format fails here instead of measuring 400s. Walking to
    the same pages would take 50,000 requests on a million quotations."""
    with httpx.Client(base_url=base, timeout=30) as client:
        first = client.get("/v1/quotations", params={"limit": PAGE_SIZE}).raise_for_status()
        given, last = first.json()["next_cursor"], first.json()["items"][-1]["id"]
        payload = json.loads(base64.urlsafe_b64decode(given + "=" * (-len(given) % 4)))

        def cursor(after: str) -> str:
            raw = json.dumps({**payload, "k": [after]}, separators=(",", ":"), ensure_ascii=False)
            return base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode()

        if payload.get("k") != [last] or cursor(last) != given:
            raise RuntimeError(f"the API's cursor no longer holds the last id alone: {payload}")
        cursors = [cursor(after) for after in after_ids]
        if cursors:
            page = (
                client.get("/v1/quotations", params={"limit": PAGE_SIZE, "cursor": cursors[0]})
                .raise_for_status()
                .json()
            )
            ids = [item["id"] for item in page["items"]]
            # Neither page 1 nor a page holding the id (PostgreSQL may order ids otherwise).
            if not ids or ids[0] == first.json()["items"][0]["id"] or after_ids[0] in ids:
                raise RuntimeError(f"the page after {after_ids[0]} is not after it: {ids}")
    return cursors


def case_values(cases: Cases, selected: Sequence[str], rotating: bool) -> dict[str, list[str]]:
    """The values of each selected case: its one value, or its rotation. A deep page's value is
    the id of the quotation before it (Datasette's `_next`; the API's cursor holds it)."""
    values = {
        "speaker quotations": cases.speakers if rotating else [cases.speaker],
        "full-text search": cases.words if rotating else [cases.word],
        "keyset page 1": [""],
        "keyset page 1000": cases.deep_page_ids if rotating else [cases.page_1000_id],
        "event agenda": cases.events if rotating else [cases.event],
        "alias search": cases.aliases if rotating else [cases.alias],
    }
    if not any(values["keyset page 1000"]):
        del values["keyset page 1000"]  # a corpus of fewer than 1,000 pages
    return {case: found for case, found in values.items() if case in selected}


def api_path(case: str, value: str) -> str:
    """The API's path and query of a case, for one of its values."""
    quote = urllib.parse.quote
    paths = {
        "speaker quotations": f"/v1/quotations?speaker={quote(value)}&limit={PAGE_SIZE}",
        "full-text search": f"/v1/quotations?q={quote(value)}&limit={PAGE_SIZE}",
        "keyset page 1": f"/v1/quotations?limit={PAGE_SIZE}",
        "keyset page 1000": f"/v1/quotations?limit={PAGE_SIZE}&cursor={value}",
        "event agenda": f"/v1/events/{quote(value)}/agenda",
        "alias search": f"/v1/participants?q={quote(value)}&limit={PAGE_SIZE}",
    }
    return paths[case]


def api_urls(base: str, values: dict[str, list[str]]) -> dict[str, list[str]]:
    """The API's URLs of each case, one for each of its values."""
    urls = {}
    for case, found in values.items():
        if case == "keyset page 1000":
            found = keyset_cursors(base, found)
        urls[case] = [base + api_path(case, value) for value in found]
    return urls


def datasette_path(name: str, case: str, value: str) -> str:
    """Datasette's path and query of a case, for one of its values, in its fastest form."""
    fast = "_shape=array&_nofacet=1&_nocount=1"
    quote = urllib.parse.quote
    agenda_sql = (
        "SELECT i.id, i.title, a.status, q.id AS quotation_id, q.text FROM agenda_items a"
        " JOIN issues i ON i.id = a.issue_id JOIN quotation_issues qi ON qi.issue_id = i.id"
        " JOIN quotations q ON q.id = qi.quotation_id WHERE a.event_id = :event LIMIT 60"
    )
    # Datasette's `_search` returns matches in rowid order; ranking them (as the API does) is
    # this query, measured too so the two searches can be compared doing the same work.
    ranked_sql = (
        "SELECT quotation_id, text FROM quotations_fts WHERE quotations_fts MATCH :word"
        " ORDER BY rank LIMIT 20"
    )
    phrase = quote(f'"{value}"')  # the word as an FTS5 phrase, as the API searches it
    database = f"/{name}"
    paths = {
        "speaker quotations": (
            f"{database}/quotations.json?speaker_id={quote(value)}&_size={PAGE_SIZE}&{fast}"
        ),
        "full-text search": (
            f"{database}/quotations_fts.json?_search={quote(value)}&_size={PAGE_SIZE}&{fast}"
        ),
        RANKED_SEARCH: f"{database}.json?sql={quote(ranked_sql)}&word={phrase}&_shape=array",
        "keyset page 1": f"{database}/quotations.json?_size={PAGE_SIZE}&{fast}",
        "keyset page 1000": (
            f"{database}/quotations.json?_size={PAGE_SIZE}&_next={quote(value)}&{fast}"
        ),
        "event agenda": (
            f"{database}.json?sql={quote(agenda_sql)}&event={quote(value)}&_shape=array"
        ),
        "alias search": (
            f"{database}/participant_aliases.json?alias_key__contains={quote(value)}"
            f"&_size={PAGE_SIZE}&{fast}"
        ),
    }
    return paths[case]


def datasette_urls(base: str, name: str, values: dict[str, list[str]]) -> dict[str, list[str]]:
    """Datasette's URLs of each case (and of the ranked search), one for each of its values."""
    urls = {
        case: [base + datasette_path(name, case, value) for value in found]
        for case, found in values.items()
    }
    if "full-text search" in values:
        urls[RANKED_SEARCH] = [
            base + datasette_path(name, RANKED_SEARCH, value)
            for value in values["full-text search"]
        ]
    return urls


def schema_head() -> str:
    """The migration head of this checkout's schema (`0011`), read from the alembic scripts: the
    corpus file and PostgreSQL database carry it, so a checkout with another schema builds its
    own corpus instead of reusing a stale one."""
    from app.health.service import head_revisions

    return "-".join(sorted(head_revisions()))


def build_corpus(url: str, articles: int, seed: int) -> None:
    env = {**os.environ, "NEWSFACTS_DATABASE_URL": url}
    subprocess.run(
        [str(BIN / "newsfacts"), "synth", "--articles", str(articles), "--seed", str(seed)],
        env=env,
        check=True,
    )


def api_command(workers: int) -> list[str]:
    return [
        str(BIN / "newsfacts"), "serve", "--no-seed", "--port", "{port}",
        "--workers", str(workers),
    ]  # fmt: skip


API_ENV = {"NEWSFACTS_RATE_LIMIT_PER_MINUTE": "0", "NEWSFACTS_LOG_LEVEL": "warning"}


def api_server(
    label: str, url: str, workers: int, cached: bool = True
) -> tuple[str, list[str], dict[str, str]]:
    """The name, command and environment of an API run; without the read cache every request
    is answered from the database, as the first request for a URL after a write is."""
    env = {**API_ENV, "NEWSFACTS_DATABASE_URL": url}
    server = f"{label} ({workers}w)"
    if not cached:
        env["NEWSFACTS_READ_CACHE_ENTRIES"] = "0"
        server = f"{label} ({workers}w, uncached)"
    return server, api_command(workers), env


def bench_api(
    label: str,
    url: str,
    cases: Cases,
    workers: int,
    args: argparse.Namespace,
    cached: bool = True,
) -> tuple[list[Result], float]:
    """Drive the API through every case."""
    results = []
    server, command, env = api_server(label, url, workers, cached)
    with running(command, "/readyz", env) as (base, pid):
        for case, urls in api_urls(base, case_values(cases, args.cases, False)).items():
            results.append(measure(case, server, urls, args))
        memory = resident_mb(pid)
    print(f"  resident memory of {server}: {memory:.0f} MB")
    return results, memory


def bench_against_datasette(
    url: str, corpus: Path, cases: Cases, args: argparse.Namespace
) -> tuple[list[Result], float]:
    """The uncached API and Datasette on the same file, case by case: each case is measured on
    both back to back, so a change in the machine's speed between runs moves both alike."""
    results = []
    server, command, env = api_server("newsfacts sqlite", url, 1, cached=False)
    datasette = [str(BIN / "datasette"), "serve", "-i", str(corpus), "--port", "{port}"]
    with (
        running(command, "/readyz", env) as (base, pid),
        running(datasette, "/-/versions.json", {}) as (datasette_base, _),
    ):
        values = case_values(cases, args.cases, False)
        theirs = datasette_urls(datasette_base, corpus.stem, values)
        for case, urls in api_urls(base, values).items():
            results.append(measure(case, server, urls, args))
            results.append(measure(case, "datasette", theirs[case], args))
            if case == "full-text search":
                results.append(measure(RANKED_SEARCH, "datasette", theirs[RANKED_SEARCH], args))
        memory = resident_mb(pid)
    print(f"  resident memory of {server}: {memory:.0f} MB")
    return results, memory


def bench_rotating(
    sqlite_url: str, pg_url: str, corpus: Path, cases: Cases, args: argparse.Namespace
) -> tuple[list[Result], dict[str, float]]:
    """Every case with its value rotating, on the API with one worker (uncached and cached, on
    SQLite, and on PostgreSQL when given) and on Datasette: all started at once, each case
    measured on each back to back (Datasette right after the uncached API on its file), as
    bench_against_datasette does. A cached API is sent each value once before its run, so the
    run is its cache's steady state, every answer held; the others only the first few."""
    runs = [("sqlite 1 worker, uncached", "newsfacts sqlite", sqlite_url, False)]
    runs.append(("sqlite 1 worker", "newsfacts sqlite", sqlite_url, True))
    if pg_url:
        runs.append(("postgresql 1 worker, uncached", "newsfacts postgresql", pg_url, False))
        runs.append(("postgresql 1 worker", "newsfacts postgresql", pg_url, True))
    values = case_values(cases, args.cases, rotating=True)
    datasette = [str(BIN / "datasette"), "serve", "-i", str(corpus), "--port", "{port}"]
    results: list[Result] = []
    memory: dict[str, float] = {}
    with ExitStack() as stack:
        servers = []
        for name, label, url, cached in runs:
            server, command, env = api_server(label, url, 1, cached)
            base, pid = stack.enter_context(running(command, "/readyz", env))
            servers.append((name, server, cached, pid, api_urls(base, values)))
        datasette_base, _ = stack.enter_context(running(datasette, "/-/versions.json", {}))
        theirs = datasette_urls(datasette_base, corpus.stem, values)
        for case in values:
            for index, (_, server, cached, _, ours) in enumerate(servers):
                results.append(measure(case, server, ours[case], args, warm_all=cached))
                if index == 0:
                    results.append(measure(case, "datasette", theirs[case], args))
                if index == 0 and case == "full-text search":
                    ranked = theirs[RANKED_SEARCH]
                    results.append(measure(RANKED_SEARCH, "datasette", ranked, args))
        for name, server, _, pid, _ in servers:
            memory[f"{name}, rotating"] = resident_mb(pid)
            print(f"  resident memory of {server}, rotating: {memory[f'{name}, rotating']:.0f} MB")
    return results, memory


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="the N of the second API run")
    parser.add_argument("--postgres", default="", help="a PostgreSQL server URL to bench too")
    parser.add_argument("--generator", choices=["wrk", "python"], default="")
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--values", type=int, default=ROTATION, help="the values each case rotates over"
    )
    parser.add_argument(
        "--cases",
        default=",".join(TARGET_CASES),
        help="a comma list of the cases to run (default all): " + ", ".join(TARGET_CASES),
    )
    args = parser.parse_args()
    args.cases = [case.strip() for case in args.cases.split(",") if case.strip()]
    unknown = sorted(set(args.cases) - set(TARGET_CASES))
    if unknown or not args.cases:
        parser.error(f"--cases: unknown {unknown}; the cases are {', '.join(TARGET_CASES)}")
    if args.values < 1:
        parser.error("--values: at least 1")
    if not args.generator:
        args.generator = "wrk" if shutil.which("wrk") else "python"
    args.data.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)

    corpus = args.data / f"corpus-{args.articles}-{args.seed}-r{schema_head()}.db"
    sqlite_url = f"sqlite:///{corpus}"
    if not corpus.exists():
        print(f"building {corpus.name} ...")
        build_corpus(sqlite_url, args.articles, args.seed)
    cases = pick_cases(corpus, args.values, args.seed)
    print(
        f"corpus: {args.articles} articles; speaker {cases.speaker}; word {cases.word!r}"
        f" in {cases.word_share:.2%} of quotations; event {cases.event}; alias {cases.alias!r}"
    )
    print(
        f"rotations: {len(cases.speakers)} speakers, {len(cases.words)} words"
        f" ({_span(cases.word_shares, '.2%')} of sampled quotations), {len(cases.events)}"
        f" events, {len(cases.aliases)} alias parts, {len(cases.deep_pages)} pages"
        f" ({_span(cases.deep_pages, 'd')})"
    )
    print(
        f"load generator: {args.generator}, {args.connections} connections,"
        f" {args.duration:g} s a case"
    )

    results: list[Result] = []
    memory: dict[str, float] = {}
    found, memory["sqlite 1 worker"] = bench_api("newsfacts sqlite", sqlite_url, cases, 1, args)
    results += found
    found, memory["sqlite 1 worker, uncached"] = bench_against_datasette(
        sqlite_url, corpus, cases, args
    )
    results += found
    if args.workers > 1:
        found, memory[f"sqlite {args.workers} workers"] = bench_api(
            "newsfacts sqlite", sqlite_url, cases, args.workers, args
        )
        results += found
    pg_url = prepare_postgres(args) if args.postgres else ""
    if pg_url:
        found, memory["postgresql 1 worker"] = bench_api(
            "newsfacts postgresql", pg_url, cases, 1, args
        )
        results += found
        found, memory["postgresql 1 worker, uncached"] = bench_api(
            "newsfacts postgresql", pg_url, cases, 1, args, cached=False
        )
        results += found
    print(f"rotating, {args.values} values a case (at most)")
    rotating, found_memory = bench_rotating(sqlite_url, pg_url, corpus, cases, args)
    memory.update(found_memory)

    summary = summarize(results, memory)
    rotating_summary = summarize_rotating(rotating)
    stamp = {
        "articles": args.articles,
        "seed": args.seed,
        "generator": args.generator,
        "duration_s": args.duration,
        "connections": args.connections,
        "values": args.values,
        "cases": args.cases,
        "schema": schema_head(),
    }
    report = {
        "settings": stamp,
        "cases": asdict_cases(cases),
        "results": [asdict(r) for r in results],
        "memory_mb": memory,
        "targets": summary,
        "rotating": [asdict(r) for r in rotating],
        "rotating_targets": rotating_summary,
    }
    (args.out / f"bench-{args.articles}.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0


def _span(values: Sequence[float], spec: str) -> str:
    return f"{min(values):{spec}} to {max(values):{spec}}" if values else "none"


def asdict_cases(cases: Cases) -> dict[str, object]:
    return asdict(cases)


def prepare_postgres(args: argparse.Namespace) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(args.postgres)
    name = f"newsfacts_bench_{args.articles}_{args.seed}_r{schema_head()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = server.set(database=name).render_as_string(hide_password=False)
    if not exists:
        print(f"building {name} on PostgreSQL ...")
        build_corpus(url, args.articles, args.seed)
    return url


RANKED_SEARCH = "full-text search, ranked"  # Datasette only: the API's search always ranks
TARGET_CASES = (
    "speaker quotations",
    "full-text search",
    "keyset page 1",
    "keyset page 1000",
    "event agenda",
    "alias search",
)


def summarize(results: list[Result], memory: dict[str, float]) -> dict[str, float]:
    """Print the results and the targets of the issue, for the API with and without its cache."""
    by = {(r.case, r.server): r for r in results}
    targets: dict[str, float] = {}
    for server, note in (
        ("newsfacts sqlite (1w)", ""),
        ("newsfacts sqlite (1w, uncached)", ", uncached"),
    ):

        def ratio(case: str, server: str = server, theirs_case: str = "") -> float:
            ours, theirs = by.get((case, server)), by.get((theirs_case or case, "datasette"))
            return (
                round(ours.requests_per_second / theirs.requests_per_second, 2)
                if ours and theirs and theirs.requests_per_second
                else float("nan")
            )

        page_1, page_1000 = by.get(("keyset page 1", server)), by.get(("keyset page 1000", server))
        agenda = by.get(("event agenda", server))
        targets.update(
            {
                f"speaker quotations vs datasette (>= 3x){note}": ratio("speaker quotations"),
                f"full-text search vs datasette (>= 3x){note}": ratio("full-text search"),
                f"full-text search vs datasette ranking too{note}": ratio(
                    "full-text search", theirs_case=RANKED_SEARCH
                ),
                f"page 1000 p50 / page 1 p50 (<= 1.3){note}": round(
                    page_1000.p50_ms / page_1.p50_ms, 2
                )
                if page_1 and page_1000
                else float("nan"),
                f"event agenda p99 ms (< 25){note}": agenda.p99_ms if agenda else float("nan"),
            }
        )
        for case in TARGET_CASES:
            targets[f"ratio to datasette, {case}{note}"] = ratio(case)
    # Every run of one worker on SQLite: cached, uncached, and rotating (its cache fuller).
    one_worker = [mb for run, mb in memory.items() if run.startswith("sqlite 1 worker")]
    targets["worker resident MB (< 200)"] = round(max(one_worker, default=0.0), 1)
    # A case left out (--cases, or page 1,000 of a corpus too small for it) has no figure.
    targets = {name: value for name, value in targets.items() if not math.isnan(value)}
    print("\n| case | server | req/s | p50 ms | p99 ms |\n|---|---|---:|---:|---:|")
    for r in results:
        print(f"| {r.case} | {r.server} | {r.requests_per_second} | {r.p50_ms} | {r.p99_ms} |")
    print("\n| target | measured |\n|---|---:|")
    for name, value in targets.items():
        print(f"| {name} | {value} |")
    return targets


def summarize_rotating(results: list[Result]) -> dict[str, dict[str, object]]:
    """Print the rotating runs, and check the issue's targets on them, one worker: speaker list
    and full-text search >= 3x Datasette, page 1,000 within 1.3x of page 1 and the agenda's p99
    under 25 ms, uncached; PostgreSQL >= 0.8x SQLite in each case and its one-word search >=
    300 req/s, uncached and cached. A target whose cases were not run is left out."""
    by = {(r.case, r.server): r for r in results}
    targets: dict[str, dict[str, object]] = {}

    def check(name: str, measured: float, met: bool | None, figures: str) -> None:
        targets[name] = {"measured": round(measured, 2), "met": met, "figures": figures}

    uncached = "newsfacts sqlite (1w, uncached)"
    for case, theirs_case, name in (
        ("speaker quotations", "speaker quotations", "speaker quotations vs datasette"),
        ("full-text search", "full-text search", "full-text search vs datasette"),
        ("full-text search", RANKED_SEARCH, "full-text search vs datasette ranking too"),
    ):
        ours, theirs = by.get((case, uncached)), by.get((theirs_case, "datasette"))
        if ours and theirs and theirs.requests_per_second:
            ratio = ours.requests_per_second / theirs.requests_per_second
            figures = f"{ours.requests_per_second} / {theirs.requests_per_second} req/s"
            if theirs_case == RANKED_SEARCH:  # not a target: the same work on both sides
                check(f"{name}, uncached", ratio, None, figures)
            else:
                check(f"{name}, uncached (>= 3x)", ratio, ratio >= 3, figures)
    page_1, page_1000 = by.get(("keyset page 1", uncached)), by.get(("keyset page 1000", uncached))
    if page_1 and page_1000 and page_1.p50_ms:
        ratio = page_1000.p50_ms / page_1.p50_ms
        figures = f"p50 {page_1000.p50_ms} / {page_1.p50_ms} ms"
        check("page 1000 p50 / page 1 p50, uncached (<= 1.3)", ratio, ratio <= 1.3, figures)
    agenda = by.get(("event agenda", uncached))
    if agenda:
        figures = f"p50 {agenda.p50_ms} ms, p99 {agenda.p99_ms} ms"
        check("event agenda p99 ms, uncached (< 25)", agenda.p99_ms, agenda.p99_ms < 25, figures)
    for note in (", uncached", ""):
        for case in TARGET_CASES:
            pg = by.get((case, f"newsfacts postgresql (1w{note})"))
            lite = by.get((case, f"newsfacts sqlite (1w{note})"))
            if pg and lite and lite.requests_per_second:
                ratio = pg.requests_per_second / lite.requests_per_second
                figures = f"{pg.requests_per_second} / {lite.requests_per_second} req/s"
                check(f"postgresql / sqlite, {case}{note} (>= 0.8x)", ratio, ratio >= 0.8, figures)
        search = by.get(("full-text search", f"newsfacts postgresql (1w{note})"))
        if search:
            rps = search.requests_per_second
            figures = f"p50 {search.p50_ms} ms, p99 {search.p99_ms} ms"
            check(f"postgresql one-word search req/s{note} (>= 300)", rps, rps >= 300, figures)
    print(
        "\nRotating: each request the next of a case's values (one worker).\n"
        "| case | server | values | req/s | p50 ms | p99 ms |\n|---|---|---:|---:|---:|---:|"
    )
    for r in results:
        print(
            f"| {r.case} | {r.server} | {r.values} | {r.requests_per_second} | {r.p50_ms}"
            f" | {r.p99_ms} |"
        )
    print("\n| target (rotating, 1 worker) | measured | met | figures |\n|---|---:|---|---|")
    for name, target in targets.items():
        met = "-" if target["met"] is None else "met" if target["met"] else "not met"
        print(f"| {name} | {target['measured']} | {met} | {target['figures']} |")
    return targets


if __name__ == "__main__":
    sys.exit(main())
