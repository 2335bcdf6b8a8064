"""A tiny-corpus run of the benchmark harness, so it cannot rot (nothing is timed here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CASES = {
    "speaker quotations",
    "full-text search",
    "keyset page 1",
    "keyset page 1000",
    "event agenda",
    "alias search",
}


def test_the_harness_runs_end_to_end(tmp_path: Path) -> None:
    # 2,200 articles give 22,000 quotations: enough for page 1,000 at 20 a page.
    options = {
        "--articles": "2200",
        "--duration": "0.3",
        "--connections": "2",
        "--workers": "1",
        "--generator": "python",
        "--data": str(tmp_path / "data"),
        "--out": str(tmp_path / "out"),
    }
    arguments = [part for option in options.items() for part in option]
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), *arguments],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((tmp_path / "out" / "bench-2200.json").read_text())
    by_server: dict[str, set[str]] = {}
    for row in report["results"]:
        by_server.setdefault(row["server"], set()).add(row["case"])
        assert row["requests_per_second"] > 0, row
        assert row["errors"] == 0, row
    assert by_server["newsfacts sqlite (1w)"] == CASES
    assert by_server["newsfacts sqlite (1w, uncached)"] == CASES
    assert by_server["datasette"] == CASES | {"full-text search, ranked"}
    assert set(report["targets"]) >= {
        "worker resident MB (< 200)",
        "speaker quotations vs datasette (>= 3x)",
        "speaker quotations vs datasette (>= 3x), uncached",
        "full-text search vs datasette ranking too, uncached",
    }
    assert "| target | measured |" in result.stdout
