"""Idempotent POSTs: the first response to a key is stored and replayed on retries.

A stored response is replayed for `ttl_hours` (NEWSFACTS_IDEMPOTENCY_TTL_H) after it was made;
after that the key is free again. Expired records are removed by the writes themselves, a few
at a time (SWEEP_BATCH, found through the index on created_at), so no write pays for a backlog
and none is left to grow.
"""

from __future__ import annotations

import datetime as dt

from fastapi.responses import Response
from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from app.auth.service import Principal
from app.core.errors import FieldError, ValidationFailed
from app.models.idempotency import IdempotencyRecord

REPLAYED_HEADER = "Idempotent-Replayed"
DEFAULT_TTL_HOURS = 24
SWEEP_BATCH = 20


def _cutoff(ttl_hours: int) -> dt.datetime:
    """Records made before this instant have expired (UTC, as the database stores times)."""
    return dt.datetime.now(dt.UTC) - dt.timedelta(hours=ttl_hours)


def _expired(record: IdempotencyRecord, ttl_hours: int) -> bool:
    created = record.created_at
    if created.tzinfo is None:  # SQLite gives back the UTC time it stored, without a zone
        created = created.replace(tzinfo=dt.UTC)
    return created < _cutoff(ttl_hours)


def replay(
    session: Session,
    principal: Principal,
    key: str,
    fingerprint: str,
    ttl_hours: int = DEFAULT_TTL_HOURS,
) -> Response | None:
    """The stored response for this key, or None; 422 if the key came with another request.

    An expired record counts as none: it is deleted, so the request runs and is stored anew.
    """
    if not 1 <= len(key) <= 200:
        raise ValidationFailed(
            "Idempotency-Key must be 1 to 200 characters.",
            [FieldError(location="header", name="Idempotency-Key", message="1 to 200 characters")],
        )
    record = session.get(IdempotencyRecord, (principal.key_id, key))
    if record is None:
        return None
    if _expired(record, ttl_hours):
        session.delete(record)
        session.flush()
        return None
    if record.request_sha256 != fingerprint:
        raise ValidationFailed(
            "This Idempotency-Key was already used with a different request.",
            [
                FieldError(
                    location="header",
                    name="Idempotency-Key",
                    message="already used with a different request body or path",
                )
            ],
        )
    headers = {REPLAYED_HEADER: "true", "Cache-Control": "no-store"}
    if record.location:
        headers["Location"] = record.location
    return Response(
        record.response_body,
        status_code=record.status_code,
        media_type="application/json",
        headers=headers,
    )


def remember(
    session: Session,
    principal: Principal,
    key: str,
    fingerprint: str,
    response: Response,
    ttl_hours: int = DEFAULT_TTL_HOURS,
) -> None:
    """Store the response to replay for later requests with the same key; sweep a few expired."""
    sweep_expired(session, ttl_hours)
    session.add(
        IdempotencyRecord(
            api_key_id=principal.key_id,
            key=key,
            request_sha256=fingerprint,
            status_code=response.status_code,
            response_body=bytes(response.body).decode("utf-8"),
            location=response.headers.get("location"),
        )
    )
    session.flush()


def sweep_expired(session: Session, ttl_hours: int, limit: int = SWEEP_BATCH) -> int:
    """Delete up to `limit` expired records, oldest first; returns how many."""
    oldest = (
        select(IdempotencyRecord.api_key_id, IdempotencyRecord.key)
        .where(IdempotencyRecord.created_at < _cutoff(ttl_hours))
        .order_by(IdempotencyRecord.created_at)
        .limit(limit)
    )
    result = session.execute(
        delete(IdempotencyRecord)
        .where(tuple_(IdempotencyRecord.api_key_id, IdempotencyRecord.key).in_(oldest))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
