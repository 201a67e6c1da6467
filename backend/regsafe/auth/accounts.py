"""用户管理 and 修改密码: administrators create, change, lock and unlock accounts and
issue temporary passwords; every signed-in user changes their own password.

Every administrator action is written to the audit trail in the same transaction.
Locking an account and resetting its password revoke its refresh tokens, so its
sessions end at once (every request checks its session is live)."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import any_, false, literal, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from regsafe.audit import service as audit
from regsafe.audit.models import AuditAction, AuditEvent
from regsafe.auth import throttle
from regsafe.auth.errors import AuthErrorCode as Code
from regsafe.auth.models import RefreshToken, User
from regsafe.auth.passwords import PasswordBusy, PasswordPool, hash_password, password_problems
from regsafe.auth.roles import PROVINCE_SCOPED, Role, Viewer
from regsafe.auth.scopes import ReviewQueue
from regsafe.auth.service import AuthPolicy, normalize_username
from regsafe.core.errors import DomainError, DomainErrors
from regsafe.identity.models import Employer, Person

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
_PROVINCE = re.compile(r"^[1-9][0-9]0000$")
MAX_DISPLAY_NAME = 64
MAX_PASSWORD_INPUT = 256  # longer input is cut before hashing (the policy stops at 128)
BUSY = "系统繁忙，请稍后再试"
_TEMP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
TEMP_PASSWORD_LENGTH = 14


class Unset:
    """A patch field that was not given (None means "clear it")."""


UNSET: Any = Unset()


@dataclass(frozen=True)
class UserFilter:
    username_prefix: str | None = None
    role: Role | None = None
    is_active: bool | None = None


@dataclass(frozen=True)
class AccountInput:
    """The account's roles and what they act for (范围)."""

    roles: list[Role]
    province_code: str | None = None
    review_scope: ReviewQueue | None = None
    person_id: int | None = None
    employer_id: int | None = None


@dataclass(frozen=True)
class UserPatch:
    """What userUpdate changes: UNSET fields stay, None clears a scope."""

    display_name: Any = UNSET
    roles: Any = UNSET
    province_code: Any = UNSET
    review_scope: Any = UNSET
    person_id: Any = UNSET
    employer_id: Any = UNSET


# --- reading ------------------------------------------------------------------------


def user_query(viewer: Viewer, f: UserFilter) -> SelectOfScalar[User]:
    """Accounts matching the filter (administrators only reach this field)."""
    stmt = select(User)
    if not viewer.is_admin:
        stmt = stmt.where(false())
    if f.username_prefix:
        prefix = normalize_username(f.username_prefix)
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(col(User.username).like(f"{escaped}%", escape="\\"))
    if f.role is not None:
        stmt = stmt.where(literal(f.role.value) == any_(col(User.roles)))
    if f.is_active is not None:
        stmt = stmt.where(col(User.is_active) == f.is_active)
    return stmt


def audit_events_of(user_id: int, limit: int) -> SelectOfScalar[AuditEvent]:
    """The audit rows where the user is the actor, newest first."""
    return (
        select(AuditEvent)
        .where(col(AuditEvent.actor_user_id) == user_id)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(limit)
    )


# --- checks -------------------------------------------------------------------------


def _display_name(raw: str) -> str:
    value = " ".join(raw.split())
    if not value or len(value) > MAX_DISPLAY_NAME or _has_control(value):
        raise DomainError(
            Code.DISPLAY_NAME_INVALID, f"显示名称应为1至{MAX_DISPLAY_NAME}个字符", "displayName"
        )
    return value


def _has_control(value: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in value)


def _username(raw: str) -> str:
    name = raw.strip().lower()
    if not _USERNAME.match(name):
        raise DomainError(
            Code.USERNAME_INVALID,
            "用户名应为3至64个小写字母、数字或 . _ -，以字母或数字开头",
            "username",
        )
    return name


