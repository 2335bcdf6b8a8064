"""Application settings: one pydantic-settings object, read from NEWSFACTS_* variables."""

from functools import lru_cache
from typing import Literal

from pydantic import Field, IPvAnyNetwork
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting newsfacts reads, with its default."""

    model_config = SettingsConfigDict(env_prefix="NEWSFACTS_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./newsfacts.db",
        description="SQLAlchemy URL of the database (SQLite or PostgreSQL).",
    )
    database_pool_size: int = Field(
        default=20,
        ge=1,
        le=500,
        description="Database connections each worker keeps open, at most. A request finding"
        " none free waits for one rather than open and close a connection of its own. On"
        " PostgreSQL the reads served on the event loop have a pool of this size of their own.",
    )
    database_pool_timeout_s: float = Field(
        default=10.0,
        gt=0,
        le=300,
        description="Longest a request waits for a free database connection; then it gets 503.",
    )
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    public_base_url: str | None = Field(
        default=None,
        description="Absolute base URL used in Link headers; the request's own URL when unset.",
    )
    require_read_key: bool = Field(
        default=False,
        description="When true, reads need an API key with the `read` scope too.",
    )
    max_body_bytes: int = Field(
        default=5 * 1024 * 1024,
        ge=1024,
        description="Largest request body accepted (bytes); larger ones get 413.",
    )
    rate_limit_per_minute: int = Field(
        default=600,
        ge=0,
        description="Requests a minute each client (valid API key, or else address) may make;"
        " 0 turns the limit off.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis URL (redis://host:6379/0) holding the rate-limit buckets, shared by"
        " every instance and worker; unset: each worker process counts on its own.",
    )
    redis_key_prefix: str = Field(
        default="newsfacts:",
        max_length=100,
        description="Prefix of every Redis key newsfacts writes.",
    )
    trusted_proxies: list[IPvAnyNetwork] = Field(
        default=[],
        description="Addresses or CIDR networks of reverse proxies (JSON list) whose"
        " X-Forwarded-For names the client; empty: the connection's address is the client.",
    )
    database_replica_urls: list[str] = Field(
        default=[],
        description="SQLAlchemy URLs of PostgreSQL streaming replicas (JSON list) that serve"
        " reads; writes, the change feed and readers of their own writes use the primary.",
    )
    replica_max_lag_s: float = Field(
        default=5.0,
        gt=0,
        description="A replica replaying more than this many seconds behind the primary is"
        " skipped until it catches up.",
    )
    idempotency_ttl_h: int = Field(
        default=24,
        ge=1,
        description="Hours an Idempotency-Key's stored response is replayed; then it is removed.",
    )
    statement_timeout_ms: int = Field(
        default=5000,
        ge=0,
        description="Longest a single SQL statement of a request may run (0: no limit);"
        " a request over it gets 503.",
    )
    cors_allow_origins: list[str] = Field(
        default=["*"],
        description="Origins allowed to call the API from a browser (JSON list); `*` for any."
        " Credentials are never allowed.",
    )
    cors_allow_writes: bool = Field(
        default=False,
        description="Whether browsers of those origins may also POST/PATCH/DELETE.",
    )
    read_cache_entries: int = Field(
        default=4096,
        ge=0,
        description="Answers to anonymous reads kept per worker until the next write; 0: none.",
    )
    read_cache_megabytes: int = Field(
        default=64, ge=1, description="Most memory (MB) the read cache may hold per worker."
    )
    extraction_timeout_s: float = Field(
        default=10.0,
        gt=0,
        le=300,
        description="Longest the quotation extractor may run for one request; then it gets 503.",
    )
    send_timeout_s: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="Longest a client may take to accept the next piece of a response; a"
        " client that stops reading for longer is disconnected.",
    )
    body_timeout_s: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="Longest a client may take to send a whole request body; then 408.",
    )
    max_streams_per_client: int = Field(
        default=4,
        ge=1,
        le=1000,
        description="Streamed exports one client address may have open at once; more get 429.",
    )
    shutdown_timeout_s: float = Field(
        default=10.0,
        gt=0,
        le=600,
        description="Longest `newsfacts serve` takes to stop after SIGTERM: in-flight requests"
        " get this long to finish, then the process exits anyway.",
    )
    page_max_spans: int = Field(
        default=200,
        ge=1,
        le=100_000,
        description="Most evidence spans the article page highlights at once; beyond it the"
        " page is paginated (`?page=N`, in text order).",
    )
    cache_max_age: int = Field(
        default=60,
        ge=0,
        description="Cache-Control max-age (seconds) for read responses.",
    )


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings, read once from the environment."""
    return Settings()
