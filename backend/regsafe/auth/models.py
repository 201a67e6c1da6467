"""Users, refresh-token sessions, login throttling and known login devices."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ARRAY, BigInteger, ForeignKey, Index, LargeBinary, String, false
from sqlmodel import Column, Field, SQLModel

from regsafe.core.db import created_at_field, id_field, timestamp_field


class User(SQLModel, table=True):
    """用户账号"""

    __tablename__ = "app_user"

    id: int | None = id_field()
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=64)
    password_hash: str = Field(max_length=200)
    roles: list[str] = Field(sa_column=Column(ARRAY(String(24)), nullable=False))
    province_code: str | None = Field(default=None, max_length=6)
    # Which preliminary-review queue a reviewer works: PROVINCE (their province's),
    # MOHURD (construction) or MOT (road transport), see registration routing.
    review_scope: str | None = Field(default=None, max_length=10)
    person_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("person.id"), unique=True)
    )
    employer_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("employer.id"), index=True)
    )
    is_active: bool = True
    # Set when an administrator issues a temporary password: until the user changes it,
    # only 修改密码 (passwordChange), viewer and logout answer.
    must_change_password: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    last_login_at: datetime | None = timestamp_field()
    created_at: datetime | None = created_at_field()


class RefreshToken(SQLModel, table=True):
    """One refresh token of a login session (family). Tokens rotate: each use marks the
    old one used and issues a successor; presenting a used token again revokes the whole
    family (RFC 9700 §4.14 refresh token reuse detection)."""

    __tablename__ = "refresh_token"
    __table_args__ = (Index("ix_refresh_token_family", "family_id"),)

    id: int | None = id_field()
    user_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("app_user.id"), nullable=False, index=True)
    )
    family_id: uuid.UUID
    token_hash: bytes = Field(sa_column=Column(LargeBinary, nullable=False, unique=True))
    issued_at: datetime = timestamp_field(nullable=False)
    expires_at: datetime = timestamp_field(nullable=False)
    used_at: datetime | None = timestamp_field()
    revoked_at: datetime | None = timestamp_field()


class ThrottleKind(StrEnum):
    """What a login-throttle counter counts failures of."""

    ACCOUNT_ADDRESS = "ACCOUNT_ADDRESS"  # one account from one client address
    ACCOUNT = "ACCOUNT"  # one account from anywhere
    ADDRESS = "ADDRESS"  # one client address, whatever the username (unknown ones too)
    DEVICE = "DEVICE"  # one known device's token, so a stolen token cannot guess on


class LoginThrottle(SQLModel, table=True):
    """Failed logins per counter. The key is an HMAC (core.crypto blind index) of the kind
    and the account id / client address / device id: no typed username, no address in
    clear, and no row at all for a username that is not an account."""

    __tablename__ = "login_throttle"
    __table_args__ = (Index("ix_login_throttle_expires_at", "expires_at"),)

    key: bytes = Field(sa_column=Column(LargeBinary, primary_key=True))
    kind: str = Field(max_length=16)
    failures: int = 0
    window_started_at: datetime = timestamp_field(nullable=False)
    locked_until: datetime | None = timestamp_field()
    # When the row stops mattering (window over and lock expired): stale rows are pruned.
    expires_at: datetime = timestamp_field(nullable=False)


class LoginDevice(SQLModel, table=True):
    """已知设备: a browser or app that has logged in to this account before. Its token
    (random, stored only as a SHA-256 hash) lets the owner past the per-account lock
    that strangers can trigger, never past the lock on their own address."""

    __tablename__ = "login_device"

    id: int | None = id_field()
    user_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("app_user.id"), nullable=False, index=True)
    )
    token_hash: bytes = Field(sa_column=Column(LargeBinary, nullable=False, unique=True))
    created_at: datetime | None = created_at_field()
    last_seen_at: datetime = timestamp_field(nullable=False)


class PasswordResetCode(SQLModel, table=True):
    """找回密码验证码: a 6-digit one-time code sent to the account's phone, stored only
    as an HMAC of (user, code); single use, expiring, a few attempts at most."""

    __tablename__ = "password_reset_code"

    id: int | None = id_field()
    user_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("app_user.id"), nullable=False, index=True)
    )
    code_hash: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = timestamp_field(nullable=False)
    expires_at: datetime = timestamp_field(nullable=False)
    used_at: datetime | None = timestamp_field()
    attempts: int = 0


class AccountRegistration(SQLModel, table=True):
    """注册账号 waiting for its phone to prove itself: made only when the name, ID number
    and phone typed match a person on file who has no account; the account is created
    when the code sent to that phone comes back. The code is stored as an HMAC, the
    password as its argon2 hash."""

    __tablename__ = "account_registration"

    id: int | None = id_field()
    person_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("person.id"), nullable=False, index=True)
    )
    username: str = Field(max_length=64)
    password_hash: str = Field(max_length=200)
    code_hash: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = timestamp_field(nullable=False)
    expires_at: datetime = timestamp_field(nullable=False)
    used_at: datetime | None = timestamp_field()
    attempts: int = 0
