"""procrastinate job queue (schema of procrastinate 3.10, pinned in pyproject)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

The queue lives in the platform's own database so a job can be enqueued in the same
transaction as the data it concerns. Upgrading procrastinate means adding a migration
that applies its shipped delta files (procrastinate/sql/migrations/).
"""

from collections.abc import Sequence

from alembic import op
from procrastinate.schema import SchemaManager

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # psycopg runs a parameterless multi-statement script verbatim (no % or :name
    # processing), which is what the shipped schema file needs.
    dbapi = op.get_bind().connection.dbapi_connection
    assert dbapi is not None
    dbapi.execute(SchemaManager.get_schema())  # type: ignore[attr-defined]


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers,
            procrastinate_jobs, procrastinate_workers CASCADE;
        DO $$ DECLARE r record; BEGIN
          FOR r IN SELECT oid::regprocedure AS sig FROM pg_proc
                   WHERE proname LIKE 'procrastinate\\_%' LOOP
            EXECUTE 'DROP FUNCTION IF EXISTS ' || r.sig || ' CASCADE';
          END LOOP;
        END $$;
        DROP TYPE IF EXISTS procrastinate_job_event_type, procrastinate_job_status,
            procrastinate_job_to_defer_v1 CASCADE;
        """
    )
