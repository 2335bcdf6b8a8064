"""`newsfacts export`: bundles that load back into the same API answers, byte for byte stable."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.bundles.exporter import ExportedFile, dump_bundle, export_all, export_bundle
from app.bundles.loader import load_bundle, load_bundles, read_bundle, resolve_bundle
from app.bundles.loader import seed_bundle_paths as seed_paths
from app.cli import EXIT_OK, EXIT_USAGE, cli
from app.core.config import Settings, get_settings
from app.core.db import create_db_engine, migrate
from app.kinds import KINDS
from app.main import create_app
from app.models.event import EventParticipant
from app.models.quotation import QuotationIssue
from tests.databases import ScratchDatabases

SEED_PATH = seed_paths()[0]
SEED_ID = "lukashenka-putin-sochi-2018"
SECOND_ID = "putin-minsk-visit-2018"
SECOND_TEXT = (
    "Putin to visit Minsk\n"
    "\n"
    "Vladimir Putin will visit Minsk in June, the Russian Federation announced on 20 May.\n"
    "\n"
    "“We will meet in Minsk. We will meet again in the autumn,” Putin said.\n"
    "\n"
    "Russia expects the talks to cover trade."
)


# --- helpers ------------------------------------------------------------------------------


def seed_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
    return data


def second_article(directory: Path) -> Path:
    """An edited copy of the seed: another article, sharing Vladimir Putin (and Russia)."""
    seed = seed_data()
    data = copy.deepcopy(seed)
    data["article"] = {
        "id": SECOND_ID,
        "title": "Putin to visit Minsk",
        "language": "en",
        "publisher": "Example News",
        "url": "https://example.com/putin-minsk",
        "published": "2018-05-20",
        "content_sha256": hashlib.sha256(SECOND_TEXT.encode("utf-8")).hexdigest(),
        "text": SECOND_TEXT,
    }
    by_id = {p["id"]: p for p in seed["participants"]}
    putin, russia = by_id["vladimir-putin"], by_id["russia"]
    putin["evidence"] = ["Vladimir Putin will visit", {"text": "Putin", "occurrence": 3}]
    russia["evidence"] = ["the Russian Federation announced", "Russia expects"]
    data["participants"] = [putin, russia]
    data["events"] = [
        {
            "id": "putin-visit-minsk-2018-06",
            "title": "Vladimir Putin's visit to Minsk",
            "kind": "visit",
            "status": "expected",
            "date": "2018-06",
            "location": "Minsk, Belarus",
            "participants": [{"participant": "vladimir-putin", "role": "visitor"}],
            "evidence": ["will visit Minsk in June", {"text": "Minsk", "occurrence": 3}],
        }
    ]
    data["issues"] = [
        {
            "id": "minsk-talks-trade",
            "title": "Trade at the Minsk talks",
            "category": "trade",
            "agenda": [{"event": "putin-visit-minsk-2018-06", "status": "expected"}],
            "evidence": ["the talks to cover trade"],
        }
    ]
    data["quotations"] = [
        {
            "id": "putin-we-will-meet-in-minsk",
            "speaker": "vladimir-putin",
            "kind": "direct",
            "text": "We will meet in Minsk. We will meet again in the autumn",
            "said_on": "2018-05-20",
            "event": "putin-visit-minsk-2018-06",
            "issues": ["minsk-talks-trade"],
            "evidence": ["Putin said"],
        },
        {
            "id": "putin-we-will-meet-again",
            "speaker": "vladimir-putin",
            "kind": "partial",
            "text": "We will meet",
            "occurrence": 2,
            "said_on": "2018-05",
            "audience": "russia",
            "evidence": [{"text": "Putin", "occurrence": 3}],
        },
    ]
    path = directory / "second-source.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def new_database(backend: str, scratch_databases: ScratchDatabases, paths: Iterable[Path]) -> str:
    """A migrated database holding the given fixtures, loaded with app code."""
    url = scratch_databases.create(backend)
    migrate(url)
    engine = create_db_engine(url)
    try:
        with Session(engine) as session, session.begin():
            load_bundles(session, list(paths), kinds=KINDS)
    finally:
        engine.dispose()
    return url


def export_database(url: str, directory: Path) -> tuple[list[Path], list[ExportedFile]]:
    engine = create_db_engine(url)
    reports: list[ExportedFile] = []
    try:
        with Session(engine) as session, session.begin():
            paths = export_all(session, directory, kinds=KINDS, on_file=reports.append)
    finally:
        engine.dispose()
    return paths, reports


def api_answers(url: str) -> dict[str, tuple[int, Any]]:
    """Status and JSON of every list page (limit=100), detail and related list of the API."""
    answers: dict[str, tuple[int, Any]] = {}
    with TestClient(create_app(Settings(database_url=url))) as client:

        def get(path: str, **params: Any) -> Any:
            response = client.get(path, params=params)
            answers[f"{path}?{sorted(params.items())}"] = (response.status_code, response.json())
            assert response.status_code == 200, response.text
            return response.json()

        def walk(path: str) -> list[dict[str, Any]]:
            items: list[dict[str, Any]] = []
            cursor = None
            while True:
                body = get(path, limit=100, **({"cursor": cursor} if cursor else {}))
                items.extend(body["items"])
                cursor = body["next_cursor"]
                if cursor is None:
                    return items

        for collection in ("articles", "participants", "events", "issues", "quotations"):
            for item in walk(f"/v1/{collection}"):
                detail = f"/v1/{collection}/{item['id']}"
                get(detail)
                if collection in ("participants", "events", "issues"):
                    walk(f"{detail}/quotations")
                if collection == "events":
                    get(f"{detail}/agenda")
    return answers


def assert_same_answers(original: str, reloaded: str) -> None:
    expected, actual = api_answers(original), api_answers(reloaded)
    assert actual.keys() == expected.keys()
    for key, answer in expected.items():
        assert actual[key] == answer, key


UseDatabase = Callable[[str], None]


@pytest.fixture
def cli_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[UseDatabase]:
    """Point the CLI at a database URL (NEWSFACTS_DATABASE_URL)."""

    def use(url: str) -> None:
        monkeypatch.setenv("NEWSFACTS_DATABASE_URL", url)
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


# --- round trips --------------------------------------------------------------------------


def test_the_exported_seed_loads_into_an_empty_database_with_the_same_answers(
    backend: str, scratch_databases: ScratchDatabases, tmp_path: Path
) -> None:
    original = new_database(backend, scratch_databases, [SEED_PATH])
    paths, reports = export_database(original, tmp_path / "export")
    assert paths == [tmp_path / "export" / f"{SEED_ID}.yaml"]
    assert reports[0].omitted == []
    reloaded = new_database(backend, scratch_databases, paths)
    assert_same_answers(original, reloaded)


def test_the_exported_seed_is_the_seed_fixture(session: Session, tmp_path: Path) -> None:
    [path] = export_all(session, tmp_path, kinds=KINDS)
    # Loading it where the seed is loaded changes nothing ...
    assert load_bundle(session, path, kinds=KINDS).changes == []
    # ... and it resolves to the seed's very spans, fact by fact.
    exported = resolve_bundle(read_bundle(path), source=str(path), kinds=KINDS)
    seed = resolve_bundle(read_bundle(SEED_PATH), source=str(SEED_PATH), kinds=KINDS)
    assert exported.spans == seed.spans
    assert exported.document.article == seed.document.article


def test_the_article_text_is_a_block_scalar_that_reads_back_verbatim(
    session: Session, tmp_path: Path
) -> None:
    [path] = export_all(session, tmp_path, kinds=KINDS)
    raw = path.read_text(encoding="utf-8")
    assert "\n  text: |-\n    Lukashenka meeting with Putin:" in raw
    assert yaml.safe_load(raw)["article"]["text"] == seed_data()["article"]["text"]
    assert yaml.safe_load(raw) == export_bundle(session, SEED_ID, kinds=KINDS)


def test_exporting_twice_is_byte_identical_and_so_is_the_reloaded_database(
    backend: str, scratch_databases: ScratchDatabases, tmp_path: Path
) -> None:
    original = new_database(backend, scratch_databases, [SEED_PATH])
    first, _ = export_database(original, tmp_path / "first")
    second, _ = export_database(original, tmp_path / "second")
    reloaded = new_database(backend, scratch_databases, first)
    third, _ = export_database(reloaded, tmp_path / "third")
    contents = [[path.read_bytes() for path in paths] for paths in (first, second, third)]
    assert contents[0] == contents[1] == contents[2]


def test_a_second_article_sharing_a_participant_round_trips_in_its_own_file(
    backend: str, scratch_databases: ScratchDatabases, tmp_path: Path
) -> None:
    original = new_database(backend, scratch_databases, [SEED_PATH, second_article(tmp_path)])
    paths, reports = export_database(original, tmp_path / "export")
    assert [path.name for path in paths] == [f"{SEED_ID}.yaml", f"{SECOND_ID}.yaml"]
    assert all(report.omitted == [] for report in reports)
    second = yaml.safe_load(paths[1].read_text(encoding="utf-8"))
    assert second["article"]["text"] == SECOND_TEXT
    assert [p["id"] for p in second["participants"]] == ["russia", "vladimir-putin"]
    putin = second["participants"][1]
    assert putin["affiliation"] == "russia"
    # Only this article's spans, written as text (plus an occurrence when it repeats).
    assert putin["evidence"] == [
        "Vladimir Putin will visit",
        {"text": "Putin", "occurrence": 3},
    ]
    partial = next(q for q in second["quotations"] if q["id"] == "putin-we-will-meet-again")
    assert (partial["text"], partial["occurrence"]) == ("We will meet", 2)
    assert partial["evidence"] == [{"text": "Putin", "occurrence": 3}]
    reloaded = new_database(backend, scratch_databases, paths)
    assert_same_answers(original, reloaded)


def test_links_a_bundle_cannot_express_are_left_out_and_reported(
    session: Session, tmp_path: Path
) -> None:
    load_bundle(session, second_article(tmp_path), kinds=KINDS)
    # Written with app code, these link the second article's facts to records with no evidence
    # in it, which its bundle cannot declare.
    session.add(
        EventParticipant(
            event_id="putin-visit-minsk-2018-06", participant_id="belarus", role="host"
        )
    )
    session.add(
        QuotationIssue(
            quotation_id="putin-we-will-meet-in-minsk",
            issue_id="bilateral-relations-state-and-prospects",
        )
    )
    session.flush()
    reports: list[ExportedFile] = []
    export_all(session, tmp_path / "export", kinds=KINDS, on_file=reports.append)
    omitted = {report.article_id: report.omitted for report in reports}
    assert omitted[SEED_ID] == []
    assert len(omitted[SECOND_ID]) == 2
    assert "participant 'belarus' as host" in omitted[SECOND_ID][0]
    assert "issue 'bilateral-relations-state-and-prospects'" in omitted[SECOND_ID][1]
    bundle = export_bundle(session, SECOND_ID, kinds=KINDS)
    assert bundle["events"][0]["participants"] == [
        {"participant": "vladimir-putin", "role": "visitor"}
    ]


@pytest.mark.parametrize(
    ("text", "block"),
    [
        ("one line", False),
        ("2018-05", False),
        ("two\nlines", True),
        ("trailing newline\n", True),
        ("two trailing newlines\n\n", True),
        ("  leading spaces\nsecond line", True),
        ("\nleading newline", True),
        ("# not a comment\n- not a list\nkey: not a mapping", True),
        # A literal block cannot hold these exactly: they are written double-quoted.
        ("trailing spaces   \nsecond line", False),
        ("a\ttab\nsecond line", False),
        ("windows\r\nline ends", False),
        ("next line\x85and line separator\u2028and paragraph\u2029done", False),
    ],
)
def test_any_text_reads_back_verbatim(text: str, block: bool) -> None:
    rendered = dump_bundle({"version": 1, "article": {"id": "a", "text": text}})
    assert yaml.safe_load(rendered)["article"]["text"] == text
    assert ("  text: |" in rendered) is block


# --- the command --------------------------------------------------------------------------


def test_the_export_command_writes_bundles_that_the_load_command_loads(
    backend: str, scratch_databases: ScratchDatabases, tmp_path: Path, cli_database: UseDatabase
) -> None:
    runner = CliRunner()
    cli_database(new_database(backend, scratch_databases, [SEED_PATH]))
    out = tmp_path / "new" / "dir"
    result = runner.invoke(cli, ["export", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    assert (out / f"{SEED_ID}.yaml").is_file()
    assert "wrote 1 file(s)" in result.output
    for line in ("participants: 17", "events: 13", "issues: 10", "quotations: 14"):
        assert line in result.output
    target = scratch_databases.create(backend)
    cli_database(target)
    loaded = runner.invoke(cli, ["load", *map(str, sorted(out.glob("*.yaml")))])
    assert loaded.exit_code == EXIT_OK, loaded.output
    assert "quotation: 14 created" in loaded.output


def test_the_export_command_refuses_a_file_as_its_directory(
    tmp_path: Path, cli_database: UseDatabase
) -> None:
    cli_database(f"sqlite:///{tmp_path / 'unused.db'}")
    target = tmp_path / "a-file"
    target.write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", str(target)])
    assert result.exit_code == EXIT_USAGE
    assert "not a directory" in result.output


def test_the_export_command_explains_itself() -> None:
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert result.exit_code == EXIT_OK
    assert "newsfacts load PATH/*.yaml" in result.output
    assert "byte-identical" in result.output
