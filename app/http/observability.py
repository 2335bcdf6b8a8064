"""Observability: Prometheus metrics, JSON logs, and a request id on every request.

- `configure_logging(level)` makes every log record one JSON object per line on stderr (time,
  level, logger, message, and the request's id, method and route template when there is one).
  It is idempotent: calling it again only changes the level. uvicorn's own loggers go through
  the same handler, and its access log is turned off: `ObservabilityMiddleware` logs each
  request instead, with the route *template* and never the query string or any header, so no
  API key or secret in a URL reaches the logs. The middleware calls it when the app starts (the
  ASGI lifespan) and `restore_logging()` after it stops, so that creating an app (as tests and
  `make openapi` do) changes no process-wide logging.
- `ObservabilityMiddleware` (pure ASGI, the outermost middleware) takes `X-Request-ID` when it
  is valid (1 to 128 of `[A-Za-z0-9._-]`) or makes one (uuid4 hex), echoes it in the response,
  exposes it to log records of the request, counts and times the request by method, route
  template and status, and tracks requests in flight.
- `GET /metrics` serves the app's registry in the Prometheus text format, including the
  database pool's gauges, read when scraped. Each app has its own registry. When
  PROMETHEUS_MULTIPROC_DIR is set (`newsfacts serve --workers N` sets it), every worker writes
  its counts there and a scrape of any worker adds up all of them (prometheus_client's
  multiprocess mode); the pool's and the process's own gauges, which describe one worker, are
  then left out, and `newsfacts_worker` lists the live workers by pid.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import sys
import time
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TextIO

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.engine import Engine
from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_responses
from app.http.routing import DatabaseRoute

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
UNMATCHED_ROUTE = "<unmatched>"
# Methods are labels too; any other (a client may send anything) is counted as OTHER.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Requests logged at debug rather than info: probes and scrapes that come every few seconds.
QUIET_ROUTES = frozenset({"/metrics", "/healthz", "/readyz"})

access_logger = logging.getLogger("newsfacts.access")


# --- request context ----------------------------------------------------------------------


@dataclass
class RequestContext:
    """What log records emitted while serving a request say about it."""

    request_id: str
    method: str
    scope: Scope = field(repr=False)


_current: ContextVar[RequestContext | None] = ContextVar("newsfacts_request", default=None)


def current_request_id() -> str | None:
    """The id of the request being served, if any."""
    context = _current.get()
    return context.request_id if context is not None else None


def request_id_from(value: str | None) -> str:
    """The client's request id if it is acceptable, else a new one (uuid4 hex)."""
    if value is not None and _REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def route_template(scope: Scope) -> str | None:
    """The path template of the route that served the request, as the router recorded it."""
    template = getattr(scope.get("route"), "path_format", None)
    return template if isinstance(template, str) else None


class RouteTemplates:
    """Finds the route template of a path the router never saw (a request answered before
    routing: a 429 of the rate limit, a 413, a CORS preflight). None when no route matches, so
    that unknown paths never become metric labels."""

    def __init__(self) -> None:
        self._compiled: list[tuple[re.Pattern[str], str]] = []
        self._key: tuple[int, int] | None = None

    def find(self, app: Any, path: str) -> str | None:
        routes = getattr(app, "routes", None)
        if routes is None:
            return None
        key = (id(routes), len(routes))  # compiled again when a route is added
        if key != self._key:
            self._compiled = [(compile_path(p)[0], p) for p in _route_paths(routes)]
            self._key = key
        for regex, template in self._compiled:
            if regex.match(path):
                return template
        return None


