"""`GET /v1/export`: a whole kind of record, streamed as NDJSON or CSV."""

from __future__ import annotations

import itertools
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from app.core.errors import problem_responses
from app.exports import service
from app.exports.service import MEDIA_TYPES, ExportFormat, ExportKind, Kinds, csv_columns
from app.http.dependencies import get_session
from app.http.routing import DatabaseRoute

# scope="request": the session lives until the last chunk is sent, not just the endpoint.
StreamSessionDep = Annotated[Session, Depends(get_session, scope="request")]


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


def export_records(
    request: Request, session: StreamSessionDep, query: Annotated[ExportQuery, Query()]
) -> StreamingResponse:
    chunks = service.export_chunks(session, request.app.state.kinds, query.kind, query.format)
    # Read the first batch now: an error there (the database down) is still a problem+json.
    first = next(chunks, b"")
    filename = f"newsfacts-{query.kind.value}.{query.format.value}"
    media_type = MEDIA_TYPES[query.format]
    if query.format is ExportFormat.CSV:
        media_type += "; charset=utf-8; header=present"
    return NdjsonStreamingResponse(
        itertools.chain([first], chunks),
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


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
        " read in batches so that any size is served in constant memory. NDJSON lines are the"
        " records' canonical states (as in the change feed); CSV has these columns: "
        f"{csv_description}. In CSV a null is an empty cell and a list is one cell with its items"
        " joined by `|` (`\\|` and `\\\\` escape them inside an item): evidence as"
        " `article_id:start:end`, participants `participant_id:role`, agenda `event_id:status`,"
        " aliases `language:alias`, external ids `scheme:value`. No ETag (the body is streamed);"
        " `Content-Disposition` names a file.",
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
            **problem_responses(422, 500, 503),
        },
    )
    return router
