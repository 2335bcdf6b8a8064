"""Run `alembic upgrade head` and `alembic check` on scratch databases of each backend."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.databases import ScratchDatabases, backends


def main() -> int:
    """Upgrade and check a fresh database per backend with the alembic command itself."""
    with tempfile.TemporaryDirectory() as directory:
        databases = ScratchDatabases(Path(directory))
        try:
            for backend in backends():
                url = databases.create(backend)
                env = {"NEWSFACTS_DATABASE_URL": url}
                for args in (["upgrade", "head"], ["check"]):
                    print(f"{backend}: alembic {' '.join(args)}", flush=True)
                    subprocess.run(
                        [sys.executable, "-m", "alembic", "-c", "alembic.ini", *args],
                        check=True,
                        env={**os.environ, **env},
                    )
        finally:
            databases.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
