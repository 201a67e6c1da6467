"""Alembic, driven from code: `regsafe migrate`, /readyz and the tests share this."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncConnection

from regsafe.core.db import to_sqlalchemy_url


def migrations_dir() -> Path:
    """REGSAFE_MIGRATIONS_DIR, else ./migrations, else the repository's migrations/."""
    if env := os.environ.get("REGSAFE_MIGRATIONS_DIR"):
        return Path(env)
    here = Path.cwd() / "migrations"
    if (here / "env.py").exists():
        return here
    return Path(__file__).resolve().parents[3] / "migrations"


def alembic_config(database_url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if database_url:
        # Passed as an attribute, not an ini option: URLs may contain '%'.
        cfg.attributes["database_url"] = to_sqlalchemy_url(database_url)
    return cfg


def upgrade_head(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def current_revision(conn: AsyncConnection) -> str | None:
    return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())
