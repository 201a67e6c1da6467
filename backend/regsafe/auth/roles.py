"""Roles, and the viewer a request acts as."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from regsafe.auth.scopes import Scope, scope_of


class Role(StrEnum):
    REGISTRANT = "REGISTRANT"  # 注册人员
    EMPLOYER_ADMIN = "EMPLOYER_ADMIN"  # 聘用单位管理员
    PROVINCIAL_REVIEWER = "PROVINCIAL_REVIEWER"  # 省级审核人员（初审）
    MINISTRY_REVIEWER = "MINISTRY_REVIEWER"  # 部级审核人员（终审）
    TRAINER = "TRAINER"  # 培训机构
    ANALYST = "ANALYST"  # 统计分析人员
    ADMIN = "ADMIN"  # 系统管理员


# Roles whose work is bounded by a province (行政区划前两位).
PROVINCE_SCOPED = frozenset({Role.PROVINCIAL_REVIEWER, Role.ANALYST})


@dataclass(frozen=True)
class Viewer:
    """Who is asking: an authenticated user or the anonymous public."""

    user_id: int | None = None
    username: str | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    province_code: str | None = None
    review_scope: str | None = None  # PROVINCE / MOHURD / MOT for preliminary reviewers
    person_id: int | None = None
    employer_id: int | None = None
    session_id: str | None = None
    # A temporary password from an administrator: only passwordChange answers until then.
    must_change_password: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @cached_property
    def scope(self) -> Scope:
        """The viewer's scope (regions, review queue, employer, self): the one input of
        every domain's row rule. No province never means national. Computed once per
        viewer (a request asks for it for every row of a list; the viewer is frozen)."""
        return scope_of(self)


ANONYMOUS = Viewer()
