"""The annotated article page without a browser: its text, its spans, its facts, its agenda."""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.article import Article
from app.models.evidence import EvidenceSpan
from app.models.participant import Participant, ParticipantKind
from app.pages.highlight import Highlight, highlight_pieces, plain_text
from app.pages.router import prefers_json
from tests.api import assert_problem
from tests.pages.html import scan_page, spans_of

SEED = "lukashenka-putin-sochi-2018"


def expected_spans(session: Session, article_id: str) -> Counter[tuple[int, int, str, str]]:
    """(start, end, kind, tooltip id) of every evidence span of the article, from the database."""
    spans = session.scalars(select(EvidenceSpan).where(EvidenceSpan.article_id == article_id))
    found: Counter[tuple[int, int, str, str]] = Counter()
    for span in spans:
        kind, fact_id = span.fact
        found[span.start, span.end, kind.value, f"tip-{kind.value}-{fact_id}"] += 1
    return found


def test_the_seed_page_shows_the_verbatim_text_with_every_span(
    client: TestClient, session: Session
) -> None:
    response = client.get(f"/articles/{SEED}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    article = client.get(f"/v1/articles/{SEED}").json()
    scan = scan_page(response.text)
    # The visible text, tags stripped, is the article's text exactly.
    assert scan.text == article["text"]
    spans = spans_of(scan)
    assert Counter(spans.values()) == expected_spans(session, SEED)
    assert {kind for _, _, kind, _ in spans.values()} == {
        "quotation",
        "event",
        "participant",
        "issue",
    }
    # Every span is described by a tooltip that names its fact and its JSON resource.
    for _, _, kind, tip in spans.values():
        fact_id = tip.removeprefix(f"tip-{kind}-")
        assert f"/v1/{kind}s/{fact_id}" in scan.tips[tip]
    # ... and the fact list links to that resource.
    hrefs = {attrs.get("href") for tag, attrs in scan.elements if tag == "a"}
    for _, _, kind, tip in spans.values():
        assert f"/v1/{kind}s/{tip.removeprefix(f'tip-{kind}-')}" in hrefs


def test_quotations_are_coloured_by_speaker(client: TestClient) -> None:
    scan = scan_page(client.get(f"/articles/{SEED}").text)
    by_tip: dict[str, set[str]] = {}
    for piece in scan.marks:
        colours = {c for c in piece.classes if c.startswith("q") and c[1:].isdigit()}
        by_tip.setdefault(piece.attrs["data-tip"] or "", set()).update(colours)
    press = by_tip["tip-quotation-press-service-sochi-announcement"]
    lukashenka = by_tip["tip-quotation-lukashenka-main-outpost"]
    assert len(press) == 1
    assert len(lukashenka) == 1
    assert press != lukashenka
    assert by_tip["tip-event-lukashenka-putin-meeting-2018"] == set()


def test_the_page_has_landmarks_headings_a_legend_and_the_agenda(client: TestClient) -> None:
    html = client.get(f"/articles/{SEED}").text
    scan = scan_page(html)
    tags = [tag for tag, _ in scan.elements]
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert ("html", {"lang": "en"}) in scan.elements
    for landmark in ("header", "nav", "main", "aside", "footer", "h1", "h2"):
        assert landmark in tags
    skip = next(attrs for tag, attrs in scan.elements if tag == "a")
    assert skip == {"class": "skip-link", "href": "#article-text"}
    text = next(attrs for _, attrs in scan.elements if attrs.get("id") == "article-text")
    assert text["lang"] == "en"
    # The legend names each kind (quotations by speaker).
    assert "Quotation by Alyaksandr Lukashenka" in html
    for kind in ("Event", "Participant", "Issue"):
        assert f"</mark> {kind}</li>" in html
    # The agenda lists the article's events with their agenda issues and statuses.
    assert 'aria-labelledby="agenda-heading"' in html
    assert 'href="#fact-event-lukashenka-putin-meeting-2018"' in html
    assert "/v1/events/lukashenka-putin-meeting-2018/agenda" in html
    assert 'class="status status-expected"' in html


def test_an_unknown_article_is_an_html_404_or_a_problem(client: TestClient) -> None:
    for article_id in ("no-such-article", "Not%20a%20slug", "x" * 300):
        page = client.get(f"/articles/{article_id}", headers={"Accept": "text/html"})
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "<h1>Article not found</h1>" in page.text
        assert page.headers["cache-control"] == "no-store"
        assert_problem(
            client.get(f"/articles/{article_id}", headers={"Accept": "application/json"}), 404
        )


@pytest.mark.parametrize(
    ("accept", "json"),
    [
        (None, False),
        ("*/*", False),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", False),
        ("application/json", True),
        ("application/problem+json", True),
        ("application/json;q=0.5, text/html", False),
        ("text/html;q=0.1, application/*", True),
        ("image/png", False),
    ],
)
def test_prefers_json(accept: str | None, json: bool) -> None:
    assert prefers_json(accept) is json


def test_overlapping_spans_and_awkward_characters(client: TestClient, session: Session) -> None:
    # Nested, crossing and identical spans over text with CR LF, markup characters, an astral
    # code point and combining marks: the page's text is still the article's, code point for
    # code point, and each span covers exactly its offsets.
    text = "Line one\r\nA <b>&amp;</b> “quote” 😀 é\u0301 done\n\nlast"
    session.add(
        Article(
            id="awkward",
            title="Awkward <text> & such",
            text=text,
            language="en",
            content_sha256=hashlib.sha256(text.encode()).hexdigest(),
        )
    )
    session.add(
        Participant(id="someone", name="Some One", kind=ParticipantKind.PERSON, name_key="x")
    )
    session.flush()
    ranges = [(0, len(text)), (5, 12), (5, 12), (10, 20), (8, 10), (27, 33), (30, 31), (33, 45)]
    for start, end in dict.fromkeys(ranges):
        session.add(
            EvidenceSpan(article_id="awkward", start=start, end=end, participant_id="someone")
        )
    session.flush()
    response = client.get("/articles/awkward")
    assert response.status_code == 200
    scan = scan_page(response.text)
    assert scan.text == text
    assert sorted((s, e) for s, e, _, _ in spans_of(scan).values()) == sorted(dict.fromkeys(ranges))
    assert "Awkward &lt;text&gt; &amp; such" in response.text


spans_strategy = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 12)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=12,
)


