"""A tiny-corpus run of the benchmark harness, so it cannot rot (nothing is timed here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
VALUES = 40  # the corpus has more of each: 220 speakers, 440 events, 101 pages past 1,000
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
        "--values": str(VALUES),
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

    # The rotating runs: every case on both API runs and Datasette, each with its values.
    for name in ("speakers", "words", "events", "aliases", "deep_pages", "deep_page_ids"):
        assert len(report["cases"][name]) == VALUES, name
        assert len(set(report["cases"][name])) == VALUES, name
    rotating: dict[str, dict[str, int]] = {}
    for row in report["rotating"]:
        rotating.setdefault(row["server"], {})[row["case"]] = row["values"]
        assert row["requests_per_second"] > 0, row
        assert row["requests"] > 0, row
        assert row["errors"] == 0, row
    expected = {case: 1 if case == "keyset page 1" else VALUES for case in CASES}
    assert rotating["newsfacts sqlite (1w)"] == expected
    assert rotating["newsfacts sqlite (1w, uncached)"] == expected
    # Datasette got as many distinct values as the API, the ranked search the words too.
    assert rotating["datasette"] == {**expected, "full-text search, ranked": VALUES}
    targets = report["rotating_targets"]
    assert set(targets) >= {
        "speaker quotations vs datasette, uncached (>= 3x)",
        "full-text search vs datasette, uncached (>= 3x)",
        "page 1000 p50 / page 1 p50, uncached (<= 1.3)",
        "event agenda p99 ms, uncached (< 25)",
    }
    for name, target in targets.items():
        assert target["met"] in (True, False, None), name
        assert target["figures"], name
    assert "| target (rotating, 1 worker) | measured | met | figures |" in result.stdout
