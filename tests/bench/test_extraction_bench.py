"""The extraction benchmark runs end to end (on the seed article, for no time): it cannot rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_extraction_benchmark_runs(tmp_path: Path) -> None:
    # A subprocess: the benchmark pins its process to one CPU.
    result = subprocess.run(
        [sys.executable, "bench/extraction.py", "--seconds", "0", "--data-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "timing the seed article instead" in lines[0]
    rows = {line[:24].strip(): line[24:].split() for line in lines[3:]}
    assert set(rows) == {"engine, in process", "engine, process pool", "POST /v1/extractions"}
    for figures in rows.values():
        assert float(figures[0]) > 0  # articles/s