def _route_paths(routes: list[Any]) -> list[str]:
    """The full path templates of the app's routes (included routers' routes flattened)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # pragma: no cover - FastAPI versions that flatten included routers
        flat: list[Any] = list(routes)
    else:
        flat = list(iter_route_contexts(routes))
    paths = []
    for route in flat:
        path = getattr(route, "path_format", None)
        if isinstance(path, str) and path:
            paths.append(path)
    return paths


# --- logging ------------------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    REQUEST_FIELDS = ("method", "path", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        context = _current.get()
        request_id = getattr(record, "request_id", None)
        if request_id is None and context is not None:
            request_id = context.request_id
        if request_id is not None:
            entry["request_id"] = request_id
        if context is not None:
            entry["method"] = context.method
            template = route_template(context.scope)
            if template is not None:
                entry["path"] = template
        for name in self.REQUEST_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever sys.stderr is when a record is emitted (it may be replaced)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


@dataclass
class _SavedLogging:
    """What configure_logging changed, to put back when the app shuts down."""

    root_level: int
    handler: logging.Handler
    uvicorn: dict[str, tuple[list[logging.Handler], bool, bool]]


_saved: _SavedLogging | None = None
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


def configure_logging(level: str) -> None:
    """Send every record to stderr as JSON, at `level` (debug, info, warning, error).

    Installs one handler on the root logger; a second call only changes the level. Handlers
    that others installed (a test runner's, say) stay. uvicorn's loggers go through the JSON
    handler too, but for its access log, whose lines hold the raw path and query string:
    ObservabilityMiddleware logs each request instead. `restore_logging()` undoes all this.
    """
    global _saved
    root = logging.getLogger()
    if _saved is None:
        handler = _StderrHandler()
        handler.setFormatter(JsonFormatter())
        uvicorn = {}
        for name in UVICORN_LOGGERS:
            logger = logging.getLogger(name)
            uvicorn[name] = (list(logger.handlers), logger.propagate, logger.disabled)
            logger.handlers.clear()
            logger.propagate = name != "uvicorn.access"
            logger.disabled = name == "uvicorn.access"
        _saved = _SavedLogging(root.level, handler, uvicorn)
        root.addHandler(handler)
    root.setLevel(level.upper())


def restore_logging() -> None:
    """Undo configure_logging: the root logger and uvicorn's loggers as they were."""
    global _saved
    if _saved is None:
        return
    root = logging.getLogger()
    root.removeHandler(_saved.handler)
    root.setLevel(_saved.root_level)
    for name, (handlers, propagate, disabled) in _saved.uvicorn.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.propagate = propagate
        logger.disabled = disabled
    _saved = None


# --- metrics ------------------------------------------------------------------------------


class PoolCollector(Collector):
    """Gauges of the engine's connection pool, read when scraped (where the pool offers them)."""

    GAUGES = (
        ("checked_out", "checkedout", "Connections in use."),
        ("checked_in", "checkedin", "Idle connections in the pool."),
        ("size", "size", "Configured size of the pool."),
        ("overflow", "overflow", "Connections beyond the pool size (negative: room left)."),
    )

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        pool = self.engine.pool
        for name, method, documentation in self.GAUGES:
            read = getattr(pool, method, None)
            if not callable(read):
                continue
            gauge = GaugeMetricFamily(f"newsfacts_db_pool_{name}", documentation)
            gauge.add_metric([], float(read()))
            yield gauge


class Metrics:
    """The app's Prometheus registry and the request metrics in it."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.registry = CollectorRegistry()
        self.shared = bool(os.environ.get(MULTIPROC_VARIABLE))
        labels = ("method", "route", "status")
        self.requests = Counter(
            "newsfacts_http_requests",
            "HTTP requests answered, by method, route template and status.",
            labels,
            registry=self.registry,
        )
        self.duration = Histogram(
            "newsfacts_http_request_duration_seconds",
            "Time to answer a request (until its last byte is sent), by method, route template"
            " and status.",
            labels,
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "newsfacts_http_requests_in_flight",
            "Requests being answered now.",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.worker = Gauge(
            "newsfacts_worker",
            "1 for each worker process serving (labelled by pid when there are several).",
            registry=self.registry,
            multiprocess_mode="liveall",
        )
        self.worker.set(1)
        self.rate_limit_fail_open = Counter(
            "newsfacts_rate_limit_fail_open",
            "Requests let through unlimited because the shared rate-limit store did not answer.",
            registry=self.registry,
        )
        if self.shared:
            return  # a worker's own gauges would pass for the whole service's
        for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
            self.registry.register(collector)
        if engine is not None:
            self.registry.register(PoolCollector(engine))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request and its duration."""
        labels = (method, route, str(status))
        self.requests.labels(*labels).inc()
        self.duration.labels(*labels).observe(seconds)

    def render(self) -> bytes:
        """The registry (every worker's, when shared) in the Prometheus text format."""
        if not self.shared:
            return generate_latest(self.registry)
        every_worker = CollectorRegistry()
        multiprocess.MultiProcessCollector(every_worker)  # type: ignore[no-untyped-call]
        return generate_latest(every_worker)

    def close(self) -> None:
        """A worker stopping: its live gauges (in flight, worker) no longer count."""
        if self.shared:
            multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


class ObservabilityMiddleware:
    """Request id, metrics and one access log line per HTTP request; JSON logging while the
    app runs (configured at lifespan startup, undone after shutdown)."""

    def __init__(self, app: ASGIApp, metrics: Metrics, log_level: str = "info") -> None:
        self.app = app
        self.metrics = metrics
        self.log_level = log_level
        self.templates = RouteTemplates()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            installed = _saved is None
            configure_logging(self.log_level)
            try:
                await self.app(scope, receive, send)
            finally:
                if installed:
                    restore_logging()
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(Headers(scope=scope).get(REQUEST_ID_HEADER))
        method = scope["method"] if scope["method"] in KNOWN_METHODS else "OTHER"
        context = RequestContext(request_id=request_id, method=method, scope=scope)
        token = _current.set(context)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
            await send(message)

        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send_with_id)
        except BaseException:
            # Left set: the server error handler outside this middleware logs with the id.
            status = 500
            self._finish(scope, method, status, started)
            raise
        self._finish(scope, method, status, started)
        _current.reset(token)

    def _finish(self, scope: Scope, method: str, status: int, started: float) -> None:
        seconds = time.perf_counter() - started
        self.metrics.in_flight.dec()
        template = route_template(scope) or self.templates.find(
            scope.get("app"), scope.get("path", "")
        )
        route = template or UNMATCHED_ROUTE
        self.metrics.observe(method, route, status, seconds)
        if status >= 500:
            level = logging.ERROR
        elif template in QUIET_ROUTES:
            level = logging.DEBUG
        else:
            level = logging.INFO
        access_logger.log(
            level,
            "%s %s %d",
            method,
            route,
            status,
            extra={
                "method": method,
                "path": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 3),
            },
        )


# --- the /metrics endpoint ----------------------------------------------------------------

router = APIRouter(tags=["observability"], route_class=DatabaseRoute)


@router.get(
    "/metrics",
    operation_id="getMetrics",
    summary="Prometheus metrics",
    description="Request counts and latency by method, route template and status, requests in"
    " flight, database pool gauges and process metrics, in the Prometheus text format. Not"
    " rate limited and not behind the read key: expose it to your scraper only.",
    response_class=Response,
    responses={
        200: {
            "description": "The metrics, in the Prometheus text exposition format.",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        },
        **problem_responses(500),
    },
)
def metrics(request: Request) -> Response:
    registry: Metrics = request.app.state.metrics
    return Response(
        registry.render(),
        media_type=CONTENT_TYPE_LATEST,
        headers={"Cache-Control": "no-store"},
    )
