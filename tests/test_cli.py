"""The `newsfacts` command line."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from typer.main import get_command
from typer.testing import CliRunner

from app.bundles.loader import seed_bundle_paths
from app.cli import (
    EXIT_CODES,
    EXIT_DATABASE_ERROR,
    EXIT_INVALID_BUNDLE,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_USAGE,
    cli,
)
from app.core.config import get_settings
from app.core.db import create_db_engine
from app.models.article import Article
from app.models.quotation import Quotation
from tests.databases import ScratchDatabases
from tests.live import free_port


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
    data = yaml.safe_load(seed_bundle_paths()[0].read_text(encoding="utf-8"))
    data["quotations"][0]["text"] = "words nobody said"
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["load", str(broken)])
    assert result.exit_code == EXIT_INVALID_BUNDLE
    assert "words nobody said" in result.output
    assert "nothing was written" in result.output
    assert count_quotations(empty_database) == 0


def test_synth_writes_the_share_of_articles_in_other_languages_asked_for(
    empty_database: str,
) -> None:
    result = CliRunner().invoke(cli, ["synth", "--articles", "8", "--other-languages", "0.5"])
    assert result.exit_code == 0, result.output
    engine = create_db_engine(empty_database)
    try:
        with engine.connect() as connection:
            languages = connection.scalars(
                select(Article.language).where(Article.id.like("synth-a%")).order_by(Article.id)
            ).all()
    finally:
        engine.dispose()
    assert sorted(languages) == ["de", "en", "en", "en", "en", "pl", "ru", "und"]


def test_help_explains_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("migrate", "load", "serve"):
        assert command in result.output


# --- help, exit codes, progress -----------------------------------------------------------


@pytest.fixture
def use_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Point the CLI at a database URL (NEWSFACTS_DATABASE_URL)."""

    def use(url: str) -> None:
        monkeypatch.setenv("NEWSFACTS_DATABASE_URL", url)
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


