"""审计日志: append-only record of who saw or changed what (PIPL)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Index
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Column, Field, SQLModel

from regsafe.core.db import created_at_field, id_field


class AuditAction(StrEnum):
    PERSON_ID_NUMBER_READ = "PERSON_ID_NUMBER_READ"
    PERSON_PHONE_READ = "PERSON_PHONE_READ"
    PERSON_BIRTH_DATE_READ = "PERSON_BIRTH_DATE_READ"  # derived from the ID number
    PERSON_CREATED = "PERSON_CREATED"
    PERSON_UPDATED = "PERSON_UPDATED"
    EMPLOYER_CREATED = "EMPLOYER_CREATED"
    EMPLOYER_UPDATED = "EMPLOYER_UPDATED"
    CREDIT_CODE_OVERRIDE = "CREDIT_CODE_OVERRIDE"
    EMPLOYMENT_STARTED = "EMPLOYMENT_STARTED"
    EMPLOYMENT_ENDED = "EMPLOYMENT_ENDED"
    EMPLOYMENT_INVITATION_SENT = "EMPLOYMENT_INVITATION_SENT"
    EMPLOYMENT_INVITATION_ACCEPTED = "EMPLOYMENT_INVITATION_ACCEPTED"
    EMPLOYMENT_INVITATION_CONFIRMED = "EMPLOYMENT_INVITATION_CONFIRMED"  # by a reviewer
    EMPLOYMENT_INVITATION_DECLINED = "EMPLOYMENT_INVITATION_DECLINED"
    LOGIN_SUCCEEDED = "LOGIN_SUCCEEDED"
    LOGIN_FAILED = "LOGIN_FAILED"
    REFRESH_TOKEN_REUSED = "REFRESH_TOKEN_REUSED"
    APPLICATION_ID_NUMBER_READ = "APPLICATION_ID_NUMBER_READ"  # reviewer, assigned case
    DOCUMENT_READ = "DOCUMENT_READ"  # a presigned download URL was handed out
    CERTIFICATE_REVOKED = "CERTIFICATE_REVOKED"  # 撤销注册证书, with the reason
    USER_CREATED = "USER_CREATED"  # 用户管理: by an administrator
    USER_UPDATED = "USER_UPDATED"
    USER_PASSWORD_RESET = "USER_PASSWORD_RESET"  # a temporary password was issued
    USER_LOCKED = "USER_LOCKED"
    USER_UNLOCKED = "USER_UNLOCKED"
    PASSWORD_CHANGED = "PASSWORD_CHANGED"  # 修改密码, by the user themself
    PASSWORD_RESET_REQUESTED = "PASSWORD_RESET_REQUESTED"  # 找回密码: a code was sent
    PASSWORD_RESET_COMPLETED = "PASSWORD_RESET_COMPLETED"
    ACCOUNT_REGISTERED = "ACCOUNT_REGISTERED"  # 注册账号: a registrant's own sign-up


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_subject", "subject_type", "subject_id"),
        Index("ix_audit_event_actor_at", "actor_user_id", "at"),
    )

    id: int | None = id_field()
    at: datetime | None = created_at_field()
    actor_user_id: int | None = Field(default=None, sa_type=BigInteger)
    action: str = Field(max_length=40)
    subject_type: str = Field(max_length=40)
    subject_id: str = Field(max_length=64)
    request_id: str | None = Field(default=None, max_length=64)
    detail: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
