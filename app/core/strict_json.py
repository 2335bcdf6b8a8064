"""JSON and YAML parsing that refuses an object naming the same key twice.

Parsers disagree on which of two equal keys wins (a proxy may check the first, the API store
the last), so such a document is ambiguous and refused rather than resolved.
"""

from __future__ import annotations

import json
from typing import Any

import yaml


class DuplicateKeyError(ValueError):
    """An object (mapping) names a key twice."""

    def __init__(self, key: object) -> None:
        super().__init__(f"the key {key!r} appears twice in one object")
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise DuplicateKeyError(key)
        found[key] = value
    return found


def loads_json(text: str | bytes) -> Any:
    """json.loads, refusing duplicate keys (DuplicateKeyError, a ValueError)."""
    return json.loads(text, object_pairs_hook=_pairs)


# libyaml's parser when PyYAML was built with it (the wheels are): many times faster.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):  # type: ignore[misc]
    """PyYAML's safe loader, refusing duplicate mapping keys."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:  # an unhashable key: construct_mapping refuses it below
            continue
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice in one mapping", node.start_mark
            )
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def loads_yaml(text: str) -> Any:
    """yaml.safe_load, refusing duplicate mapping keys (a yaml.YAMLError)."""
    # A SafeLoader subclass: it builds plain data only.
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506  # nosec B506
