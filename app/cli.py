"""The `newsfacts` command line: migrate, load bundles, serve the API."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from pydantic_settings import SettingsError
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

# Typer vendors click; its group and usage error are what a subclass of its group deals with.
from typer._click import Context as ClickContext
from typer._click.exceptions import UsageError
from typer.core import TyperGroup

from app.auth.service import create_key, list_keys
from app.core.config import get_settings
from app.core.db import create_db_engine, create_session_factory, migrate

if TYPE_CHECKING:
    from rich.progress import Progress

    from app.extraction.service import KnownRecord

# Exit codes scripts can rely on; `newsfacts --help` lists them.
EXIT_OK = 0
EXIT_USAGE = 1
EXIT_INVALID_BUNDLE = 2
EXIT_DATABASE_ERROR = 3
EXIT_NOT_FOUND = 4

EXIT_CODES = {
    EXIT_OK: "success",
    EXIT_USAGE: "usage error: an unknown command or option, a bad value or setting",
    EXIT_INVALID_BUNDLE: "invalid bundle: every problem is named, and nothing is written",
    EXIT_DATABASE_ERROR: "database unreachable or not migrated",
    EXIT_NOT_FOUND: "not found",
}

NOT_MIGRATED = "the database is not at the latest migration; run `newsfacts migrate` first"


def _fail(message: str, code: int) -> NoReturn:
    """Print `error: message` as one line on stderr and exit with code."""
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    raise typer.Exit(code)


def _database_failed(exc: SQLAlchemyError) -> NoReturn:
    """Report a database that cannot be used (its URL without the password) and exit 3."""
    where = make_url(get_settings().database_url).render_as_string(hide_password=True)
    reason = getattr(exc, "orig", None) or exc
    _fail(f"cannot use the database {where}: {reason}", EXIT_DATABASE_ERROR)


class _Commands(TyperGroup):
    """The command group: usage errors exit 1; an unusable database is one line and exit 3."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: ClickContext | None = None,
        **extra: Any,
    ) -> ClickContext:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except UsageError as exc:
            exc.exit_code = EXIT_USAGE  # click's 2 means an invalid bundle here
            raise

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            exc.exit_code = EXIT_USAGE
            raise
        except (OperationalError, InterfaceError) as exc:
            # Refused, unresolvable host, unknown database, bad credentials, no SQLite directory.
            _database_failed(exc)
        except ValidationError as exc:
            if exc.title != "Settings":
                raise
            problems = "; ".join(
                f"NEWSFACTS_{str(error['loc'][0]).upper()}: {error['msg']}"
                for error in exc.errors()
            )
            _fail(f"invalid settings: {problems}", EXIT_USAGE)
        except SettingsError as exc:  # a NEWSFACTS_* value that does not even parse
            _fail(f"invalid settings: {exc}", EXIT_USAGE)


cli = typer.Typer(
    name="newsfacts",
    cls=_Commands,
    help="newsfacts: a provenance-first API serving the facts of news articles.",
    epilog="\n".join(
        ["Exit codes:", *(f"{code}  {meaning}" for code, meaning in EXIT_CODES.items())]
    ),
    no_args_is_help=True,
    add_completion=False,
)

ProgressOption = Annotated[
    bool | None,
    typer.Option(
        "--progress/--no-progress",
        help="Show progress bars on stderr. Default: only when stdout is a terminal.",
        show_default=False,
    ),
]

_T = TypeVar("_T")