@given(text=st.text(min_size=42, max_size=60), ranges=spans_strategy)
def test_highlight_pieces_nest_and_cover_each_span(
    text: str, ranges: list[tuple[int, int]]
) -> None:
    highlights = [
        Highlight(key=f"s{i}", start=s, end=e, classes="ev", tip_id="t", rank=i % 3)
        for i, (s, e) in enumerate(ranges)
    ]
    pieces = highlight_pieces(text, highlights)
    assert plain_text(pieces) == text
    covered: dict[str, list[tuple[int, int]]] = {}
    stack: list[tuple[str, int]] = []
    offset = 0
    for piece in pieces:
        if piece.tag == "open":
            assert piece.highlight is not None
            assert piece.depth == len(stack)
            stack.append((piece.highlight.key, offset))
        elif piece.tag == "close":
            key, start = stack.pop()
            covered.setdefault(key, []).append((start, offset))
        else:
            offset += len(piece.text) if piece.tag == "text" else 1
    assert not stack
    for h in highlights:
        parts = sorted(covered[h.key])
        assert parts[0][0] == h.start
        assert parts[-1][1] == h.end
        assert all(a[1] == b[0] for a, b in itertools.pairwise(parts))
    firsts = [p.highlight.key for p in pieces if p.tag == "open" and p.first and p.highlight]
    assert sorted(firsts) == sorted(h.key for h in highlights)


def test_highlight_refuses_spans_outside_the_text() -> None:
    with pytest.raises(ValueError, match="not inside"):
        highlight_pieces("abc", [Highlight("a", 1, 4, "ev", "t")])
    with pytest.raises(ValueError, match="unique"):
        highlight_pieces("abc", [Highlight("a", 0, 1, "ev", "t"), Highlight("a", 1, 2, "ev", "t")])