async def _check_account(
    session: AsyncSession, data: AccountInput, *, user_id: int | None
) -> list[DomainError]:
    """Every problem with a role/scope combination, at once."""
    problems: list[DomainError] = []
    roles = set(data.roles)
    if not roles:
        problems.append(DomainError(Code.ROLES_REQUIRED, "请至少选择一个角色", "roles"))
    needs_province = bool(roles & PROVINCE_SCOPED)
    if Role.PROVINCIAL_REVIEWER in roles and data.review_scope not in (None, ReviewQueue.PROVINCE):
        # a ministry-queue reviewer (MOHURD/MOT) may work without a province
        needs_province = Role.ANALYST in roles
    if data.province_code is not None:
        if not roles & PROVINCE_SCOPED:
            problems.append(
                DomainError(Code.SCOPE_NOT_ALLOWED, "所选角色不按省份划分范围", "provinceCode")
            )
        elif not _PROVINCE.match(data.province_code):
            problems.append(
                DomainError(
                    Code.PROVINCE_INVALID, "省份代码应为6位数字，以0000结尾", "provinceCode"
                )
            )
    elif needs_province:
        problems.append(DomainError(Code.PROVINCE_REQUIRED, "该角色须指定省份", "provinceCode"))
    if data.review_scope is not None and Role.PROVINCIAL_REVIEWER not in roles:
        problems.append(
            DomainError(Code.SCOPE_NOT_ALLOWED, "只有省级审核人员有初审队列", "reviewScope")
        )
    if data.employer_id is not None:
        if not roles & {Role.EMPLOYER_ADMIN, Role.TRAINER}:
            problems.append(DomainError(Code.SCOPE_NOT_ALLOWED, "所选角色不属于单位", "employerId"))
        elif await session.get(Employer, data.employer_id) is None:
            problems.append(DomainError(Code.EMPLOYER_NOT_FOUND, "单位不存在", "employerId"))
    elif Role.EMPLOYER_ADMIN in roles:
        problems.append(DomainError(Code.EMPLOYER_REQUIRED, "单位管理员须指定单位", "employerId"))
    if data.person_id is not None:
        if Role.REGISTRANT not in roles:
            problems.append(
                DomainError(Code.SCOPE_NOT_ALLOWED, "只有注册人员关联人员信息", "personId")
            )
        elif await session.get(Person, data.person_id) is None:
            problems.append(DomainError(Code.PERSON_NOT_FOUND, "人员不存在", "personId"))
        else:
            other = (
                await session.exec(
                    select(User.id).where(
                        col(User.person_id) == data.person_id, col(User.id) != (user_id or 0)
                    )
                )
            ).first()
            if other is not None:
                problems.append(DomainError(Code.PERSON_TAKEN, "该人员已有账号", "personId"))
    elif Role.REGISTRANT in roles:
        problems.append(DomainError(Code.PERSON_REQUIRED, "注册人员须关联人员信息", "personId"))
    return problems


async def hash_or_busy(password: str, passwords: PasswordPool | None, field: str) -> str:
    try:
        return await hash_password(password, passwords)
    except PasswordBusy:
        raise DomainError(Code.BUSY, BUSY, field) from None


async def _load(session: AsyncSession, user_id: int, *, lock: bool = True) -> User:
    user = await session.get(User, user_id, with_for_update=lock, populate_existing=True)
    if user is None:
        raise DomainError(Code.NOT_FOUND, "用户不存在", "id")
    return user


async def revoke_sessions(
    session: AsyncSession, user_id: int, now: datetime, *, keep: str | None = None
) -> int:
    """Revoke every live refresh token of the user (but the session ``keep``)."""
    stmt = update(RefreshToken).where(
        col(RefreshToken.user_id) == user_id, col(RefreshToken.revoked_at).is_(None)
    )
    if keep is not None:
        stmt = stmt.where(col(RefreshToken.family_id) != keep)
    result = await session.exec(stmt.values(revoked_at=now))
    return int(result.rowcount or 0)


def _admin(viewer: Viewer) -> int:
    if not viewer.is_admin or viewer.user_id is None:  # the field checks it first
        raise DomainError(Code.NOT_FOUND, "用户不存在", "id")
    return viewer.user_id


# --- administrators -----------------------------------------------------------------


