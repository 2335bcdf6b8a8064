"""The change feed's representations and parameters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.core.pagination import MAX_LIMIT
from app.models.change import Operation
from app.models.kind import RecordKind


class ChangeRead(BaseModel):
    """One record created, updated or deleted, with its state before and after."""

    cursor: str = Field(description="Pass as `since` to get the changes after this one.")
    seq: int = Field(description="Position in commit order.")
    occurred_at: dt.datetime
    actor: str = Field(
        description="Who wrote it: `cli` for loads; for an API key, its name when the reader's"
        " key has the admin scope, else `key-<id>`."
    )
    operation: Operation
    kind: RecordKind
    id: str
    before: dict[str, Any] | None = Field(description="The record before (null if created).")
    after: dict[str, Any] | None = Field(
        description="The record after; null for a deletion (a tombstone)."
    )


class ChangeQuery(BaseModel):
    """Where to start reading the feed, and how much to read."""

    model_config = ConfigDict(extra="forbid")

    since: str | None = Field(
        default=None,
        max_length=512,
        description="A cursor from an earlier change (or `next_cursor`); omit to start at"
        " the beginning.",
    )
    limit: int = Field(default=100, ge=1, le=MAX_LIMIT, description="Changes per page.")
    kind: RecordKind | None = Field(default=None, description="Only changes of this kind.")
