"""找回密码: a forgotten password is replaced with a 6-digit one-time code sent by SMS to
the phone on file of the account's person.

- The answer to a request is the same whether or not the account exists, has a phone,
  or is over its budget: nothing to enumerate accounts with.
- Codes are stored only as an HMAC of (account, code) under the blind-index key; they
  expire after ``CODE_TTL``; a new request voids the older codes; a used code, or one
  guessed wrong ``MAX_ATTEMPTS`` times, is spent.
- At most ``PER_TARGET`` codes per account per ``CODE_TTL`` (more requests are answered
  the same, and nothing is sent); the per client-address budget is the GraphQL layer's.
- A successful reset ends every session of the account and clears a pending temporary
  password.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.audit import service as audit
from regsafe.audit.models import AuditAction
from regsafe.auth.accounts import MAX_PASSWORD_INPUT, hash_or_busy, revoke_sessions
from regsafe.auth.errors import AuthErrorCode as Code
from regsafe.auth.models import PasswordResetCode, User
from regsafe.auth.passwords import PasswordPool, password_problems
from regsafe.auth.service import normalize_username
from regsafe.core.crypto import FieldCipher
from regsafe.core.errors import DomainError
from regsafe.core.messaging import Channel, Message, MessageSender, UndeliverableError
from regsafe.identity.models import Person
from regsafe.identity.service import decrypt_phone_cipher

CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5
PER_TARGET = 3
PURPOSE = "password-reset"
INVALID = "验证码错误或已失效，请重新获取"


def code_hash(cipher: FieldCipher, user_id: int, code: str) -> bytes:
    return cipher.blind_index(f"{user_id}\x00{code}", context=PURPOSE)


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


async def _account(session: AsyncSession, username: str) -> User | None:
    name = normalize_username(username[:64])
    user = (await session.exec(select(User).where(col(User.username) == name))).first()
    return user if user is not None and user.is_active else None


async def request_reset(
    session: AsyncSession,
    *,
    username: str,
    cipher: FieldCipher,
    sender: MessageSender,
    now: datetime,
    request_id: str | None = None,
) -> None:
    """Send a code when the account exists and has a phone; answer the same otherwise."""
    user = await _account(session, username)
    if user is None or user.id is None or user.person_id is None:
        return
    person = await session.get(Person, user.person_id)
    if person is None or person.phone_cipher is None:
        return
    recent = (
        await session.exec(
            select(func.count())
            .select_from(PasswordResetCode)
            .where(
                col(PasswordResetCode.user_id) == user.id,
                col(PasswordResetCode.created_at) > now - CODE_TTL,
            )
        )
    ).one()
    if int(recent) >= PER_TARGET:
        return
    await session.exec(
        update(PasswordResetCode)
        .where(col(PasswordResetCode.user_id) == user.id, col(PasswordResetCode.used_at).is_(None))
        .values(used_at=now)
    )
    code = new_code()
    session.add(
        PasswordResetCode(
            user_id=user.id,
            code_hash=code_hash(cipher, user.id, code),
            created_at=now,
            expires_at=now + CODE_TTL,
        )
    )
    audit.record(
        session,
        action=AuditAction.PASSWORD_RESET_REQUESTED,
        subject_type="user",
        subject_id=user.id,
        actor_user_id=None,
        request_id=request_id,
    )
    await session.flush()
    phone = decrypt_phone_cipher(cipher, person.phone_cipher)
    try:
        await sender.send(Message(Channel.SMS, phone, PURPOSE, code))
    except UndeliverableError:
        await session.rollback()  # nothing was sent: keep no code either


async def confirm_reset(
    session: AsyncSession,
    *,
    username: str,
    code: str,
    new_password: str,
    cipher: FieldCipher,
    now: datetime,
    passwords: PasswordPool | None = None,
    request_id: str | None = None,
) -> User:
    """Replace the password with a live code; a wrong code counts against it."""
    if (problem := password_problems(new_password)) is not None:
        raise DomainError(Code.PASSWORD_TOO_WEAK, problem, "newPassword")
    user = await _account(session, username)
    if user is None or user.id is None:
        raise DomainError(Code.RESET_CODE_INVALID, INVALID, "code")
    row = (
        await session.exec(
            select(PasswordResetCode)
            .where(
                col(PasswordResetCode.user_id) == user.id,
                col(PasswordResetCode.used_at).is_(None),
                col(PasswordResetCode.expires_at) > now,
            )
            .order_by(col(PasswordResetCode.id).desc())
            .limit(1)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise DomainError(Code.RESET_CODE_INVALID, INVALID, "code")
    typed = code.strip()[:16]
    if not (len(typed) == 6 and typed.isascii() and typed.isdigit()) or not hmac.compare_digest(
        code_hash(cipher, user.id, typed), row.code_hash
    ):
        row.attempts += 1
        if row.attempts >= MAX_ATTEMPTS:
            row.used_at = now
        session.add(row)
        await session.commit()  # the attempt counts whatever the mutation does next
        raise DomainError(Code.RESET_CODE_INVALID, INVALID, "code")
    row.used_at = now
    session.add(row)
    user = await session.get(User, user.id, with_for_update=True, populate_existing=True)
    assert user is not None and user.id is not None
    user.password_hash = await hash_or_busy(
        new_password[:MAX_PASSWORD_INPUT], passwords, "newPassword"
    )
    user.must_change_password = False
    session.add(user)
    ended = await revoke_sessions(session, user.id, now)
    audit.record(
        session,
        action=AuditAction.PASSWORD_RESET_COMPLETED,
        subject_type="user",
        subject_id=user.id,
        actor_user_id=user.id,
        request_id=request_id,
        detail={"sessions_revoked": ended},
    )
    return user
