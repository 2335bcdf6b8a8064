"""clients/python is what openapi-python-client generates from the committed openapi.json."""

from __future__ import annotations

import json
from pathlib import Path

from app.build import CLIENT_CONFIG_PATH, CLIENT_PATH, OPENAPI_PATH, generate_client

# What a checkout, an editable install, a type check or a lint leave next to the generated files.
LOCAL_STATE = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build", "dist"}


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by its path relative to root, without local state."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
        and not LOCAL_STATE.intersection(path.relative_to(root).parts)
        and not any(part.endswith(".egg-info") for part in path.relative_to(root).parts)
    }


def drift(generated: Path, committed: Path) -> list[str]:
    """The files that differ between a fresh generation and the committed client, sorted."""
    fresh = tree(generated)
    kept = tree(committed)
    kept.pop(CLIENT_CONFIG_PATH.relative_to(CLIENT_PATH).as_posix())  # the generator's input
    return sorted(name for name in fresh.keys() | kept.keys() if fresh.get(name) != kept.get(name))


def test_the_committed_client_is_generated_from_openapi_json(tmp_path: Path) -> None:
    output = tmp_path / "python"
    generate_client(output)
    differences = drift(output, CLIENT_PATH)
    assert not differences, f"run `make client`: clients/python differs in {differences[:20]}"


def test_the_drift_test_sees_a_changed_openapi_json(tmp_path: Path) -> None:
    """An operation renamed and a parameter added, without `make client`, are both drift."""
    document = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    operation = document["paths"]["/v1/quotations/{quotation_id}"]["get"]
    operation["operationId"] = "fetchQuotation"
    listing = document["paths"]["/v1/quotations"]["get"]
    listing["parameters"].append(
        {
            "name": "lang",
            "in": "query",
            "required": False,
            "description": "Only quotations in this language.",
            "schema": {"type": "string"},
        }
    )
    changed = tmp_path / "openapi.json"
    changed.write_text(json.dumps(document), encoding="utf-8")
    output = tmp_path / "python"
    generate_client(output, changed)
    differences = drift(output, CLIENT_PATH)
    assert "newsfacts_client/api/quotations/fetch_quotation.py" in differences
    assert "newsfacts_client/api/quotations/get_quotation.py" in differences
    assert "newsfacts_client/api/quotations/list_quotations.py" in differences
    assert "newsfacts_client/models/quotation_read.py" not in differences
