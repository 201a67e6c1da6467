"""upload slots (上传凭证)

One row per file a user was allowed to upload, for every purpose (application documents,
course materials, hours, practice and credit evidence): who, for what, declared and real
size, type and hash, and what became of it (PENDING, CONFIRMED, REFUSED, EXPIRED, USED).
Evidence is used once; uploadConfirm is the one confirm verb.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "upload",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("owner_user_id", sa.BigInteger(), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=True),
        sa.Column("object_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("declared_size", sa.BigInteger(), nullable=False),
        sa.Column("declared_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("max_bytes", sa.BigInteger(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("refusal", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "purpose IN ('APPLICATION_DOCUMENT','COURSE_MATERIAL','HOURS_EVIDENCE','PRACTICE_EVIDENCE','CREDIT_EVIDENCE')",
            name=op.f("ck_upload_purpose"),
        ),
        sa.CheckConstraint(
            "status IN ('PENDING','CONFIRMED','REFUSED','EXPIRED','USED')",
            name=op.f("ck_upload_status"),
        ),
        sa.CheckConstraint("declared_size > 0", name=op.f("ck_upload_declared_size")),
        sa.ForeignKeyConstraint(
            ["owner_user_id"], ["app_user.id"], name=op.f("fk_upload_owner_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upload")),
        sa.UniqueConstraint("object_key", name=op.f("uq_upload_object_key")),
    )
    op.create_index("ix_upload_owner_status", "upload", ["owner_user_id", "status"], unique=False)
    op.create_index("ix_upload_status_expires", "upload", ["status", "expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_upload_status_expires", table_name="upload")
    op.drop_index("ix_upload_owner_status", table_name="upload")
    op.drop_table("upload")
