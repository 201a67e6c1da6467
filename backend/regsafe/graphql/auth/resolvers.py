"""Root fields of authentication: viewer, tokenCreate, tokenRefresh, tokenRevoke."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import strawberry

from regsafe.auth import service
from regsafe.auth.errors import AuthErrorCode
from regsafe.auth.passwords import password_pool
from regsafe.auth.service import AuthPolicy
from regsafe.auth.throttle import ThrottlePolicy
from regsafe.auth.tokens import access_codec
from regsafe.core.clock import utcnow
from regsafe.core.errors import DomainError
from regsafe.graphql.core.errors import NotAuthenticated, run_mutation
from regsafe.graphql.core.permissions import TOKEN_PROBLEM_MESSAGES

from .types import (
    AuthError,
    TokenCreatePayload,
    TokenPair,
    TokenRefreshPayload,
    TokenRevokePayload,
    Viewer,
)


def policy(info: strawberry.Info) -> AuthPolicy:
    s = info.context.settings
    return AuthPolicy(
        access=access_codec(s.secret_key, s.access_token_seconds),
        refresh_ttl=timedelta(seconds=s.refresh_token_seconds),
        throttle=ThrottlePolicy(
            max_failures=s.login_max_failures,
            account_max_failures=s.login_account_max_failures,
            address_max_failures=s.login_address_max_failures,
            window=timedelta(seconds=s.login_window_seconds),
            lockout=timedelta(seconds=s.login_lockout_seconds),
        ),
        keys=info.context.runtime.cipher,
        device_ttl=timedelta(days=s.login_device_days),
        passwords=password_pool(s.password_hash_workers, s.password_hash_queue),
    )


def _pair(p: service.TokenPair) -> TokenPair:
    return TokenPair(
        access_token=p.access_token,
        refresh_token=p.refresh_token,
        token_type="Bearer",
        access_token_expires_at=p.access_token_expires_at,
        refresh_token_expires_at=p.refresh_token_expires_at,
    )


def _errors(errs: list[DomainError]) -> list[AuthError]:
    return [
        AuthError(field=e.field, code=AuthErrorCode(e.code.value), message=e.message) for e in errs
    ]


@strawberry.type
class AuthQuery:
    @strawberry.field(
        description=(
            "当前用户: who is asking. Anonymous viewers get nulls; a token that was sent but "
            "rejected is an error (TOKEN_EXPIRED, TOKEN_INVALID, TOKEN_REVOKED), so clients "
            "can refresh instead of silently becoming anonymous."
        )
    )
    def viewer(self, info: strawberry.Info) -> Viewer:
        problem = info.context.auth_problem
        if problem is not None:
            raise NotAuthenticated(TOKEN_PROBLEM_MESSAGES[problem], problem)
        v = info.context.viewer
        return Viewer(user_id=v.user_id, person_id=v.person_id, employer_id=v.employer_id)


@strawberry.type
class AuthMutation:
    @strawberry.mutation(description="登录: exchange username and password for tokens.")
    async def token_create(
        self,
        info: strawberry.Info,
        username: str,
        password: str,
        device_token: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "已知设备: the deviceToken of an earlier login on this device. It lets "
                    "the account's owner in while strangers have locked the account; "
                    "any other value is ignored."
                )
            ),
        ] = None,
    ) -> TokenCreatePayload:
        ctx = info.context

        async def act() -> service.LoginResult:
            return await service.login(
                ctx.session,
                username=username,
                password=password[:256],
                policy=policy(info),
                now=utcnow(),
                client_address=ctx.client_address(),
                device_token=device_token,
                request_id=ctx.request_id,
            )

        result, errors = await run_mutation(info, act)
        return TokenCreatePayload(
            token=_pair(result.tokens) if result else None,
            device_token=result.device_token if result else None,
            errors=_errors(errors),
        )

    @strawberry.mutation(description="Renew tokens with a refresh token (which is then used up).")
    async def token_refresh(self, info: strawberry.Info, refresh_token: str) -> TokenRefreshPayload:
        ctx = info.context

        async def act() -> TokenPair:
            return _pair(
                await service.refresh(
                    ctx.session, refresh_token=refresh_token, policy=policy(info), now=utcnow()
                )
            )

        token, errors = await run_mutation(info, act)
        return TokenRefreshPayload(token=token, errors=_errors(errors))

    @strawberry.mutation(description="退出登录: revoke the session of this refresh token.")
    async def token_revoke(self, info: strawberry.Info, refresh_token: str) -> TokenRevokePayload:
        ctx = info.context

        async def act() -> bool:
            return await service.revoke(ctx.session, refresh_token=refresh_token, now=utcnow())

        revoked, errors = await run_mutation(info, act)
        return TokenRevokePayload(revoked=bool(revoked), errors=_errors(errors))