def every_command(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every command and group, the top level's being ()."""
    yield path
    for name, subcommand in getattr(command, "commands", {}).items():
        yield from every_command(subcommand, (*path, name))


def command_at(path: tuple[str, ...]) -> Any:
    command: Any = get_command(cli)
    for name in path:
        command = command.commands[name]
    return command


def test_the_exit_codes_are_the_documented_ones() -> None:
    assert (EXIT_OK, EXIT_USAGE, EXIT_INVALID_BUNDLE, EXIT_DATABASE_ERROR, EXIT_NOT_FOUND) == (
        0,
        1,
        2,
        3,
        4,
    )
    assert sorted(EXIT_CODES) == [0, 1, 2, 3, 4]


def test_the_help_lists_each_command_on_a_line_and_the_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == EXIT_OK
    for name, command in get_command(cli).commands.items():
        first_word = re.escape(command.help.split()[0])
        assert re.search(rf"^\W*{name}\s{{2,}}{first_word}", result.output, re.MULTILINE), name
    assert re.search(r"^\W*Exit codes:", result.output, re.MULTILINE)
    for code, meaning in EXIT_CODES.items():
        assert re.search(rf"^\W*{code}\s+{re.escape(meaning)}", result.output, re.MULTILINE)


def test_every_command_and_option_has_help() -> None:
    runner = CliRunner()
    for path in every_command(get_command(cli)):
        command = command_at(path)
        assert command.help, f"`newsfacts {' '.join(path)}` has no help"
        for param in command.params:
            assert getattr(param, "help", None), f"`newsfacts {' '.join(path)}`: {param.name}"
        shown = runner.invoke(cli, [*path, "--help"])
        assert shown.exit_code == EXIT_OK, shown.output
        assert command.help.split()[0] in shown.output


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["apikey"],
        ["no-such-command"],
        ["--no-such-option"],
        ["load", "--no-such-option"],
        ["serve", "--workers", "0"],
        ["serve", "--port", "many"],
        ["apikey", "create", "--name", "alice"],
        ["apikey", "revoke"],
    ],
    ids=lambda args: " ".join(args) or "nothing",
)
def test_a_usage_error_exits_1(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == EXIT_USAGE, result.output


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("NEWSFACTS_LOG_LEVEL", "loud", "NEWSFACTS_LOG_LEVEL: "),
        ("NEWSFACTS_CORS_ALLOW_ORIGINS", "not json", "cors_allow_origins"),
    ],
)
def test_an_invalid_setting_is_a_usage_error(
    variable: str,
    value: str,
    named: str,
    use_database: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv(variable, value)
    use_database(f"sqlite:///{tmp_path / 'newsfacts.db'}")
    result = CliRunner().invoke(cli, ["migrate"])
    assert result.exit_code == EXIT_USAGE, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("error: invalid settings: ")
    assert named in line
    assert not (tmp_path / "newsfacts.db").exists()


UNREACHABLE: dict[str, Callable[[Path], str]] = {
    "postgresql-closed-port": lambda _: (
        f"postgresql+psycopg://newsfacts:s3cret@127.0.0.1:{free_port()}/newsfacts"
    ),
    "sqlite-missing-directory": lambda tmp: f"sqlite:///{tmp / 'missing' / 'newsfacts.db'}",
}
DATABASE_COMMANDS = [
    ["migrate"],
    ["load"],
    ["load", "--no-migrate"],
    ["export", "OUT"],
    ["apikey", "create", "--name", "alice", "--scope", "read"],
    ["apikey", "list"],
    ["apikey", "revoke", "alice"],
]


def assert_one_line_database_error(stdout: str, stderr: str) -> None:
    assert stdout == ""
    [line] = stderr.splitlines()
    assert line.startswith("error: cannot use the database "), line
    assert "Traceback" not in stderr
    assert "s3cret" not in stderr  # the URL is shown without its password


@pytest.mark.parametrize("where", UNREACHABLE)
@pytest.mark.parametrize("args", DATABASE_COMMANDS, ids=" ".join)
def test_an_unreachable_database_exits_3_with_one_line(
    where: str, args: list[str], use_database: Callable[[str], None], tmp_path: Path
) -> None:
    use_database(UNREACHABLE[where](tmp_path))
    args = [str(tmp_path / "out") if arg == "OUT" else arg for arg in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == EXIT_DATABASE_ERROR, result.output
    assert_one_line_database_error(result.stdout, result.stderr)
    assert not (tmp_path / "missing").exists()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", UNREACHABLE)
def test_serve_with_an_unreachable_database_exits_3_with_one_line(
    where: str, tmp_path: Path
) -> None:
    env = {**os.environ, "NEWSFACTS_DATABASE_URL": UNREACHABLE[where](tmp_path)}
    served = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--no-seed", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert served.returncode == EXIT_DATABASE_ERROR, served.stderr
    assert_one_line_database_error(served.stdout, served.stderr)


def test_a_database_not_at_the_latest_migration_exits_3(
    use_database: Callable[[str], None], tmp_path: Path
) -> None:
    use_database(f"sqlite:///{tmp_path / 'empty.db'}")
    runner = CliRunner()
    for args in (["load", "--no-migrate"], ["export", str(tmp_path / "out")]):
        result = runner.invoke(cli, args)
        assert result.exit_code == EXIT_DATABASE_ERROR, result.output
        [line] = result.stderr.splitlines()
        assert "not at the latest migration" in line
        assert "newsfacts migrate" in line


def test_revoking_an_unknown_key_exits_4(
    use_database: Callable[[str], None], tmp_path: Path
) -> None:
    use_database(f"sqlite:///{tmp_path / 'newsfacts.db'}")
    result = CliRunner().invoke(cli, ["apikey", "revoke", "nobody"])
    assert result.exit_code == EXIT_NOT_FOUND, result.output
    assert "nobody" in result.stderr


PROGRESS_BAR = re.compile(r"\d+/\d+")


def test_load_and_export_show_progress_on_stderr_only_when_asked(
    use_database: Callable[[str], None], tmp_path: Path
) -> None:
    use_database(f"sqlite:///{tmp_path / 'newsfacts.db'}")
    runner = CliRunner()
    quiet = runner.invoke(cli, ["load"])
    assert quiet.exit_code == EXIT_OK, quiet.output
    assert not PROGRESS_BAR.search(quiet.stderr)
    assert re.search(
        r"^loaded 1 file\(s\) in \d+\.\d s: [1-9]\d* created, 0 updated, 0 deleted$",
        quiet.stdout,
        re.MULTILINE,
    )
    shown = runner.invoke(cli, ["load", "--progress"])
    assert shown.exit_code == EXIT_OK, shown.output
    assert re.search(r"validating .* 1/1", shown.stderr)
    assert re.search(r"applying .* 1/1", shown.stderr)
    assert not PROGRESS_BAR.search(shown.stdout)
    assert "loaded 1 file(s) in " in shown.stdout
    assert "0 created, 0 updated, 0 deleted" in shown.stdout

    out = tmp_path / "out"
    exported = runner.invoke(cli, ["export", str(out), "--progress"])
    assert exported.exit_code == EXIT_OK, exported.output
    assert re.search(r"exporting .* 1/1", exported.stderr)
    assert re.search(
        rf"^wrote 1 file\(s\) to {re.escape(str(out))} in \d+\.\d s$", exported.stdout, re.MULTILINE
    )
    quiet_export = runner.invoke(cli, ["export", str(out)])
    assert quiet_export.exit_code == EXIT_OK, quiet_export.output
    assert not PROGRESS_BAR.search(quiet_export.stderr)


def read_all(fd: int) -> str:
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the terminal's other end is closed and everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_is_shown_by_default_when_stdout_is_a_terminal(tmp_path: Path) -> None:
    env = {**os.environ, "NEWSFACTS_DATABASE_URL": f"sqlite:///{tmp_path / 'newsfacts.db'}"}
    load = [sys.executable, "-m", "app.cli", "load"]
    terminal, terminal_end = pty.openpty()
    try:
        on_terminal = subprocess.run(
            load, stdout=terminal_end, stderr=subprocess.PIPE, env=env, timeout=120, check=False
        )
    finally:
        os.close(terminal_end)
    try:
        shown = read_all(terminal)
    finally:
        os.close(terminal)
    assert on_terminal.returncode == EXIT_OK, shown
    assert "loaded 1 file(s) in " in shown
    assert re.search(r"applying .* 1/1", on_terminal.stderr.decode())

    piped = subprocess.run(load, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert piped.returncode == EXIT_OK, piped.stderr
    assert "loaded 1 file(s) in " in piped.stdout
    assert not PROGRESS_BAR.search(piped.stderr)


def test_serve_takes_its_workers_from_newsfacts_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    serve = command_at(("serve",))
    monkeypatch.setenv("NEWSFACTS_WORKERS", "3")
    with serve.make_context("serve", ["--no-seed"]) as context:
        assert context.params["workers"] == 3
    with serve.make_context("serve", ["--workers", "5"]) as context:
        assert context.params["workers"] == 5
    monkeypatch.delenv("NEWSFACTS_WORKERS")
    with serve.make_context("serve", []) as context:
        assert context.params["workers"] == 1
