"""Row rules of the education domain's hour records: the holder's own; reviewers and
admins the persons of their region reach (nobody when they have none)."""

from __future__ import annotations

from sqlalchemy import false, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from regsafe.auth.roles import Role, Viewer
from regsafe.education.models import HourRecord
from regsafe.identity.models import Person
from regsafe.identity.scopes import person_in_reach, region_persons

REVIEWERS = (Role.PROVINCIAL_REVIEWER, Role.MINISTRY_REVIEWER, Role.ADMIN)


def hour_scope(viewer: Viewer) -> ColumnElement[bool]:
    terms: list[ColumnElement[bool]] = []
    if viewer.person_id is not None:
        terms.append(col(HourRecord.person_id) == viewer.person_id)
    if viewer.has(*REVIEWERS) and not viewer.scope.region.is_empty:
        terms.append(region_persons(viewer, col(HourRecord.person_id)))
    return or_(*terms) if terms else false()


def review_scope_ok(viewer: Viewer, person: Person) -> bool:
    """A reviewer may review this person's hour reports: within their region reach."""
    return viewer.has(*REVIEWERS) and person_in_reach(viewer, person)
