"""Declarative permissions: every root field names who may call it.

``requires(Role.ADMIN, ...)`` returns a field extension; an empty role list means "any
signed-in user". Object-level rules (a registrant sees only themselves) live in the
domain services as SQL scopes, so lists and single lookups apply the same rule.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension

from regsafe.auth.roles import Role
from regsafe.graphql.core.errors import Forbidden, NotAuthenticated


class SignedIn(BasePermission):
    message = "请先登录"

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        ctx = info.context
        if ctx.auth_problem is not None:
            raise NotAuthenticated(TOKEN_PROBLEM_MESSAGES[ctx.auth_problem], ctx.auth_problem)
        if not ctx.viewer.is_authenticated:
            raise NotAuthenticated(self.message)
        return True


class HasRole(SignedIn):
    def __init__(self, *roles: Role, pending_password_change: bool = False) -> None:
        self.roles = roles
        self.pending_password_change = pending_password_change

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        super().has_permission(source, info, **kwargs)
        viewer = info.context.viewer
        if viewer.must_change_password and not self.pending_password_change:
            raise Forbidden("请先修改临时密码", PASSWORD_CHANGE_REQUIRED)
        if self.roles and not viewer.has(*self.roles):
            raise Forbidden("当前角色无权执行此操作")
        return True


# Top-level code while the viewer holds a temporary password (userPasswordReset).
PASSWORD_CHANGE_REQUIRED = "PASSWORD_CHANGE_REQUIRED"


TOKEN_PROBLEM_MESSAGES = {
    "TOKEN_EXPIRED": "登录已过期，请刷新令牌或重新登录",
    "TOKEN_INVALID": "访问令牌无效",
    "TOKEN_REVOKED": "登录会话已注销",
}


def requires(*roles: Role, pending_password_change: bool = False) -> list[FieldExtension]:
    """``pending_password_change``: the field answers a viewer who must still replace a
    temporary password (only passwordChange does)."""
    permission = HasRole(*roles, pending_password_change=pending_password_change)
    return [PermissionExtension(permissions=[permission], use_directives=False)]
