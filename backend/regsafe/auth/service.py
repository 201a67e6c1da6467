"""Logins (throttled, with known devices), refresh-token rotation, revocation, and turning
an access token into a Viewer."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.audit import service as audit
from regsafe.audit.models import AuditAction
from regsafe.auth import throttle
from regsafe.auth.errors import AuthErrorCode, TokenProblem
from regsafe.auth.models import LoginDevice, RefreshToken, User
from regsafe.auth.passwords import (
    PasswordBusy,
    PasswordPool,
    hash_password,
    password_pool,
    password_problems,
)
from regsafe.auth.roles import Role, Viewer
from regsafe.auth.throttle import ThrottlePolicy
from regsafe.auth.tokens import (
    AccessTokenCodec,
    TokenError,
    hash_device_token,
    hash_refresh_token,
    new_device_token,
    new_refresh_token,
)
from regsafe.core.crypto import FieldCipher
from regsafe.core.errors import DomainError


@dataclass(frozen=True)
class AuthPolicy:
    access: AccessTokenCodec
    refresh_ttl: timedelta
    throttle: ThrottlePolicy
    keys: FieldCipher  # the blind-index key makes the throttle keys
    device_ttl: timedelta
    passwords: PasswordPool = field(default_factory=password_pool)


BUSY_MESSAGE = "登录请求过多，请稍后再试"


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    access_token_expires_at: datetime
    refresh_token: str
    refresh_token_expires_at: datetime
    user_id: int


def normalize_username(raw: str) -> str:
    return raw.strip().lower()[:64]


async def create_user(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    display_name: str,
    roles: list[Role],
    province_code: str | None = None,
    review_scope: str | None = None,
    person_id: int | None = None,
    employer_id: int | None = None,
    passwords: PasswordPool | None = None,
) -> User:
    name = normalize_username(username)
    if (problem := password_problems(password)) is not None:
        raise DomainError(AuthErrorCode.PASSWORD_TOO_WEAK, problem, "password")
    taken = (await session.exec(select(User.id).where(User.username == name))).first()
    if taken:
        raise DomainError(AuthErrorCode.USERNAME_TAKEN, "用户名已被使用", "username")
    try:
        password_hash = await hash_password(password, passwords)
    except PasswordBusy:
        raise DomainError(AuthErrorCode.BUSY, "系统繁忙，请稍后再试", "password") from None
    user = User(
        username=name,
        display_name=display_name,
        password_hash=password_hash,
        roles=[r.value for r in roles],
        province_code=province_code,
        review_scope=review_scope,
        person_id=person_id,
        employer_id=employer_id,
    )
    session.add(user)
    await session.flush()
    return user


@dataclass(frozen=True)
class LoginResult:
    tokens: TokenPair
    # The known-device token to present at the next login (the one sent, or a new one).
    device_token: str


async def login(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    policy: AuthPolicy,
    now: datetime,
    client_address: str,
    device_token: str | None = None,
    request_id: str | None = None,
) -> LoginResult:
    """Check a password and open a session. A failed attempt is committed before the
    error is raised, so throttling survives the mutation's rollback. See
    :mod:`regsafe.auth.throttle` for which counters an attempt touches."""
    name = normalize_username(username)
    user_obj = (await session.exec(select(User).where(User.username == name))).first()
    device = await _known_device(session, user_obj, device_token, policy, now)
    counters = throttle.LoginCounters.of(
        policy.keys,
        policy.throttle,
        address=client_address,
        user_id=user_obj.id if user_obj else None,
        device_id=device.id if device else None,
    )
    if counters.pair is not None:
        await throttle.hold(session, counters.pair, now)
    locked_until = throttle.lock_in_force(counters, await throttle.read(session, counters.all), now)
    if locked_until is not None:
        await session.rollback()
        minutes = max(1, math.ceil((locked_until - now).total_seconds() / 60))
        raise DomainError(
            AuthErrorCode.TOO_MANY_ATTEMPTS, f"登录失败次数过多，请{minutes}分钟后再试", "username"
        )
    try:
        # off the event loop; the account+address row stays locked, so guesses at one
        # account from one address queue
        ok = await policy.passwords.verify(user_obj.password_hash if user_obj else None, password)
    except PasswordBusy:
        await session.rollback()
        raise DomainError(AuthErrorCode.BUSY, BUSY_MESSAGE, None) from None
    client = counters.address.key.hex()  # lets the audit trail correlate, not identify
    if not ok or user_obj is None:
        await throttle.count_failure(session, counters.all, policy.throttle, now)
        # No typed text: an unknown name may well be a password typed into the wrong field.
        audit.record(
            session,
            action=AuditAction.LOGIN_FAILED,
            subject_type="user" if user_obj else "client",
            subject_id=user_obj.id if user_obj and user_obj.id else client,
            actor_user_id=None,
            request_id=request_id,
            detail={"client": client, "known_device": device is not None},
        )
        await session.commit()
        raise DomainError(AuthErrorCode.INVALID_CREDENTIALS, "用户名或密码错误", "password")
    if not user_obj.is_active:
        raise DomainError(AuthErrorCode.ACCOUNT_DISABLED, "账号已停用", "username")
    assert user_obj.id is not None
    # The account and address counters stay: the owner getting in on a known device must
    # not reopen the account to strangers, nor a guesser clear the address's counter by
    # logging in to an account of their own.
    await throttle.reset(session, [counters.pair, counters.device])
    await throttle.prune(session, now)
    user_obj.last_login_at = now
    audit.record(
        session,
        action=AuditAction.LOGIN_SUCCEEDED,
        subject_type="user",
        subject_id=user_obj.id,
        actor_user_id=user_obj.id,
        request_id=request_id,
        detail={"client": client, "known_device": device is not None},
    )
    remembered = await _remember_device(session, user_obj.id, device, device_token, policy, now)
    tokens = await _issue(session, user_id=user_obj.id, family=uuid.uuid4(), policy=policy, now=now)
    return LoginResult(tokens=tokens, device_token=remembered)


async def _known_device(
    session: AsyncSession,
    user: User | None,
    token: str | None,
    policy: AuthPolicy,
    now: datetime,
) -> LoginDevice | None:
    """The device behind ``token`` if it is a live known device of ``user``; any other
    token (another user's, expired, made up) counts as none."""
    if user is None or not token:
        return None
    return (
        await session.exec(
            select(LoginDevice).where(
                LoginDevice.token_hash == hash_device_token(token[:256]),
                LoginDevice.user_id == user.id,
                col(LoginDevice.last_seen_at) > now - policy.device_ttl,
            )
        )
    ).first()


async def _remember_device(
    session: AsyncSession,
    user_id: int,
    device: LoginDevice | None,
    token: str | None,
    policy: AuthPolicy,
    now: datetime,
) -> str:
    if device is not None and token:
        device.last_seen_at = now
        session.add(device)
        return token
    await session.exec(
        delete(LoginDevice).where(
            col(LoginDevice.user_id) == user_id,
            col(LoginDevice.last_seen_at) <= now - policy.device_ttl,
        )
    )
    fresh, digest = new_device_token()
    session.add(LoginDevice(user_id=user_id, token_hash=digest, last_seen_at=now))
    return fresh


async def _issue(
    session: AsyncSession, *, user_id: int, family: uuid.UUID, policy: AuthPolicy, now: datetime
) -> TokenPair:
    refresh, digest = new_refresh_token()
    refresh_expires = now + policy.refresh_ttl
    session.add(
        RefreshToken(
            user_id=user_id,
            family_id=family,
            token_hash=digest,
            issued_at=now,
            expires_at=refresh_expires,
        )
    )
    await session.flush()
    access, access_expires = policy.access.issue(user_id=user_id, session_id=family, now=now)
    return TokenPair(access, access_expires, refresh, refresh_expires, user_id)


async def refresh(
    session: AsyncSession, *, refresh_token: str, policy: AuthPolicy, now: datetime
) -> TokenPair:
    """Rotate a refresh token. Presenting an already-used token means it was stolen or
    replayed: the whole session family is revoked."""
    token = (
        await session.exec(
            select(RefreshToken)
            .where(RefreshToken.token_hash == hash_refresh_token(refresh_token))
            .with_for_update()
        )
    ).first()
    if token is None or token.revoked_at is not None:
        raise DomainError(
            AuthErrorCode.REFRESH_TOKEN_INVALID, "登录已失效，请重新登录", "refreshToken"
        )
    if token.used_at is not None:
        await _revoke_family(session, token.family_id, now)
        audit.record(
            session,
            action=AuditAction.REFRESH_TOKEN_REUSED,
            subject_type="user",
            subject_id=token.user_id,
            actor_user_id=token.user_id,
        )
        await session.commit()
        raise DomainError(
            AuthErrorCode.REFRESH_TOKEN_REUSED, "登录凭据被重复使用，已注销该会话", "refreshToken"
        )
    if token.expires_at <= now:
        raise DomainError(
            AuthErrorCode.REFRESH_TOKEN_EXPIRED, "登录已过期，请重新登录", "refreshToken"
        )
    user = await session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise DomainError(AuthErrorCode.ACCOUNT_DISABLED, "账号已停用", "refreshToken")
    token.used_at = now
    session.add(token)
    return await _issue(
        session, user_id=token.user_id, family=token.family_id, policy=policy, now=now
    )


async def revoke(session: AsyncSession, *, refresh_token: str, now: datetime) -> bool:
    """Log out: revoke the session family of this refresh token (access tokens of the
    family stop working at once, because every request checks the family)."""
    token = (
        await session.exec(
            select(RefreshToken).where(RefreshToken.token_hash == hash_refresh_token(refresh_token))
        )
    ).first()
    if token is None:
        raise DomainError(AuthErrorCode.REFRESH_TOKEN_INVALID, "登录凭据无效", "refreshToken")
    await _revoke_family(session, token.family_id, now)
    return True


async def _revoke_family(session: AsyncSession, family: uuid.UUID, now: datetime) -> None:
    await session.exec(
        update(RefreshToken)
        .where(col(RefreshToken.family_id) == family, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )


async def viewer_for_token(
    session: AsyncSession, *, token: str, codec: AccessTokenCodec, now: datetime
) -> Viewer:
    """One query: the user, provided the login session behind the token is still live."""
    claims = codec.decode(token, now=now)
    live = exists().where(
        col(RefreshToken.family_id) == claims.session_id,
        col(RefreshToken.revoked_at).is_(None),
        col(RefreshToken.user_id) == claims.user_id,
    )
    u = (await session.exec(select(User).where(User.id == claims.user_id, live))).first()
    if u is None or not u.is_active:
        raise TokenError(TokenProblem.TOKEN_REVOKED)
    return Viewer(
        user_id=u.id,
        username=u.username,
        roles=frozenset(Role(r) for r in u.roles),
        province_code=u.province_code,
        review_scope=u.review_scope,
        person_id=u.person_id,
        employer_id=u.employer_id,
        session_id=str(claims.session_id),
        must_change_password=u.must_change_password,
    )
