"""Build steps that write files from the app: openapi.json and the OpenAPI examples.

`make openapi` and `make examples` run them; tests fail when either file drifts from the app.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.bundles.loader import load_bundles, seed_bundle_paths
from app.core.config import Settings
from app.core.db import create_db_engine, create_session_factory, migrate
from app.kinds import KINDS
from app.main import create_app
from app.openapi_examples import EXAMPLE_REQUESTS, EXAMPLES_PATH, example_from_response

# The committed document, in the repository root.
OPENAPI_PATH = Path(__file__).resolve().parent.parent / "openapi.json"


def render_document() -> str:
    """The OpenAPI document of `create_app()` with the default settings (whatever the
    environment says), as openapi.json holds it: sorted keys, indent 2, a final newline."""
    app = create_app(Settings.model_construct())  # defaults only: no environment, no .env
    try:
        document = app.openapi()
    finally:
        app.state.engine.dispose()
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_openapi() -> None:
    """Write openapi.json (`make openapi`)."""
    OPENAPI_PATH.write_text(render_document(), encoding="utf-8", newline="\n")
    print(f"wrote {OPENAPI_PATH.name}")


def write_examples() -> None:
    """Request every example from the API serving the seed (a temporary SQLite database) and
    write the examples file (`make examples`)."""
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/examples.db"
        migrate(url)
        engine = create_db_engine(url)
        with create_session_factory(engine)() as session, session.begin():
            load_bundles(session, seed_bundle_paths(), kinds=KINDS)
        engine.dispose()
        with TestClient(create_app(Settings(database_url=url))) as client:

            def get(path: str) -> dict[str, Any]:
                response = client.get(path)
                response.raise_for_status()
                body: dict[str, Any] = response.json()
                return body

            examples = {
                operation_id: example_from_response(operation_id, get(path))
                for operation_id, path in EXAMPLE_REQUESTS.items()
            }
    EXAMPLES_PATH.write_text(
        json.dumps(examples, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {EXAMPLES_PATH.name}")


STEPS = {"openapi": write_openapi, "examples": write_examples}


def main(argv: list[str] | None = None) -> None:
    """`python -m app.build openapi|examples`."""
    names = argv if argv is not None else sys.argv[1:]
    if not names or any(name not in STEPS for name in names):
        sys.exit(f"usage: python -m app.build {{{'|'.join(STEPS)}}} ...")
    for name in names:
        STEPS[name]()


if __name__ == "__main__":
    main()
