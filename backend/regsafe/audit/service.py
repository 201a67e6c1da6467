"""Writing the audit trail. Rows are added to the caller's session, so an audit entry
commits or rolls back with the work it records."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.audit.models import AuditAction, AuditEvent


def record(
    session: AsyncSession,
    *,
    action: AuditAction,
    subject_type: str,
    subject_id: int | str,
    actor_user_id: int | None,
    request_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEvent(
            actor_user_id=actor_user_id,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            request_id=request_id,
            detail=detail,
        )
    )
