"""API keys: bearer authentication, scopes, hashed storage, read keys, and the apikey CLI."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.auth.service import revoke_key
from app.bundles.loader import seed_bundle_paths
from app.cli import cli
from app.core.config import Settings, get_settings
from app.core.db import create_db_engine
from app.http.dependencies import get_session
from app.main import create_app
from app.models.api_key import ApiKey
from app.models.change import ChangeRecord
from tests.api import assert_problem, request_transaction
from tests.conftest import KeyMaker
from tests.databases import ScratchDatabases

SEED_PATH = next(p for p in seed_bundle_paths() if p.name == "lukashenka-putin-sochi-2018.yaml")
ARTICLE_ID = "lukashenka-putin-sochi-2018"
EVENT = "/v1/events/putin-inauguration-2018"


def participant(record_id: str = "new-participant") -> dict[str, Any]:
    return {
        "id": record_id,
        "name": "New Participant",
        "kind": "person",
        "evidence": [{"article_id": ARTICLE_ID, "text": "Sochi"}],
    }


def bearer(headers: dict[str, str]) -> str:
    """The plaintext key in Authorization headers made by make_key."""
    return headers["Authorization"].removeprefix("Bearer ")


def split_key(plaintext: str) -> tuple[str, str]:
    """`nf_<prefix>` and the secret of a key (the secret itself may contain underscores)."""
    scheme, prefix, secret = plaintext.split("_", 2)
    return f"{scheme}_{prefix}", secret


Write = Callable[[TestClient, dict[str, str]], Any]


def post_participant(client: TestClient, headers: dict[str, str]) -> Any:
    return client.post("/v1/participants", json=participant(), headers=headers)


def patch_event(client: TestClient, headers: dict[str, str]) -> Any:
    etag = client.get(EVENT).headers["etag"]
    return client.patch(EVENT, json={"status": "held"}, headers={**headers, "If-Match": etag})


def delete_quotation(client: TestClient, headers: dict[str, str]) -> Any:
    url = "/v1/quotations/lukashenka-may-backfire"
    etag = client.get(url).headers["etag"]
    return client.delete(url, headers={**headers, "If-Match": etag})


def post_import(client: TestClient, headers: dict[str, str]) -> Any:
    content = SEED_PATH.read_bytes()
    return client.post(
        "/v1/imports", content=content, headers={**headers, "Content-Type": "application/yaml"}
    )


WRITES: list[Write] = [post_participant, patch_event, delete_quotation, post_import]


def nothing_written(client: TestClient, session: Session, changes_before: int) -> None:
    assert client.get("/v1/participants/new-participant").status_code == 404
    assert client.get(EVENT).json()["status"] == "expected"
    assert client.get("/v1/quotations/lukashenka-may-backfire").status_code == 200
    assert len(session.scalars(select(ChangeRecord.seq)).all()) == changes_before


def changes_now(session: Session) -> int:
    return len(session.scalars(select(ChangeRecord.seq)).all())


# --- authentication -----------------------------------------------------------------------------


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__)
def test_a_write_without_a_key_is_401_with_www_authenticate(
    client: TestClient, session: Session, write: Write
) -> None:
    before = changes_now(session)
    response = write(client, {})
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].lower().startswith("bearer")
    nothing_written(client, session, before)


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer not-a-key",
        "Bearer nf_only-two-parts",
        "Bearer nf_000000000000_secretthatmatchesnothing",
        "Bearer " + "nf_" + "a" * 300,
        "Basic Y3VyYXRvcjpzZWNyZXQ=",
        "Bearer",
        "nf_000000000000_noscheme",
    ],
)
def test_a_malformed_or_unknown_key_is_401(
    client: TestClient, session: Session, writer: dict[str, str], authorization: str
) -> None:
    before = changes_now(session)
    response = post_participant(client, {"Authorization": authorization})
    assert_problem(response, 401)
    assert "bearer" in response.headers["www-authenticate"].lower()
    nothing_written(client, session, before)


def test_a_known_prefix_with_the_wrong_secret_is_401(
    client: TestClient, session: Session, writer: dict[str, str], make_key: KeyMaker
) -> None:
    prefix_part, secret = split_key(bearer(writer))
    other_secret = split_key(bearer(make_key("write")))[1]
    for forged in (
        f"{prefix_part}_{other_secret}",
        f"{prefix_part}_{secret[:-1]}",
        prefix_part + "_",
    ):
        response = post_participant(client, {"Authorization": f"Bearer {forged}"})
        assert_problem(response, 401)
    assert post_participant(client, writer).status_code == 201


def test_a_revoked_key_is_401(client: TestClient, session: Session, make_key: KeyMaker) -> None:
    headers = make_key("write", name="short-lived")
    assert patch_event(client, headers).status_code == 200
    assert revoke_key(session, "short-lived")
    session.flush()
    response = post_participant(client, headers)
    assert_problem(response, 401)
    assert "www-authenticate" in response.headers
    assert client.get("/v1/participants/new-participant").status_code == 404


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__)
def test_a_read_only_key_cannot_write(
    client: TestClient, session: Session, make_key: KeyMaker, write: Write
) -> None:
    before = changes_now(session)
    body = assert_problem(write(client, make_key("read")), 403)
    assert "write" in body["detail"]
    nothing_written(client, session, before)


def test_authentication_comes_before_body_validation(
    client: TestClient, make_key: KeyMaker
) -> None:
    garbage = {"id": "Not A Slug", "unknown": True}
    assert_problem(client.post("/v1/participants", json=garbage), 401)
    assert_problem(client.post("/v1/participants", json=garbage, headers=make_key("read")), 403)
    plain = {"Content-Type": "text/plain"}
    assert_problem(client.post("/v1/participants", content=b"x", headers=plain), 401)


@pytest.mark.parametrize("scope", ["write", "admin"])
def test_write_and_admin_keys_can_write_and_are_named_in_the_audit(
    client: TestClient, session: Session, make_key: KeyMaker, scope: str
) -> None:
    headers = make_key(scope, name=f"{scope}-curator")
    assert post_participant(client, headers).status_code == 201
    actors = session.scalars(
        select(ChangeRecord.actor).where(ChangeRecord.record_id == "new-participant")
    ).all()
    assert actors == [f"{scope}-curator"]


def test_api_keys_are_stored_only_as_hashes(
    session: Session, make_key: KeyMaker, client: TestClient
) -> None:
    plaintexts = [bearer(make_key(*scopes)) for scopes in (["read"], ["write"], ["admin", "read"])]
    rows = session.execute(select(ApiKey.__table__)).all()
    stored = [str(value) for row in rows for value in row]
    for plaintext in plaintexts:
        secret = split_key(plaintext)[1]
        assert len(secret) >= 32
        assert not any(secret in value or plaintext in value for value in stored)
        digest = hashlib.sha256(secret.encode("utf-8")).hexdigest()
        assert digest in stored
    # ...and the keys still work.
    assert post_participant(client, {"Authorization": f"Bearer {plaintexts[1]}"}).status_code == 201


# --- reads --------------------------------------------------------------------------------------

READS = [
    "/v1/events",
    "/v1/participants/alyaksandr-lukashenka",
    "/v1/quotations?speaker=alyaksandr-lukashenka",
    f"/v1/articles/{ARTICLE_ID}",
    "/v1/changes?limit=5",
]


@pytest.mark.parametrize("url", READS)
def test_reads_are_public_by_default(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 200


@pytest.fixture
def locked_client(database_url: str, session: Session) -> Iterator[TestClient]:
    """A client of an app created with require_read_key=True."""
    application = create_app(Settings(database_url=database_url, require_read_key=True))
    application.dependency_overrides[get_session] = request_transaction(session)
    with TestClient(application, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize("url", READS)
def test_reads_need_a_read_key_when_required(
    locked_client: TestClient, make_key: KeyMaker, url: str
) -> None:
    response = locked_client.get(url)
    assert_problem(response, 401)
    assert "www-authenticate" in response.headers
    assert_problem(locked_client.get(url, headers={"Authorization": "Bearer nf_x_y"}), 401)
    for scope in ("read", "write", "admin"):
        answer = locked_client.get(url, headers=make_key(scope))
        assert answer.status_code == 200, (scope, answer.text)
    public = locked_client.get(url, headers=make_key("read")).json()
    assert public  # the same data as without the lock


def test_health_stays_public_when_reads_need_a_key(locked_client: TestClient) -> None:
    assert locked_client.get("/healthz").status_code == 200


def test_writes_still_need_the_write_scope_when_reads_need_a_key(
    locked_client: TestClient, make_key: KeyMaker
) -> None:
    assert_problem(post_participant(locked_client, make_key("read")), 403)
    assert post_participant(locked_client, make_key("write")).status_code == 201


# --- the apikey command line --------------------------------------------------------------------


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


def stored_key_rows(url: str) -> list[tuple[Any, ...]]:
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(select(ApiKey.__table__))]
    finally:
        engine.dispose()


ARTICLE = {"id": "cli-article", "title": "CLI", "language": "en", "text": "Made with a CLI key."}


def test_cli_creates_lists_and_revokes_keys(empty_database: str) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["migrate"]).exit_code == 0
    created = runner.invoke(cli, ["apikey", "create", "--name", "alice", "--scope", "write"])
    assert created.exit_code == 0, created.output
    lines = created.output.strip().splitlines()
    assert len(lines) == 1
    key = lines[0].strip()
    assert key.startswith("nf_")
    assert len(key) >= 40

    rows = stored_key_rows(empty_database)
    assert len(rows) == 1
    assert not any(split_key(key)[1] in str(value) for value in rows[0])

    listed = runner.invoke(cli, ["apikey", "list"])
    assert listed.exit_code == 0, listed.output
    assert "alice" in listed.output
    assert "write" in listed.output
    assert "active" in listed.output
    assert key not in listed.output
    assert split_key(key)[1] not in listed.output

    application = create_app(Settings(database_url=empty_database))
    with TestClient(application, raise_server_exceptions=False) as client:
        headers = {"Authorization": f"Bearer {key}"}
        response = client.post("/v1/articles", json=ARTICLE, headers=headers)
        assert response.status_code == 201, response.text

        revoked = runner.invoke(cli, ["apikey", "revoke", "alice"])
        assert revoked.exit_code == 0, revoked.output
        assert "alice" in revoked.output
        again = client.post("/v1/articles", json={**ARTICLE, "id": "second"}, headers=headers)
        assert_problem(again, 401)
        assert client.get("/v1/articles/second").status_code == 404
        assert client.get("/v1/articles/cli-article").status_code == 200

    listed = runner.invoke(cli, ["apikey", "list"])
    assert "revoked" in listed.output
    assert "active" not in listed.output
    twice = runner.invoke(cli, ["apikey", "revoke", "alice"])
    assert twice.exit_code != 0
    unknown = runner.invoke(cli, ["apikey", "revoke", "nobody"])
    assert unknown.exit_code != 0


def test_cli_refuses_a_duplicate_name_or_an_unknown_scope(empty_database: str) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["migrate"]).exit_code == 0
    first = runner.invoke(cli, ["apikey", "create", "--name", "bob", "--scope", "read"])
    assert first.exit_code == 0, first.output
    duplicate = runner.invoke(cli, ["apikey", "create", "--name", "bob", "--scope", "write"])
    assert duplicate.exit_code != 0
    assert "nf_" not in duplicate.output
    bad_scope = runner.invoke(cli, ["apikey", "create", "--name", "carol", "--scope", "root"])
    assert bad_scope.exit_code != 0
    assert [row[1] for row in stored_key_rows(empty_database)] == ["bob"]


def test_cli_key_scopes_are_enforced(empty_database: str) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["migrate"]).exit_code == 0
    made = runner.invoke(cli, ["apikey", "create", "--name", "reader", "--scope", "read"])
    key = made.output.strip()
    application = create_app(Settings(database_url=empty_database, require_read_key=True))
    with TestClient(application, raise_server_exceptions=False) as client:
        headers = {"Authorization": f"Bearer {key}"}
        assert client.get("/v1/articles", headers=headers).status_code == 200
        assert_problem(client.get("/v1/articles"), 401)
        assert_problem(client.post("/v1/articles", json=ARTICLE, headers=headers), 403)


def test_cli_apikey_create_on_a_fresh_database_does_not_crash(empty_database: str) -> None:
    """`load` and `serve` migrate first; `apikey create` must too, or fail with a clear message."""
    result = CliRunner().invoke(cli, ["apikey", "create", "--name", "first", "--scope", "admin"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    if result.exit_code == 0:
        assert result.output.strip().startswith("nf_")
    else:
        assert "error" in result.output.lower()
