"""Mutations of the registration domain: drafts, documents, submission and review."""

from __future__ import annotations

import strawberry
from strawberry import relay

from regsafe.auth.roles import Role
from regsafe.certificates import tasks as certificate_tasks
from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.db import raw_connection
from regsafe.core.errors import DomainError
from regsafe.core.storage import ObjectStore
from regsafe.education.hours import CycleRequirement, requirement_policy
from regsafe.graphql.core.errors import run_mutation
from regsafe.graphql.core.permissions import requires
from regsafe.graphql.core.relay import node_pk
from regsafe.graphql.core.uploads import UploadSlotType, slot
from regsafe.practice.service import BlacklistEligibility
from regsafe.registration import documents, service, tasks
from regsafe.registration.errors import RegistrationErrorCode as Code
from regsafe.registration.rules import Action, DocumentKind
from regsafe.registration.service import ApplicationForm, NewApplication, Policy

from .enums import ReviewDecision
from .inputs import (
    ApplicationCreateInput,
    ApplicationFormInput,
    ApplicationUpdateInput,
    FieldValueInput,
)
from .types import ApplicationType, DocumentType_, RegistrationError

REVIEWERS = (Role.PROVINCIAL_REVIEWER, Role.MINISTRY_REVIEWER)
DECISIONS = {
    ReviewDecision.RETURN: Action.RETURN,
    ReviewDecision.PASS: Action.PASS_PRELIMINARY,
    ReviewDecision.APPROVE: Action.APPROVE,
    ReviewDecision.REJECT: Action.REJECT,
}


def _errors(errs: list[DomainError]) -> list[RegistrationError]:
    return [
        RegistrationError(field=e.field, code=Code(e.code.value), message=e.message) for e in errs
    ]


def _pk(gid: relay.GlobalID, type_name: str, field: str) -> int:
    pk = node_pk(gid, type_name)
    if pk is None:
        raise DomainError(Code.NOT_FOUND, "ID 无效", field)
    return pk


def _form(f: ApplicationFormInput | None) -> ApplicationForm:
    if f is None:
        return ApplicationForm()
    return ApplicationForm(
        qualification_number=f.qualification_number,
        qualification_date=f.qualification_date,
        education=f.education.value if f.education else None,
        school=f.school,
        major=f.major,
        diploma_number=f.diploma_number,
        identity_note=f.identity_note,
    )


def _store(info: strawberry.Info) -> ObjectStore:
    store = info.context.runtime.store
    if store is None:  # a deployment without object storage cannot take documents
        raise RuntimeError("object store is not configured")
    return store


