"""Idempotent POSTs: the first response to a key is stored and replayed on retries."""

from __future__ import annotations

from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.auth.service import Principal
from app.core.errors import FieldError, ValidationFailed
from app.models.idempotency import IdempotencyRecord

REPLAYED_HEADER = "Idempotent-Replayed"


def replay(session: Session, principal: Principal, key: str, fingerprint: str) -> Response | None:
    """The stored response for this key, or None; 422 if the key came with another request."""
    if not 1 <= len(key) <= 200:
        raise ValidationFailed(
            "Idempotency-Key must be 1 to 200 characters.",
            [FieldError(location="header", name="Idempotency-Key", message="1 to 200 characters")],
        )
    record = session.get(IdempotencyRecord, (principal.key_id, key))
    if record is None:
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
    session: Session, principal: Principal, key: str, fingerprint: str, response: Response
) -> None:
    """Store the response to replay for later requests with the same key."""
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
