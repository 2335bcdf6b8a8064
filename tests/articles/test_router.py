"""Article endpoints: the list (without text), the verbatim detail, search and paging."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from typing import Any

import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundles.loader import seed_bundle_paths
from app.core.dates import DatePrecision
from app.models.article import Article
from tests.api import assert_problem, walk
from tests.search_reference import substring_matches

SEED_PATH = next(p for p in seed_bundle_paths() if p.name == "lukashenka-putin-sochi-2018.yaml")
SEED: dict[str, Any] = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
ARTICLE: dict[str, Any] = SEED["article"]
LIMITS = [1, 2, 7, 100]
LIST_KEYS = {
    "id",
    "title",
    "language",
    "publisher",
    "url",
    "published_on",
    "published_precision",
    "content_sha256",
}
PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def add_articles(session: Session, count: int) -> list[str]:
    """Add articles with distinct texts and every precision of date; return their ids."""
    precisions = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR, None]
    new = []
    for n in range(count):
        text = f"Extra article {n}: Minsk 100% news_{n} about ЛУКАШЕНКО."
        precision = precisions[n % len(precisions)]
        session.add(
            Article(
                id=f"extra-article-{n:02d}",
                title=f"Extra {n}",
                text=text,
                language="en",
                publisher="Test" if n % 2 else None,
                url=f"https://example.org/{n}" if n % 2 else None,
                published_on=None if precision is None else dt.date(2019, 1 + n % 12, 1),
                published_precision=precision,
                content_sha256=sha256(text),
            )
        )
        new.append(f"extra-article-{n:02d}")
    session.flush()
    return new


def test_list_serves_the_seed_article_metadata_without_its_text(client: TestClient) -> None:
    response = client.get("/v1/articles")
    assert response.status_code == 200
    items = {item["id"]: item for item in response.json()["items"]}
    item = items[ARTICLE["id"]]
    assert set(item) == LIST_KEYS
    published = ARTICLE["published"]
    assert item == {
        "id": ARTICLE["id"],
        "title": ARTICLE["title"],
        "language": ARTICLE["language"],
        "publisher": ARTICLE["publisher"],
        "url": ARTICLE["url"],
        "published_on": published,
        "published_precision": PRECISION_BY_LENGTH[len(published)],
        "content_sha256": ARTICLE["content_sha256"],
    }


def test_detail_serves_the_verbatim_text_and_its_sha256(client: TestClient) -> None:
    response = client.get(f"/v1/articles/{ARTICLE['id']}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {*LIST_KEYS, "text"}
    assert body["text"] == ARTICLE["text"]
    assert "would will visit" in body["text"]  # typos are kept
    assert sha256(body["text"]) == body["content_sha256"] == ARTICLE["content_sha256"]
    listed = next(i for i in walk(client, "/v1/articles") if i["id"] == ARTICLE["id"])
    assert {k: v for k, v in body.items() if k != "text"} == listed


def test_every_listed_article_has_a_matching_detail_and_sha256(
    client: TestClient, session: Session
) -> None:
    add_articles(session, 5)
    for item in walk(client, "/v1/articles", limit=2):
        assert "text" not in item
        detail = client.get(f"/v1/articles/{item['id']}").json()
        assert {k: v for k, v in detail.items() if k != "text"} == item
        assert sha256(detail["text"]) == item["content_sha256"]
        if item["published_on"] is None:
            assert item["published_precision"] is None
        else:
            assert PRECISION_BY_LENGTH[len(item["published_on"])] == item["published_precision"]


def test_walk_returns_every_article_once_by_id(client: TestClient, session: Session) -> None:
    add_articles(session, 9)
    expected = sorted(session.scalars(select(Article.id)))
    assert len(expected) >= 10
    for limit in LIMITS:
        assert ids(walk(client, "/v1/articles", limit=limit)) == expected, limit


def test_default_limit_is_20(client: TestClient, session: Session) -> None:
    add_articles(session, 21)
    response = client.get("/v1/articles")
    assert len(response.json()["items"]) == 20
    assert response.headers["link"].endswith('>; rel="next"')


def test_q_keeps_articles_whose_title_or_text_contains_its_terms_ignoring_case(
    client: TestClient, session: Session
) -> None:
    add_articles(session, 12)
    articles = list(session.scalars(select(Article)))
    sizes = set()
    for q in [
        "sochi",
        "WHICH ISSUES",
        "would will",
        "forthe",
        "Extra 3",
        "100%",
        "news_1",
        "%",
        "_",
        "no such words anywhere",
        '"which issues"',
        "Sochi -Minsk",
        "Sochi OR forthe",
        "news_1 OR Extra",
    ]:
        expected = sorted(a.id for a in articles if substring_matches(q, a.title, a.text))
        sizes.add(len(expected))
        assert ids(walk(client, "/v1/articles", limit=2, q=q)) == expected, q
    assert 0 in sizes
    assert len(sizes) > 3


def test_q_finds_the_seed_article_by_a_phrase_of_its_text(client: TestClient) -> None:
    items = walk(client, "/v1/articles", q="SUPREME EURASIAN economic council")
    assert ids(items) == [ARTICLE["id"]]
    assert walk(client, "/v1/articles", q="Supreme Eurasian Economic Councils") == []


def test_unknown_article_is_a_404_problem(client: TestClient) -> None:
    body = assert_problem(client.get("/v1/articles/no-such-article"), 404)
    assert body["instance"] == "/v1/articles/no-such-article"


def test_bad_article_list_parameters_are_422_problems_naming_them(client: TestClient) -> None:
    for params, name in [
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"q": "x" * 201}, "q"),
        ({"language": "en"}, "language"),
        ({"sort": "id"}, "sort"),
    ]:
        body = assert_problem(client.get("/v1/articles", params=params), 422)
        assert any(e["location"] == "query" and e["name"] == name for e in body["errors"]), (
            params,
            body,
        )


def test_forged_cursors_are_400_problems(client: TestClient, session: Session) -> None:
    add_articles(session, 3)
    cursor = client.get("/v1/articles", params={"limit": 1}).json()["next_cursor"]
    assert cursor
    forged = [
        "abc",
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        base64.urlsafe_b64encode(json.dumps({"o": "-date", "s": "", "k": ["x"]}).encode()).decode(),
        base64.urlsafe_b64encode(json.dumps({"o": "id", "s": "", "k": [True]}).encode()).decode(),
    ]
    for value in forged:
        assert_problem(client.get("/v1/articles", params={"limit": 1, "cursor": value}), 400)
    assert client.get("/v1/articles", params={"limit": 1, "cursor": cursor}).is_success


def test_cursor_is_bound_to_its_filters(client: TestClient, session: Session) -> None:
    add_articles(session, 4)
    first = client.get("/v1/articles", params={"limit": 1, "q": "extra"}).json()
    assert first["next_cursor"]
    replayed = client.get(
        "/v1/articles", params={"limit": 1, "q": "sochi", "cursor": first["next_cursor"]}
    )
    assert_problem(replayed, 400)
