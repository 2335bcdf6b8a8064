"""`newsfacts extract`: a draft bundle that `newsfacts load` and `POST /v1/imports` take."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.bundles.loader import BundleError, resolve_bundle, seed_bundle_paths, validate_bundle
from app.cli import EXIT_OK, EXIT_USAGE, cli
from app.core.config import Settings, get_settings
from app.core.db import create_db_engine
from app.extraction.bundle import draft_bundle
from app.extraction.engine import extract
from app.extraction.service import KnownRecord
from app.kinds import KINDS
from app.main import create_app
from tests.databases import ScratchDatabases
from tests.pages.html import scan_page, spans_of
from tests.snapshot import snapshot

ROOT = Path(__file__).resolve().parents[2]
SEED_PATH = next(p for p in seed_bundle_paths() if p.name == "lukashenka-putin-sochi-2018.yaml")
SEED: dict[str, Any] = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
TEXT: str = SEED["article"]["text"]
NEW_TEXT = (
    "Wall talks\n"
    "“We will build it,” Ann Marsh said. “And they will pay for it.”\n"
    "She told reporters the wall would be finished in March.\n"
    "“Nobody knows,” officials said.\n"
    "“We will build it,” Ann Marsh said again.\n"
)


def polnear_dev() -> Path:
    """PolNeAR's dev split, beside the repository (never copied into it)."""
    given = os.environ.get("NEWSFACTS_POLNEAR_DIR")
    base = Path(given) if given else ROOT.parent / "shared" / "datasets" / "polnear"
    return base / "polnear-dev.json"


@pytest.fixture
def cli_database(
    backend: str, scratch_databases: ScratchDatabases, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[], str]]:
    """Point the CLI at a new, empty database (made when first asked for)."""
    made: list[str] = []

    def make() -> str:
        if not made:
            made.append(scratch_databases.create(backend))
            monkeypatch.setenv("NEWSFACTS_DATABASE_URL", made[0])
            get_settings.cache_clear()
        return made[0]

    yield make
    get_settings.cache_clear()


