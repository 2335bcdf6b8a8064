"""Build steps that write files from the app: openapi.json, the OpenAPI examples, the client.

`make openapi`, `make examples` and `make client` run them; tests fail when any drifts.
"""

from __future__ import annotations

import json
import shlex
import shutil
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
# The generated Python client, and the generator's settings file kept in it.
CLIENT_PATH = OPENAPI_PATH.parent / "clients" / "python"
CLIENT_CONFIG_PATH = CLIENT_PATH / "config.yaml"


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


def generate_client(output: Path, document: Path = OPENAPI_PATH) -> list[str]:
    """Generate the Python client package from document into output (openapi-python-client);
    returns the generator's warnings (what it left out)."""
    # Development tools, not dependencies of the app: imported only when a client is built.
    from openapi_python_client import generate
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser.errors import ErrorLevel

    # The locked ruff formats the output, found whether or not the venv is on PATH, and
    # without a cache left in the output.
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        sys.exit("ruff is needed to format the generated client: run `make install`")
    config = Config.from_sources(
        ConfigFile.load_from_path(CLIENT_CONFIG_PATH),
        MetaType.SETUP,
        document,
        "utf-8",
        overwrite=True,
        output_path=output,
    )
    command = shlex.quote(ruff)
    config.post_hooks = [
        f"{command} check --fix-only --no-cache .",
        f"{command} format --no-cache .",
    ]
    problems = generate(config=config)
    errors = [f"{p.header}: {p.detail}" for p in problems if p.level is ErrorLevel.ERROR]
    if errors:
        sys.exit("\n".join(errors))
    # A warning's first line says what was left out; the rest is the schema it was left from.
    return [f"{p.header}: {(p.detail or '').partition(chr(10))[0]}" for p in problems]


def write_client() -> None:
    """Regenerate clients/python from openapi.json (`make client`)."""
    for warning in generate_client(CLIENT_PATH):
        print(f"warning: {warning}", file=sys.stderr)
    print(f"wrote {CLIENT_PATH.relative_to(OPENAPI_PATH.parent)}")


STEPS = {"openapi": write_openapi, "examples": write_examples, "client": write_client}


def main(argv: list[str] | None = None) -> None:
    """`python -m app.build openapi|examples|client`."""
    names = argv if argv is not None else sys.argv[1:]
    if not names or any(name not in STEPS for name in names):
        sys.exit(f"usage: python -m app.build {{{'|'.join(STEPS)}}} ...")
    for name in names:
        STEPS[name]()


if __name__ == "__main__":
    main()