@strawberry.type(description="Result of an application mutation.")
class ApplicationPayload:
    application: ApplicationType | None = strawberry.field(
        description="The application; null when errors is not empty."
    )
    errors: list[RegistrationError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


@strawberry.type(description="Result of documentUploadRequest.")
class DocumentUploadRequestPayload:
    document: DocumentType_ | None = strawberry.field(
        description="The document (status UPLOADING); null when errors is not empty."
    )
    upload: UploadSlotType | None = strawberry.field(
        description="The slot: PUT the file's bytes to its url, then call uploadConfirm."
    )
    errors: list[RegistrationError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


@strawberry.type(description="Result of a document mutation.")
class DocumentPayload:
    document: DocumentType_ | None = strawberry.field(
        description="The document; null when errors is not empty."
    )
    errors: list[RegistrationError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


def _app_payload(app: ApplicationType | None, errs: list[DomainError]) -> ApplicationPayload:
    return ApplicationPayload(application=app, errors=_errors(errs))


@strawberry.type
class RegistrationMutation:
    @strawberry.mutation(
        description="新建注册申请 (draft). Nothing is checked against the rules until submission.",
        extensions=requires(Role.REGISTRANT),
    )
    async def application_create(
        self, info: strawberry.Info, input: ApplicationCreateInput
    ) -> ApplicationPayload:
        ctx = info.context

        async def act() -> ApplicationType:
            app = await service.create_application(
                ctx.session,
                viewer=ctx.viewer,
                data=NewApplication(
                    kind=input.kind,
                    specialty=input.specialty,
                    employer_id=_pk(input.employer_id, "Employer", "employerId"),
                    form=_form(input.form),
                ),
                policy=Policy.from_settings(ctx.settings),
                now=utcnow(),
            )
            return ApplicationType.of(app)

        return _app_payload(*await run_mutation(info, act))

    @strawberry.mutation(
        description="修改申请 (draft or returned for correction).",
        extensions=requires(Role.REGISTRANT),
    )
    async def application_update(
        self,
        info: strawberry.Info,
        id: relay.GlobalID,
        expected_version: int,
        input: ApplicationUpdateInput,
    ) -> ApplicationPayload:
        ctx = info.context

        async def act() -> ApplicationType:
            app = await service.update_application(
                ctx.session,
                viewer=ctx.viewer,
                application_id=_pk(id, "Application", "id"),
                expected_version=expected_version,
                form=_form(input.form),
                employer_id=(
                    _pk(input.employer_id, "Employer", "employerId")
                    if input.employer_id is not None
                    else None
                ),
                specialty=input.specialty,
                policy=Policy.from_settings(ctx.settings),
                now=utcnow(),
            )
            return ApplicationType.of(app)

        return _app_payload(*await run_mutation(info, act))

    @strawberry.mutation(
        description=(
            "提交申请: documents, eligibility and the one-engineer-one-employer rule are "
            "checked at once; identity and degree verification are queued with it."
        ),
        extensions=requires(Role.REGISTRANT),
    )
    async def application_submit(
        self, info: strawberry.Info, id: relay.GlobalID, expected_version: int
    ) -> ApplicationPayload:
        ctx = info.context

        async def act() -> ApplicationType:
            app = await service.submit_application(
                ctx.session,
                viewer=ctx.viewer,
                application_id=_pk(id, "Application", "id"),
                expected_version=expected_version,
                policy=Policy.from_settings(ctx.settings),
                education=CycleRequirement(requirement_policy(ctx.settings), today_shanghai()),
                blacklist=BlacklistEligibility(),
                cipher=ctx.runtime.cipher,
                now=utcnow(),
                today=today_shanghai(),
            )
            assert app.id is not None
            await tasks.defer_verify(await raw_connection(ctx.session), app.id)
            return ApplicationType.of(app)

        return _app_payload(*await run_mutation(info, act))

    @strawberry.mutation(description="撤回申请", extensions=requires(Role.REGISTRANT))
    async def application_withdraw(
        self,
        info: strawberry.Info,
        id: relay.GlobalID,
        expected_version: int,
        reason: str | None = None,
    ) -> ApplicationPayload:
        ctx = info.context

        async def act() -> ApplicationType:
            app = await service.withdraw_application(
                ctx.session,
                viewer=ctx.viewer,
                application_id=_pk(id, "Application", "id"),
                expected_version=expected_version,
                reason=reason,
                now=utcnow(),
            )
            return ApplicationType.of(app)

        return _app_payload(*await run_mutation(info, act))

    @strawberry.mutation(
        description=(
            "受理/领取: a reviewer takes a case (初审: SUBMITTED → PRELIMINARY_REVIEW; 终审: "
            "a ministry reviewer takes a FINAL_REVIEW case). Only the assignee decides."
        ),
        extensions=requires(*REVIEWERS),
    )
    async def application_claim(
        self, info: strawberry.Info, id: relay.GlobalID, expected_version: int
    ) -> ApplicationPayload:
        ctx = info.context

        async def act() -> ApplicationType:
            app = await service.claim_application(
                ctx.session,
                viewer=ctx.viewer,
                application_id=_pk(id, "Application", "id"),
                expected_version=expected_version,
                policy=Policy.from_settings(ctx.settings),
                now=utcnow(),
            )
            return ApplicationType.of(app)

        return _app_payload(*await run_mutation(info, act))

    @strawberry.mutation(
        description=(
            "审核决定: RETURN with every item to correct, PASS (初审 → 终审), APPROVE "
            "(终审; the registration certificate is issued in the same transaction), or "
            "REJECT with a written reason. expectedVersion stops two reviewers deciding the "
            "same case."
        ),
        extensions=requires(*REVIEWERS),
    )
    async def application_decide(
        self,
        info: strawberry.Info,
        id: relay.GlobalID,
        expected_version: int,
        decision: ReviewDecision,
        reason: str | None = None,
        items: list[str] | None = None,
    ) -> ApplicationPayload:
        ctx = info.context

        async def act() -> ApplicationType:
            app = await service.decide_application(
                ctx.session,
                viewer=ctx.viewer,
                application_id=_pk(id, "Application", "id"),
                expected_version=expected_version,
                action=DECISIONS[decision],
                reason=reason,
                items=items or [],
                policy=Policy.from_settings(ctx.settings),
                certificates=certificate_tasks.issuer(ctx.runtime),
                now=utcnow(),
                today=today_shanghai(),
            )
            return ApplicationType.of(app)

        return _app_payload(*await run_mutation(info, act))

    @strawberry.mutation(
        description=(
            "上传材料: declare the file; returns the document (UPLOADING) and its upload "
            "slot. PUT the bytes to the slot's url, then call uploadConfirm(slot id): the "
            "server checks them and queues OCR in the same transaction."
        ),
        extensions=requires(Role.REGISTRANT),
    )
    async def document_upload_request(
        self,
        info: strawberry.Info,
        application_id: relay.GlobalID,
        kind: DocumentKind,
        filename: str,
        size: int,
        content_type: str,
    ) -> DocumentUploadRequestPayload:
        ctx = info.context

        async def act() -> documents.UploadTicket:
            return await documents.request_upload(
                ctx.session,
                viewer=ctx.viewer,
                application_id=_pk(application_id, "Application", "applicationId"),
                kind=kind,
                filename=filename,
                size=size,
                content_type=content_type,
                policy=Policy.from_settings(ctx.settings),
                now=utcnow(),
            )

        ticket, errs = await run_mutation(info, act)
        if ticket is None:
            return DocumentUploadRequestPayload(document=None, upload=None, errors=_errors(errs))
        return DocumentUploadRequestPayload(
            document=DocumentType_.of(ticket.document), upload=slot(ticket.upload), errors=[]
        )

    @strawberry.mutation(
        description="确认识别结果: confirm or correct the fields OCR extracted.",
        extensions=requires(Role.REGISTRANT),
    )
    async def document_fields_confirm(
        self, info: strawberry.Info, id: relay.GlobalID, fields: list[FieldValueInput]
    ) -> DocumentPayload:
        ctx = info.context

        async def act() -> DocumentType_:
            doc = await documents.confirm_fields(
                ctx.session,
                viewer=ctx.viewer,
                document_id=_pk(id, "ApplicationDocument", "id"),
                values={f.name: f.value for f in fields},
                cipher=ctx.runtime.cipher,
            )
            return DocumentType_.of(doc)

        doc, errs = await run_mutation(info, act)
        return DocumentPayload(document=doc, errors=_errors(errs))

    @strawberry.mutation(
        description="删除材料 from a draft or returned application (the bytes are removed).",
        extensions=requires(Role.REGISTRANT),
    )
    async def document_remove(self, info: strawberry.Info, id: relay.GlobalID) -> DocumentPayload:
        ctx = info.context
        store = _store(info)

        async def act() -> DocumentType_:
            doc = await documents.remove_document(
                ctx.session,
                store,
                viewer=ctx.viewer,
                document_id=_pk(id, "ApplicationDocument", "id"),
            )
            return DocumentType_.of(doc)

        doc, errs = await run_mutation(info, act)
        return DocumentPayload(document=doc, errors=_errors(errs))
