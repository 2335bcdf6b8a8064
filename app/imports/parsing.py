"""Parsing and validating an imported bundle in a worker process (app.core.workers): a bundle
of a few megabytes takes seconds of pure-Python work (YAML nodes, validation) that would
otherwise slow every other request of the server down. Its references and spans are then
resolved in the request's own thread, with the registry of kinds, still outside the lock."""

from __future__ import annotations

from app.bundles.format import BundleDocument
from app.bundles.loader import BundleError, Problem, ResolvedBundle, parse_bundle, resolve_bundle
from app.bundles.sections import BundleKinds
from app.core.workers import run_in_worker

SOURCE = "request body"


def resolve_in_worker(text: str, is_json: bool, kinds: BundleKinds) -> ResolvedBundle:
    """parse_bundle in a worker process, then resolve_bundle; BundleError as they raise."""
    outcome = run_in_worker(_parse, text, is_json)
    if not isinstance(outcome, BundleDocument):
        raise BundleError(SOURCE, [Problem(where, message) for where, message in outcome])
    return resolve_bundle(outcome, source=SOURCE, kinds=kinds)


def _parse(text: str, is_json: bool) -> BundleDocument | list[tuple[str, str]]:
    # Problems travel back as plain pairs (an exception with two arguments does not pickle).
    try:
        return parse_bundle(text, source=SOURCE, is_json=is_json)
    except BundleError as exc:
        return [(problem.where, problem.message) for problem in exc.problems]
