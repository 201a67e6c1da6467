"""GraphQL types of authentication: users, the viewer, tokens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from regsafe.audit.models import AuditEvent
from regsafe.auth.errors import AuthErrorCode
from regsafe.auth.models import User
from regsafe.auth.roles import Role
from regsafe.auth.scopes import ReviewQueue, user_scope
from regsafe.graphql.core.errors import BadUserInput
from regsafe.graphql.core.relay import visible_nodes
from regsafe.graphql.identity.types import EmployerType, PersonType
from regsafe.graphql.registration import enums as _registration_enums  # ReviewScope

_ = _registration_enums

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

    @strawberry.field(description="初审队列 of a provincial reviewer (null: PROVINCE).")
    def review_scope(self) -> ReviewQueue | None:
        return ReviewQueue(self.model.review_scope) if self.model.review_scope else None

    @strawberry.field(description="启用状态: false when an administrator has locked (停用) it.")
    def is_active(self) -> bool:
        return self.model.is_active

    @strawberry.field(
        description="须修改密码: holds a temporary password; only passwordChange answers."
    )
    def must_change_password(self) -> bool:
        return self.model.must_change_password

    @strawberry.field(description="创建时间")
    def created_at(self) -> datetime | None:
        return self.model.created_at

    @strawberry.field(description="关联人员 (registrants): the person the account acts as.")
    async def person(self, info: strawberry.Info) -> PersonType | None:
        if self.model.person_id is None:
            return None
        p = await info.context.identity.person_by_id.load(self.model.person_id)
        return PersonType.of(p) if p else None

    @strawberry.field(description="所属单位 (employer admins, trainers).")
    async def employer(self, info: strawberry.Info) -> EmployerType | None:
        if self.model.employer_id is None:
            return None
        e = await info.context.identity.employer_by_id.load(self.model.employer_id)
        return EmployerType.of(e) if e else None

    @strawberry.field(
        description=(
            "最近操作记录: audit events this user is the actor of, newest first (at most "
            "50). Visible to administrators and to the user themself."
        )
    )
    async def recent_audit_events(
        self, info: strawberry.Info, first: int = 10
    ) -> list[AuditEventType]:
        from regsafe.auth.accounts import audit_events_of

        if first < 0 or first > MAX_AUDIT_EVENTS:
            raise BadUserInput(f"每页数量应在0至{MAX_AUDIT_EVENTS}之间", "INVALID_PAGINATION")
        rows = await info.context.rows(audit_events_of(self.id, first))
        return [AuditEventType.of(r) for r in rows]


MAX_AUDIT_EVENTS = 50


@strawberry.type(name="AuditEvent", description="审计记录: one entry of the audit trail.")
class AuditEventType:
    at: datetime = strawberry.field(description="时间 (UTC).")
    action: str = strawberry.field(
        description="操作, e.g. LOGIN_SUCCEEDED, USER_LOCKED, PERSON_ID_NUMBER_READ."
    )
    subject_type: str = strawberry.field(description="对象类型, e.g. user, person.")
    subject_id: str = strawberry.field(description="对象编号 (database id).")
    request_id: str | None = strawberry.field(description="请求编号, for support.")

    @classmethod
    def of(cls, e: AuditEvent) -> AuditEventType:
        assert e.at is not None
        return cls(
            at=e.at,
            action=e.action,
            subject_type=e.subject_type,
            subject_id=e.subject_id,
            request_id=e.request_id,
        )


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
