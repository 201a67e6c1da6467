"""Mutations of practice and credit: records with evidence, confirmation and evaluation
(corrections as new versions), credit events, disputes and the blacklist. Expected
failures are ``errors`` in the payload; the transaction then writes nothing. Every change
to a score's inputs defers ``practice.recompute_credit`` in the same transaction."""

from __future__ import annotations

import strawberry
from strawberry import relay

from regsafe.auth.roles import Role
from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.db import raw_connection
from regsafe.core.errors import DomainError
from regsafe.core.upload_slots import Upload
from regsafe.graphql.core.errors import run_mutation
from regsafe.graphql.core.permissions import requires
from regsafe.graphql.core.relay import node_pk
from regsafe.graphql.core.uploads import UploadSlotType, slot
from regsafe.practice import service, tasks
from regsafe.practice.errors import PracticeErrorCode as Code
from regsafe.practice.service import EventData, ListingData, PracticePolicy, RecordData, Scores

from .inputs import BlacklistEntryInput, CreditEventInput, PracticeRecordInput, ScoresInput
from .types import (
    BlacklistEntryType,
    CreditEventType,
    DisputeType,
    EvaluationType,
    PracticeError,
    PracticeRecordType,
)

REVIEWERS = (Role.PROVINCIAL_REVIEWER, Role.MINISTRY_REVIEWER, Role.ADMIN)


def _errors(errs: list[DomainError]) -> list[PracticeError]:
    return [PracticeError(field=e.field, code=Code(e.code.value), message=e.message) for e in errs]


def _pk(gid: relay.GlobalID | None, type_name: str, field: str) -> int:
    pk = node_pk(gid, type_name)
    if pk is None:
        raise DomainError(Code.NOT_FOUND, "ID 无效", field)
    return pk


def _evidence_pk(gid: relay.GlobalID | None) -> int | None:
    """An UploadSlot id, when one is given (another type's id is no evidence at all)."""
    if gid is None:
        return None
    pk = node_pk(gid, "UploadSlot")
    if pk is None:
        raise DomainError(Code.UPLOAD_MISSING, "请先上传并确认证明材料", "evidenceUploadId")
    return pk


def _policy(info: strawberry.Info) -> PracticePolicy:
    return PracticePolicy.from_settings(info.context.settings)


async def _recompute(info: strawberry.Info, person_id: int) -> None:
    await tasks.defer_recompute(await raw_connection(info.context.session), person_id)


def _record_data(i: PracticeRecordInput) -> RecordData:
    return RecordData(
        kind=i.kind,
        project=i.project,
        role=i.role,
        started_on=i.started_on,
        ended_on=i.ended_on,
        description=i.description,
        hazards_found=i.hazards_found,
        hazards_rectified=i.hazards_rectified,
        employer_id=_pk(i.employer_id, "Employer", "employerId") if i.employer_id else None,
        client_name=i.client_name,
        client_credit_code=i.client_credit_code,
        project_lead_id=_pk(i.project_lead_id, "User", "projectLeadId")
        if i.project_lead_id
        else None,
    )


def _scores(s: ScoresInput) -> Scores:
    return Scores(s.quality, s.timeliness, s.compliance, s.conduct)


@strawberry.type(description="Result of a practice record mutation.")
class PracticeRecordPayload:
    record: PracticeRecordType | None = strawberry.field(
        description="null when errors is not empty."
    )
    errors: list[PracticeError] = strawberry.field(description="What to fix; empty on success.")


@strawberry.type(description="Result of an evidence upload request.")
class PracticeUploadPayload:
    upload: UploadSlotType | None = strawberry.field(
        description="The slot: PUT the bytes to its url, then call uploadConfirm."
    )
    errors: list[PracticeError] = strawberry.field(description="What to fix; empty on success.")


