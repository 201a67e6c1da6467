"""Row rules of the practice domain (records, evaluations, credit events, disputes,
blacklist entries) and the project-lead rule. Built on
:class:`regsafe.auth.scopes.Scope`: reviewers reach the persons of their region — a
reviewer without a province and without a national role reaches nobody."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.auth.models import User
from regsafe.auth.roles import Role, Viewer
from regsafe.identity.models import Employer, Employment, Person
from regsafe.identity.scopes import person_in_reach, person_visible, region_persons
from regsafe.practice.errors import PracticeErrorCode
from regsafe.practice.models import BlacklistEntry, CreditEventRow, Dispute, PracticeRecord

REVIEWERS = (Role.PROVINCIAL_REVIEWER, Role.MINISTRY_REVIEWER, Role.ADMIN)


def in_scope(viewer: Viewer, person: Person) -> bool:
    """A reviewer's (or admin's) power over this person: within their region reach."""
    return viewer.has(*REVIEWERS) and person_in_reach(viewer, person)


def credit_details_visible(viewer: Viewer, person: Person) -> bool:
    """信用分 in full (value, contributions): the person themself, and reviewers and admins
    whose reach covers them — the rule of the root ``creditScore`` field."""
    return (viewer.person_id is not None and viewer.person_id == person.id) or in_scope(
        viewer, person
    )


def credit_grade_visible(
    viewer: Viewer, person: Person, *, current_employer_id: int | None
) -> bool:
    """信用等级 only (not the details): whoever may read the score in full, and whoever may
    see the person — so also the admin of their current employer (issue 12)."""
    return credit_details_visible(viewer, person) or person_visible(
        viewer, person, current_employer_id=current_employer_id
    )


def person_rows(viewer: Viewer, person_col: Any) -> ColumnElement[bool]:
    """Own rows; reviewers the rows of the persons in their region reach."""
    terms: list[ColumnElement[bool]] = []
    if viewer.person_id is not None:
        terms.append(person_col == viewer.person_id)
    if viewer.has(*REVIEWERS) and not viewer.scope.region.is_empty:
        terms.append(region_persons(viewer, person_col))
    return or_(*terms) if terms else false()


def record_scope(viewer: Viewer) -> ColumnElement[bool]:
    terms = [person_rows(viewer, col(PracticeRecord.person_id))]
    if viewer.has(Role.EMPLOYER_ADMIN) and viewer.employer_id is not None:
        terms.append(col(PracticeRecord.employer_id) == viewer.employer_id)
    if viewer.user_id is not None:
        terms.append(col(PracticeRecord.project_lead_id) == viewer.user_id)
    return or_(*terms)


def event_scope(viewer: Viewer) -> ColumnElement[bool]:
    return person_rows(viewer, col(CreditEventRow.person_id))


def dispute_scope(viewer: Viewer) -> ColumnElement[bool]:
    return person_rows(viewer, col(Dispute.person_id))


def blacklist_scope(viewer: Viewer) -> ColumnElement[bool]:
    return person_rows(viewer, col(BlacklistEntry.person_id))


# --- The project lead (项目负责人) ------------------------------------------------------


async def project_lead_refusal(
    session: AsyncSession,
    *,
    lead_id: int,
    person_id: int,
    employer_id: int,
    client_credit_code: str | None,
    from_client: bool,
) -> tuple[PracticeErrorCode, str] | None:
    """Why this user may not be the record's project lead, or None when they may: an
    active user of the record's employer (its unit admin, or a person employed there
    now) — or of the client unit when the policy says so — never the engineer themself
    and never an administrator. Checked where the lead is named and again where the
    lead confirms or evaluates, so an old row naming anyone else is powerless."""
    lead = await session.get(User, lead_id)
    if lead is None or not lead.is_active:
        return PracticeErrorCode.INVALID_VALUE, "项目负责人须是有效用户"
    if lead.person_id is not None and lead.person_id == person_id:
        return PracticeErrorCode.SELF_EVALUATION, "不能指定本人为项目负责人"
    if Role.ADMIN.value in lead.roles:
        return PracticeErrorCode.WRONG_EMPLOYER, "项目负责人须是本单位人员，不能是系统管理员"
    units = [employer_id]
    if from_client and client_credit_code:
        client = (
            await session.exec(
                select(Employer.id).where(col(Employer.credit_code) == client_credit_code)
            )
        ).first()
        if client is not None:
            units.append(client)
    if lead.employer_id in units and Role.EMPLOYER_ADMIN.value in lead.roles:
        return None
    if lead.person_id is not None:
        employed = (
            await session.exec(
                select(Employment.id).where(
                    col(Employment.person_id) == lead.person_id,
                    col(Employment.employer_id).in_(units),
                    col(Employment.end_date).is_(None),
                )
            )
        ).first()
        if employed is not None:
            return None
    what = "本单位或服务对象单位" if from_client else "本单位"
    return PracticeErrorCode.WRONG_EMPLOYER, f"项目负责人须是{what}的在职用户"
