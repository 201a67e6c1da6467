"""Alembic environment: sync psycopg 3 engine; the URL comes from regsafe.core.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

import regsafe.models  # noqa: F401  (registers every table on the metadata)
from regsafe.core.db import metadata

config = context.config

# Tables that other tools own (procrastinate's queue) are created by migrations but are
# not described by our models; autogenerate must leave them alone.
FOREIGN_PREFIXES = ("procrastinate_",)


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    if type_ == "table" and name and name.startswith(FOREIGN_PREFIXES):
        return False
    table = getattr(obj, "table", None)
    return not (table is not None and table.name.startswith(FOREIGN_PREFIXES))


def run_migrations_online() -> None:
    url = config.attributes.get("database_url")
    if url is None:
        raise RuntimeError("run migrations through `regsafe migrate` (it supplies the URL)")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            include_object=include_object,
            compare_type=True,
            compare_server_default=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
