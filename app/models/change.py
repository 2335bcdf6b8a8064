"""The audit log, which is also the change feed: one row per record written, in commit order."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Index, Integer, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class Operation(enum.StrEnum):
    """What happened to a record."""

    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"


JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class ChangeRecord(Base):
    """A record created, updated or deleted: who, when, and its state before and after.

    Writers are serialized (see app.core.db.lock_for_writes), so `seq` order is commit order.
    """

    __tablename__ = "changes"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    actor: Mapped[str] = mapped_column(String(100), doc="API key name, or `cli`.")
    operation: Mapped[str] = mapped_column(String(10), doc="created, updated or deleted")
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(100))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)

    __table_args__ = (Index("ix_changes_kind_record_id", "kind", "record_id"),)


class DataGeneration(Base):
    """A counter every write transaction increments: equal generations, equal data.

    Read caches key on it, so a cached answer is never served after a write has committed,
    by any worker.
    """

    __tablename__ = "data_generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger)