def run(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    return result


def test_extract_writes_a_draft_bundle_to_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSFACTS_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    get_settings.cache_clear()
    source = tmp_path / "wall.txt"
    source.write_text(NEW_TEXT, encoding="utf-8")
    try:
        result = run("extract", str(source), "--id", "wall-talks", "--published", "2016-10")
    finally:
        get_settings.cache_clear()
    assert result.exit_code == EXIT_OK, result.output
    assert not (tmp_path / "none.db").exists()  # a missing SQLite file is not created
    assert result.stdout.startswith("# Drafted by `newsfacts extract`")
    bundle = yaml.safe_load(result.stdout)
    article = bundle["article"]
    assert (article["id"], article["title"], article["language"]) == (
        "wall-talks",
        "Wall talks",
        "en",
    )
    assert article["published"] == "2016-10"
    assert article["text"] == NEW_TEXT
    assert bundle["participants"] == [
        {"id": "ann-marsh", "name": "Ann Marsh", "kind": "person", "evidence": [
            {"text": "Ann Marsh", "occurrence": 1}
        ]}
    ]  # fmt: skip
    quotations = bundle["quotations"]
    assert [q["kind"] for q in quotations] == ["direct", "indirect", "direct"]
    split, reported, again = quotations
    assert split["text"] == "We will build it,” Ann Marsh said. “And they will pay for it"
    assert split["evidence"] == [{"text": "Ann Marsh said", "occurrence": 1}]
    assert reported["text"] == "the wall would be finished in March"
    assert reported["evidence"] == ["She told reporters"]
    # The same words twice: the second says which occurrence it is.
    assert again["text"] == "We will build it"
    assert again["occurrence"] == 2
    assert len({q["id"] for q in quotations}) == 3
    assert all(q["speaker"] == "ann-marsh" for q in quotations)
    # The quotation nobody can be named for is left out, and said so.
    assert "officials" in result.stderr
    assert "Nobody knows" in result.stderr
    assert "drafted 3 quotation(s)" in result.stderr
    resolve_bundle(validate_bundle(bundle, source="stdout"), source="stdout", kinds=KINDS)


def test_extract_resolves_stored_speakers_and_the_draft_loads(
    cli_database: Callable[[], str], tmp_path: Path
) -> None:
    url = cli_database()
    assert run("load").exit_code == EXIT_OK
    source = tmp_path / "seed.txt"
    source.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "draft.yaml"
    result = run("extract", str(source), "--id", "seed-draft", "--published", "2018-05",
                 "--title", "The seed, drafted", "-o", str(out))  # fmt: skip
    assert result.exit_code == EXIT_OK, result.output
    assert result.stdout == ""
    bundle = yaml.safe_load(out.read_text(encoding="utf-8"))
    speakers = Counter(q["speaker"] for q in bundle["quotations"])
    assert speakers["alyaksandr-lukashenka"] >= 10
    assert speakers["belarus-president-press-service"] == 1
    # Stored participants are declared as stored: loading the draft changes none of them.
    engine = create_db_engine(url)
    application = create_app(Settings(database_url=url, read_cache_entries=0))
    try:
        with TestClient(application) as client:
            before = {
                p["id"]: client.get(f"/v1/participants/{p['id']}").json()
                for p in bundle["participants"]
            }
            loaded = run("load", str(out))
            assert loaded.exit_code == EXIT_OK, loaded.output
            assert "quotation: " in loaded.stdout
            for participant_id, record in before.items():
                after = client.get(f"/v1/participants/{participant_id}").json()
                evidence = after.pop("evidence")
                assert all(span in evidence for span in record.pop("evidence"))
                assert after == record, participant_id
                assert any(span["article_id"] == "seed-draft" for span in evidence)
            quotations = client.get(
                "/v1/quotations", params={"article": "seed-draft", "limit": 100}
            ).json()["items"]
            assert len(quotations) == len(bundle["quotations"])
            article = client.get("/v1/articles/seed-draft").json()
            for q in quotations:
                for span in q["evidence"]:
                    assert article["text"][span["start"] : span["end"]] == span["text"]
        assert run("load", str(out)).stdout.count("no changes") == 1  # idempotent
    finally:
        engine.dispose()


def test_a_draft_bundle_is_accepted_by_a_dry_run_import(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    bundle = draft_bundle(
        TEXT, extract(TEXT, published="2018-05"), article_id="seed-draft", kinds=KINDS
    )
    before = snapshot(session)
    for content_type, content in (
        ("application/yaml", bundle.yaml()),
        ("application/json", json.dumps(bundle.data)),
    ):
        response = client.post(
            "/v1/imports",
            params={"dry_run": "true"},
            content=content.encode("utf-8"),
            headers={**writer, "Content-Type": content_type},
        )
        assert response.status_code == 200, response.text
        result = response.json()
        assert result["dry_run"] is True
        created = Counter(c["kind"] for c in result["changes"] if c["operation"] == "created")
        assert created["article"] == 1
        assert created["quotation"] == len(bundle.data["quotations"])
    assert snapshot(session) == before


def test_stored_affiliations_the_article_cannot_carry_are_reported() -> None:
    known = [
        KnownRecord("ann-marsh", "Ann Marsh", "person", title="Builder", affiliation="acme"),
        KnownRecord("acme", "Acme Walls Inc", "organization"),
    ]
    records = [k.known() for k in known]
    bundle = draft_bundle(
        NEW_TEXT, extract(NEW_TEXT, known=records), article_id="a", known=known, kinds=KINDS
    )
    [participant] = bundle.data["participants"]
    assert participant["title"] == "Builder"
    assert "affiliation" not in participant
    assert any("'acme'" in line and "would clear it" in line for line in bundle.left_out)
    named = NEW_TEXT + "Acme Walls Inc said nothing.\n"
    bundle = draft_bundle(
        named, extract(named, known=records), article_id="a", known=known, kinds=KINDS
    )
    ids = {p["id"]: p for p in bundle.data["participants"]}
    assert ids["ann-marsh"]["affiliation"] == "acme"
    assert ids["acme"]["evidence"] == ["Acme Walls Inc"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--id", "Not A Slug"], "--id"),
        (["--id", "ok", "--published", "2018-02-30"], "--published"),
        (["--id", "ok", "--published", "May 2018"], "--published"),
    ],
)
def test_extract_usage_errors_exit_1(tmp_path: Path, args: list[str], message: str) -> None:
    source = tmp_path / "a.txt"
    source.write_text(NEW_TEXT, encoding="utf-8")
    result = run("extract", str(source), "--no-known", *args)
    assert result.exit_code == EXIT_USAGE, result.output
    assert message in result.stderr


@pytest.mark.parametrize("content", [None, b"", b"  \n", b"\xff\xfe"])
def test_extract_refuses_a_file_it_cannot_read(tmp_path: Path, content: bytes | None) -> None:
    source = tmp_path / "a.txt"
    if content is not None:
        source.write_bytes(content)
    result = run("extract", str(source), "--id", "a", "--no-known")
    assert result.exit_code == EXIT_USAGE, result.output
    assert result.stdout == ""


def test_a_polnear_dev_article_drafted_loads_and_shows_on_its_page(
    cli_database: Callable[[], str], tmp_path: Path
) -> None:
    """A real article nobody curated: drafted, loaded with `newsfacts load` into a scratch
    database, and shown on /articles/{id} with its quotations highlighted."""
    path = polnear_dev()
    if not path.is_file():
        pytest.skip(f"PolNeAR dev is not at {path} (read in place, never copied here)")
    articles = json.loads(path.read_text(encoding="utf-8"))
    # The first dev article with at least three quotations the draft can attribute.
    for article in articles:
        text = article["text"]
        bundle = draft_bundle(text, extract(text), article_id="polnear-dev-article", kinds=KINDS)
        if len(bundle.data["quotations"]) >= 3:
            break
    else:
        raise AssertionError("no PolNeAR dev article drafts three quotations")
    source = tmp_path / "article.txt"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "draft.yaml"
    published = (article.get("publication_date") or "")[:10] or None
    args = ["extract", str(source), "--id", "polnear-dev-article", "-o", str(out)]
    args += ["--title", article["title"]] if article.get("title") else []
    args += ["--published", published] if published else []
    url = cli_database()
    drafted = run(*args)
    assert drafted.exit_code == EXIT_OK, drafted.output
    loaded = run("load", str(out))
    assert loaded.exit_code == EXIT_OK, loaded.output
    bundle_data = yaml.safe_load(out.read_text(encoding="utf-8"))
    with TestClient(create_app(Settings(database_url=url, read_cache_entries=0))) as client:
        response = client.get("/articles/polnear-dev-article")
        assert response.status_code == 200
        scan = scan_page(response.text)
        assert scan.text == text
        quotation_spans = {
            (start, end) for start, end, kind, _ in spans_of(scan).values() if kind == "quotation"
        }
        for q in client.get(
            "/v1/quotations", params={"article": "polnear-dev-article", "limit": 100}
        ).json()["items"]:
            own = next(s for s in q["evidence"] if s["text"] == q["text"])
            assert (own["start"], own["end"]) in quotation_spans, q["id"]
        assert len(quotation_spans) >= len(bundle_data["quotations"])


def test_a_draft_that_would_not_load_is_refused() -> None:
    quotations = extract(NEW_TEXT)
    with pytest.raises(BundleError):
        draft_bundle(NEW_TEXT, quotations, article_id="a", title="", kinds=KINDS)


def test_a_draft_of_awkward_text_reads_back_as_written() -> None:
    """Carriage returns, line separators, tabs and trailing spaces survive the YAML."""
    text = (
        "Title  \r\nAnn Marsh said:\t“We will build it.”  \r\n\u2028"
        "“Not again,” Ann Marsh said. \u2029\n\n"
    )
    bundle = draft_bundle(text, extract(text), article_id="awkward", kinds=KINDS)
    rendered = bundle.yaml()
    assert rendered.startswith("# Drafted by `newsfacts extract`")
    assert "Exported by" not in rendered
    assert yaml.safe_load(rendered) == bundle.data
    assert bundle.data["article"]["text"] == text
    assert [q["text"] for q in bundle.data["quotations"]] == ["We will build it", "Not again"]


@pytest.mark.parametrize("database", ["unreachable", "not migrated"])
def test_extract_drafts_without_stored_participants_when_the_database_has_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database: str
) -> None:
    """The database is optional: one it cannot read is said on stderr, and the draft is made."""
    if database == "unreachable":
        url = "postgresql+psycopg://nobody:s3cret@127.0.0.1:1/nothing"
    else:
        (tmp_path / "empty.db").write_bytes(b"")
        url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("NEWSFACTS_DATABASE_URL", url)
    get_settings.cache_clear()
    source = tmp_path / "wall.txt"
    source.write_text(NEW_TEXT, encoding="utf-8")
    try:
        result = run("extract", str(source), "--id", "wall-talks")
    finally:
        get_settings.cache_clear()
    assert result.exit_code == EXIT_OK, result.output
    assert "note:" in result.stderr
    assert "no stored participants" in result.stderr
    assert "s3cret" not in result.stderr
    assert yaml.safe_load(result.stdout)["participants"][0]["id"] == "ann-marsh"


def test_ids_spell_accented_letters_as_participant_ids_do() -> None:
    """A quotation's id is slugged the way a speaker's is: "Peña" is `pena`, not `pea`."""
    text = "“Peña Nieto will not come,” José Martí said.\n"
    bundle = draft_bundle(text, extract(text), article_id="a", kinds=KINDS)
    [participant] = bundle.data["participants"]
    [quotation] = bundle.data["quotations"]
    assert participant["id"] == "jose-marti"
    assert quotation["id"] == "jose-marti-pena-nieto-will-not-come"
