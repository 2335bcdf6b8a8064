"""Property-based tests: span resolution, the fixture loader's validation, partial dates.

(Cursor properties live in tests/core/test_pagination.py.)
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.bundles.loader import (
    BundleError,
    ResolvedBundle,
    parse_bundle,
    resolve_bundle,
    seed_bundle_paths,
    validate_bundle,
)
from app.core.dates import DatePrecision, PartialDate, format_partial_date, parse_partial_date
from app.core.spans import Span, SpanError, find_occurrences, occurrence_of, resolve_span
from app.kinds import KINDS

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- span resolution ----------------------------------------------------------------------------

# A small alphabet makes repeated needles common; the rest exercises code points beyond BMP,
# combining marks and line breaks (offsets count code points, not bytes or UTF-16 units).
small_text = st.text(alphabet="ab ", max_size=40)
any_text = st.text(
    alphabet=st.one_of(
        st.sampled_from("ab \n\t"),
        st.sampled_from(["é", "e", "\u0301", "😀", "\U00010348", "’", "\u200d", "ß"]),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=60,
)
texts = st.one_of(small_text, any_text)


@st.composite
def text_and_needle(draw: st.DrawFn) -> tuple[str, str]:
    """A text and a non-empty piece of it."""
    text = draw(texts.filter(bool))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, text[start:end]


@FAST
@given(text_and_needle(), st.data())
def test_a_resolved_span_covers_exactly_the_needle(
    case: tuple[str, str], data: st.DataObject
) -> None:
    text, needle = case
    count = len(find_occurrences(text, needle))
    assert count >= 1
    occurrence = (
        data.draw(st.integers(1, count)) if count > 1 else data.draw(st.sampled_from([None, 1]))
    )
    span = resolve_span(text, needle, occurrence)
    assert text[span.start : span.end] == needle
    assert span.end - span.start == len(needle)
    # occurrence_of inverts it: None for a unique text, else the occurrence that was asked for.
    assert occurrence_of(text, span) == (None if count == 1 else occurrence)
    assert resolve_span(text, needle, occurrence_of(text, span)) == span


@FAST
@given(texts, st.data())
def test_every_occurrence_is_found_in_order_and_overlaps_count(
    text: str, data: st.DataObject
) -> None:
    needle = data.draw(st.text(alphabet=sorted(set(text)) or "a", min_size=1, max_size=3))
    expected = [i for i in range(len(text)) if text.startswith(needle, i)]
    assert find_occurrences(text, needle) == expected
    for number, start in enumerate(expected, 1):
        assert resolve_span(text, needle, number if len(expected) > 1 else None) == Span(
            start, start + len(needle)
        )


@FAST
@given(texts, st.text(min_size=1, max_size=10), st.one_of(st.none(), st.integers(-3, 10)))
def test_a_needle_not_in_the_text_is_a_span_error(
    text: str, needle: str, occurrence: int | None
) -> None:
    if needle in text:
        text = text.replace(needle, "")
    if needle in text:  # removing it made it again ("aab" without "ab" is "ab")
        return
    with pytest.raises(SpanError, match="not found"):
        resolve_span(text, needle, occurrence)


@FAST
@given(text_and_needle())
def test_an_ambiguous_needle_without_an_occurrence_is_a_span_error(case: tuple[str, str]) -> None:
    text, needle = case
    doubled = text + needle  # at least two occurrences now
    count = len(find_occurrences(doubled, needle))
    assert count >= 2
    with pytest.raises(SpanError, match=f"occurs {count} times"):
        resolve_span(doubled, needle)


@FAST
@given(text_and_needle(), st.integers(1, 1000))
def test_an_occurrence_past_the_last_is_a_span_error(case: tuple[str, str], beyond: int) -> None:
    text, needle = case
    count = len(find_occurrences(text, needle))
    with pytest.raises(SpanError, match=f"occurs only {count} time"):
        resolve_span(text, needle, count + beyond)


@FAST
@given(text_and_needle(), st.integers(-1000, 0))
def test_an_occurrence_below_one_is_a_span_error(case: tuple[str, str], occurrence: int) -> None:
    text, needle = case
    with pytest.raises(SpanError):
        resolve_span(text, needle, occurrence)


@FAST
@given(texts, st.one_of(st.none(), st.integers(-3, 3)))
def test_an_empty_needle_is_a_span_error(text: str, occurrence: int | None) -> None:
    with pytest.raises(SpanError, match="empty"):
        resolve_span(text, "", occurrence)


# --- the fixture loader's validation ------------------------------------------------------------

SEED_PATH = next(p for p in seed_bundle_paths() if p.name == "lukashenka-putin-sochi-2018.yaml")
SEED_TEXT = SEED_PATH.read_text(encoding="utf-8")
SEED: dict[str, Any] = yaml.safe_load(SEED_TEXT)
ARTICLE_TEXT: str = SEED["article"]["text"]

Path = tuple[Any, ...]


def _paths(node: Any, prefix: Path = ()) -> list[Path]:
    """Every path into the seed document (mapping keys and list indexes), the root excluded."""
    found: list[Path] = []
    items: Any = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, value in items:
        found.append((*prefix, key))
        found.extend(_paths(value, (*prefix, key)))
    return found


ALL_PATHS = _paths(SEED)
MAPPING_KEY_PATHS = [p for p in ALL_PATHS if isinstance(p[-1], str)]
ID_NAMES = {"id", "speaker", "event", "audience", "affiliation", "participant"}
ID_PATHS = [
    p
    for p in ALL_PATHS
    if (isinstance(p[-1], str) and p[-1] in ID_NAMES)
    or (len(p) >= 2 and p[-2] == "issues" and isinstance(p[-1], int))
]
ENUM_NAMES = {"kind", "status", "category", "role", "language"}
ENUM_PATHS = [p for p in ALL_PATHS if isinstance(p[-1], str) and p[-1] in ENUM_NAMES]
DATE_PATHS = [
    p for p in ALL_PATHS if isinstance(p[-1], str) and p[-1] in {"published", "date", "said_on"}
]
SPAN_PATHS = [
    p
    for p in ALL_PATHS
    if (len(p) >= 2 and p[-2] == "evidence")
    or (len(p) >= 3 and p[-3] == "evidence" and p[-1] == "text")
    or (len(p) == 3 and p[0] == "quotations" and p[-1] == "text")
]
DESCRIPTION_PATHS = [
    p for p in ALL_PATHS if isinstance(p[-1], str) and p[-1] in {"description", "summary"}
]
TITLE_PATHS = [p for p in ALL_PATHS if isinstance(p[-1], str) and p[-1] in {"title", "name"}]

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.dates(),
        st.datetimes(),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


def _get(data: Any, path: Path) -> Any:
    for step in path:
        data = data[step]
    return data


def _set(data: Any, path: Path, value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


def _delete(data: Any, path: Path) -> None:
    del _get(data, path[:-1])[path[-1]]


Mutation = tuple[str, Callable[[Any], None]]


@st.composite
def mutations(draw: st.DrawFn) -> Mutation:
    """A random corruption of the seed document: what it is, and a function applying it."""
    kind = draw(
        st.sampled_from(["drop", "retype", "span", "id", "enum", "date", "sha", "add", "shape"])
    )
    if kind == "drop":
        path = draw(st.sampled_from(MAPPING_KEY_PATHS))
        return f"drop {path}", lambda d: _delete(d, path)
    if kind == "retype":
        path = draw(st.sampled_from(ALL_PATHS))
        value = draw(json_values)
        return f"set {path} = {value!r}", lambda d: _set(d, path, value)
    if kind == "span":
        path = draw(st.sampled_from(SPAN_PATHS))
        start = draw(st.integers(0, len(ARTICLE_TEXT) - 1))
        piece = ARTICLE_TEXT[start : start + draw(st.integers(0, 40))]
        value = draw(st.one_of(st.just(piece), st.text(max_size=30), st.just(piece + "x")))
        return f"span {path} = {value!r}", lambda d: _set(d, path, value)
    if kind == "id":
        path = draw(st.sampled_from(ID_PATHS))
        value = draw(
            st.one_of(
                st.text(max_size=30),
                st.from_regex(r"\A[a-z0-9]+(-[a-z0-9]+)*\Z"),
                st.sampled_from(["belarus", "russia", "vladimir-putin", "csto"]),
            )
        )
        return f"id {path} = {value!r}", lambda d: _set(d, path, value)
    if kind == "enum":
        path = draw(st.sampled_from(ENUM_PATHS))
        value = draw(st.one_of(st.text(max_size=15), st.sampled_from(["HELD", "person ", ""])))
        return f"enum {path} = {value!r}", lambda d: _set(d, path, value)
    if kind == "date":
        path = draw(st.sampled_from(DATE_PATHS))
        value = draw(
            st.one_of(
                st.dates(),
                st.integers(-100, 100_000),
                st.text(max_size=12),
                st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z"),
            )
        )
        return f"date {path} = {value!r}", lambda d: _set(d, path, value)
    if kind == "sha":
        value = draw(st.one_of(st.text(max_size=70), st.from_regex(r"\A[0-9a-f]{64}\Z")))
        return f"sha = {value!r}", lambda d: _set(d, ("article", "content_sha256"), value)
    if kind == "add":
        path = draw(st.sampled_from([(), *(p for p in ALL_PATHS if isinstance(p[-1], int))]))
        key = draw(st.text(max_size=10))
        return (
            f"add {key!r} under {path}",
            lambda d: (
                _get(d, path).__setitem__(key, 1) if isinstance(_get(d, path), dict) else None
            ),
        )
    # shape: duplicate a fact (duplicate ids), or empty a collection
    collection = draw(st.sampled_from(["participants", "events", "issues", "quotations"]))
    index = draw(st.integers(0, len(SEED[collection]) - 1))
    if draw(st.booleans()):
        return f"duplicate {collection}[{index}]", lambda d: d[collection].append(
            copy.deepcopy(d[collection][index])
        )
    return f"empty {collection}", lambda d: d[collection].clear()


def load(data: Any) -> ResolvedBundle:
    """What `newsfacts load` and POST /v1/imports do with parsed data."""
    return resolve_bundle(validate_bundle(data, source="mutated"), source="mutated", kinds=KINDS)


def refusal(action: Callable[[], Any]) -> BundleError | None:
    """The BundleError action raises, or None if it succeeds (any other error propagates)."""
    try:
        action()
    except BundleError as exc:
        return exc
    return None


def assert_only_bundle_errors(data: Any) -> None:
    refused = refusal(lambda: load(data))
    if refused is None:
        return
    assert refused.problems, "a refused bundle names at least one problem"
    for problem in refused.problems:
        assert isinstance(problem.message, str)
        assert problem.message.strip()
        assert str(problem) in str(refused)


def test_the_seed_loads() -> None:
    bundle = load(copy.deepcopy(SEED))
    assert bundle.spans


@pytest.mark.parametrize(
    ("path", "value", "where", "message"),
    [
        (("article", "title"), None, "article.title", "valid string"),
        (("quotations", 0, "speaker"), "nobody", "quotations[0]", "unknown participant id"),
        (("events", 0, "status"), "HELD", "events[0]", "Input should be"),
        (("participants", 0, "evidence", 0), "not in the text at all", "evidence[0]", "not found"),
        (("quotations", 0, "said_on"), "2018-02-30", "said_on", "not a valid date"),
        (("issues", 0, "agenda", 0, "event"), "no-such-event", "agenda[0]", "unknown event id"),
    ],
)
def test_a_named_mutation_names_its_problem(
    path: Path, value: Any, where: str, message: str
) -> None:
    """The mutation properties are not vacuous: each kind of corruption is refused, and the
    problem says where and what."""
    data = copy.deepcopy(SEED)
    _set(data, path, value)
    refused = refusal(lambda: load(data))
    assert refused is not None
    assert any(where in p.where and message in p.message for p in refused.problems), [
        str(p) for p in refused.problems
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutations(), min_size=1, max_size=3))
def test_a_mutated_bundle_raises_nothing_but_fixture_error(changes: list[Mutation]) -> None:
    """Any corruption (a dropped field, a wrong type, a span not in the text, an unknown id, a
    bad enum or date, a duplicate) is a BundleError naming its problems, never a crash."""
    data = copy.deepcopy(SEED)
    for _, apply in changes:
        with contextlib.suppress(KeyError, IndexError, TypeError):
            apply(data)  # (unless an earlier change removed what this one would touch)
    assert_only_bundle_errors(data)


@FAST
@given(
    st.lists(mutations(), min_size=1, max_size=2),
)
def test_a_mutated_bundle_parsed_from_json_raises_nothing_but_fixture_error(
    changes: list[Mutation],
) -> None:
    """The same through text: dumped as JSON, then read back by parse_bundle (as the import
    endpoint does with a JSON body)."""
    data = copy.deepcopy(SEED)
    for _, apply in changes:
        with contextlib.suppress(KeyError, IndexError, TypeError):
            apply(data)
    text = json.dumps(data, default=str, ensure_ascii=False)
    refused = refusal(
        lambda: resolve_bundle(
            parse_bundle(text, source="mutated", is_json=True), source="mutated", kinds=KINDS
        )
    )
    assert refused is None or refused.problems


@FAST
@given(st.text(max_size=300), st.booleans())
@example("[" * 1000 + "]" * 1000, True)
@example("[" * 1000 + "]" * 1000, False)
@example('{"a":' * 1000 + "1" + "}" * 1000, True)
@example("{a: " * 1000 + "1" + "}" * 1000, False)
@example('{"version": ' + "9" * 5000 + "}", True)
@example("version: " + "9" * 5000, False)
@example("a: &a [*a]", False)
@example("!!python/object/apply:os.system ['true']", False)
def test_any_text_parses_to_a_bundle_or_a_fixture_error(text: str, is_json: bool) -> None:
    """Random text, deep nesting, huge numbers, YAML tags: a BundleError naming the problem."""
    refused = refusal(lambda: parse_bundle(text, source="text", is_json=is_json))
    assert refused is None or refused.problems


one_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60
).filter(lambda s: s.strip() == s and s)
multi_line = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cc", "Cs")), st.sampled_from(["\n", "\t"])
    ),
    min_size=1,
    max_size=200,
).filter(lambda s: s.strip() == s and s)


@FAST
@given(st.sampled_from(DESCRIPTION_PATHS), multi_line, st.sampled_from(TITLE_PATHS), one_line)
def test_a_valid_change_of_descriptions_and_titles_resolves(
    description_path: Path, description: str, title_path: Path, title: str
) -> None:
    """Changing a description, summary, title or name to any valid text still loads."""
    data = copy.deepcopy(SEED)
    _set(data, description_path, description)
    if title_path[0] != "article":  # the article's title is not in its checksum, but keep it
        _set(data, title_path, title)
    bundle = load(data)
    assert _get(bundle.document.model_dump(), description_path) == description


@FAST
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30))
def test_a_changed_article_text_with_the_old_checksum_is_refused(extra: str) -> None:
    data = copy.deepcopy(SEED)
    data["article"]["text"] = ARTICLE_TEXT + extra
    with pytest.raises(BundleError) as refused:
        load(data)
    assert any(p.where == "article.content_sha256" for p in refused.value.problems)


# --- partial dates ------------------------------------------------------------------------------

all_dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


def _period_start(value: dt.date, precision: DatePrecision) -> dt.date:
    if precision is DatePrecision.DAY:
        return value
    if precision is DatePrecision.MONTH:
        return value.replace(day=1)
    return value.replace(month=1, day=1)


@settings(max_examples=150, deadline=None)
@given(all_dates, st.sampled_from(list(DatePrecision)))
def test_a_partial_date_round_trips_through_its_text(
    value: dt.date, precision: DatePrecision
) -> None:
    text = format_partial_date(value, precision)
    parsed = parse_partial_date(text)
    assert parsed == PartialDate(_period_start(value, precision), precision)
    assert str(parsed) == text
    assert format_partial_date(parsed.value, parsed.precision) == text
    assert len(text) == {"day": 10, "month": 7, "year": 4}[precision.value]


@FAST
@given(st.text(max_size=20))
@example("2018-02-30")
@example("2018\n")
@example("２０１８")
@example("0000")
@example("2018-5-1")
def test_any_text_is_a_partial_date_or_a_value_error(text: str) -> None:
    try:
        parsed = parse_partial_date(text)
    except ValueError:
        return
    assert format_partial_date(parsed.value, parsed.precision) == text
