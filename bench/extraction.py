"""How fast the quotation extractor drafts articles, on one core: `make bench-extraction`.

Three figures, each over the same articles (PolNeAR dev, read in place from `../shared/`, or the
seed article when the corpus is absent):

- the engine in process (`app.extraction.engine.extract`), the figure the issue's target
  (200 articles/s) is about, also per CPU second (the process's own CPU time, which other load
  on a shared machine does not inflate);
- the engine through the API's worker process pool (`app.extraction.worker`: the text sent to a
  child process and the drafts sent back), what a request pays on top;
- `POST /v1/extractions` in process (Starlette's test client against a scratch SQLite database
  holding the seed), the whole route: parsing, the stored participants, the pool, the answer.

The process is pinned to one CPU first (and the pool's child inherits the pin), so the figures
are one core's. Prints a table; nothing is written to the repository.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the repository's packages come first
    sys.path.insert(0, str(ROOT))

from app.extraction.engine import extract  # noqa: E402
from app.extraction.worker import EnginePool  # noqa: E402


def _eval_module() -> Any:
    spec = importlib.util.spec_from_file_location(
        "eval_extraction", ROOT / "bench" / "eval_extraction.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_extraction"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def articles(data_dir: str | None) -> tuple[str, list[tuple[str, str | None]]]:
    """(what they are, [(text, published)]): PolNeAR dev, else the seed article."""
    path = _eval_module().data_dir(data_dir) / "polnear-dev.json"
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        texts = [(str(a["text"]), a.get("publication_date") or None) for a in data]
        return f"PolNeAR dev ({len(texts)} articles)", texts
    import yaml

    seed = ROOT / "app" / "bundles" / "seed" / "lukashenka-putin-sochi-2018.yaml"
    article = yaml.safe_load(seed.read_text(encoding="utf-8"))["article"]
    print(f"PolNeAR not found at {path}: timing the seed article instead.")
    return "the seed article", [(article["text"], str(article["published"]))]


def pin_to_one_core() -> str:
    """Run on one CPU from now on (children inherit it); say which."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def timed(
    run: Callable[[str, str | None], object],
    texts: Sequence[tuple[str, str | None]],
    seconds: float,
) -> tuple[float, float, list[float]]:
    """Articles per second and per CPU second of this process over whole passes of the texts
    (at least `seconds`), and each article's time in ms."""
    run(*texts[0])  # warm-up: patterns compile, processes start
    durations: list[float] = []
    began, began_cpu = time.perf_counter(), time.process_time()
    while True:
        for text, published in texts:
            start = time.perf_counter()
            run(text, published)
            durations.append((time.perf_counter() - start) * 1000)
        elapsed = time.perf_counter() - began
        if elapsed >= seconds:
            cpu = time.process_time() - began_cpu
            return len(durations) / elapsed, len(durations) / max(cpu, 1e-9), durations


def _api_runner(stack: list[Callable[[], None]]) -> Callable[[str, str | None], object]:
    from fastapi.testclient import TestClient

    from app.bundles.loader import load_bundles, seed_bundle_paths
    from app.core.config import Settings
    from app.core.db import create_db_engine, create_session_factory, migrate
    from app.kinds import KINDS
    from app.main import create_app

    directory = tempfile.TemporaryDirectory()
    stack.append(directory.cleanup)
    url = f"sqlite:///{Path(directory.name) / 'bench.db'}"
    migrate(url)
    engine = create_db_engine(url)
    with create_session_factory(engine)() as session, session.begin():
        load_bundles(session, seed_bundle_paths(), kinds=KINDS)
    engine.dispose()
    settings = Settings(database_url=url, rate_limit_per_minute=0, log_level="error")
    client = TestClient(create_app(settings))
    client.__enter__()
    stack.append(lambda: client.__exit__(None, None, None))

    def post(text: str, published: str | None) -> object:
        body: dict[str, Any] = {"text": text}
        if published:
            body["published"] = published[:10]
        response = client.post("/v1/extractions", json=body)
        if response.status_code != 200:
            raise SystemExit(f"POST /v1/extractions answered {response.status_code}")
        return response

    return post


def main(argv: Sequence[str] | None = None) -> int:
    """Time the three ways and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None, help="where polnear-dev.json lies")
    parser.add_argument("--seconds", type=float, default=5.0, help="least time for each way")
    parser.add_argument("--no-api", action="store_true", help="skip the route's figure")
    args = parser.parse_args(argv)
    what, texts = articles(args.data_dir)
    pinned = pin_to_one_core()
    chars = sum(len(t) for t, _ in texts) / len(texts)
    print(f"{what}, {chars:,.0f} characters an article on average; {pinned}")
    pool = EnginePool(size=1)
    stack: list[Callable[[], None]] = [pool.close]
    ways: list[tuple[str, Callable[[str, str | None], object]]] = [
        ("engine, in process", lambda text, published: extract(text, published=published)),
        ("engine, process pool", lambda text, published: pool.run(text, published, (), 60)),
    ]
    if not args.no_api:
        ways.append(("POST /v1/extractions", _api_runner(stack)))
    print(
        f"{'way':<24} {'articles/s':>10} {'per CPU s':>10} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'max ms':>8}"
    )
    try:
        for name, run in ways:
            speed, cpu_speed, durations = timed(run, texts, args.seconds)
            cuts = statistics.quantiles(durations, n=100) if len(durations) > 1 else durations * 99
            # Only in process is all of the work this process's own CPU time.
            per_cpu = f"{cpu_speed:>10.0f}" if name.endswith("in process") else f"{'-':>10}"
            print(
                f"{name:<24} {speed:>10.0f} {per_cpu} {statistics.median(durations):>8.1f}"
                f" {cuts[98]:>8.1f} {max(durations):>8.1f}"
            )
    finally:
        for close in reversed(stack):
            close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
