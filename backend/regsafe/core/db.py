"""Engine and sessions: async SQLAlchemy over psycopg 3.

A `Database` owns one engine and a session factory. Tests build one bound to an open
connection with ``join_transaction_mode="create_savepoint"`` so each test is rolled
back at its end while the code under test still commits normally.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from sqlalchemy import BigInteger, DateTime, MetaData, exc, func
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

# Constraint names are deterministic so alembic autogenerate and hand-written
# migrations agree.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def to_sqlalchemy_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and pick the psycopg 3 dialect."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise ValueError(f"not a PostgreSQL URL: {url}")


def to_libpq_url(url: str) -> str:
    """The same URL as psycopg / procrastinate want it (no SQLAlchemy dialect)."""
    return "postgresql://" + to_sqlalchemy_url(url)[len("postgresql+psycopg://") :]


def database_unavailable(error: BaseException) -> bool:
    """The database cannot answer now (down, restarting, refusing connections, out of
    connections, statement cancelled): the client should retry, it is not a bug."""
    return isinstance(error, (exc.OperationalError, exc.TimeoutError, psycopg.OperationalError))


def id_field() -> Any:
    return Field(default=None, primary_key=True, sa_type=BigInteger)


def created_at_field() -> Any:
    return Field(
        default=None,
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now(), "nullable": False},
    )


def timestamp_field(nullable: bool = True) -> Any:
    return Field(
        default=None,
        sa_type=DateTime(timezone=True),
        nullable=nullable,
    )


class Database:
    def __init__(self, engine: AsyncEngine, bind: AsyncConnection | None = None) -> None:
        self.engine = engine
        self.sessionmaker = async_sessionmaker(
            bind=bind or engine,
            class_=AsyncSession,
            expire_on_commit=False,
            join_transaction_mode="create_savepoint",
        )

    @classmethod
    def from_url(cls, url: str, *, pool_size: int = 10, max_overflow: int = 10) -> Database:
        engine = create_async_engine(
            to_sqlalchemy_url(url),
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_pre_ping=True,
            # Error messages (and so tracebacks in the log) show the SQL, never the values.
            hide_parameters=True,
        )
        return cls(engine)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


async def raw_connection(session: AsyncSession) -> psycopg.AsyncConnection[Any]:
    """The psycopg connection under a session's current transaction (for COPY and for
    procrastinate jobs deferred in the same transaction)."""
    conn = await session.connection()
    raw = await conn.get_raw_connection()
    driver = raw.driver_connection
    assert isinstance(driver, psycopg.AsyncConnection)
    return driver
