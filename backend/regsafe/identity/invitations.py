"""聘用邀请: how an employer hires someone it cannot see yet.

The employer's admin knows the candidate's ID number from their ID card, but the answer
to "employ this number" must not tell the employer whether the number is registered or
already employed elsewhere (that would let anyone with an employer account enumerate the
platform's engineers), and nobody may be employed without consent (挂证 starts with an
employment the engineer did not ask for). So:

- :func:`invite` answers every well-formed request the same way: an invitation, PENDING.
  A row is written for every request, holding only the number's blind index and, when
  the number is registered, the person; a repeat of an open invitation returns it again.
- The person sees the invitations addressed to them and accepts (:func:`accept`, which
  runs the employment rules, whose refusals the person may see) or declines them; a
  provincial reviewer of the person's province, or an administrator, may confirm on the
  person's behalf (:func:`confirm`).
- An unanswered invitation expires; to the employer an invitation to an unregistered
  number is therefore PENDING and then EXPIRED, like one the person ignores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from regsafe.audit import service as audit
from regsafe.audit.models import AuditAction
from regsafe.auth.roles import Role, Viewer
from regsafe.core.clock import SHANGHAI
from regsafe.core.crypto import FieldCipher
from regsafe.core.errors import DomainError, DomainErrors
from regsafe.identity import rules
from regsafe.identity.errors import IdentityErrorCode as Code
from regsafe.identity.models import Employer, EmploymentInvitation, InvitationStatus, Person
from regsafe.identity.scopes import can_manage_region, invitation_scope
from regsafe.identity.service import ID_CONTEXT, open_employment

Status = InvitationStatus


@dataclass(frozen=True)
class InvitationPolicy:
    """REGSAFE_EMPLOYMENT_INVITATION_DAYS and REGSAFE_EMPLOYMENT_INVITATIONS_PER_DAY."""

    days: int = 14
    per_day: int = 50


def effective_status(invitation: EmploymentInvitation, now: datetime) -> InvitationStatus:
    """The stored status, with an unanswered invitation past its deadline EXPIRED (expiry
    is read, not written by a job: nothing else changes when the deadline passes)."""
    status = InvitationStatus(invitation.status)
    if status is Status.PENDING and invitation.expires_at <= now:
        return Status.EXPIRED
    return status


def status_condition(status: InvitationStatus, now: datetime) -> ColumnElement[bool]:
    """SQL for :func:`effective_status` equal to ``status``."""
    stored = col(EmploymentInvitation.status)
    expires = col(EmploymentInvitation.expires_at)
    if status is Status.PENDING:
        return and_(stored == Status.PENDING.value, expires > now)
    if status is Status.EXPIRED:
        return or_(
            stored == Status.EXPIRED.value,
            and_(stored == Status.PENDING.value, expires <= now),
        )
    return stored == status.value


def invitation_query(
    viewer: Viewer,
    *,
    now: datetime,
    status: InvitationStatus | None = None,
    addressed_to_viewer: bool = False,
) -> SelectOfScalar[EmploymentInvitation]:
    """The invitations this viewer may see (one predicate for lists and node lookups);
    ``addressed_to_viewer`` keeps those to the viewer as the invited person."""
    stmt = select(EmploymentInvitation).where(invitation_scope(viewer))
    if addressed_to_viewer:
        if viewer.person_id is None:
            return stmt.where(col(EmploymentInvitation.id).is_(None))
        stmt = stmt.where(col(EmploymentInvitation.person_id) == viewer.person_id)
    if status is not None:
        stmt = stmt.where(status_condition(status, now))
    return stmt


def expires_at(now: datetime, policy: InvitationPolicy) -> datetime:
    """An invitation sent today may be answered through the end of the ``days``-th day
    after today (Asia/Shanghai): the same deadline for every invitation of one day, so
    an answer carries no finer clock than the date."""
    return _midnight(now) + timedelta(days=policy.days + 1)


def last_day(invitation: EmploymentInvitation) -> date:
    """The last day (Asia/Shanghai) on which the invitation may be answered."""
    return (invitation.expires_at.astimezone(SHANGHAI) - timedelta(days=1)).date()


def _midnight(now: datetime) -> datetime:
    """The start of ``now``'s day in Asia/Shanghai (the per-day limit's day)."""
    return datetime.combine(now.astimezone(SHANGHAI).date(), time(), SHANGHAI)


async def invite(
    session: AsyncSession,
    *,
    viewer: Viewer,
    id_number: str,
    starts_on: date,
    social_insurance: bool,
    cipher: FieldCipher,
    policy: InvitationPolicy,
    now: datetime,
    request_id: str | None = None,
) -> EmploymentInvitation:
    """Invite the holder of ``id_number`` to an employment with the viewer's employer.

    Every failure here depends only on the input and the employer's own invitations
    (format, check character, date, the day's limit), never on the number's holder."""
    if not viewer.has(Role.EMPLOYER_ADMIN) or viewer.employer_id is None:
        raise DomainError(Code.NOT_PERMITTED, "只有聘用单位管理员可以发出聘用邀请", None)
    today = now.astimezone(SHANGHAI).date()
    problems: list[DomainError] = []
    normalized: str | None = None
    try:
        normalized = rules.parse_id_number(id_number, today=today).value
    except rules.RuleViolation as v:
        problems.append(DomainError(v.code, v.message, "idNumber"))
    if starts_on > today:
        problems.append(DomainError(Code.EMPLOYMENT_DATES, "聘用开始日期不能晚于今天", "startsOn"))
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise DomainErrors(problems)
    assert normalized is not None
    # The employer row lock serializes one employer's invitations: the open-invitation
    # check and the day's count below cannot race.
    employer = (
        await session.exec(
            select(Employer).where(Employer.id == viewer.employer_id).with_for_update()
        )
    ).first()
    if employer is None or employer.id is None:
        raise DomainError(Code.NOT_PERMITTED, "只有聘用单位管理员可以发出聘用邀请", None)
    index = cipher.blind_index(normalized, context=ID_CONTEXT)
    open_one = (
        await session.exec(
            select(EmploymentInvitation).where(
                EmploymentInvitation.employer_id == employer.id,
                EmploymentInvitation.id_number_index == index,
                EmploymentInvitation.status == Status.PENDING.value,
            )
        )
    ).first()
    if open_one is not None:
        if effective_status(open_one, now) is Status.PENDING:
            return open_one  # the same answer as the first time, and no new row
        open_one.status = Status.EXPIRED.value  # frees the one-open-invitation index
        session.add(open_one)
        await session.flush()
    sent = (
        await session.exec(
            select(func.count())
            .select_from(EmploymentInvitation)
            .where(
                EmploymentInvitation.employer_id == employer.id,
                col(EmploymentInvitation.created_at) >= _midnight(now),
            )
        )
    ).one()
    if sent >= policy.per_day:
        raise DomainError(
            Code.INVITATION_LIMIT,
            f"本单位今日已发出{policy.per_day}份聘用邀请，请明日再试",
            "idNumber",
        )
    # The same queries run whether or not the number is found: only the stored row differs.
    found = await session.exec(select(Person.id).where(Person.id_number_index == index))
    person_id = found.first()
    invitation = EmploymentInvitation(
        employer_id=employer.id,
        id_number_index=index,
        person_id=person_id,
        starts_on=starts_on,
        social_insurance=social_insurance,
        status=Status.PENDING.value,
        expires_at=expires_at(now, policy),
        invited_by=viewer.user_id,
    )
    session.add(invitation)
    await session.flush()
    assert invitation.id is not None
    audit.record(
        session,
        action=AuditAction.EMPLOYMENT_INVITATION_SENT,
        subject_type="employment_invitation",
        subject_id=invitation.id,
        actor_user_id=viewer.user_id,
        request_id=request_id,
    )
    return invitation


async def _locked(
    session: AsyncSession, invitation_id: int, condition: ColumnElement[bool]
) -> EmploymentInvitation:
    row = (
        await session.exec(
            select(EmploymentInvitation)
            .where(EmploymentInvitation.id == invitation_id, condition)
            .with_for_update()
        )
    ).first()
    if row is None:  # outside the viewer's reach looks like absent
        raise DomainError(Code.NOT_FOUND, "聘用邀请不存在或无权访问", "id")
    return row


def _require_open(invitation: EmploymentInvitation, now: datetime) -> None:
    status = effective_status(invitation, now)
    if status is not Status.PENDING:
        text = {
            Status.EXPIRED: "该聘用邀请已过期，请联系单位重新发出",
            Status.DECLINED: "该聘用邀请已被拒绝",
        }.get(status, "该聘用邀请已确认")
        raise DomainError(Code.INVITATION_CLOSED, text, "id")


async def _own(
    session: AsyncSession, invitation_id: int, viewer: Viewer, now: datetime
) -> tuple[EmploymentInvitation, Person]:
    """The viewer's own open invitation and their person row, both locked."""
    if not viewer.has(Role.REGISTRANT) or viewer.person_id is None:
        raise DomainError(Code.NOT_FOUND, "聘用邀请不存在或无权访问", "id")
    invitation = await _locked(
        session, invitation_id, col(EmploymentInvitation.person_id) == viewer.person_id
    )
    _require_open(invitation, now)
    person = await session.get(Person, viewer.person_id, with_for_update=True)
    assert person is not None
    return invitation, person


async def _start(
    session: AsyncSession,
    invitation: EmploymentInvitation,
    person: Person,
    *,
    status: InvitationStatus,
    action: AuditAction,
    viewer: Viewer,
    now: datetime,
    request_id: str | None,
) -> EmploymentInvitation:
    employment = await open_employment(
        session,
        person=person,
        employer_id=invitation.employer_id,
        start_date=invitation.starts_on,
        social_insurance=invitation.social_insurance,
        today=now.astimezone(SHANGHAI).date(),
        actor_user_id=viewer.user_id,
        request_id=request_id,
        person_field="id",
        date_field="id",
    )
    invitation.employment_id = employment.id
    return await _respond(session, invitation, status, action, viewer, now, request_id)


async def _respond(
    session: AsyncSession,
    invitation: EmploymentInvitation,
    status: InvitationStatus,
    action: AuditAction,
    viewer: Viewer,
    now: datetime,
    request_id: str | None,
) -> EmploymentInvitation:
    """Record the answer (accepted, confirmed or declined) and audit it."""
    invitation.status = status.value
    invitation.responded_by = viewer.user_id
    invitation.responded_at = now
    session.add(invitation)
    await session.flush()
    assert invitation.id is not None
    audit.record(
        session,
        action=action,
        subject_type="employment_invitation",
        subject_id=invitation.id,
        actor_user_id=viewer.user_id,
        request_id=request_id,
    )
    return invitation


async def accept(
    session: AsyncSession,
    *,
    invitation_id: int,
    viewer: Viewer,
    now: datetime,
    request_id: str | None = None,
) -> EmploymentInvitation:
    """The invited person accepts: the employment starts under the usual rules, and what
    refuses it (an employment still open elsewhere, dates) is told to the person."""
    invitation, person = await _own(session, invitation_id, viewer, now)
    return await _start(
        session,
        invitation,
        person,
        status=Status.ACCEPTED,
        action=AuditAction.EMPLOYMENT_INVITATION_ACCEPTED,
        viewer=viewer,
        now=now,
        request_id=request_id,
    )


async def decline(
    session: AsyncSession,
    *,
    invitation_id: int,
    viewer: Viewer,
    now: datetime,
    request_id: str | None = None,
) -> EmploymentInvitation:
    invitation, _ = await _own(session, invitation_id, viewer, now)
    return await _respond(
        session,
        invitation,
        Status.DECLINED,
        AuditAction.EMPLOYMENT_INVITATION_DECLINED,
        viewer,
        now,
        request_id,
    )


async def confirm(
    session: AsyncSession,
    *,
    invitation_id: int,
    viewer: Viewer,
    now: datetime,
    request_id: str | None = None,
) -> EmploymentInvitation:
    """A provincial reviewer of the person's province (or an administrator) confirms on
    the person's behalf, e.g. from the signed labour contract."""
    invitation = await _locked(session, invitation_id, invitation_scope(viewer))
    person = (
        await session.get(Person, invitation.person_id, with_for_update=True)
        if invitation.person_id is not None
        else None
    )
    if person is None or not can_manage_region(viewer, person.region_code):
        raise DomainError(Code.NOT_FOUND, "聘用邀请不存在或无权访问", "id")
    _require_open(invitation, now)
    return await _start(
        session,
        invitation,
        person,
        status=Status.CONFIRMED,
        action=AuditAction.EMPLOYMENT_INVITATION_CONFIRMED,
        viewer=viewer,
        now=now,
        request_id=request_id,
    )
