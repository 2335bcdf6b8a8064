"""The `newsfacts` command line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.cli import EXIT_INVALID_FIXTURE, cli
from app.config import get_settings
from app.db import create_db_engine
from app.fixtures.loader import seed_fixture_paths
from app.quotations.models import Quotation
from tests.databases import ScratchDatabases


@pytest.fixture
def empty_database(
    backend: str, scratch_databases: ScratchDatabases, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A new, empty database that the CLI is pointed at."""
    url = scratch_databases.create(backend)
    monkeypatch.setenv("NEWSFACTS_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def count_quotations(url: str) -> int:
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(Quotation)) or 0)
    finally:
        engine.dispose()


def test_load_migrates_loads_the_seed_and_is_idempotent(empty_database: str) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["load"])
    assert first.exit_code == 0, first.output
    assert "quotation:" in first.output
    assert "created" in first.output
    assert count_quotations(empty_database) > 0
    second = runner.invoke(cli, ["load"])
    assert second.exit_code == 0, second.output
    assert "no changes" in second.output


def test_load_refuses_a_bad_fixture_and_writes_nothing(empty_database: str, tmp_path: Path) -> None:
    data = yaml.safe_load(seed_fixture_paths()[0].read_text(encoding="utf-8"))
    data["quotations"][0]["text"] = "words nobody said"
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["load", str(broken)])
    assert result.exit_code == EXIT_INVALID_FIXTURE
    assert "words nobody said" in result.output
    assert "nothing was written" in result.output
    assert count_quotations(empty_database) == 0


def test_help_explains_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("migrate", "load", "serve"):
        assert command in result.output
