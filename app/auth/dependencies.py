"""Authentication dependencies: `Authorization: Bearer <key>` with scopes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth.service import Principal, Scope, authenticate
from app.core.errors import Forbidden, Unauthorized
from app.http.dependencies import SessionDep, run_in_session

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key made with `newsfacts apikey create`, sent as a bearer token.",
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def _principal(session: SessionDep, credentials: Credentials) -> Principal:
    if credentials is None:
        raise Unauthorized("This operation needs an API key: send `Authorization: Bearer <key>`.")
    principal = authenticate(session, credentials.credentials)
    if principal is None:
        raise Unauthorized("The API key is not valid (unknown, malformed or revoked).")
    return principal


def require(scope: Scope) -> object:
    """A dependency that yields the caller's Principal, if their key grants scope."""

    def dependency(session: SessionDep, credentials: Credentials) -> Principal:
        principal = _principal(session, credentials)
        if not principal.allows(scope):
            raise Forbidden(f"This operation needs an API key with the `{scope.value}` scope.")
        return principal

    return Depends(dependency)


async def read_access(session: SessionDep, credentials: Credentials) -> None:
    """Reads need a key with the `read` scope (the app adds this to its read routes only when
    NEWSFACTS_REQUIRE_READ_KEY is set; reads are public otherwise)."""
    principal = await run_in_session(session, _principal, session, credentials)
    if not principal.allows(Scope.READ):
        raise Forbidden("Reading needs an API key with the `read` scope.")


WriterDep = Annotated[Principal, require(Scope.WRITE)]
AdminDep = Annotated[Principal, require(Scope.ADMIN)]
