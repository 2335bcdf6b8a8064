"""The application factory."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from app import __version__
from app.articles.router import router as articles_router
from app.auth.dependencies import read_access
from app.auth.service import authenticate
from app.changes.router import router as changes_router
from app.core.config import Settings, get_settings
from app.core.db import (
    create_db_engine,
    create_read_engine,
    create_read_session_factory,
    create_session_factory,
)
from app.core.errors import install_error_handlers
from app.core.replicas import ReplicaSet
from app.events.router import router as events_router
from app.exports.router import export_router
from app.extraction.router import router as extraction_router
from app.health.router import router as health_router
from app.http.body_limit import BodySizeLimitMiddleware
from app.http.caching import ConditionalGetMiddleware
from app.http.database_routing import DatabaseRoutingMiddleware
from app.http.methods import HeadMiddleware
from app.http.observability import Metrics, ObservabilityMiddleware
from app.http.observability import router as metrics_router
from app.http.ratelimit import RateLimitMiddleware
from app.http.read_cache import ReadCacheMiddleware
from app.http.security import EXPOSED_HEADERS, SecurityHeadersMiddleware
from app.http.shutdown import install_shutdown_watchdog
from app.http.streams import StreamGuardMiddleware
from app.imports.router import router as imports_router
from app.issues.router import router as issues_router
from app.kinds import KINDS
from app.openapi import build_openapi
from app.pages.docs import mount_docs_assets
from app.pages.docs import router as docs_router
from app.pages.router import mount_page_assets
from app.pages.router import router as pages_router
from app.participants.router import router as participants_router
from app.quotations.router import router as quotations_router

# Data routers: reads are public unless NEWSFACTS_REQUIRE_READ_KEY is set.
DATA_ROUTERS = [
    events_router,
    quotations_router,
    issues_router,
    participants_router,
    articles_router,
    imports_router,
    changes_router,
    export_router(KINDS),
    extraction_router,
]


_heap_frozen = False
REPLICA_CONNECT_TIMEOUT_S = 2


def freeze_startup_heap() -> None:
    """Move what the process has built so far out of the garbage collector's walk, once.

    What a worker builds before its first request lives as long as the process: frozen, full
    collections under load stop walking it and stay short (the p99 in bench/README.md). Only
    the first app started in a process does it; a process that starts many apps (the tests)
    pays for the collection once.
    """
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.collect()
        gc.freeze()


def api_key_id(app: FastAPI, token: str) -> int | None:
    """The id of the valid, unrevoked API key `token`, else None (the rate limit's question)."""
    with app.state.session_factory() as session:
        principal = authenticate(session, token)
    return principal.key_id if principal is not None else None


def _replicas(settings: Settings) -> ReplicaSet:
    """The read replicas NEWSFACTS_DATABASE_REPLICA_URLS names (none by default)."""

    def options() -> dict[str, Any]:
        """Each engine's own (create_db_engine and create_read_engine fill connect_args in)."""
        return {
            "statement_timeout_ms": settings.statement_timeout_ms,
            "pool_size": settings.database_pool_size,
            "pool_timeout_s": settings.database_pool_timeout_s,
            # A replica that does not answer is skipped; finding out should not take long.
            "connect_args": {"connect_timeout": REPLICA_CONNECT_TIMEOUT_S},
        }

    return ReplicaSet(
        settings.database_replica_urls,
        settings.replica_max_lag_s,
        lambda url: create_db_engine(url, **options()),
        lambda url: create_read_engine(url, **options()),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the newsfacts ASGI application for the given (or environment) settings."""
    settings = settings or get_settings()
    engine = create_db_engine(
        settings.database_url,
        statement_timeout_ms=settings.statement_timeout_ms,
        pool_size=settings.database_pool_size,
        pool_timeout_s=settings.database_pool_timeout_s,
    )
    read_engine = create_read_engine(
        settings.database_url,
        statement_timeout_ms=settings.statement_timeout_ms,
        pool_size=settings.database_pool_size,
        pool_timeout_s=settings.database_pool_timeout_s,
    )
    replicas = _replicas(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        freeze_startup_heap()
        # Served by `newsfacts serve` (the main thread): the exit is bounded whatever happens.
        install_shutdown_watchdog(settings.shutdown_timeout_s)
        try:
            yield
        finally:
            app.state.metrics.close()
            await replicas.dispose()
            if read_engine is not None:
                await read_engine.dispose()
            engine.dispose()

    app = FastAPI(
        title="newsfacts",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # served from installed assets by app.pages.docs
        redoc_url=None,
        # With read keys, the document is served below behind the read key like the rest.
        openapi_url=None if settings.require_read_key else "/openapi.json",
    )
    app.state.settings = settings
    app.state.kinds = KINDS
    app.state.engine = engine
    app.state.session_factory = create_session_factory(engine)
    app.state.read_engine = read_engine
    app.state.read_session_factory = create_read_session_factory(read_engine)
    app.state.replicas = replicas
    app.state.metrics = Metrics(engine)

    install_error_handlers(app)
    _include_routes(app, settings)
    _add_middleware(app, settings, engine, replicas)
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
    return app


def _include_routes(app: FastAPI, settings: Settings) -> None:
    """The routers, the docs and the static assets; reads guarded where they need a key."""
    # Only a deployment whose reads need a key checks one: on public reads the dependency
    # would cost every request time (bench/README.md) to learn that nothing is needed.
    read_guard = [Depends(read_access)] if settings.require_read_key else []
    for router in DATA_ROUTERS:
        app.include_router(router, dependencies=read_guard)
    app.include_router(health_router)
    # Where reads need a key, so do the metrics, the OpenAPI document and the docs.
    app.include_router(metrics_router, dependencies=read_guard)
    app.include_router(pages_router, dependencies=read_guard)
    app.include_router(docs_router, dependencies=read_guard)
    if settings.require_read_key:

        @app.get("/openapi.json", include_in_schema=False, dependencies=read_guard)
        async def openapi_document(_request: Request) -> JSONResponse:
            return JSONResponse(app.openapi())

    mount_docs_assets(app)
    mount_page_assets(app)


def _add_middleware(app: FastAPI, settings: Settings, engine: Engine, replicas: ReplicaSet) -> None:
    """The middleware stack, innermost first (each added one wraps those before it)."""
    if settings.read_cache_entries and not settings.require_read_key:
        app.add_middleware(
            ReadCacheMiddleware,
            engine=engine,
            read_engine=app.state.read_engine,
            max_entries=settings.read_cache_entries,
            max_bytes=settings.read_cache_megabytes * 1024 * 1024,
        )
    # Outside the read cache, which keys its answers on the generation of the chosen database.
    app.add_middleware(DatabaseRoutingMiddleware, replicas=replicas)
    cache_scope = "private" if settings.require_read_key else "public"
    app.add_middleware(
        ConditionalGetMiddleware, cache_control=f"{cache_scope}, max-age={settings.cache_max_age}"
    )
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        timeout_s=settings.body_timeout_s,
    )
    read_methods = ["GET", "HEAD", "OPTIONS"]
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_allow_origins,
        allow_credentials=False,
        allow_methods=[*read_methods, "POST", "PATCH", "DELETE"]
        if settings.cors_allow_writes
        else read_methods,
        allow_headers=[
            "Authorization",
            "Content-Type",
            "If-Match",
            "If-None-Match",
            "Idempotency-Key",
            "X-Request-ID",
            "Newsfacts-Generation",
        ],
        expose_headers=EXPOSED_HEADERS,
        max_age=600,
    )
    if settings.rate_limit_per_minute:
        app.add_middleware(
            RateLimitMiddleware,
            per_minute=settings.rate_limit_per_minute,
            resolve_key=lambda token: api_key_id(app, token),
            trusted_proxies=settings.trusted_proxies,
            redis_url=settings.redis_url,
            redis_key_prefix=settings.redis_key_prefix,
            on_fail_open=app.state.metrics.rate_limit_fail_open.inc,
        )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(HeadMiddleware)
    app.add_middleware(
        StreamGuardMiddleware,
        send_timeout_s=settings.send_timeout_s,
        max_streams=settings.max_streams_per_client,
    )
    # Outermost: the request id and metrics cover every answer, a 429 or a 413 too.
    app.add_middleware(
        ObservabilityMiddleware, metrics=app.state.metrics, log_level=settings.log_level
    )
