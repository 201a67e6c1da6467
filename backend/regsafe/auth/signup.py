"""注册账号: a registrant signs up for an account of their own.

How identity is confirmed before anything is shown unmasked: an account is linked to a
person on file only when (1) the name, ID number and phone typed all match that person's
record, (2) the person has no account yet, and (3) the phone proves itself: a 6-digit
code is sent to the number **on file** and must come back (``confirm``). Knowing
someone's three details (often leaked together) is not enough: the code goes to their
phone. Any other case — no such person, a detail that differs, an existing account, a
taken username — creates nothing and sends nothing, and the answer is the same as for a
match; no PENDING person is created from a sign-up (creating a person attaches the
employment invitations already sent to that ID number, which a squatter must not see).
People not yet on file are registered by their employer or a reviewer first.

The password is hashed in every case before anything is looked up, so the answer takes
the same time either way. The username is the phone number.
"""

from __future__ import annotations

import hmac
from datetime import date, datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.audit import service as audit
from regsafe.audit.models import AuditAction
from regsafe.auth.accounts import MAX_PASSWORD_INPUT, hash_or_busy
from regsafe.auth.errors import AuthErrorCode as Code
from regsafe.auth.models import AccountRegistration, User
from regsafe.auth.passwords import PasswordPool, password_problems
from regsafe.auth.recovery import CODE_TTL, MAX_ATTEMPTS, PER_TARGET, new_code
from regsafe.auth.roles import Role
from regsafe.core.crypto import FieldCipher
from regsafe.core.errors import DomainError, DomainErrors
from regsafe.core.messaging import Channel, Message, MessageSender, UndeliverableError
from regsafe.identity import rules
from regsafe.identity.models import Person
from regsafe.identity.service import ID_CONTEXT, decrypt_phone_cipher

PURPOSE = "account-register"
INVALID = "验证码错误或已失效，请重新注册"


def _code_hash(cipher: FieldCipher, username: str, code: str) -> bytes:
    return cipher.blind_index(f"{username}\x00{code}", context=PURPOSE)


def _checked(
    id_number: str, name: str, phone: str, password: str, today: date
) -> tuple[str, str, str]:
    problems: list[DomainError] = []
    idn = typed_name = typed_phone = None
    try:
        idn = rules.parse_id_number(id_number[:64], today=today).value
    except rules.RuleViolation as e:
        problems.append(DomainError(Code.ID_NUMBER_INVALID, e.message, "idNumber"))
    try:
        typed_name = rules.validate_person_name(name[:200])
    except rules.RuleViolation as e:
        problems.append(DomainError(Code.NAME_INVALID, e.message, "name"))
    try:
        typed_phone = rules.normalize_phone(phone[:64])
    except rules.RuleViolation as e:
        problems.append(DomainError(Code.PHONE_INVALID, e.message, "phone"))
    if (problem := password_problems(password)) is not None:
        problems.append(DomainError(Code.PASSWORD_TOO_WEAK, problem, "password"))
    if problems:
        raise DomainErrors(problems)
    assert idn is not None and typed_name is not None and typed_phone is not None
    return idn, typed_name, typed_phone


async def register(
    session: AsyncSession,
    *,
    id_number: str,
    name: str,
    phone: str,
    password: str,
    cipher: FieldCipher,
    sender: MessageSender,
    now: datetime,
    today: date,
    passwords: PasswordPool | None = None,
) -> None:
    """Check the input's form (typed errors), then send a code to the phone on file when
    everything matches; answer the same (None) in every other case."""
    idn, typed_name, typed_phone = _checked(id_number, name, phone, password, today)
    password_hash = await hash_or_busy(password[:MAX_PASSWORD_INPUT], passwords, "password")
    index = cipher.blind_index(idn, context=ID_CONTEXT)
    person = (
        await session.exec(select(Person).where(col(Person.id_number_index) == index))
    ).first()
    if person is None or person.id is None or person.phone_cipher is None:
        return
    on_file = decrypt_phone_cipher(cipher, person.phone_cipher)
    same_name = hmac.compare_digest(person.name.encode(), typed_name.encode())
    if not (same_name and hmac.compare_digest(on_file.encode(), typed_phone.encode())):
        return
    taken = (
        await session.exec(
            select(User.id).where(
                (col(User.person_id) == person.id) | (col(User.username) == typed_phone)
            )
        )
    ).first()
    if taken is not None:
        return
    recent = (
        await session.exec(
            select(func.count())
            .select_from(AccountRegistration)
            .where(
                col(AccountRegistration.person_id) == person.id,
                col(AccountRegistration.created_at) > now - CODE_TTL,
            )
        )
    ).one()
    if int(recent) >= PER_TARGET:
        return
    await session.exec(
        update(AccountRegistration)
        .where(
            col(AccountRegistration.person_id) == person.id,
            col(AccountRegistration.used_at).is_(None),
        )
        .values(used_at=now)
    )
    code = new_code()
    session.add(
        AccountRegistration(
            person_id=person.id,
            username=typed_phone,
            password_hash=password_hash,
            code_hash=_code_hash(cipher, typed_phone, code),
            created_at=now,
            expires_at=now + CODE_TTL,
        )
    )
    await session.flush()
    try:
        await sender.send(Message(Channel.SMS, on_file, PURPOSE, code))
    except UndeliverableError:
        await session.rollback()


async def confirm(
    session: AsyncSession,
    *,
    phone: str,
    code: str,
    cipher: FieldCipher,
    now: datetime,
    request_id: str | None = None,
) -> User:
    """Create the account of a matched sign-up whose code came back from its phone."""
    try:
        username = rules.normalize_phone(phone[:64])
    except rules.RuleViolation:
        raise DomainError(Code.REGISTRATION_CODE_INVALID, INVALID, "code") from None
    row = (
        await session.exec(
            select(AccountRegistration)
            .where(
                col(AccountRegistration.username) == username,
                col(AccountRegistration.used_at).is_(None),
                col(AccountRegistration.expires_at) > now,
            )
            .order_by(col(AccountRegistration.id).desc())
            .limit(1)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise DomainError(Code.REGISTRATION_CODE_INVALID, INVALID, "code")
    typed = code.strip()[:16]
    if not (len(typed) == 6 and typed.isascii() and typed.isdigit()) or not hmac.compare_digest(
        _code_hash(cipher, username, typed), row.code_hash
    ):
        row.attempts += 1
        if row.attempts >= MAX_ATTEMPTS:
            row.used_at = now
        session.add(row)
        await session.commit()
        raise DomainError(Code.REGISTRATION_CODE_INVALID, INVALID, "code")
    row.used_at = now
    session.add(row)
    taken = (
        await session.exec(
            select(User.id).where(
                (col(User.person_id) == row.person_id) | (col(User.username) == username)
            )
        )
    ).first()
    person = await session.get(Person, row.person_id)
    if taken is not None or person is None:  # an account was made meanwhile
        await session.commit()
        raise DomainError(Code.REGISTRATION_CODE_INVALID, INVALID, "code")
    user = User(
        username=username,
        display_name=person.name,
        password_hash=row.password_hash,
        roles=[Role.REGISTRANT.value],
        person_id=row.person_id,
    )
    session.add(user)
    await session.flush()
    assert user.id is not None
    audit.record(
        session,
        action=AuditAction.ACCOUNT_REGISTERED,
        subject_type="user",
        subject_id=user.id,
        actor_user_id=user.id,
        request_id=request_id,
        detail={"person_id": row.person_id},
    )
    return user