def _progress(show: bool | None) -> Progress:
    """Progress bars on stderr, when asked for or (by default) when stdout is a terminal."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not (sys.stdout.isatty() if show is None else show),
    )


def _advancing(bar: Progress, description: str, items: Sequence[_T]) -> Iterator[_T]:
    """Yield the items, advancing a progress bar as the consumer finishes with each."""
    task = bar.add_task(description, total=len(items))
    for item in items:
        yield item
        bar.advance(task)


@cli.command("migrate")
def migrate_command() -> None:
    """Upgrade the database to the latest migration.

    The database is NEWSFACTS_DATABASE_URL's; an up-to-date database is left as it is.
    """
    migrate(get_settings().database_url)
    typer.echo("database is at the latest migration")


@cli.command("load")
def load_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Bundle files (YAML or JSON). Default: the bundled seed bundle."),
    ] = None,
    migrate_first: Annotated[
        bool, typer.Option("--migrate/--no-migrate", help="Upgrade the schema first.")
    ] = True,
    progress: ProgressOption = None,
) -> None:
    """Validate bundles, then load them in one transaction (idempotent).

    Loading twice changes nothing; an edited bundle updates what changed and removes the
    article's facts it no longer has. A bundle with any problem is refused, naming each
    problem, and nothing is written (exit code 2).
    """
    from app.bundles.loader import (
        BundleError,
        apply_bundles,
        seed_bundle_paths,
        validate_bundles,
    )
    from app.core.db import current_revision_is_head
    from app.kinds import KINDS

    started = time.monotonic()
    settings = get_settings()
    files = paths or seed_bundle_paths()
    if migrate_first:
        migrate(settings.database_url)
    engine = create_db_engine(settings.database_url)
    factory = create_session_factory(engine)
    try:
        if not migrate_first and not current_revision_is_head(engine):
            _fail(NOT_MIGRATED, EXIT_DATABASE_ERROR)
        with _progress(progress) as bar:
            bundles = validate_bundles(_advancing(bar, "validating", files), kinds=KINDS)
        typer.echo(f"validated {len(bundles)} bundle(s); applying in one transaction")
        with _progress(progress) as bar, factory() as session, session.begin():
            result = apply_bundles(session, _advancing(bar, "applying", bundles), kinds=KINDS)
    except BundleError as exc:
        typer.echo(f"error: {exc}\nnothing was written.", err=True)
        raise typer.Exit(EXIT_INVALID_BUNDLE) from None
    finally:
        engine.dispose()
    counts = result.counts()
    if not counts:
        typer.echo("loaded: no changes (the database already matches)")
    for kind, ops in counts.items():
        summary = ", ".join(f"{n} {op}" for op, n in sorted(ops.items()))
        typer.echo(f"{kind}: {summary}")
    totals = ", ".join(
        f"{sum(ops.get(op, 0) for ops in counts.values())} {op}"
        for op in ("created", "updated", "deleted")
    )
    typer.echo(f"loaded {len(files)} file(s) in {time.monotonic() - started:.1f} s: {totals}")


@cli.command("export")
def export_command(
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="PATH",
            help="Directory to write <article-id>.yaml into; created if missing.",
        ),
    ],
    progress: ProgressOption = None,
) -> None:
    """Write every article as a bundle file, PATH/<article-id>.yaml.

    Each file is the article's bundle in the bundle format.

    Loading them (`newsfacts load PATH/*.yaml`) into an empty database gives the same answers.

    Exporting an unchanged database again writes byte-identical files.

    Links to records not evidenced in the article cannot be written; each is reported as a warning.

    The database is only read, never changed.
    """
    from app.bundles.exporter import (
        FACT_KINDS,
        ExportedFile,
        ExportError,
        export_all,
        read_snapshot,
    )
    from app.core.db import current_revision_is_head
    from app.kinds import KINDS
    from app.models.article import Article

    if directory.exists() and not directory.is_dir():
        typer.echo(f"error: {directory} exists and is not a directory", err=True)
        raise typer.Exit(EXIT_USAGE)
    facts: dict[str, set[str]] = {kind: set() for kind in FACT_KINDS}
    warnings = 0

    def report(exported: ExportedFile) -> None:
        nonlocal warnings
        for kind, ids in exported.facts.items():
            facts[kind].update(ids)
        for what in exported.omitted:
            typer.echo(f"warning: {exported.article_id}: left out {what}", err=True)
        warnings += len(exported.omitted)

    started = time.monotonic()
    engine = create_db_engine(get_settings().database_url)
    try:
        if not current_revision_is_head(engine):
            _fail(NOT_MIGRATED, EXIT_DATABASE_ERROR)
        with (
            _progress(progress) as bar,
            create_session_factory(engine)() as session,
            session.begin(),
        ):
            read_snapshot(session)
            articles = session.scalar(select(func.count()).select_from(Article))
            task = bar.add_task("exporting", total=articles)

            def on_file(exported: ExportedFile) -> None:
                report(exported)
                bar.advance(task)

            written = export_all(session, directory, kinds=KINDS, on_file=on_file)
    except ExportError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID_BUNDLE) from None
    except OSError as exc:
        typer.echo(f"error: cannot write to {directory}: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except SQLAlchemyError as exc:
        _database_failed(exc)
    finally:
        engine.dispose()
    typer.echo(f"wrote {len(written)} file(s) to {directory} in {time.monotonic() - started:.1f} s")
    for kind, ids in facts.items():
        typer.echo(f"{kind}: {len(ids)}")
    if warnings:
        typer.echo(f"{warnings} warning(s): links the bundle format cannot express", err=True)


@cli.command("extract")
def extract_command(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The article's text (UTF-8), verbatim.")
    ],
    article_id: Annotated[
        str, typer.Option("--id", help="The article's id in the bundle (a lower-case slug).")
    ],
    published: Annotated[
        str | None,
        typer.Option(help="Publication date, YYYY, YYYY-MM or YYYY-MM-DD: dates relative to it."),
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="The article's title. Default: its first line.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the bundle here. Default: stdout."),
    ] = None,
    known: Annotated[
        bool,
        typer.Option(
            "--known/--no-known",
            help="Resolve speakers to the participants stored in the configured database, when"
            " it exists and is migrated; --no-known drafts without them.",
        ),
    ] = True,
) -> None:
    """Draft a bundle of an article's quotations, for review before `newsfacts load`.

    English only. Speakers are resolved through the text and, with --known (the default), the
    stored participants' names, aliases and titles. Quotations whose speaker cannot be named
    are left out, each reported on stderr. The database is only read, never changed.
    """
    from app.bundles.loader import BundleError
    from app.core.dates import parse_partial_date
    from app.core.text import is_slug
    from app.extraction.bundle import draft_bundle
    from app.extraction.engine import extract
    from app.kinds import KINDS

    if not is_slug(article_id) or len(article_id) > 100:
        _fail(f"--id {article_id!r} is not a slug (a-z, 0-9 and single hyphens)", EXIT_USAGE)
    if published is not None:
        try:
            published = str(parse_partial_date(published))
        except ValueError:
            _fail(f"--published {published!r} is not YYYY, YYYY-MM or YYYY-MM-DD", EXIT_USAGE)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read {file}: {exc}", EXIT_USAGE)
    if not text.strip():
        _fail(f"{file} holds no text", EXIT_USAGE)
    records = _stored_participants() if known else []
    quotations = extract(text, published=published, known=[r.known() for r in records])
    try:
        bundle = draft_bundle(
            text,
            quotations,
            article_id=article_id,
            title=title,
            published=published,
            known=records,
            kinds=KINDS,
        )
    except BundleError as exc:
        typer.echo(f"error: the draft would not load: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID_BUNDLE) from None
    rendered = bundle.yaml()
    for what in bundle.left_out:
        typer.echo(f"left out: {what}", err=True)
    if output is None:
        typer.echo(rendered, nl=False)
    else:
        try:
            output.write_text(rendered, encoding="utf-8", newline="\n")
        except OSError as exc:
            _fail(f"cannot write {output}: {exc}", EXIT_USAGE)
    kinds = [q["kind"] for q in bundle.data["quotations"]]
    counts = ", ".join(f"{kinds.count(k)} {k}" for k in ("direct", "partial", "indirect"))
    stored_ids = {r.id for r in records}
    stored = sum(1 for p in bundle.data["participants"] if p["id"] in stored_ids)
    typer.echo(
        f"drafted {len(kinds)} quotation(s) ({counts}) and {len(bundle.data['participants'])}"
        f" participant(s) ({stored} stored); left out {len(bundle.left_out)}: review, then"
        " `newsfacts load`",
        err=True,
    )


def _stored_participants() -> list[KnownRecord]:
    """The configured database's participants, or none (said on stderr) when it has none."""
    from app.core.db import current_revision_is_head
    from app.extraction.service import known_records

    url = make_url(get_settings().database_url)
    file_database = url.get_backend_name() == "sqlite" and url.database not in (
        None,
        "",
        ":memory:",
    )
    if file_database and not Path(str(url.database)).exists():  # connecting would create it
        typer.echo("note: no database yet: drafting without stored participants", err=True)
        return []
    engine = create_db_engine(url)
    try:
        if not current_revision_is_head(engine):
            typer.echo("note: the database is not migrated: no stored participants", err=True)
            return []
        with create_session_factory(engine)() as session:
            return known_records(session)
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        typer.echo(f"note: cannot read the database ({reason}): no stored participants", err=True)
        return []
    finally:
        engine.dispose()


