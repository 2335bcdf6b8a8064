"""API keys: creation, authentication (constant time), listing, revocation."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.api_key import ApiKey

KEY_PREFIX = "nf"


class Scope(enum.StrEnum):
    """What a key may do; each scope includes the ones below it."""

    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


_IMPLIED = {
    Scope.READ: {Scope.READ},
    Scope.WRITE: {Scope.READ, Scope.WRITE},
    Scope.ADMIN: {Scope.READ, Scope.WRITE, Scope.ADMIN},
}


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's id and name, and every scope it grants."""

    key_id: int
    name: str
    scopes: frozenset[Scope]

    def allows(self, scope: Scope) -> bool:
        """Whether this key grants scope."""
        return scope in self.scopes


def granted_scopes(scopes: Iterable[Scope]) -> frozenset[Scope]:
    """The scopes keys with these scopes hold, implied ones included."""
    granted: set[Scope] = set()
    for scope in scopes:
        granted |= _IMPLIED[scope]
    return frozenset(granted)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_key(session: Session, name: str, scopes: Iterable[Scope]) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the plaintext key, which is never stored."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(
        name=name,
        prefix=prefix,
        secret_sha256=_digest(secret),
        scopes=" ".join(sorted({Scope(s).value for s in scopes})),
    )
    session.add(key)
    session.flush()
    return key, f"{KEY_PREFIX}_{prefix}_{secret}"


def authenticate(session: Session, token: str) -> Principal | None:
    """The principal of a valid, unrevoked key; None otherwise (compared in constant time)."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(token) > 200:
        return None
    _, prefix, secret = parts
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    # Compare a digest even when no key matched, so timing does not tell prefixes apart.
    expected = key.secret_sha256 if key is not None else "0" * 64
    if not hmac.compare_digest(_digest(secret), expected) or key is None:
        return None
    if key.revoked_at is not None:
        return None
    return Principal(
        key_id=key.id,
        name=key.name,
        scopes=granted_scopes(Scope(s) for s in key.scopes.split()),
    )


def list_keys(session: Session) -> list[ApiKey]:
    """Every key, oldest first (hashes only; plaintext keys are never stored)."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


def revoke_key(session: Session, name: str) -> bool:
    """Revoke the named key; False if there is no such unrevoked key."""
    key = session.scalar(select(ApiKey).where(ApiKey.name == name, ApiKey.revoked_at.is_(None)))
    if key is None:
        return False
    key.revoked_at = session.scalar(select(func.now())) or dt.datetime.now(dt.UTC)
    return True


def key_actor_ids(session: Session, names: Iterable[str]) -> dict[str, str]:
    """For each of the names that is an API key's name: `key-<id>`, the key's public handle."""
    wanted = set(names)
    if not wanted:
        return {}
    rows = session.execute(select(ApiKey.name, ApiKey.id).where(ApiKey.name.in_(wanted)))
    return {name: f"key-{key_id}" for name, key_id in rows}
