"""Row rules of the registration domain: which applications a viewer sees, and which
preliminary-review queue they work. Built on :class:`regsafe.auth.scopes.Scope`."""

from __future__ import annotations

from sqlalchemy import and_, false, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from regsafe.auth.roles import Role, Viewer
from regsafe.auth.scopes import ReviewQueue
from regsafe.registration.models import Application
from regsafe.registration.rules import ReviewScope, Status


def queue_terms(viewer: Viewer) -> ColumnElement[bool]:
    """Applications in the viewer's preliminary-review queue (any status)."""
    queue = viewer.scope.queue
    if queue is None:
        return false()
    if queue.kind is not ReviewQueue.PROVINCE:
        return col(Application.review_scope) == queue.kind.value
    return and_(
        col(Application.review_scope) == ReviewScope.PROVINCE.value,
        col(Application.province_code) == queue.province_code,
    )


def in_preliminary_queue(viewer: Viewer, app: Application) -> bool:
    """The Python form of :func:`queue_terms` for one loaded application."""
    queue = viewer.scope.queue
    if queue is None or queue.kind.value != app.review_scope:
        return False
    return queue.kind is not ReviewQueue.PROVINCE or queue.province_code == app.province_code


def application_scope(viewer: Viewer) -> ColumnElement[bool]:
    """SQL condition: the applications this viewer may see. Reviewers never see drafts."""
    terms: list[ColumnElement[bool]] = []
    submitted = col(Application.status) != Status.DRAFT.value
    if viewer.has(Role.ADMIN, Role.MINISTRY_REVIEWER):
        terms.append(submitted)
    if viewer.has(Role.PROVINCIAL_REVIEWER):
        terms.append(and_(submitted, queue_terms(viewer)))
    if viewer.person_id is not None:
        terms.append(col(Application.person_id) == viewer.person_id)
    if viewer.has(Role.EMPLOYER_ADMIN) and viewer.employer_id is not None:
        terms.append(and_(submitted, col(Application.employer_id) == viewer.employer_id))
    return or_(*terms) if terms else false()