@cli.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, envvar="NEWSFACTS_WORKERS", help="Worker processes.")
    ] = 1,
    seed: Annotated[
        bool, typer.Option("--seed/--no-seed", help="Load the seed bundle into an empty database.")
    ] = True,
) -> None:
    """Migrate, load the seed into an empty database, and serve the API.

    With --no-seed an empty database stays empty: for deployments that load their data
    separately (docker-compose.yml's one-shot migrate service runs `newsfacts load`).
    """
    import uvicorn

    from app.bundles.loader import load_bundles, seed_bundle_paths
    from app.kinds import KINDS
    from app.models.article import Article

    settings = get_settings()
    migrate(settings.database_url)
    if seed:
        engine = create_db_engine(settings.database_url)
        factory = create_session_factory(engine)
        try:
            with factory() as session, session.begin():
                if session.scalar(select(func.count()).select_from(Article)) == 0:
                    load_bundles(session, seed_bundle_paths(), kinds=KINDS)
                    typer.echo("loaded the seed bundle into the empty database")
        finally:
            engine.dispose()
    from app.http.shutdown import graceful_timeout

    trusted = [str(network) for network in settings.trusted_proxies]
    with metrics_shared_by(workers):
        uvicorn.run(
            "app.main:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=settings.log_level,
            # X-Forwarded-For and -Proto are believed from NEWSFACTS_TRUSTED_PROXIES only (none
            # by default; uvicorn's own default would believe any loopback peer).
            proxy_headers=bool(trusted),
            forwarded_allow_ips=",".join(trusted) if trusted else None,
            timeout_graceful_shutdown=graceful_timeout(settings.shutdown_timeout_s),
        )


MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"  # prometheus_client reads it when imported


@contextmanager
def metrics_shared_by(workers: int) -> Iterator[None]:
    """With several workers, have them keep their metrics in one directory, which /metrics
    of any worker adds up (prometheus_client's multiprocess mode); removed afterwards.

    A PROMETHEUS_MULTIPROC_DIR already set (a process manager's own) is used as it is.
    """
    if workers < 2 or os.environ.get(MULTIPROC_VARIABLE):
        yield
        return
    directory = tempfile.mkdtemp(prefix="newsfacts-metrics-")
    os.environ[MULTIPROC_VARIABLE] = directory  # the workers inherit it
    try:
        yield
    finally:
        del os.environ[MULTIPROC_VARIABLE]
        shutil.rmtree(directory, ignore_errors=True)


@cli.command("synth")
def synth_command(
    articles: Annotated[int, typer.Option(min=1, help="How many articles to write.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same corpus.")] = 1,
    other_languages: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="The share of articles not in English (German, Polish, Russian,"
            " undetermined), whose quotations are searched word for word.",
        ),
    ] = 0.0,
) -> None:
    """Write a synthetic corpus for benchmarks (about ten quotations per article).

    Bulk inserts into the configured database, migrated first. The rows bypass the change
    feed: they are benchmark data, not curated facts.
    """
    from rich.progress import Progress

    from app.synth.service import synthesize

    settings = get_settings()
    migrate(settings.database_url)
    engine = create_db_engine(settings.database_url)
    try:
        with Progress(transient=True) as progress:
            task = progress.add_task("writing articles", total=articles)
            report = synthesize(
                engine,
                articles,
                seed,
                progress=lambda n: progress.advance(task, n),
                other_languages=other_languages,
            )
    finally:
        engine.dispose()
    for table, count in sorted(report.counts.items()):
        typer.echo(f"{table}: {count}")
    typer.echo(f"synthesized in {report.seconds:.1f} s")


apikey_cli = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
cli.add_typer(apikey_cli, name="apikey")


def _session_factory() -> tuple[Any, Any]:
    """An engine and session factory on the configured database, migrated to the latest."""
    settings = get_settings()
    migrate(settings.database_url)
    engine = create_db_engine(settings.database_url)
    return engine, create_session_factory(engine)


@apikey_cli.command("create")
def apikey_create(
    name: Annotated[str, typer.Option(help="A unique name; it is recorded with every write.")],
    scope: Annotated[
        list[str],
        typer.Option(help="read, write or admin (repeatable); write includes read."),
    ],
) -> None:
    """Create a key and print it once: only its hash is stored."""
    from app.auth.service import Scope

    try:
        scopes = [Scope(s) for s in scope]
    except ValueError:
        typer.echo(f"error: scopes are {', '.join(s.value for s in Scope)}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    engine, factory = _session_factory()
    try:
        with factory() as session, session.begin():
            if any(key.name == name for key in list_keys(session)):
                typer.echo(f"error: a key named {name!r} exists", err=True)
                raise typer.Exit(EXIT_USAGE)
            _, plaintext = create_key(session, name, scopes)
    finally:
        engine.dispose()
    typer.echo(plaintext)


@apikey_cli.command("list")
def apikey_list() -> None:
    """List keys: name, scopes, created, revoked (never the key itself)."""
    engine, factory = _session_factory()
    try:
        with factory() as session:
            for key in list_keys(session):
                revoked = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active"
                typer.echo(f"{key.name}\t{key.scopes}\t{key.created_at:%Y-%m-%d %H:%M}\t{revoked}")
    finally:
        engine.dispose()


@apikey_cli.command("revoke")
def apikey_revoke(name: Annotated[str, typer.Argument(help="The key's name.")]) -> None:
    """Revoke a key: requests with it get 401 from now on."""
    from app.auth.service import revoke_key

    engine, factory = _session_factory()
    try:
        with factory() as session, session.begin():
            if not revoke_key(session, name):
                typer.echo(f"error: no active key named {name!r}", err=True)
                raise typer.Exit(EXIT_NOT_FOUND)
    finally:
        engine.dispose()
    typer.echo(f"revoked {name}")


def main() -> None:
    """Entry point of the `newsfacts` script."""
    sys.exit(cli())


if __name__ == "__main__":
    main()
