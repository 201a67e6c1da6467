"""employment invitations (聘用邀请)

An employer no longer starts an employment by ID number: it invites, and the person (or
a reviewer of their province) confirms. One row per invitation, holding the number's
blind index, never the number.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "employment_invitation",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("employer_id", sa.BigInteger(), nullable=False),
        sa.Column("id_number_index", sa.LargeBinary(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("social_insurance", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("invited_by", sa.BigInteger(), nullable=True),
        sa.Column("responded_by", sa.BigInteger(), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("employment_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('PENDING','ACCEPTED','CONFIRMED','DECLINED','EXPIRED')",
            name=op.f("ck_employment_invitation_status"),
        ),
        sa.ForeignKeyConstraint(
            ["employer_id"],
            ["employer.id"],
            name=op.f("fk_employment_invitation_employer_id_employer"),
        ),
        sa.ForeignKeyConstraint(
            ["employment_id"],
            ["employment.id"],
            name=op.f("fk_employment_invitation_employment_id_employment"),
        ),
        sa.ForeignKeyConstraint(
            ["invited_by"],
            ["app_user.id"],
            name=op.f("fk_employment_invitation_invited_by_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_employment_invitation_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["responded_by"],
            ["app_user.id"],
            name=op.f("fk_employment_invitation_responded_by_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employment_invitation")),
    )
    op.create_index(
        "ix_employment_invitation_employer_created",
        "employment_invitation",
        ["employer_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_employment_invitation_id_number_index"),
        "employment_invitation",
        ["id_number_index"],
        unique=False,
    )
    op.create_index(
        op.f("ix_employment_invitation_person_id"),
        "employment_invitation",
        ["person_id"],
        unique=False,
    )
    op.create_index(
        "uq_employment_invitation_open",
        "employment_invitation",
        ["employer_id", "id_number_index"],
        unique=True,
        postgresql_where=sa.text("status = 'PENDING'"),
    )


def downgrade() -> None:
    op.drop_index(
        "uq_employment_invitation_open",
        table_name="employment_invitation",
        postgresql_where=sa.text("status = 'PENDING'"),
    )
    op.drop_index(op.f("ix_employment_invitation_person_id"), table_name="employment_invitation")
    op.drop_index(
        op.f("ix_employment_invitation_id_number_index"), table_name="employment_invitation"
    )
    op.drop_index("ix_employment_invitation_employer_created", table_name="employment_invitation")
    op.drop_table("employment_invitation")
