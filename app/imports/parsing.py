"""Parsing, validating and resolving an imported bundle in a worker process (app.core.workers):
a bundle of a few megabytes takes seconds of pure-Python work (YAML nodes, validation, spans)
that would otherwise slow every other request of the server down."""

from __future__ import annotations

from app.bundles.loader import BundleError, Problem, ResolvedBundle, parse_bundle, resolve_bundle
from app.bundles.sections import BundleKinds
from app.core.workers import run_in_worker

SOURCE = "request body"


def resolve_in_worker(text: str, is_json: bool, kinds: BundleKinds) -> ResolvedBundle:
    """parse_bundle and resolve_bundle, run in a worker process; BundleError as they raise.

    The registry of kinds travels to the worker pickled: its entries name module-level code."""
    outcome = run_in_worker(_resolve, text, is_json, dict(kinds))
    if isinstance(outcome, ResolvedBundle):
        return outcome
    raise BundleError(SOURCE, [Problem(where, message) for where, message in outcome])


def _resolve(
    text: str, is_json: bool, kinds: BundleKinds
) -> ResolvedBundle | list[tuple[str, str]]:
    # Problems travel back as plain pairs (an exception with two arguments does not pickle).
    try:
        document = parse_bundle(text, source=SOURCE, is_json=is_json)
        return resolve_bundle(document, source=SOURCE, kinds=kinds)
    except BundleError as exc:
        return [(problem.where, problem.message) for problem in exc.problems]
