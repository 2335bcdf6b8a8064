"""`GET /v1/export`: a whole kind of record, streamed as NDJSON or CSV."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from app.core.errors import problem_responses
from app.exports import service
from app.exports.service import MEDIA_TYPES, ExportFormat, ExportKind, Kinds, csv_columns
from app.http.dependencies import SessionOpener, SessionOpenerDep
from app.http.routing import DatabaseRoute

SEND_PIECE = 64 * 1024


class ExportQuery(BaseModel):
    """What to export, and how."""

    model_config = ConfigDict(extra="forbid")

    kind: ExportKind = Field(description="The kind of record to export, every one of them.")
    format: ExportFormat = Field(
        default=ExportFormat.NDJSON,
        description="`ndjson` (default): one canonical state per line, as the change feed's"
        " `after`; `csv`: RFC 4180 with a header row, lists joined by `|`.",
    )


class NdjsonStreamingResponse(StreamingResponse):
    """A streamed body whose default media type is NDJSON (CSV is set per response)."""

    media_type = MEDIA_TYPES[ExportFormat.NDJSON]


async def export_records(
    request: Request, sessions: SessionOpenerDep, query: Annotated[ExportQuery, Query()]
) -> StreamingResponse:
    kinds: Kinds = request.app.state.kinds
    # Read the first batch now: an error there (the database down) is still a problem+json.
    first, after = await run_in_threadpool(_batch, sessions, kinds, query.kind, query.format, None)
    filename = f"newsfacts-{query.kind.value}.{query.format.value}"
    media_type = MEDIA_TYPES[query.format]
    if query.format is ExportFormat.CSV:
        media_type += "; charset=utf-8; header=present"
    return NdjsonStreamingResponse(
        _chunks(sessions, kinds, query.kind, query.format, first, after),
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def _batch(
    sessions: SessionOpener,
    kinds: Kinds,
    kind: ExportKind,
    export_format: ExportFormat,
    after: str | None,
) -> tuple[bytes, str | None]:
    """One batch, read in a session of its own, closed (its connection back in the pool)
    before the batch is sent."""
    with sessions() as session:
        return service.export_batch(session, kinds, kind, export_format, after)


async def _chunks(
    sessions: SessionOpener,
    kinds: Kinds,
    kind: ExportKind,
    export_format: ExportFormat,
    first: bytes,
    after: str | None,
) -> AsyncIterator[bytes]:
    chunk = first
    while True:
        # In pieces: a client that stops reading leaves at most one piece in the server's
        # buffer (beyond the kernel's), not a whole batch, when the send timeout drops it.
        for offset in range(0, len(chunk), SEND_PIECE):
            yield chunk[offset : offset + SEND_PIECE]
        if after is None:
            return
        chunk, after = await run_in_threadpool(_batch, sessions, kinds, kind, export_format, after)


def export_router(kinds: Kinds) -> APIRouter:
    """The export route, with its CSV columns described from the registry of kinds."""
    router = APIRouter(prefix="/v1/export", tags=["exports"], route_class=DatabaseRoute)
    csv_description = "; ".join(
        f"{kind.value}: {', '.join(csv_columns(kinds, kind))}" for kind in ExportKind
    )
    router.add_api_route(
        "",
        export_records,
        methods=["GET"],
        operation_id="exportRecords",
        summary="Export every record of a kind",
        description="Streams every quotation, event, participant, issue or article, in id order,"
        " read in batches so that any size is served in constant memory. Each batch is read in"
        " its own short transaction (no connection is held while a batch is sent), so a record"
        " written during a long export appears if its id comes after the batches already sent."
        " NDJSON lines are the records' canonical states (as in the change feed); CSV has these"
        f" columns: {csv_description}. In CSV a cell that starts with `=`, `+`, `-`, `@`, a tab"
        " or a carriage return gets a leading `'` (OWASP's advice against formula injection:"
        " spreadsheets show it as text); NDJSON is never altered. In CSV a null is an empty"
        " cell and a list is one cell with its items joined by `|` (`\\|` and `\\\\` escape"
        " them inside an item): evidence as `article_id:start:end`, participants"
        " `participant_id:role`, agenda `event_id:status`, aliases `language:alias`, external"
        " ids `scheme:value`. No ETag (the body is streamed); `Content-Disposition` names a"
        " file.",
        response_class=NdjsonStreamingResponse,
        responses={
            200: {
                "description": "The records, streamed.",
                "headers": {
                    "Content-Disposition": {
                        "description": "`attachment` with a file name, e.g."
                        " `newsfacts-quotations.ndjson`.",
                        "schema": {"type": "string"},
                    }
                },
                "content": {
                    MEDIA_TYPES[ExportFormat.NDJSON]: {"schema": {"type": "string"}},
                    MEDIA_TYPES[ExportFormat.CSV]: {"schema": {"type": "string"}},
                },
            },
            **problem_responses(422, 429, 500, 503),
        },
    )
    return router