async def create_account(
    session: AsyncSession,
    *,
    viewer: Viewer,
    username: str,
    display_name: str,
    password: str,
    account: AccountInput,
    passwords: PasswordPool | None = None,
    request_id: str | None = None,
) -> User:
    actor = _admin(viewer)
    problems: list[DomainError] = []
    name = display = None
    try:
        name = _username(username)
    except DomainError as e:
        problems.append(e)
    try:
        display = _display_name(display_name)
    except DomainError as e:
        problems.append(e)
    if (problem := password_problems(password[:MAX_PASSWORD_INPUT])) is not None:
        problems.append(DomainError(Code.PASSWORD_TOO_WEAK, problem, "password"))
    problems += await _check_account(session, account, user_id=None)
    if name is not None:
        taken = (await session.exec(select(User.id).where(col(User.username) == name))).first()
        if taken is not None:
            problems.append(DomainError(Code.USERNAME_TAKEN, "用户名已被使用", "username"))
    if problems:
        raise DomainErrors(problems)
    assert name is not None and display is not None
    user = User(
        username=name,
        display_name=display,
        password_hash=await hash_or_busy(password, passwords, "password"),
        roles=sorted({r.value for r in account.roles}),
        province_code=account.province_code,
        review_scope=account.review_scope.value if account.review_scope else None,
        person_id=account.person_id,
        employer_id=account.employer_id,
    )
    session.add(user)
    await session.flush()
    assert user.id is not None
    audit.record(
        session,
        action=AuditAction.USER_CREATED,
        subject_type="user",
        subject_id=user.id,
        actor_user_id=actor,
        request_id=request_id,
        detail=_account_detail(user),
    )
    return user


def _account_detail(user: User) -> dict[str, Any]:
    return {
        "roles": list(user.roles),
        "province_code": user.province_code,
        "review_scope": user.review_scope,
        "person_id": user.person_id,
        "employer_id": user.employer_id,
    }


async def update_account(
    session: AsyncSession,
    *,
    viewer: Viewer,
    user_id: int,
    patch: UserPatch,
    request_id: str | None = None,
) -> User:
    actor = _admin(viewer)
    user = await _load(session, user_id)

    def pick(value: Any, current: Any) -> Any:
        return current if value is UNSET else value

    roles = pick(patch.roles, [Role(r) for r in user.roles])
    review = pick(patch.review_scope, ReviewQueue(user.review_scope) if user.review_scope else None)
    account = AccountInput(
        roles=list(roles),
        province_code=pick(patch.province_code, user.province_code),
        review_scope=review,
        person_id=pick(patch.person_id, user.person_id),
        employer_id=pick(patch.employer_id, user.employer_id),
    )
    problems: list[DomainError] = []
    display = user.display_name
    if patch.display_name is not UNSET:
        if patch.display_name is None:
            problems.append(
                DomainError(Code.DISPLAY_NAME_INVALID, "显示名称不能为空", "displayName")
            )
        else:
            try:
                display = _display_name(patch.display_name)
            except DomainError as e:
                problems.append(e)
    if user_id == actor and Role.ADMIN not in account.roles:
        problems.append(DomainError(Code.SELF_LOCKOUT, "不能移除自己账号的系统管理员角色", "roles"))
    problems += await _check_account(session, account, user_id=user_id)
    if problems:
        raise DomainErrors(problems)
    before = _account_detail(user) | {"display_name": user.display_name}
    user.display_name = display
    user.roles = sorted({r.value for r in account.roles})
    user.province_code = account.province_code
    user.review_scope = account.review_scope.value if account.review_scope else None
    user.person_id = account.person_id
    user.employer_id = account.employer_id
    session.add(user)
    after = _account_detail(user) | {"display_name": user.display_name}
    audit.record(
        session,
        action=AuditAction.USER_UPDATED,
        subject_type="user",
        subject_id=user_id,
        actor_user_id=actor,
        request_id=request_id,
        detail={k: after[k] for k in after if after[k] != before[k]},
    )
    return user


def temporary_password() -> str:
    """A random password that meets the policy (about 80 bits), without look-alikes."""
    while True:
        candidate = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(TEMP_PASSWORD_LENGTH))
        candidate = candidate[:7] + "-" + candidate[7:]
        if password_problems(candidate) is None:
            return candidate


