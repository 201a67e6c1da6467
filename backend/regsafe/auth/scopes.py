"""The viewer's scope (作用范围): which regions, which review queue, which employer and
which person a viewer acts for. Every domain's row rules (``<domain>/scopes.py``) are
built on this one type, so "no province" can never quietly mean "everything".

- ``region``: the persons and employers a viewer may see *by region* — national for
  administrators and ministry (final) reviewers, the viewer's province for a provincial
  reviewer who has one, and **nothing** otherwise (a preliminary reviewer of a ministry
  queue, MOHURD or MOT, has no province and so no region reach: they see the
  applications of their queue, not the persons, practice, credit or hours of anyone).
- ``queue``: the preliminary-review queue (PROVINCE with the province, MOHURD, MOT).
- ``employer_id`` / ``person_id``: the employer a unit admin acts for, the person a
  registrant is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import false, or_, true
from sqlalchemy.sql.elements import ColumnElement

if TYPE_CHECKING:
    from regsafe.auth.roles import Viewer


class ReviewQueue(StrEnum):
    """初审队列: who does a preliminary review (registration's ReviewScope is this enum)."""

    PROVINCE = "PROVINCE"
    MOHURD = "MOHURD"
    MOT = "MOT"


@dataclass(frozen=True)
class RegionReach:
    """A set of region-code prefixes, or national. Empty means nothing, never all."""

    national: bool = False
    prefixes: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def everywhere(cls) -> RegionReach:
        return cls(national=True)

    @classmethod
    def nowhere(cls) -> RegionReach:
        return cls()

    @classmethod
    def provinces(cls, *codes: str) -> RegionReach:
        """From province or region codes: the first two digits are the province."""
        return cls(prefixes=frozenset(c[:2] for c in codes if len(c) >= 2 and c[:2].isdigit()))

    @property
    def is_empty(self) -> bool:
        return not self.national and not self.prefixes

    def covers(self, region_code: str | None) -> bool:
        if self.national:
            return True
        if not region_code:
            return False
        return any(region_code.startswith(p) for p in self.prefixes)

    def sql(self, region_column: Any) -> ColumnElement[bool]:
        """SQL condition on a region-code column: true() only when national, false() when
        empty."""
        if self.national:
            return true()
        if not self.prefixes:
            return false()
        return or_(*(region_column.startswith(p) for p in sorted(self.prefixes)))

    def __or__(self, other: RegionReach) -> RegionReach:
        return RegionReach(self.national or other.national, self.prefixes | other.prefixes)


@dataclass(frozen=True)
class Queue:
    """A preliminary-review queue: its kind and, for PROVINCE, the province code
    (``440000``); a PROVINCE queue without a province is no queue at all."""

    kind: ReviewQueue
    province_code: str | None = None


@dataclass(frozen=True)
class Scope:
    """Everything a domain's row rule needs to know about the viewer."""

    region: RegionReach = field(default_factory=RegionReach)
    queue: Queue | None = None
    final_review: bool = False
    employer_id: int | None = None
    person_id: int | None = None
    user_id: int | None = None


def scope_of(viewer: Viewer) -> Scope:
    from regsafe.auth.roles import Role

    national = viewer.has(Role.ADMIN, Role.MINISTRY_REVIEWER)
    queue: Queue | None = None
    region = RegionReach.everywhere() if national else RegionReach.nowhere()
    if viewer.has(Role.PROVINCIAL_REVIEWER):
        try:
            kind = ReviewQueue(viewer.review_scope or ReviewQueue.PROVINCE)
        except ValueError:
            kind = None
        province = viewer.province_code if viewer.province_code else None
        if kind is ReviewQueue.PROVINCE:
            if province:
                queue = Queue(kind, province[:2] + "0000")
        elif kind is not None:
            queue = Queue(kind)
        if province:
            region = region | RegionReach.provinces(province)
    return Scope(
        region=region,
        queue=queue,
        final_review=viewer.has(Role.MINISTRY_REVIEWER),
        employer_id=viewer.employer_id,
        person_id=viewer.person_id,
        user_id=viewer.user_id,
    )


def user_scope(viewer: Viewer) -> ColumnElement[bool]:
    """User accounts a viewer may look up: administrators any, everyone else their own."""
    from sqlmodel import col

    from regsafe.auth.models import User  # the models import roles, which import this

    if viewer.is_admin:
        return true()
    if viewer.user_id is None:
        return false()
    return col(User.id) == viewer.user_id
