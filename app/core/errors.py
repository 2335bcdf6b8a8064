"""One error hierarchy, rendered once as RFC 9457 `application/problem+json`.

Every error the API returns is a `Problem`: `type`, `title`, `status`, `detail`, `instance`, and for
422 an `errors` list naming each bad field or parameter.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "/problems/"

logger = logging.getLogger("newsfacts.errors")


class FieldError(BaseModel):
    """One invalid input: where it is and what is wrong with it."""

    location: str = Field(
        description="Where the bad value is: `query`, `path`, `header` or `body`.",
        examples=["query"],
    )
    name: str = Field(
        description="The parameter or field, dotted for nested fields.", examples=["limit"]
    )
    message: str = Field(examples=["Input should be less than or equal to 100"])


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "/problems/not-found",
                    "title": "Not Found",
                    "status": 404,
                    "detail": "No quotation with id 'no-such-quote'.",
                    "instance": "/v1/quotations/no-such-quote",
                }
            ]
        }
    )

    type: str = Field(description="A URI reference identifying the problem type.")
    title: str = Field(description="A short summary of the problem type.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request, for a person to read.")
    instance: str = Field(description="The path of the request that failed.")
    errors: list[FieldError] | None = Field(
        default=None, description="For 422: each invalid parameter or field."
    )


class AppError(Exception):
    """Base of every error the API reports; subclasses fix the status and problem type."""

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal Server Error"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}

    def field_errors(self) -> list[FieldError] | None:
        """The per-field errors, for problems that have them."""
        return None


class BadRequest(AppError):
    """The request is malformed in a way no schema captures (e.g. a forged cursor)."""

    status = 400
    slug = "bad-request"
    title = "Bad Request"


class InvalidCursor(BadRequest):
    """The `cursor` parameter was not produced by this API for this query."""

    slug = "invalid-cursor"
    title = "Invalid Cursor"


class Unauthorized(AppError):
    """No valid API key was sent: send `Authorization: Bearer <key>`."""

    status = 401
    slug = "unauthorized"
    title = "Unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="newsfacts"'})


class Forbidden(AppError):
    """The API key is valid but lacks the scope this operation needs."""

    status = 403
    slug = "forbidden"
    title = "Forbidden"


class NotFound(AppError):
    """The resource does not exist."""

    status = 404
    slug = "not-found"
    title = "Not Found"


class MethodNotAllowed(AppError):
    """The resource exists but does not support this method."""

    status = 405
    slug = "method-not-allowed"
    title = "Method Not Allowed"


class NotAcceptable(AppError):
    """No representation matches the Accept header."""

    status = 406
    slug = "not-acceptable"
    title = "Not Acceptable"


class Conflict(AppError):
    """The request conflicts with the current state (a duplicate id, a record in use)."""

    status = 409
    slug = "conflict"
    title = "Conflict"


class PreconditionFailed(AppError):
    """The If-Match ETag is stale: someone changed the resource since you read it."""

    status = 412
    slug = "precondition-failed"
    title = "Precondition Failed"


class PayloadTooLarge(AppError):
    """The request body is larger than the server accepts."""

    status = 413
    slug = "payload-too-large"
    title = "Content Too Large"


class UnsupportedMediaType(AppError):
    """The request body's Content-Type is not one this operation accepts."""

    status = 415
    slug = "unsupported-media-type"
    title = "Unsupported Media Type"


class PreconditionRequired(AppError):
    """This operation needs an If-Match header with the resource's current ETag."""

    status = 428
    slug = "precondition-required"
    title = "Precondition Required"


class TooManyRequests(AppError):
    """Too many requests from this client; wait for Retry-After seconds."""

    status = 429
    slug = "too-many-requests"
    title = "Too Many Requests"


class ValidationFailed(AppError):
    """One or more parameters or fields are invalid."""

    status = 422
    slug = "validation-failed"
    title = "Unprocessable Content"

    def __init__(self, detail: str, errors: Sequence[FieldError]) -> None:
        super().__init__(detail)
        self.errors = list(errors)

    def field_errors(self) -> list[FieldError] | None:
        return self.errors


class ServiceUnavailable(AppError):
    """The database is unreachable or not migrated; retry later."""

    status = 503
    slug = "service-unavailable"
    title = "Service Unavailable"


PROBLEM_TYPES: dict[str, tuple[str, str]] = {
    cls.slug: (cls.title, (cls.__doc__ or "").strip())
    for cls in (
        AppError,
        BadRequest,
        InvalidCursor,
        Unauthorized,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        NotAcceptable,
        Conflict,
        PreconditionFailed,
        PayloadTooLarge,
        UnsupportedMediaType,
        ValidationFailed,
        PreconditionRequired,
        TooManyRequests,
        ServiceUnavailable,
    )
}


