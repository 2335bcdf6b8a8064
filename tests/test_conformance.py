"""Schemathesis, every check, against a live server: zero failures, on each backend."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.auth.service import Scope, create_key
from app.core.db import create_db_engine
from tests.databases import ScratchDatabases
from tests.live import live_server

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
MAX_EXAMPLES = os.environ.get("NEWSFACTS_SCHEMATHESIS_EXAMPLES", "20")


def test_schemathesis_finds_no_failure(
    backend: str, scratch_databases: ScratchDatabases, tmp_path: Path
) -> None:
    url = scratch_databases.create(backend)
    with live_server(url, env={"NEWSFACTS_RATE_LIMIT_PER_MINUTE": "0"}) as base:
        engine = create_db_engine(url)
        with Session(engine) as session, session.begin():
            _, key = create_key(session, "schemathesis", [Scope.WRITE])
        engine.dispose()
        har = tmp_path / "requests.har"
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("st")),
                "run",
                f"{base}/openapi.json",
                "--checks",
                "all",
                "--mode",
                "all",
                "--max-examples",
                MAX_EXAMPLES,
                "--seed",
                "20181405",
                "--header",
                f"Authorization: Bearer {key}",
                "--report",
                "har",
                "--report-har-path",
                str(har),
                "--no-color",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=3600,  # a guard against a hang, not a speed limit (a busy machine is slow)
            check=False,
        )
    entries = json.loads(har.read_text())["log"]["entries"] if har.exists() else []
    requests = len(entries)
    # A POST that writes nothing (an extraction) is exercised like every other operation.
    extractions = [e for e in entries if e["request"]["url"].endswith("/v1/extractions")]
    summary = f"schemathesis on {backend}: {requests} requests"
    print(summary)
    results = ROOT / "test-results"
    results.mkdir(exist_ok=True)
    # Written aside then renamed over: a run beside this one may write the same report at once.
    with tempfile.NamedTemporaryFile("w", dir=results, suffix=".tmp", delete=False) as aside:
        aside.write(f"{summary}\n\n{result.stdout}")
    os.replace(aside.name, results / f"schemathesis-{backend}.txt")
    assert result.returncode == 0, result.stdout[-20_000:]
    assert requests > 500
    assert len(extractions) > 20
    assert {e["response"]["status"] for e in extractions} >= {200, 422}
