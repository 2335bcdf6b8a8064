"""The wheel on its own: installed in a fresh virtualenv away from the checkout, it migrates,
loads its seed bundle and serves it (the migrations, the seed and the templates travel with it).

The fresh virtualenv gets the wheel and nothing else; it sees the dependencies of the running
one through a .pth line (a plain path: the running one's editable `app` is not on it), so no
index is needed. `.ci/run` does the same on the lowest versions pyproject.toml allows.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.databases import ScratchDatabases
from tests.smoke import ROOT, build_wheel, install_wheel, smoke

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv holding the project's wheel; returns its bin directory."""
    directory = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(directory)
    venv = directory / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    (python,) = venv.glob("bin/python3.*")
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dependencies = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(site) / "dependencies.pth").write_text("\n".join(sorted(dependencies)) + "\n")
    install_wheel(wheel, python)
    return venv / "bin"


def test_the_wheel_carries_the_migrations_the_seed_and_the_pages(wheel_venv: Path) -> None:
    shown = subprocess.run(
        [
            str(wheel_venv / "python"),
            "-c",
            "import app, app.core.db as db, app.bundles.loader as b;"
            "print(app.__file__, db.MIGRATIONS_DIR, len(b.seed_bundle_paths()), sep='\\n')",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=wheel_venv,
    )
    package, migrations, seeds = shown.stdout.splitlines()
    installed = wheel_venv.parent
    assert Path(package).is_relative_to(installed), package
    assert not Path(package).is_relative_to(ROOT)
    assert Path(migrations) == Path(package).parent / "migrations"
    assert sorted(p.name for p in Path(migrations, "versions").glob("*.py")) == sorted(
        p.name for p in (ROOT / "migrations" / "versions").glob("*.py")
    )
    assert int(seeds) >= 1


def test_python_m_app_runs_the_command_line(wheel_venv: Path) -> None:
    shown = subprocess.run(
        [str(wheel_venv / "python"), "-m", "app", "--help"],
        capture_output=True,
        text=True,
        check=False,
        cwd=wheel_venv,
    )
    assert shown.returncode == 0, shown.stderr
    for command in ("migrate", "load", "serve"):
        assert command in shown.stdout


def test_the_installed_wheel_migrates_loads_and_serves_the_seed(
    wheel_venv: Path, backend: str, scratch_databases: ScratchDatabases, tmp_path: Path
) -> None:
    log = smoke(wheel_venv / "newsfacts", scratch_databases.create(backend), tmp_path)
    assert "GET /healthz: 200" in log