def problem_response(
    request: Request,
    *,
    status: int,
    slug: str,
    title: str,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Render a problem document with the problem+json media type."""
    body = Problem(
        type=PROBLEM_TYPE_BASE + slug,
        title=title,
        status=status,
        detail=detail,
        instance=request.scope.get("path", ""),
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def problem_document(
    *, status: int, slug: str, title: str, detail: str, instance: str
) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """A problem body and raw headers, for middleware that answers before the app runs."""
    body = (
        Problem(
            type=PROBLEM_TYPE_BASE + slug,
            title=title,
            status=status,
            detail=detail,
            instance=instance,
        )
        .model_dump_json(exclude_none=True)
        .encode("utf-8")
    )
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
    ]
    return body, headers


def _location_name(loc: Sequence[Any]) -> tuple[str, str]:
    if not loc:
        return "body", ""
    where = str(loc[0])
    return where, ".".join(str(part) for part in loc[1:])


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    exc = cast(AppError, exc)  # registered for this type only
    return problem_response(
        request,
        status=exc.status,
        slug=exc.slug,
        title=exc.title,
        detail=exc.detail,
        errors=exc.field_errors(),
        headers=exc.headers,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    exc = cast(RequestValidationError, exc)  # registered for this type only
    errors = []
    for error in exc.errors():
        location, name = _location_name(error.get("loc", ()))
        errors.append(FieldError(location=location, name=name, message=str(error.get("msg"))))
    names = ", ".join(sorted({f"{e.location} {e.name}".strip() for e in errors}))
    return problem_response(
        request,
        status=ValidationFailed.status,
        slug=ValidationFailed.slug,
        title=ValidationFailed.title,
        detail=f"Invalid input: {names}.",
        errors=errors,
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    exc = cast(StarletteHTTPException, exc)  # registered for this type only
    if exc.status_code == 404:
        return problem_response(
            request,
            status=404,
            slug=NotFound.slug,
            title=NotFound.title,
            detail=f"Nothing is served at {request.scope.get('path', '')}.",
        )
    if exc.status_code == 405:
        allowed = _allowed_methods(request)
        return problem_response(
            request,
            status=405,
            slug=MethodNotAllowed.slug,
            title=MethodNotAllowed.title,
            detail=f"{request.method} is not supported on {request.scope.get('path', '')}; use"
            f" {', '.join(allowed)}.",
            headers={"Allow": ", ".join(allowed)},
        )
    if exc.status_code == 413:
        return problem_response(
            request,
            status=413,
            slug=PayloadTooLarge.slug,
            title=PayloadTooLarge.title,
            detail=str(exc.detail),
        )
    title = _reason(exc.status_code)
    return problem_response(
        request,
        status=exc.status_code,
        slug=title.lower().replace(" ", "-"),
        title=title,
        detail=str(exc.detail),
        headers=dict(exc.headers or {}),
    )


def _unavailable(request: Request, detail: str) -> JSONResponse:
    """A 503 problem that tells the client to retry in a few seconds."""
    return problem_response(
        request,
        status=ServiceUnavailable.status,
        slug=ServiceUnavailable.slug,
        title=ServiceUnavailable.title,
        detail=detail,
        headers={"Retry-After": "5"},
    )


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    logger.warning("database unavailable: %s", type(exc).__name__)
    return _unavailable(request, "The database is unavailable; retry later.")


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.scope.get("path"))
    return problem_response(
        request,
        status=500,
        slug=AppError.slug,
        title=AppError.title,
        detail="An unexpected error occurred; it has been logged.",
    )


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path, HEAD wherever GET is (Starlette names only
    the first route's, and none of a route in an included router)."""
    from starlette.routing import Match

    methods: set[str] = set()
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            methods.add(method)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _is_connection_error(exc: DBAPIError) -> bool:
    return bool(exc.connection_invalidated) or isinstance(exc, OperationalError)


def _is_timeout(exc: DBAPIError) -> bool:
    # psycopg's QueryCanceled (statement_timeout), or SQLite interrupted by its progress handler.
    return type(exc.orig).__name__ == "QueryCanceled" or "interrupted" in str(exc.orig)


async def _dbapi_error(request: Request, exc: Exception) -> JSONResponse:
    exc = cast(DBAPIError, exc)  # registered for this type only
    if _is_timeout(exc):
        logger.warning("statement timeout on %s %s", request.method, request.scope.get("path"))
        return _unavailable(
            request, "The query took longer than this server allows; narrow it, or retry later."
        )
    if _is_connection_error(exc):
        return await _database_error(request, exc)
    return await _unexpected_error(request, exc)


async def _pool_exhausted(request: Request, exc: Exception) -> JSONResponse:
    logger.warning(
        "no free database connection for %s %s", request.method, request.scope.get("path")
    )
    return _unavailable(request, "Every database connection of this server is busy; retry later.")


def install_error_handlers(app: FastAPI) -> None:
    """Render every error the app can raise as problem+json."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DBAPIError, _dbapi_error)
    app.add_exception_handler(PoolTimeout, _pool_exhausted)
    app.add_exception_handler(Exception, _unexpected_error)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries declaring problem+json bodies for the given statuses."""
    descriptions = {
        400: "Malformed request: a cursor this API did not issue, or a body that is not"
        " UTF-8 JSON.",
        401: "Missing or invalid API key.",
        403: "The API key lacks the scope this operation needs.",
        404: "No such resource.",
        405: "Method not allowed on this resource.",
        406: "No acceptable representation.",
        409: "Conflicts with the current state of the resource.",
        412: "The If-Match precondition failed.",
        413: "The request body is too large.",
        415: "Unsupported request content type.",
        422: "Invalid parameters or fields; `errors` names each one.",
        428: "This operation requires If-Match.",
        429: "Too many requests; see Retry-After.",
        500: "Unexpected error; no internals are revealed.",
        503: "The database is unavailable or not migrated.",
    }
    return {
        status: {
            "description": descriptions[status],
            "model": Problem,  # app.openapi moves it under application/problem+json
        }
        for status in statuses
    }
