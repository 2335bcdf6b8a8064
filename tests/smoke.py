"""Smoke run of an installed newsfacts, away from the checkout: migrate, load, serve, GET.

tests/test_wheel.py runs it on a wheel built from this tree; `.ci/run` runs it on the lowest
versions pyproject.toml allows:

    python -m tests.smoke pins            # name==lowest bound, one a line, for pip install -r
    python -m tests.smoke run VENV_PYTHON # build the wheel, install it there, smoke-test it
                                          # (PostgreSQL too when NEWSFACTS_TEST_DATABASE_URL is set)

It runs in the checkout's virtualenv and drives the one under test only through its `newsfacts`
script, so that one needs nothing but what the project declares.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

from packaging.requirements import Requirement

from tests.live import PORT, serving

ROOT = Path(__file__).resolve().parents[1]
# What a wheel is built from; everything else of the checkout stays out of the build.
SOURCES = ("app", "migrations", "pyproject.toml", "setup.py", "README.md")
ARTICLE = "lukashenka-putin-sochi-2018"
MEETING = "lukashenka-putin-meeting-2018"
READY_WITHIN_S = 90  # a busy machine starts a server slowly; a quiet one takes about a second


def lowest_pins(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """Each runtime dependency pinned to its lower bound; a dependency without one is an error."""
    dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = []
    for line in dependencies:
        requirement = Requirement(line)
        bounds = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if len(bounds) != 1:
            raise ValueError(f"{line!r}: every dependency needs one `>=` lower bound")
        extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
        pins.append(f"{requirement.name}{extras}=={bounds[0]}")
    return pins


def build_wheel(directory: Path, python: str = sys.executable) -> Path:
    """Build the project's wheel into directory, from a copy of the sources (the checkout gets
    no build/ or *.egg-info, so runs side by side do not share a build folder)."""
    source = directory / "source"
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            source.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, source / name)
    dist = directory / "dist"
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "--quiet",
            "--wheel-dir",
            str(dist),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = dist.glob("newsfacts-*.whl")
    return wheel


def install_wheel(wheel: Path, venv_python: Path) -> None:
    """Install the wheel (and nothing else) into the virtualenv of venv_python."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv_python),
            "install",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            "--quiet",
            str(wheel),
        ],
        check=True,
        timeout=300,
    )


def _environment(database_url: str) -> dict[str, str]:
    """The caller's environment without this project's settings or import paths."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("NEWSFACTS_") and key not in ("PYTHONPATH", "PYTHONHOME")
    }
    return {**env, "NEWSFACTS_DATABASE_URL": database_url, "NEWSFACTS_LOG_LEVEL": "warning"}


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def smoke(newsfacts: Path, database_url: str, cwd: Path) -> list[str]:
    """migrate, load, serve, and a few GETs, with the newsfacts script given; returns a log."""
    env = _environment(database_url)
    log = []
    for command in (["migrate"], ["load"]):
        result = subprocess.run(
            [str(newsfacts), *command],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, f"newsfacts {command[0]}:\n{result.stdout}{result.stderr}"
        log.append(f"newsfacts {command[0]}: ok")
    assert "quotation: 14 created" in result.stdout, result.stdout
    command = [str(newsfacts), "serve", "--no-seed", "--host", "127.0.0.1", "--port", PORT]
    with serving(command, env, cwd, ready_within_s=READY_WITHIN_S) as (base, _):
        for path, expect in (
            ("/healthz", b'"ok"'),
            ("/readyz", b'"ready"'),
            (f"/v1/events/{MEETING}/agenda", b'"items"'),
            (f"/v1/articles/{ARTICLE}", ARTICLE.encode()),
            (f"/articles/{ARTICLE}", b"<html"),  # templates and static files travel too
            ("/docs", b"swagger"),
        ):
            status, body = _get(base + path)
            assert status == 200, f"GET {path}: {status} {body[:500]!r}"
            assert expect in body, f"GET {path}: no {expect!r} in {body[:500]!r}"
            log.append(f"GET {path}: {status}")
        agenda = json.loads(_get(f"{base}/v1/events/{MEETING}/agenda")[1])
        assert agenda["items"], agenda
    return log


def main(argv: list[str]) -> int:
    """`pins`, or `run VENV_PYTHON`: on SQLite, and on PostgreSQL too when
    NEWSFACTS_TEST_DATABASE_URL is set (a scratch database there, dropped afterwards)."""
    if argv[:1] == ["pins"]:
        print("\n".join(lowest_pins()))
        return 0
    if len(argv) != 2 or argv[0] != "run":
        print(__doc__, file=sys.stderr)
        return 2
    from tests.databases import ScratchDatabases, backends

    venv_python = Path(argv[1]).absolute()
    with tempfile.TemporaryDirectory(prefix="newsfacts-smoke-") as scratch:
        directory = Path(scratch)
        install_wheel(build_wheel(directory), venv_python)
        databases = ScratchDatabases(directory)
        try:
            for backend in backends():
                print(f"smoke run on {backend}", flush=True)
                url = databases.create(backend)
                for line in smoke(venv_python.parent / "newsfacts", url, directory):
                    print(f"  {line}", flush=True)
        finally:
            databases.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
