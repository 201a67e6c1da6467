"""Migrations build the schema the models describe, and undo cleanly."""

from typing import Any

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

import regsafe.models  # noqa: F401
from regsafe.core.db import metadata, to_sqlalchemy_url
from regsafe.core.migrate import alembic_config, head_revision


def _include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    table = getattr(obj, "table", None)
    return not (
        (name or "").startswith("procrastinate_")
        or (table is not None and table.name.startswith("procrastinate_"))
    )


def _diff(url: str) -> list[Any]:
    engine = create_engine(to_sqlalchemy_url(url))
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "compare_server_default": True, "include_object": _include},
        )
        diff = compare_metadata(ctx, metadata)
    engine.dispose()
    return list(diff)


@pytest.fixture(scope="module")
def empty_db(postgres: Any) -> str:
    url: str = postgres.new_database("migrations")
    return url


def test_upgrade_head_matches_models_and_downgrade_is_clean(empty_db: str) -> None:
    cfg = alembic_config(empty_db)
    command.upgrade(cfg, "head")
    assert _diff(empty_db) == []
    with psycopg.connect(empty_db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            head_revision(),
        )
    command.downgrade(cfg, "base")
    with psycopg.connect(empty_db) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables"
            " WHERE schemaname='public' AND tablename <> 'alembic_version'"
        ).fetchone()
        assert tables == (0,)
    command.upgrade(cfg, "head")
    assert _diff(empty_db) == []


def test_audit_trail_is_append_only(empty_db: str) -> None:
    command.upgrade(alembic_config(empty_db), "head")
    engine = create_engine(to_sqlalchemy_url(empty_db))
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO audit_event (action, subject_type, subject_id) VALUES ('X','t','1')")
        )
    for stmt in (
        "UPDATE audit_event SET action='Y'",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event",
    ):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(stmt))
    engine.dispose()