async def reset_password(
    session: AsyncSession,
    *,
    viewer: Viewer,
    user_id: int,
    now: datetime,
    passwords: PasswordPool | None = None,
    request_id: str | None = None,
) -> tuple[User, str]:
    """Issue a one-time temporary password (returned once, stored only as its hash). The
    user's sessions end and the account must change it at the next login."""
    actor = _admin(viewer)
    user = await _load(session, user_id)
    temporary = temporary_password()
    user.password_hash = await hash_or_busy(temporary, passwords, "id")
    user.must_change_password = True
    session.add(user)
    ended = await revoke_sessions(session, user_id, now)
    audit.record(
        session,
        action=AuditAction.USER_PASSWORD_RESET,
        subject_type="user",
        subject_id=user_id,
        actor_user_id=actor,
        request_id=request_id,
        detail={"sessions_revoked": ended},
    )
    return user, temporary


async def set_active(
    session: AsyncSession,
    *,
    viewer: Viewer,
    user_id: int,
    active: bool,
    now: datetime,
    request_id: str | None = None,
) -> User:
    """Lock (停用) or unlock an account. Locking ends its sessions at once."""
    actor = _admin(viewer)
    if not active and user_id == actor:
        raise DomainError(Code.SELF_LOCKOUT, "不能停用自己的账号", "id")
    user = await _load(session, user_id)
    user.is_active = active
    session.add(user)
    ended = 0 if active else await revoke_sessions(session, user_id, now)
    audit.record(
        session,
        action=AuditAction.USER_UNLOCKED if active else AuditAction.USER_LOCKED,
        subject_type="user",
        subject_id=user_id,
        actor_user_id=actor,
        request_id=request_id,
        detail={"sessions_revoked": ended} if not active else None,
    )
    return user


# --- every signed-in user -----------------------------------------------------------


async def change_password(
    session: AsyncSession,
    *,
    viewer: Viewer,
    current_password: str,
    new_password: str,
    policy: AuthPolicy,
    now: datetime,
    client_address: str,
    request_id: str | None = None,
) -> User:
    """修改密码: the current password is checked (and a wrong one counted like a failed
    login, so a stolen access token cannot guess on); the other sessions end."""
    assert viewer.user_id is not None
    user = await _load(session, viewer.user_id, lock=False)
    counters = throttle.LoginCounters.of(
        policy.keys, policy.throttle, address=client_address, user_id=user.id, device_id=None
    )
    assert counters.pair is not None
    await throttle.hold(session, counters.pair, now)
    if throttle.lock_in_force(counters, await throttle.read(session, counters.all), now):
        await session.rollback()
        raise DomainError(Code.TOO_MANY_ATTEMPTS, "密码错误次数过多，请稍后再试", "currentPassword")
    current = current_password[:MAX_PASSWORD_INPUT]
    fresh = new_password[:MAX_PASSWORD_INPUT]
    try:
        ok = await policy.passwords.verify(user.password_hash, current)
    except PasswordBusy:
        await session.rollback()
        raise DomainError(Code.BUSY, BUSY, None) from None
    if not ok:
        await throttle.count_failure(session, counters.all, policy.throttle, now)
        await session.commit()
        raise DomainError(Code.INVALID_CREDENTIALS, "当前密码错误", "currentPassword")
    if (problem := password_problems(new_password)) is not None:
        raise DomainError(Code.PASSWORD_TOO_WEAK, problem, "newPassword")
    if fresh == current:
        raise DomainError(Code.PASSWORD_UNCHANGED, "新密码不能与当前密码相同", "newPassword")
    await throttle.reset(session, [counters.pair])
    user = await _load(session, viewer.user_id)
    user.password_hash = await hash_or_busy(fresh, policy.passwords, "newPassword")
    user.must_change_password = False
    session.add(user)
    ended = await revoke_sessions(session, viewer.user_id, now, keep=viewer.session_id)
    audit.record(
        session,
        action=AuditAction.PASSWORD_CHANGED,
        subject_type="user",
        subject_id=viewer.user_id,
        actor_user_id=viewer.user_id,
        request_id=request_id,
        detail={"sessions_revoked": ended},
    )
    return user
