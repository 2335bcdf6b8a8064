"""Accept parsing (app/http/negotiation.py) against RFC 9110 §12.5.1's examples, and the two
choices made with it: JSON or JSON-LD on the detail GETs, HTML or JSON on the pages."""

from __future__ import annotations

import pytest

from app.http.negotiation import choose_media_type, parse_accept, quality
from app.jsonld import Representation, choose_representation
from app.pages.router import prefers_json

# RFC 9110 §12.5.1: "Accept: text/*, text/plain, text/plain;format=flowed, */*" has the
# precedence text/plain;format=flowed, then text/plain, then text/*, then */*.
PRECEDENCE = "text/*;q=0.1, text/plain;q=0.2, text/plain;format=flowed;q=0.3, */*;q=0.05"

# Its weights example, with the values the section gives each type.
WEIGHTS = (
    "text/*;q=0.3, text/plain;q=0.7, text/plain;format=flowed,"
    " text/plain;format=fixed;q=0.4, */*;q=0.5"
)


@pytest.mark.parametrize(
    ("offered", "weight"),
    [
        ("text/plain;format=flowed", 1.0),
        ("text/plain", 0.7),
        ("text/html", 0.3),
        ("image/jpeg", 0.5),
        ("text/plain;format=fixed", 0.4),
        # The section's table says 0.7 here, a leftover of RFC 7231's text/html example: by its
        # own rule the most specific range matching text/html;level=3 is text/*.
        ("text/html;level=3", 0.3),
    ],
)
def test_the_rfc_weights_example(offered: str, weight: float) -> None:
    assert quality(parse_accept(WEIGHTS), offered) == weight


def test_the_more_specific_range_takes_precedence() -> None:
    ranges = parse_accept(PRECEDENCE)
    assert quality(ranges, "text/plain;format=flowed") == 0.3
    assert quality(ranges, "text/plain") == 0.2
    assert quality(ranges, "text/csv") == 0.1
    assert quality(ranges, "image/png") == 0.05
    # Whatever the order the members come in.
    assert quality(parse_accept(", ".join(reversed(PRECEDENCE.split(", ")))), "text/plain") == 0.2


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "text/html"),
        ("", "text/html"),
        ("*/*", "text/html"),
        ("application/json", "application/json"),
        ("text/*;q=0.5, application/json;q=0.6", "application/json"),
        ("text/*, application/json", "text/html"),  # a tie: the server's order
        ("text/html;q=0, */*", "application/json"),  # q=0: not acceptable, */* notwithstanding
        ("*/*;q=0", None),
        ("text/*;q=0, application/*;q=0", None),
        ("image/png", None),
        ("TEXT/HTML;Q=0.2, Application/JSON;q=0.1", "text/html"),
        ("application/json;q=zero, text/html;q=0.5", "application/json"),  # malformed: absent
        ("application/json;q=7, text/html;q=0.9", "application/json"),  # clamped to 1
        ("nonsense, application/json;q=0.1", "application/json"),  # not type/subtype: skipped
        ("nonsense", "text/html"),  # nothing valid: as if there were no Accept
    ],
)
def test_choose_media_type(accept: str | None, chosen: str | None) -> None:
    assert choose_media_type(accept, ["text/html", "application/json"]) == chosen


@pytest.mark.parametrize(
    ("accept", "representation", "json"),
    [
        (None, Representation.JSON, False),
        ("*/*", Representation.JSON, False),
        ("application/*", Representation.JSON, True),
        ("application/ld+json", Representation.JSONLD, False),
        (
            'application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"',
            Representation.JSONLD,
            False,
        ),
        ('application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"', None, False),
        ("text/html;q=0.9, application/json;q=0.8", Representation.JSON, False),
        ("text/*;q=0.1, application/*;q=0.2", Representation.JSON, True),
        ("text/*;q=0.3, text/html;q=0.1, application/json;q=0.2", Representation.JSON, True),
        ("application/json;q=0, */*", Representation.JSONLD, False),
    ],
)
def test_both_choices_read_accept_alike(
    accept: str | None, representation: Representation | None, json: bool
) -> None:
    """The detail GETs and the pages agree on weights and specificity: the more specific
    text/html;q=0.1 overrides text/*;q=0.3, so JSON wins the page."""
    assert choose_representation(accept) is representation
    assert prefers_json(accept) is json
