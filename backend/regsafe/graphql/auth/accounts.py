"""Root fields of 用户管理 (administrators) and 修改密码 (every signed-in user)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from sqlmodel import col
from strawberry import relay

from regsafe.auth import accounts, recovery, signup
from regsafe.auth.accounts import UNSET, AccountInput, UserFilter, UserPatch
from regsafe.auth.errors import AuthErrorCode
from regsafe.auth.models import User
from regsafe.auth.roles import Role
from regsafe.auth.scopes import ReviewQueue
from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.errors import DomainError
from regsafe.core.ratelimit import SharedLimiter
from regsafe.graphql.core.errors import run_mutation
from regsafe.graphql.core.permissions import requires
from regsafe.graphql.core.ratelimit import RateLimited, bucket_key
from regsafe.graphql.core.relay import Connection, node_pk, paginate

from .resolvers import policy
from .types import AuthError, UserType

# Longest text accepted in a filter before it reaches SQL (usernames are 64).
MAX_FILTER_TEXT = 64
# 找回密码 per client address (requests and confirmations each), per 10 minutes.
PASSWORD_RESET_PER_ADDRESS = 10
_reset_limiter = SharedLimiter(window=recovery.CODE_TTL)


async def _limit_reset(info: strawberry.Info, bucket: str) -> None:
    """Count this call against the client address's budget (committed at once, in a
    session of its own); RATE_LIMITED beyond it, whatever account was named."""
    ctx = info.context
    key = bucket_key(ctx.runtime, bucket, ctx.client_address())
    async with ctx.lock, ctx.runtime.db.sessionmaker() as session:
        decision = await _reset_limiter.hit(
            session, key, limit=PASSWORD_RESET_PER_ADDRESS, now=utcnow()
        )
    if not decision.allowed:
        error = RateLimited(decision.retry_after)
        error.message = "请求过于频繁，请稍后再试"
        raise error


def _errors(errs: list[DomainError]) -> list[AuthError]:
    return [
        AuthError(field=e.field, code=AuthErrorCode(e.code.value), message=e.message) for e in errs
    ]


def _pk(gid: relay.GlobalID | None, type_name: str, field: str) -> int | None:
    """The database id in an optional global id; a malformed one is a field error."""
    if gid is None:
        return None
    pk = node_pk(gid, type_name)
    if pk is None:
        code = AuthErrorCode.NOT_FOUND
        if type_name == "Person":
            code = AuthErrorCode.PERSON_NOT_FOUND
        elif type_name == "Employer":
            code = AuthErrorCode.EMPLOYER_NOT_FOUND
        raise DomainError(code, "ID 无效", field)
    return pk


def _user_pk(gid: relay.GlobalID) -> int:
    pk = _pk(gid, "User", "id")
    assert pk is not None
    return pk


@strawberry.input(description="用户查询条件")
class UserFilterInput:
    username_prefix: str | None = strawberry.field(
        default=None, description="登录名前缀 (case-insensitive)."
    )
    role: Role | None = strawberry.field(default=None, description="有此角色的用户")
    is_active: bool | None = strawberry.field(default=None, description="true 启用 / false 已停用")


@strawberry.input(description="新建用户")
class UserCreateInput:
    username: str = strawberry.field(
        description="登录名: 3–64 lower-case letters, digits or . _ - (stored lower-case)."
    )
    display_name: str = strawberry.field(description="显示名称 (1–64 characters).")
    password: str = strawberry.field(
        description="初始密码: 10–128 characters of at least three kinds."
    )
    roles: list[Role] = strawberry.field(description="角色 (at least one).")
    province_code: str | None = strawberry.field(
        default=None,
        description=(
            "省份 (e.g. 440000): required for analysts and for provincial reviewers of the "
            "PROVINCE queue."
        ),
    )
    review_scope: ReviewQueue | None = strawberry.field(
        default=None, description="初审队列 of a provincial reviewer (default PROVINCE)."
    )
    person_id: relay.GlobalID | None = strawberry.field(
        default=None, description="关联人员: required for registrants, one account per person."
    )
    employer_id: relay.GlobalID | None = strawberry.field(
        default=None, description="所属单位: required for employer admins, allowed for trainers."
    )


@strawberry.input(
    description="修改用户: omitted fields stay; null clears a scope. Roles and scopes are "
    "checked together after the change."
)
class UserUpdateInput:
    display_name: str | None = strawberry.field(default=strawberry.UNSET, description="显示名称")
    roles: list[Role] | None = strawberry.field(
        default=strawberry.UNSET, description="角色 (replaces all)."
    )
    province_code: str | None = strawberry.field(default=strawberry.UNSET, description="省份")
    review_scope: ReviewQueue | None = strawberry.field(
        default=strawberry.UNSET, description="初审队列"
    )
    person_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description="关联人员"
    )
    employer_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description="所属单位"
    )


def _given(value: Any) -> bool:
    return value is not strawberry.UNSET and value is not UNSET


@strawberry.type(description="Result of userCreate, userUpdate, userLock, userUnlock.")
class UserPayload:
    user: UserType | None = strawberry.field(
        description="The account; null when errors is not empty."
    )
    errors: list[AuthError] = strawberry.field(
        description="What the administrator must fix; empty on success."
    )


@strawberry.type(description="Result of userPasswordReset (重置密码).")
class UserPasswordResetPayload:
    user: UserType | None = strawberry.field(
        description="The account; null when errors is not empty."
    )
    temporary_password: str | None = strawberry.field(
        description=(
            "临时密码: shown this once (only its hash is stored). The user must change it "
            "at the next login; their sessions have ended."
        )
    )
    errors: list[AuthError] = strawberry.field(
        description="What the administrator must fix; empty on success."
    )


@strawberry.type(description="Result of passwordChange (修改密码).")
class PasswordChangePayload:
    changed: bool = strawberry.field(description="True when the password was changed.")
    errors: list[AuthError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


def _text(value: str | None) -> str | None:
    return value[:MAX_FILTER_TEXT] if value else None


@strawberry.type(description="Result of passwordResetRequest (找回密码: 发送验证码).")
class PasswordResetRequestPayload:
    accepted: bool = strawberry.field(
        description=(
            "Always true for a well-formed request: whether the account exists, has a "
            "phone on file or is over its budget is not told."
        )
    )
    errors: list[AuthError] = strawberry.field(description="Empty unless the system is busy.")


@strawberry.type(description="Result of passwordResetConfirm (找回密码: 设置新密码).")
class PasswordResetConfirmPayload:
    reset: bool = strawberry.field(description="True when the password was replaced.")
    errors: list[AuthError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


@strawberry.type(description="Result of accountRegister (注册账号: 发送验证码).")
class AccountRegisterPayload:
    accepted: bool = strawberry.field(
        description=(
            "True for well-formed details, whether or not they match a person on file: "
            "when they do, a code went to the phone on file."
        )
    )
    errors: list[AuthError] = strawberry.field(
        description="Problems with the form of the details; empty otherwise."
    )


@strawberry.type(description="Result of accountRegisterConfirm (注册账号: 验证手机).")
class AccountRegisterConfirmPayload:
    registered: bool = strawberry.field(
        description="True when the account was created: sign in with the phone number."
    )
    errors: list[AuthError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


@strawberry.type
class AccountQuery:
    @strawberry.field(
        description="用户管理: accounts, filtered (administrators).",
        extensions=requires(Role.ADMIN),
    )
    async def users(
        self,
        info: strawberry.Info,
        filter: UserFilterInput | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[UserType]:
        f = filter or UserFilterInput()
        stmt = accounts.user_query(
            info.context.viewer,
            UserFilter(
                username_prefix=_text(f.username_prefix), role=f.role, is_active=f.is_active
            ),
        )
        return await paginate(
            info,
            stmt,
            key=col(User.id),
            convert=UserType.of,
            first=first,
            after=after,
            last=last,
            before=before,
        )


async def _user_payload(info: strawberry.Info, act: Callable[[], Awaitable[User]]) -> UserPayload:
    async def run() -> UserType:
        return UserType.of(await act())

    user, errors = await run_mutation(info, run)
    return UserPayload(user=user, errors=_errors(errors))


@strawberry.type
class AccountMutation:
    @strawberry.mutation(
        description="新建用户: an account with its roles and scopes (audited).",
        extensions=requires(Role.ADMIN),
    )
    async def user_create(self, info: strawberry.Info, input: UserCreateInput) -> UserPayload:
        ctx = info.context

        async def act() -> User:
            return await accounts.create_account(
                ctx.session,
                viewer=ctx.viewer,
                username=input.username,
                display_name=input.display_name,
                password=input.password,
                account=AccountInput(
                    roles=list(input.roles),
                    province_code=input.province_code,
                    review_scope=input.review_scope,
                    person_id=_pk(input.person_id, "Person", "personId"),
                    employer_id=_pk(input.employer_id, "Employer", "employerId"),
                ),
                passwords=policy(info).passwords,
                request_id=ctx.request_id,
            )

        return await _user_payload(info, act)

    @strawberry.mutation(
        description=(
            "修改用户: display name, roles and scopes (audited). An administrator cannot "
            "remove ADMIN from their own account (SELF_LOCKOUT)."
        ),
        extensions=requires(Role.ADMIN),
    )
    async def user_update(
        self, info: strawberry.Info, id: relay.GlobalID, input: UserUpdateInput
    ) -> UserPayload:
        ctx = info.context

        async def act() -> User:
            patch = UserPatch(
                display_name=input.display_name if _given(input.display_name) else UNSET,
                roles=list(input.roles or []) if _given(input.roles) else UNSET,
                province_code=input.province_code if _given(input.province_code) else UNSET,
                review_scope=input.review_scope if _given(input.review_scope) else UNSET,
                person_id=_pk(input.person_id, "Person", "personId")
                if _given(input.person_id)
                else UNSET,
                employer_id=_pk(input.employer_id, "Employer", "employerId")
                if _given(input.employer_id)
                else UNSET,
            )
            return await accounts.update_account(
                ctx.session,
                viewer=ctx.viewer,
                user_id=_user_pk(id),
                patch=patch,
                request_id=ctx.request_id,
            )

        return await _user_payload(info, act)

    @strawberry.mutation(
        description=(
            "重置密码: issue a one-time temporary password, returned once; the user's "
            "sessions end and they must change it at the next login (audited)."
        ),
        extensions=requires(Role.ADMIN),
    )
    async def user_password_reset(
        self, info: strawberry.Info, id: relay.GlobalID
    ) -> UserPasswordResetPayload:
        ctx = info.context

        async def act() -> tuple[UserType, str]:
            user, temporary = await accounts.reset_password(
                ctx.session,
                viewer=ctx.viewer,
                user_id=_user_pk(id),
                now=utcnow(),
                passwords=policy(info).passwords,
                request_id=ctx.request_id,
            )
            return UserType.of(user), temporary

        result, errors = await run_mutation(info, act)
        return UserPasswordResetPayload(
            user=result[0] if result else None,
            temporary_password=result[1] if result else None,
            errors=_errors(errors),
        )

    @strawberry.mutation(
        description=(
            "停用用户: the account can no longer sign in and its sessions end at once "
            "(audited). Not one's own account (SELF_LOCKOUT)."
        ),
        extensions=requires(Role.ADMIN),
    )
    async def user_lock(self, info: strawberry.Info, id: relay.GlobalID) -> UserPayload:
        ctx = info.context

        async def act() -> User:
            return await accounts.set_active(
                ctx.session,
                viewer=ctx.viewer,
                user_id=_user_pk(id),
                active=False,
                now=utcnow(),
                request_id=ctx.request_id,
            )

        return await _user_payload(info, act)

    @strawberry.mutation(
        description="启用用户: a locked account may sign in again (audited).",
        extensions=requires(Role.ADMIN),
    )
    async def user_unlock(self, info: strawberry.Info, id: relay.GlobalID) -> UserPayload:
        ctx = info.context

        async def act() -> User:
            return await accounts.set_active(
                ctx.session,
                viewer=ctx.viewer,
                user_id=_user_pk(id),
                active=True,
                now=utcnow(),
                request_id=ctx.request_id,
            )

        return await _user_payload(info, act)

    @strawberry.mutation(
        description=(
            "修改密码: the signed-in user replaces their password (also a temporary one). "
            "Their other sessions end; this one stays. Wrong current passwords count like "
            "failed logins."
        ),
        extensions=requires(pending_password_change=True),
    )
    async def password_change(
        self, info: strawberry.Info, current_password: str, new_password: str
    ) -> PasswordChangePayload:
        ctx = info.context

        async def act() -> bool:
            await accounts.change_password(
                ctx.session,
                viewer=ctx.viewer,
                current_password=current_password,
                new_password=new_password,
                policy=policy(info),
                now=utcnow(),
                client_address=ctx.client_address(),
                request_id=ctx.request_id,
            )
            return True

        changed, errors = await run_mutation(info, act)
        return PasswordChangePayload(changed=bool(changed), errors=_errors(errors))

    @strawberry.mutation(
        description=(
            "找回密码: send a 6-digit code (valid 10 minutes) by SMS to the phone on file "
            "of the account's person. The same answer whether or not the account exists; "
            "RATE_LIMITED beyond 10 requests per client address in 10 minutes."
        )
    )
    async def password_reset_request(
        self, info: strawberry.Info, username: str
    ) -> PasswordResetRequestPayload:
        ctx = info.context
        await _limit_reset(info, "password-reset-request")

        async def act() -> bool:
            await recovery.request_reset(
                ctx.session,
                username=username,
                cipher=ctx.runtime.cipher,
                sender=ctx.runtime.sender,
                now=utcnow(),
                request_id=ctx.request_id,
            )
            return True

        _, errors = await run_mutation(info, act)
        return PasswordResetRequestPayload(accepted=not errors, errors=_errors(errors))

    @strawberry.mutation(
        description=(
            "找回密码: set a new password with the code sent. A code works once; five wrong "
            "codes spend it. Every session of the account ends."
        )
    )
    async def password_reset_confirm(
        self, info: strawberry.Info, username: str, code: str, new_password: str
    ) -> PasswordResetConfirmPayload:
        ctx = info.context
        await _limit_reset(info, "password-reset-confirm")

        async def act() -> bool:
            await recovery.confirm_reset(
                ctx.session,
                username=username,
                code=code,
                new_password=new_password,
                cipher=ctx.runtime.cipher,
                now=utcnow(),
                passwords=policy(info).passwords,
                request_id=ctx.request_id,
            )
            return True

        reset, errors = await run_mutation(info, act)
        return PasswordResetConfirmPayload(reset=bool(reset), errors=_errors(errors))

    @strawberry.mutation(
        description=(
            "注册账号: a registrant on file signs up. Only when name, ID number and phone all "
            "match the person's record and the person has no account is a 6-digit code "
            "sent to the phone on file; the answer is the same in every case. "
            "RATE_LIMITED beyond 10 calls per client address in 10 minutes."
        )
    )
    async def account_register(
        self, info: strawberry.Info, id_number: str, name: str, phone: str, password: str
    ) -> AccountRegisterPayload:
        ctx = info.context
        await _limit_reset(info, "account-register")

        async def act() -> bool:
            await signup.register(
                ctx.session,
                id_number=id_number,
                name=name,
                phone=phone,
                password=password,
                cipher=ctx.runtime.cipher,
                sender=ctx.runtime.sender,
                now=utcnow(),
                today=today_shanghai(),
                passwords=policy(info).passwords,
            )
            return True

        accepted, errors = await run_mutation(info, act)
        return AccountRegisterPayload(accepted=bool(accepted), errors=_errors(errors))

    @strawberry.mutation(
        description=(
            "注册账号: confirm with the code sent to the phone; creates the REGISTRANT "
            "account (username: the phone number) linked to the person."
        )
    )
    async def account_register_confirm(
        self, info: strawberry.Info, phone: str, code: str
    ) -> AccountRegisterConfirmPayload:
        ctx = info.context
        await _limit_reset(info, "account-register-confirm")

        async def act() -> bool:
            await signup.confirm(
                ctx.session,
                phone=phone,
                code=code,
                cipher=ctx.runtime.cipher,
                now=utcnow(),
                request_id=ctx.request_id,
            )
            return True

        registered, errors = await run_mutation(info, act)
        return AccountRegisterConfirmPayload(registered=bool(registered), errors=_errors(errors))