@strawberry.type(description="Result of an evaluation mutation.")
class EvaluationPayload:
    evaluation: EvaluationType | None = strawberry.field(description="The new version.")
    record: PracticeRecordType | None = strawberry.field(description="The record evaluated.")
    errors: list[PracticeError] = strawberry.field(description="What to fix; empty on success.")


@strawberry.type(description="Result of a credit event mutation.")
class CreditEventPayload:
    event: CreditEventType | None = strawberry.field(description="The event.")
    errors: list[PracticeError] = strawberry.field(description="What to fix; empty on success.")


@strawberry.type(description="Result of a dispute mutation.")
class DisputePayload:
    dispute: DisputeType | None = strawberry.field(description="The dispute.")
    errors: list[PracticeError] = strawberry.field(description="What to fix; empty on success.")


@strawberry.type(description="Result of a blacklist mutation.")
class BlacklistEntryPayload:
    entry: BlacklistEntryType | None = strawberry.field(description="The entry.")
    errors: list[PracticeError] = strawberry.field(description="What to fix; empty on success.")


def _entry(info: strawberry.Info, e: object) -> BlacklistEntryType:
    from regsafe.practice.models import BlacklistEntry

    assert isinstance(e, BlacklistEntry)
    policy = _policy(info).blacklist
    return BlacklistEntryType.of(e, today_shanghai(), policy.removal_opens_on(e.listed_on))


