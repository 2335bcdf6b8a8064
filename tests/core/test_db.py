"""Migrations are the one source of the schema, on every backend."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect
from sqlalchemy.pool import QueuePool

from app.core.db import alembic_config, create_db_engine, current_revision_is_head, migrate
from app.models import Base
from tests.databases import ScratchDatabases


def test_the_models_match_the_migrations(database_url: str) -> None:
    # `alembic check` raises when autogenerate would emit any operation.
    command.check(alembic_config(database_url))


def test_migrations_go_down_and_up_again(backend: str, scratch_databases: ScratchDatabases) -> None:
    url = scratch_databases.create(backend)
    migrate(url)
    engine = create_db_engine(url)
    try:
        assert current_revision_is_head(engine)
        command.downgrade(alembic_config(url), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        assert not current_revision_is_head(engine)
        migrate(url)
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        assert current_revision_is_head(engine)
    finally:
        engine.dispose()


def test_every_constraint_and_index_is_named_by_the_convention(database_url: str) -> None:
    engine = create_db_engine(database_url)
    try:
        inspector = inspect(engine)
        for table in Base.metadata.sorted_tables:
            for foreign_key in inspector.get_foreign_keys(table.name):
                assert foreign_key["name"], table.name
                assert foreign_key["name"].startswith(f"fk_{table.name}_")
            for index in inspector.get_indexes(table.name):
                assert str(index["name"]).startswith(("ix_", "uq_")), index
            primary = inspector.get_pk_constraint(table.name)
            if engine.dialect.name == "postgresql":
                assert primary["name"] == f"pk_{table.name}"
    finally:
        engine.dispose()


def test_a_pooled_engine_takes_the_pool_size_and_wait(database_url: str) -> None:
    engine = create_db_engine(database_url, pool_size=3, pool_timeout_s=1.5)
    try:
        assert isinstance(engine.pool, QueuePool)
        assert engine.pool.size() == 3
        assert engine.pool._max_overflow == 0
        assert engine.pool.timeout() == 1.5
    finally:
        engine.dispose()


def test_an_in_memory_sqlite_engine_ignores_the_pool_settings() -> None:
    # One connection per thread: a pool size means nothing there, and must not be an error.
    engine = create_db_engine("sqlite://", pool_size=3, pool_timeout_s=1.5)
    try:
        assert not isinstance(engine.pool, QueuePool)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("select 1").scalar() == 1
    finally:
        engine.dispose()
