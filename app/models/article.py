"""Article: a news story stored verbatim, the source every fact's evidence points into."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.dates import DatePrecision
from app.core.db import Base, str_enum


class Article(Base):
    """A news article; `text` is verbatim and never rewritten once facts point into it."""

    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(35))
    publisher: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2048))
    published_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    published_precision: Mapped[DatePrecision | None] = mapped_column(
        str_enum(DatePrecision, "published_precision")
    )
    content_sha256: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        CheckConstraint(
            "(published_on IS NULL) = (published_precision IS NULL)", name="published_pair"
        ),
        CheckConstraint("length(content_sha256) = 64", name="content_sha256_length"),
    )
