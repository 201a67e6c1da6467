"""Root query fields of practice and credit: records (and the employer's 待评价 queue),
credit events, disputes (the reviewers' queue), the blacklist, and the credit score with
its history."""

from __future__ import annotations

import strawberry
from sqlalchemy import exists, or_
from sqlmodel import col, select
from strawberry import relay

from regsafe.auth.roles import Role
from regsafe.core.clock import today_shanghai
from regsafe.graphql.core.errors import BadUserInput
from regsafe.graphql.core.permissions import requires
from regsafe.graphql.core.relay import Connection, node_pk, paginate
from regsafe.practice.models import (
    BlacklistEntry,
    CreditEventRow,
    CreditScoreHistory,
    Dispute,
    DisputeStatus,
    Evaluation,
    PracticeRecord,
    RecordStatus,
)
from regsafe.practice.scopes import (
    blacklist_scope,
    credit_details_visible,
    dispute_scope,
    event_scope,
    record_scope,
)
from regsafe.practice.service import PracticePolicy

from .inputs import BlacklistFilter, CreditEventFilter, DisputeFilter, PracticeRecordFilter
from .types import (
    BlacklistEntryType,
    CreditEventType,
    CreditScoreType,
    DisputeType,
    PracticeRecordType,
)

REVIEWERS = (Role.PROVINCIAL_REVIEWER, Role.MINISTRY_REVIEWER, Role.ADMIN)
MAX_HISTORY = 200


def _person_pk(gid: relay.GlobalID | None) -> int | None:
    if gid is None:
        return None
    pk = node_pk(gid, "Person")
    if pk is None:
        raise BadUserInput("人员 ID 无效", "INVALID_ID")
    return pk


async def _score_subject(info: strawberry.Info, person_id: relay.GlobalID | None) -> int | None:
    """Whose score: one's own, or (reviewers in scope, admins) anyone's; None: not visible."""
    viewer = info.context.viewer
    pk = _person_pk(person_id)
    if pk is None or pk == viewer.person_id:
        return viewer.person_id
    if not viewer.has(*REVIEWERS):
        return None
    # Batched: aliases of creditScore(personId:) share one statement per level.
    person = await info.context.identity.person_by_id.load(pk)
    return pk if person is not None and credit_details_visible(viewer, person) else None


