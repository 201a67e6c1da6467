"""GraphQL types of authentication: users, the viewer, tokens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from regsafe.auth.errors import AuthErrorCode
from regsafe.auth.models import User
from regsafe.auth.roles import Role
from regsafe.auth.scopes import user_scope
from regsafe.graphql.core.relay import visible_nodes
from regsafe.graphql.identity.types import EmployerType, PersonType

strawberry.enum(Role, name="Role", description="角色")
RoleEnum = Role
strawberry.enum(
    AuthErrorCode, name="AuthErrorCode", description="Why a login or token request failed."
)
AuthErrorCodeEnum = AuthErrorCode


@strawberry.type(description="A problem with a login or token request.")
class AuthError:
    field: str | None = strawberry.field(description="The argument at fault, if any.")
    code: AuthErrorCodeEnum = strawberry.field(description="Machine-readable reason.")
    message: str = strawberry.field(description="Explanation for the user, in Chinese.")


@strawberry.type(name="User", description="用户账号")
class UserType(relay.Node):
    id: relay.NodeID[int]
    model: strawberry.Private[User]

    @classmethod
    def of(cls, u: User) -> UserType:
        assert u.id is not None
        return cls(id=u.id, model=u)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[UserType | None]:
        return await visible_nodes(info, node_ids, User, user_scope(info.context.viewer), cls.of)

    @strawberry.field(description="登录名")
    def username(self) -> str:
        return self.model.username

    @strawberry.field(description="显示名称")
    def display_name(self) -> str:
        return self.model.display_name

    @strawberry.field(description="角色")
    def roles(self) -> list[RoleEnum]:
        return [Role(r) for r in self.model.roles]

    @strawberry.field(description="省级范围 (e.g. 440000) for reviewers and analysts.")
    def province_code(self) -> str | None:
        return self.model.province_code

    @strawberry.field(description="上次登录时间")
    def last_login_at(self) -> datetime | None:
        return self.model.last_login_at


@strawberry.type(description="Who is asking: the signed-in user and what they act for.")
class Viewer:
    user_id: strawberry.Private[int | None]
    person_id: strawberry.Private[int | None]
    employer_id: strawberry.Private[int | None]

    @strawberry.field(description="The signed-in user; null when anonymous.")
    async def user(self, info: strawberry.Info) -> UserType | None:
        if self.user_id is None:
            return None
        u = await info.context.get(User, self.user_id)
        return UserType.of(u) if u else None

    @strawberry.field(description="The person record of a registrant (本人信息).")
    async def person(self, info: strawberry.Info) -> PersonType | None:
        if self.person_id is None:
            return None
        p = await info.context.identity.person_by_id.load(self.person_id)
        return PersonType.of(p) if p else None

    @strawberry.field(description="The employer an employer admin manages (本单位).")
    async def employer(self, info: strawberry.Info) -> EmployerType | None:
        if self.employer_id is None:
            return None
        e = await info.context.identity.employer_by_id.load(self.employer_id)
        return EmployerType.of(e) if e else None


@strawberry.type(description="An access token and the refresh token that renews it.")
class TokenPair:
    access_token: str = strawberry.field(description="Send as `Authorization: Bearer …`.")
    refresh_token: str = strawberry.field(description="Single use; rotates on every refresh.")
    token_type: str = strawberry.field(description='Always "Bearer".')
    access_token_expires_at: datetime = strawberry.field(description="访问令牌过期时间 (UTC).")
    refresh_token_expires_at: datetime = strawberry.field(description="刷新令牌过期时间 (UTC).")


@strawberry.type(description="Result of tokenCreate (登录).")
class TokenCreatePayload:
    token: TokenPair | None = strawberry.field(description="Null when errors is not empty.")
    device_token: str | None = strawberry.field(
        description=(
            "已知设备令牌: keep it on this device (it outlives the session) and send it as "
            "tokenCreate(deviceToken:) next time. Null when errors is not empty."
        )
    )
    errors: list[AuthError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


@strawberry.type(description="Result of tokenRefresh.")
class TokenRefreshPayload:
    token: TokenPair | None = strawberry.field(description="Null when errors is not empty.")
    errors: list[AuthError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


@strawberry.type(description="Result of tokenRevoke (退出登录).")
class TokenRevokePayload:
    revoked: bool = strawberry.field(description="True when the session was revoked.")
    errors: list[AuthError] = strawberry.field(
        description="What the user must fix; empty on success."
    )