@strawberry.type
class PracticeMutation:
    # --- records ------------------------------------------------------------------------

    @strawberry.mutation(
        description="登记执业记录 (draft): by the engineer, or by their employer admin on "
        "their behalf (personId).",
        extensions=requires(Role.REGISTRANT, Role.EMPLOYER_ADMIN),
    )
    async def practice_record_create(
        self,
        info: strawberry.Info,
        input: PracticeRecordInput,
        person_id: relay.GlobalID | None = None,
    ) -> PracticeRecordPayload:
        ctx = info.context

        async def act() -> PracticeRecordType:
            r = await service.create_record(
                ctx.session,
                viewer=ctx.viewer,
                person_id=_pk(person_id, "Person", "personId") if person_id else None,
                data=_record_data(input),
                now=utcnow(),
                lead_from_client=ctx.settings.practice_project_lead_from_client,
                today=today_shanghai(),
            )
            return PracticeRecordType.of(r)

        record, errs = await run_mutation(info, act)
        return PracticeRecordPayload(record=record, errors=_errors(errs))

    @strawberry.mutation(
        description="修改执业记录 (drafts and rejected records; a rejected one becomes a draft).",
        extensions=requires(Role.REGISTRANT, Role.EMPLOYER_ADMIN),
    )
    async def practice_record_update(
        self,
        info: strawberry.Info,
        id: relay.GlobalID,
        expected_version: int,
        input: PracticeRecordInput,
    ) -> PracticeRecordPayload:
        ctx = info.context

        async def act() -> PracticeRecordType:
            r = await service.update_record(
                ctx.session,
                viewer=ctx.viewer,
                record_id=_pk(id, "PracticeRecord", "id"),
                expected_version=expected_version,
                data=_record_data(input),
                now=utcnow(),
                lead_from_client=ctx.settings.practice_project_lead_from_client,
                today=today_shanghai(),
            )
            return PracticeRecordType.of(r)

        record, errs = await run_mutation(info, act)
        return PracticeRecordPayload(record=record, errors=_errors(errs))

    @strawberry.mutation(
        description="提交执业记录 to the employer (待确认).",
        extensions=requires(Role.REGISTRANT, Role.EMPLOYER_ADMIN),
    )
    async def practice_record_submit(
        self, info: strawberry.Info, id: relay.GlobalID, expected_version: int
    ) -> PracticeRecordPayload:
        ctx = info.context

        async def act() -> PracticeRecordType:
            r = await service.submit_record(
                ctx.session,
                viewer=ctx.viewer,
                record_id=_pk(id, "PracticeRecord", "id"),
                expected_version=expected_version,
                now=utcnow(),
            )
            return PracticeRecordType.of(r)

        record, errs = await run_mutation(info, act)
        return PracticeRecordPayload(record=record, errors=_errors(errs))

    @strawberry.mutation(
        description=(
            "证明材料上传 (JPEG, PNG or PDF; size-limited): an upload slot for a draft "
            "record; after the PUT, uploadConfirm checks the file and attaches it."
        ),
        extensions=requires(Role.REGISTRANT, Role.EMPLOYER_ADMIN),
    )
    async def practice_evidence_upload_request(
        self,
        info: strawberry.Info,
        record_id: relay.GlobalID,
        size: int,
        content_type: str,
        filename: str | None = None,
    ) -> PracticeUploadPayload:
        ctx = info.context

        async def act() -> Upload:
            return await service.request_evidence_upload(
                ctx.session,
                viewer=ctx.viewer,
                record_id=_pk(record_id, "PracticeRecord", "recordId"),
                size=size,
                content_type=content_type,
                filename=filename,
                policy=_policy(info),
                now=utcnow(),
            )

        upload, errs = await run_mutation(info, act)
        return PracticeUploadPayload(upload=slot(upload), errors=_errors(errs))

    @strawberry.mutation(
        description="确认执业记录: by the employer admin of the record's employer or the "
        "named project lead, never by the engineer.",
        extensions=requires(),
    )
    async def practice_record_confirm(
        self, info: strawberry.Info, id: relay.GlobalID, expected_version: int
    ) -> PracticeRecordPayload:
        ctx = info.context

        async def act() -> PracticeRecordType:
            r = await service.confirm_record(
                ctx.session,
                viewer=ctx.viewer,
                record_id=_pk(id, "PracticeRecord", "id"),
                expected_version=expected_version,
                now=utcnow(),
                lead_from_client=ctx.settings.practice_project_lead_from_client,
            )
            await _recompute(info, r.person_id)
            return PracticeRecordType.of(r)

        record, errs = await run_mutation(info, act)
        return PracticeRecordPayload(record=record, errors=_errors(errs))

    @strawberry.mutation(
        description="不予确认 with a reason (the engineer may correct and resubmit).",
        extensions=requires(),
    )
    async def practice_record_reject(
        self, info: strawberry.Info, id: relay.GlobalID, expected_version: int, reason: str
    ) -> PracticeRecordPayload:
        ctx = info.context

        async def act() -> PracticeRecordType:
            r = await service.reject_record(
                ctx.session,
                viewer=ctx.viewer,
                record_id=_pk(id, "PracticeRecord", "id"),
                expected_version=expected_version,
                reason=reason,
                now=utcnow(),
                lead_from_client=ctx.settings.practice_project_lead_from_client,
            )
            return PracticeRecordType.of(r)

        record, errs = await run_mutation(info, act)
        return PracticeRecordPayload(record=record, errors=_errors(errs))

    # --- evaluations ----------------------------------------------------------------------

    @strawberry.mutation(
        description="评价 a submitted or confirmed record (confirms it): once; corrections "
        "through evaluationCorrect.",
        extensions=requires(),
    )
    async def evaluation_submit(
        self,
        info: strawberry.Info,
        record_id: relay.GlobalID,
        scores: ScoresInput,
        comment: str = "",
    ) -> EvaluationPayload:
        ctx = info.context

        async def act() -> tuple[EvaluationType, PracticeRecordType]:
            pk = _pk(record_id, "PracticeRecord", "recordId")
            e = await service.evaluate(
                ctx.session,
                viewer=ctx.viewer,
                record_id=pk,
                scores=_scores(scores),
                comment=comment,
                now=utcnow(),
                lead_from_client=ctx.settings.practice_project_lead_from_client,
            )
            r = await service.get_record(ctx.session, ctx.viewer, pk)
            await _recompute(info, r.person_id)
            return EvaluationType.of(e), PracticeRecordType.of(r)

        done, errs = await run_mutation(info, act)
        return EvaluationPayload(
            evaluation=done[0] if done else None,
            record=done[1] if done else None,
            errors=_errors(errs),
        )

    @strawberry.mutation(
        description="更正评价: a new version superseding the latest; the old one is kept.",
        extensions=requires(),
    )
    async def evaluation_correct(
        self,
        info: strawberry.Info,
        evaluation_id: relay.GlobalID,
        scores: ScoresInput,
        comment: str,
    ) -> EvaluationPayload:
        ctx = info.context

        async def act() -> tuple[EvaluationType, PracticeRecordType]:
            e = await service.correct_evaluation(
                ctx.session,
                viewer=ctx.viewer,
                evaluation_id=_pk(evaluation_id, "Evaluation", "evaluationId"),
                scores=_scores(scores),
                comment=comment,
                now=utcnow(),
                lead_from_client=ctx.settings.practice_project_lead_from_client,
            )
            r = await service.get_record(ctx.session, ctx.viewer, e.record_id)
            await _recompute(info, r.person_id)
            return EvaluationType.of(e), PracticeRecordType.of(r)

        done, errs = await run_mutation(info, act)
        return EvaluationPayload(
            evaluation=done[0] if done else None,
            record=done[1] if done else None,
            errors=_errors(errs),
        )

    # --- credit events and disputes -------------------------------------------------------

    @strawberry.mutation(
        description=(
            "信用事件证明材料上传 (reviewers): an upload slot; PUT, uploadConfirm, then name "
            "it in creditEventEnter."
        ),
        extensions=requires(*REVIEWERS),
    )
    async def credit_evidence_upload_request(
        self, info: strawberry.Info, size: int, content_type: str, filename: str | None = None
    ) -> PracticeUploadPayload:
        ctx = info.context

        async def act() -> Upload:
            return await service.request_credit_evidence_upload(
                ctx.session,
                viewer=ctx.viewer,
                size=size,
                content_type=content_type,
                filename=filename,
                policy=_policy(info),
                now=utcnow(),
            )

        upload, errs = await run_mutation(info, act)
        return PracticeUploadPayload(upload=slot(upload), errors=_errors(errs))

    @strawberry.mutation(
        description="登记信用事件 with its source and deciding authority (reviewers, admins).",
        extensions=requires(*REVIEWERS),
    )
    async def credit_event_enter(
        self, info: strawberry.Info, input: CreditEventInput
    ) -> CreditEventPayload:
        ctx = info.context

        async def act() -> CreditEventType:
            e = await service.enter_event(
                ctx.session,
                viewer=ctx.viewer,
                person_id=_pk(input.person_id, "Person", "personId"),
                data=EventData(
                    kind=input.kind,
                    source=input.source,
                    authority=input.authority,
                    occurred_on=input.occurred_on,
                    description=input.description,
                    evidence_upload_id=_evidence_pk(input.evidence_upload_id),
                ),
                today=today_shanghai(),
                now=utcnow(),
            )
            await _recompute(info, e.person_id)
            return CreditEventType.of(e)

        event, errs = await run_mutation(info, act)
        return CreditEventPayload(event=event, errors=_errors(errs))

    @strawberry.mutation(
        description="撤销信用事件 entered in error (reason required).",
        extensions=requires(*REVIEWERS),
    )
    async def credit_event_withdraw(
        self, info: strawberry.Info, id: relay.GlobalID, reason: str
    ) -> CreditEventPayload:
        ctx = info.context

        async def act() -> CreditEventType:
            e = await service.withdraw_event(
                ctx.session,
                viewer=ctx.viewer,
                event_id=_pk(id, "CreditEvent", "id"),
                reason=reason,
                now=utcnow(),
            )
            await _recompute(info, e.person_id)
            return CreditEventType.of(e)

        event, errs = await run_mutation(info, act)
        return CreditEventPayload(event=event, errors=_errors(errs))

    @strawberry.mutation(
        description="提出异议 against one's own credit event.", extensions=requires()
    )
    async def credit_dispute_open(
        self, info: strawberry.Info, event_id: relay.GlobalID, reason: str
    ) -> DisputePayload:
        ctx = info.context

        async def act() -> DisputeType:
            d = await service.open_dispute(
                ctx.session,
                viewer=ctx.viewer,
                event_id=_pk(event_id, "CreditEvent", "eventId"),
                reason=reason,
                now=utcnow(),
            )
            return DisputeType.of(d)

        dispute, errs = await run_mutation(info, act)
        return DisputePayload(dispute=dispute, errors=_errors(errs))

    @strawberry.mutation(
        description="处理异议: uphold (the event counts nothing) or reject, by a reviewer "
        "other than the event's entrant.",
        extensions=requires(*REVIEWERS),
    )
    async def credit_dispute_decide(
        self, info: strawberry.Info, id: relay.GlobalID, uphold: bool, note: str
    ) -> DisputePayload:
        ctx = info.context

        async def act() -> DisputeType:
            d = await service.decide_dispute(
                ctx.session,
                viewer=ctx.viewer,
                dispute_id=_pk(id, "CreditDispute", "id"),
                uphold=uphold,
                note=note,
                now=utcnow(),
            )
            await _recompute(info, d.person_id)
            return DisputeType.of(d)

        dispute, errs = await run_mutation(info, act)
        return DisputePayload(dispute=dispute, errors=_errors(errs))

    # --- the blacklist --------------------------------------------------------------------

    @strawberry.mutation(
        description="列入失信名单 for the policy period (reviewers, admins).",
        extensions=requires(*REVIEWERS),
    )
    async def blacklist_entry_create(
        self, info: strawberry.Info, input: BlacklistEntryInput
    ) -> BlacklistEntryPayload:
        ctx = info.context

        async def act() -> BlacklistEntryType:
            e = await service.list_person(
                ctx.session,
                viewer=ctx.viewer,
                person_id=_pk(input.person_id, "Person", "personId"),
                data=ListingData(
                    input.grounds, input.decision_ref, input.authority, input.listed_on
                ),
                policy=_policy(info),
                today=today_shanghai(),
            )
            return _entry(info, e)

        entry, errs = await run_mutation(info, act)
        return BlacklistEntryPayload(entry=entry, errors=_errors(errs))

    @strawberry.mutation(
        description="申请移出失信名单 (the person listed, after the minimum period).",
        extensions=requires(),
    )
    async def blacklist_removal_request(
        self, info: strawberry.Info, id: relay.GlobalID, note: str
    ) -> BlacklistEntryPayload:
        ctx = info.context

        async def act() -> BlacklistEntryType:
            e = await service.request_removal(
                ctx.session,
                viewer=ctx.viewer,
                entry_id=_pk(id, "BlacklistEntry", "id"),
                note=note,
                policy=_policy(info),
                now=utcnow(),
                today=today_shanghai(),
            )
            return _entry(info, e)

        entry, errs = await run_mutation(info, act)
        return BlacklistEntryPayload(entry=entry, errors=_errors(errs))

    @strawberry.mutation(
        description="移出失信名单 (reviewers, admins; reason required).",
        extensions=requires(*REVIEWERS),
    )
    async def blacklist_entry_remove(
        self, info: strawberry.Info, id: relay.GlobalID, reason: str
    ) -> BlacklistEntryPayload:
        ctx = info.context

        async def act() -> BlacklistEntryType:
            e = await service.remove_entry(
                ctx.session,
                viewer=ctx.viewer,
                entry_id=_pk(id, "BlacklistEntry", "id"),
                reason=reason,
                now=utcnow(),
            )
            return _entry(info, e)

        entry, errs = await run_mutation(info, act)
        return BlacklistEntryPayload(entry=entry, errors=_errors(errs))