@strawberry.type
class PracticeQuery:
    @strawberry.field(
        description="执业记录: one's own; an employer admin's employer's; a project lead's; "
        "reviewers' province.",
        extensions=requires(),
    )
    async def practice_records(
        self,
        info: strawberry.Info,
        filter: PracticeRecordFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[PracticeRecordType]:
        f = filter or PracticeRecordFilter()
        stmt = select(PracticeRecord).where(record_scope(info.context.viewer))
        if (pk := _person_pk(f.person_id)) is not None:
            stmt = stmt.where(col(PracticeRecord.person_id) == pk)
        if f.status is not None:
            stmt = stmt.where(col(PracticeRecord.status) == f.status.value)
        if f.kind is not None:
            stmt = stmt.where(col(PracticeRecord.kind) == f.kind.value)
        if f.ended_from is not None:
            stmt = stmt.where(col(PracticeRecord.ended_on) >= f.ended_from)
        if f.ended_to is not None:
            stmt = stmt.where(col(PracticeRecord.ended_on) <= f.ended_to)
        return await paginate(
            info,
            stmt,
            key=col(PracticeRecord.id),
            convert=PracticeRecordType.of,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="待评价: submitted or confirmed records of the viewer's employer (employer "
        "admins) or naming the viewer as project lead, not yet evaluated, never one's own.",
        extensions=requires(),
    )
    async def practice_records_to_evaluate(
        self,
        info: strawberry.Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[PracticeRecordType]:
        viewer = info.context.viewer
        mine = [col(PracticeRecord.project_lead_id) == viewer.user_id]
        if viewer.has(Role.EMPLOYER_ADMIN) and viewer.employer_id is not None:
            mine.append(col(PracticeRecord.employer_id) == viewer.employer_id)
        stmt = select(PracticeRecord).where(
            or_(*mine),
            col(PracticeRecord.status).in_(
                [RecordStatus.SUBMITTED.value, RecordStatus.CONFIRMED.value]
            ),
            ~exists().where(col(Evaluation.record_id) == col(PracticeRecord.id)),
        )
        if viewer.person_id is not None:
            stmt = stmt.where(col(PracticeRecord.person_id) != viewer.person_id)
        return await paginate(
            info,
            stmt,
            key=col(PracticeRecord.id),
            convert=PracticeRecordType.of,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="信用事件: one's own; reviewers' province (admins and ministry: all).",
        extensions=requires(),
    )
    async def credit_events(
        self,
        info: strawberry.Info,
        filter: CreditEventFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[CreditEventType]:
        f = filter or CreditEventFilter()
        stmt = select(CreditEventRow).where(event_scope(info.context.viewer))
        if (pk := _person_pk(f.person_id)) is not None:
            stmt = stmt.where(col(CreditEventRow.person_id) == pk)
        if f.status is not None:
            stmt = stmt.where(col(CreditEventRow.status) == f.status.value)
        if f.kind is not None:
            stmt = stmt.where(col(CreditEventRow.kind) == f.kind.value)
        return await paginate(
            info,
            stmt,
            key=col(CreditEventRow.id),
            convert=CreditEventType.of,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="异议: one's own; for reviewers the province's (status OPEN: 待处理 queue, "
        "without the disputes of events they entered themselves).",
        extensions=requires(),
    )
    async def credit_disputes(
        self,
        info: strawberry.Info,
        filter: DisputeFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[DisputeType]:
        viewer = info.context.viewer
        f = filter or DisputeFilter()
        stmt = select(Dispute).where(dispute_scope(viewer))
        if (pk := _person_pk(f.person_id)) is not None:
            stmt = stmt.where(col(Dispute.person_id) == pk)
        if f.status is not None:
            stmt = stmt.where(col(Dispute.status) == f.status.value)
            if f.status == DisputeStatus.OPEN and viewer.has(*REVIEWERS):
                stmt = stmt.where(col(Dispute.event_entered_by) != viewer.user_id)
        return await paginate(
            info,
            stmt,
            key=col(Dispute.id),
            convert=DisputeType.of,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="失信名单: reviewers' province (admins and ministry: all); one's own entries.",
        extensions=requires(),
    )
    async def blacklist(
        self,
        info: strawberry.Info,
        filter: BlacklistFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[BlacklistEntryType]:
        f = filter or BlacklistFilter()
        today = today_shanghai()
        policy = PracticePolicy.from_settings(info.context.settings).blacklist
        stmt = select(BlacklistEntry).where(blacklist_scope(info.context.viewer))
        if (pk := _person_pk(f.person_id)) is not None:
            stmt = stmt.where(col(BlacklistEntry.person_id) == pk)
        in_force = (
            col(BlacklistEntry.removed_at).is_(None)
            & (col(BlacklistEntry.listed_on) <= today)
            & (col(BlacklistEntry.expires_on) > today)
        )
        if f.current is not None:
            stmt = stmt.where(in_force if f.current else ~in_force)
        if f.removal_requested is not None:
            requested = col(BlacklistEntry.removal_requested_at).is_not(None) & col(
                BlacklistEntry.removed_at
            ).is_(None)
            stmt = stmt.where(requested if f.removal_requested else ~requested)
        return await paginate(
            info,
            stmt,
            key=col(BlacklistEntry.id),
            convert=lambda e: BlacklistEntryType.of(e, today, policy.removal_opens_on(e.listed_on)),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="信用分 with its contributions: one's own (personId omitted) or, for "
        "reviewers in scope, anyone's. Null until first computed.",
        extensions=requires(),
    )
    async def credit_score(
        self, info: strawberry.Info, person_id: relay.GlobalID | None = None
    ) -> CreditScoreType | None:
        pk = await _score_subject(info, person_id)
        if pk is None:
            return None
        loaders = info.context.practice
        row = await loaders.credit_score_by_person.load(pk)
        return CreditScoreType.of(row, loaders.grades) if row else None

    @strawberry.field(
        description="信用分历史: every change, newest first (at most 200).", extensions=requires()
    )
    async def credit_score_history(
        self, info: strawberry.Info, person_id: relay.GlobalID | None = None, limit: int = 50
    ) -> list[CreditScoreType]:
        pk = await _score_subject(info, person_id)
        if pk is None:
            return []
        if not 0 < limit <= MAX_HISTORY:
            raise BadUserInput(f"limit 应在1至{MAX_HISTORY}之间", "INVALID_PAGINATION")
        rows = await info.context.rows(
            select(CreditScoreHistory)
            .where(col(CreditScoreHistory.person_id) == pk)
            .order_by(col(CreditScoreHistory.id).desc())
            .limit(limit)
        )
        grades = PracticePolicy.from_settings(info.context.settings).grades
        return [CreditScoreType.of(r, grades) for r in rows]
