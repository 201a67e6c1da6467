"""GraphQL types of the registration domain."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import strawberry
from sqlmodel import col
from strawberry import relay

from regsafe.audit.models import AuditAction
from regsafe.core import masking
from regsafe.core.clock import utcnow
from regsafe.graphql.core.relay import visible_nodes
from regsafe.graphql.identity.types import EmployerType, PersonType
from regsafe.identity import rules as id_rules
from regsafe.identity import service as identity_service
from regsafe.identity.models import Specialty
from regsafe.ocr.documents import DocumentType
from regsafe.registration import rules, sealed_fields, service
from regsafe.registration.errors import RegistrationErrorCode
from regsafe.registration.models import (
    Application,
    ApplicationEvent,
    Document,
    OcrStatus,
    Registration,
    RegistrationStatus,
    UploadStatus,
)
from regsafe.registration.rules import (
    ApplicationKind,
    CheckResult,
    DeadlineStatus,
    DocumentKind,
    ReviewScope,
    Status,
)
from regsafe.registration.scopes import application_scope

from . import enums as _enums  # noqa: F401  (registers the enums with strawberry)


@strawberry.type(description="A problem with the input that the user can fix (输入错误).")
class RegistrationError:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    code: RegistrationErrorCode = strawberry.field(description="Machine-readable reason.")
    message: str = strawberry.field(description="Explanation for the user, in Chinese.")


@strawberry.type(description="One rule checked for an application (资格审查), with why.")
class EligibilityCheck:
    code: str = strawberry.field(
        description="AGE, QUALIFICATION, INITIAL_WINDOW, RENEWAL_WINDOW, CONTINUING_EDUCATION, "
        "BLACKLIST, or a signal: NO_SOCIAL_INSURANCE, FREQUENT_CHANGES, "
        "QUALIFICATION_NUMBER_MISMATCH."
    )
    result: CheckResult = strawberry.field(description="PASS / FAIL / WARN / UNAVAILABLE.")
    explanation: str = strawberry.field(description="说明 (Chinese), for registrant and reviewer.")

    @classmethod
    def of(cls, data: dict[str, Any]) -> EligibilityCheck:
        return cls(
            code=data["code"], result=CheckResult(data["result"]), explanation=data["explanation"]
        )


@strawberry.type(description="身份/学历核验结果 from the verification adapters.")
class VerificationOutcome:
    check: str = strawberry.field(description="IDENTITY or DEGREE.")
    status: str = strawberry.field(
        description="VERIFIED, MISMATCH or UNVERIFIED (service unavailable counts as unverified)."
    )
    source: str = strawberry.field(description="Who answered: local or the service's host.")
    explanation: str = strawberry.field(description="说明")
    checked_at: datetime | None = strawberry.field(description="When it was checked.")


@strawberry.type(description="A statutory clock of the application (法定时限).")
class Deadline:
    stage: str = strawberry.field(description="COMPLETENESS, PRELIMINARY, FINAL or ISSUE.")
    due_at: datetime = strawberry.field(description="截止时间")
    breached: bool = strawberry.field(description="Whether the stage ended (or is) late.")


@strawberry.type(description="A named value (form field, OCR field confirmation).")
class FieldValue:
    name: str = strawberry.field(description="Field name, e.g. id_number, certificate_number.")
    value: str = strawberry.field(description="The value.")


@strawberry.type(description="One field read by OCR, with its confidence.")
class OcrField:
    name: str = strawberry.field(description="Field name, e.g. name, id_number, issue_date.")
    value: str = strawberry.field(description="Recognised value (ID numbers masked to others).")
    confidence: float = strawberry.field(description="Engine confidence 0–1.")
    corrected: bool = strawberry.field(
        description="An OCR confusion (O/0, l/1) was corrected because the check digit then held."
    )
    valid: bool | None = strawberry.field(
        description="Whether the value passed its check (check digit, real date); null: free text."
    )


@strawberry.type(description="OCR vs the registrant's confirmation vs the record (核对).")
class FieldComparison:
    document_kind: DocumentKind = strawberry.field(description="材料类型")
    field: str = strawberry.field(description="Field name.")
    ocr_value: str | None = strawberry.field(description="What OCR read.")
    confirmed_value: str | None = strawberry.field(description="What the registrant confirmed.")
    expected_source: str = strawberry.field(
        description="Where the record value comes from: person.*, form.* or application.*."
    )
    expected_value: str | None = strawberry.field(description="The value on record.")
    agrees: bool | None = strawberry.field(
        description="False is flagged to reviewers; null when there is nothing to compare."
    )


@strawberry.type(description="注册申请表 fields typed by the registrant.")
class ApplicationForm:
    qualification_number: str | None = strawberry.field(description="资格证书管理号/编号")
    qualification_date: date | None = strawberry.field(description="资格取得日期")
    education: str | None = strawberry.field(description="学历")
    school: str | None = strawberry.field(description="毕业院校")
    major: str | None = strawberry.field(description="所学专业")
    diploma_number: str | None = strawberry.field(description="学历证书编号")
    identity_note: str | None = strawberry.field(
        description="身份证件不一致说明 (why the ID card's name or number differs, if it does)."
    )


@strawberry.type(description="A required document kind, with its Chinese name.")
class DocumentRequirement:
    kind: DocumentKind = strawberry.field(description="材料类型")
    name: str = strawberry.field(description="材料名称")
    ocr: bool = strawberry.field(description="Whether OCR extracts fields from it.")


def document_requirements(kind: ApplicationKind) -> list[DocumentRequirement]:
    """The documents a kind requires, in the regulation's order, with names."""
    return [
        DocumentRequirement(kind=k, name=rules.DOCUMENT_NAMES[k], ocr=k in rules.OCR_KINDS)
        for k in rules.REQUIRED_DOCUMENTS[kind]
    ]


def _may_unmask(info: strawberry.Info, app: Application) -> bool:
    viewer = info.context.viewer
    return viewer.person_id == app.person_id or service.is_assigned(viewer, app)


_DOCUMENT_KINDS = frozenset(k.value for k in DocumentKind)


def _shown(name: str, value: str, unmask: bool) -> str:
    """A document field as this viewer may see it (core.masking; hidden values as ***)."""
    level = masking.Disclosure.FULL if unmask else masking.Disclosure.MASKED
    shown = masking.text_field(name, value, level)
    return "***" if shown is None else shown


@strawberry.type(name="ApplicationDocument", description="申请材料: an uploaded document.")
class DocumentType_(relay.Node):
    # Plain attributes, filled once in ``of``: graphql-core reads them without a
    # resolver call (strawberry's basic fields). The resolvers between them are
    # annotated (``strawberry.field(resolver=...)``) so every field keeps its place.
    id: relay.NodeID[int]
    model: strawberry.Private[Document]
    application: strawberry.Private[Application | None] = None
    kind: DocumentKind = strawberry.field(description="材料类型")
    kind_name: str = strawberry.field(description="材料名称 (Chinese).")
    filename: str = strawberry.field(description="原文件名")
    status: UploadStatus = strawberry.field(
        description="UPLOADING until the server confirmed the bytes."
    )
    size: int | None = strawberry.field(description="文件大小 (bytes), once confirmed.")
    media_type: DocumentType | None = strawberry.field(
        description="The real type, sniffed from the bytes."
    )
    sha256: str | None = strawberry.field(description="SHA-256 of the bytes (hex).")
    pages: int | None = strawberry.field(description="页数")
    ocr_status: OcrStatus = strawberry.field(description="识别状态")
    ocr_reason: str | None = strawberry.field(
        description=(
            "Why OCR failed (FAILED), or what the registrant should check (DONE): the "
            "page looks like another kind of document, or no text was found."
        )
    )
    ocr_looks_like: DocumentKind | None = strawberry.field(
        description=(
            "识别为: the kind of document the page looks like when it is not this slot's "
            "kind (an ID card uploaded as the diploma); null otherwise."
        )
    )
    ocr_engine: str | None = strawberry.field(description="OCR engine used.")
    ocr_ms: float | None = strawberry.field(description="OCR time in milliseconds.")

    @classmethod
    def of(cls, d: Document, app: Application | None = None) -> DocumentType_:
        assert d.id is not None
        kind = DocumentKind(d.kind)
        found = (d.ocr_fields or {}).get("detected_kind")
        return cls(
            id=d.id,
            model=d,
            application=app,
            kind=kind,
            kind_name=rules.DOCUMENT_NAMES[kind],
            filename=d.filename,
            status=UploadStatus(d.status),
            size=d.size,
            media_type=DocumentType(d.media_type) if d.media_type else None,
            sha256=d.sha256,
            pages=d.pages,
            ocr_status=OcrStatus(d.ocr_status),
            ocr_reason=d.ocr_reason,
            ocr_looks_like=(
                DocumentKind(found) if isinstance(found, str) and found in _DOCUMENT_KINDS else None
            ),
            ocr_engine=d.ocr_engine,
            ocr_ms=d.ocr_ms,
            created_at=d.created_at,
            confirmed_at=d.confirmed_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[DocumentType_ | None]:
        # A document is visible where its application is (the one application scope);
        # the application itself is loaded only by the fields that need it.
        return await visible_nodes(
            info,
            node_ids,
            Document,
            application_scope(info.context.viewer),
            cls.of,
            join=[(Application, col(Application.id) == col(Document.application_id))],
        )

    async def _unmask(self, info: strawberry.Info) -> bool:
        viewer = info.context.viewer
        if viewer.person_id == self.model.person_id:
            return True
        app = self.application or await info.context.registration.application_by_id.load(
            self.model.application_id
        )
        return app is not None and service.is_assigned(viewer, app)

    async def _resolve_ocr_fields(self, info: strawberry.Info) -> list[OcrField]:
        fields = sealed_fields.ocr_entries(info.context.runtime.cipher, self.model.ocr_fields)
        unmask = await self._unmask(info)
        out = []
        for name, f in fields.items():
            value = _shown(name, str(f.get("value", "")), unmask)
            out.append(
                OcrField(
                    name=name,
                    value=value,
                    confidence=float(f.get("confidence", 0.0)),
                    corrected=bool(f.get("corrected", False)),
                    valid=f.get("valid"),
                )
            )
        return out

    ocr_fields: list[OcrField] = strawberry.field(
        resolver=_resolve_ocr_fields,
        description="Fields OCR read. ID numbers are masked outside the case.",
    )

    async def _resolve_confirmed_fields(self, info: strawberry.Info) -> list[FieldValue]:
        unmask = await self._unmask(info)
        out = []
        confirmed = sealed_fields.confirmed_values(
            info.context.runtime.cipher, self.model.confirmed_fields
        )
        for name, value in confirmed.items():
            out.append(FieldValue(name=name, value=_shown(name, value, unmask)))
        return out

    confirmed_fields: list[FieldValue] = strawberry.field(
        resolver=_resolve_confirmed_fields,
        description="What the registrant confirmed or corrected.",
    )

    async def _resolve_download_url(self, info: strawberry.Info) -> str | None:
        ctx = info.context
        if self.model.status != UploadStatus.CONFIRMED or ctx.runtime.store is None:
            return None
        if not ctx.viewer.is_admin and not await self._unmask(info):
            return None
        ctx.audit(AuditAction.DOCUMENT_READ, "document", self.id)
        url: str = await ctx.runtime.store.presigned_get(self.model.object_key, download_name=None)
        return url

    download_url: str | None = strawberry.field(
        resolver=_resolve_download_url,
        description=(
            "A short-lived download URL, for the owner and the assigned reviewer only "
            "(each URL handed out is audited); null for everyone else."
        ),
    )
    created_at: datetime | None = strawberry.field(description="上传时间")
    confirmed_at: datetime | None = strawberry.field(description="确认时间")


@strawberry.type(name="ApplicationEvent", description="申请流转记录: who did what, when, why.")
class ApplicationEventType:
    model: strawberry.Private[ApplicationEvent]
    action: str = strawberry.field(
        description="CREATE, SUBMIT, START_PRELIMINARY, CLAIM_FINAL, RETURN, …"
    )
    from_status: Status | None = strawberry.field(description="Status before.")
    to_status: Status = strawberry.field(description="Status after.")

    @classmethod
    def of(cls, e: ApplicationEvent) -> ApplicationEventType:
        return cls(
            model=e,
            action=e.action,
            from_status=Status(e.from_status) if e.from_status else None,
            to_status=Status(e.to_status),
            reason=e.reason,
            items=list(e.items),
            at=e.at,
        )

    async def _resolve_actor_name(self, info: strawberry.Info) -> str | None:
        if self.model.actor_user_id is None:
            return None
        name: str | None = await info.context.registration.user_name_by_id.load(
            self.model.actor_user_id
        )
        return name

    actor_name: str | None = strawberry.field(
        resolver=_resolve_actor_name, description="Who acted (display name); null for the system."
    )
    reason: str | None = strawberry.field(description="理由")
    items: list[str] = strawberry.field(description="补正事项")
    at: datetime | None = strawberry.field(description="时间")


@strawberry.type(name="Registration", description="注册: an engineer's registration.")
class RegistrationType:
    # Plain attributes (basic fields), filled once from the model by the constructor.
    model: strawberry.Private[Registration]
    registration_id: int = strawberry.field(description="Database id (certificates refer to it).")
    specialty: Specialty = strawberry.field(description="专业类别")
    valid_from: date = strawberry.field(description="有效期起")
    valid_until: date = strawberry.field(description="有效期至")
    status: RegistrationStatus = strawberry.field(description="注册状态")

    def __init__(self, *, model: Registration) -> None:
        # Built as ``RegistrationType(model=r)`` (or ``of``) everywhere, so the
        # constructor takes the model alone and fills the plain fields from it.
        assert model.id is not None
        self.model = model
        self.registration_id = model.id
        self.specialty = Specialty(model.specialty)
        self.valid_from = model.valid_from
        self.valid_until = model.valid_until
        self.status = RegistrationStatus(model.status)

    @classmethod
    def of(cls, r: Registration) -> RegistrationType:
        return cls(model=r)

    @strawberry.field(description="注册单位")
    async def employer(self, info: strawberry.Info) -> EmployerType:
        e = await info.context.identity.employer_by_id.load(self.model.employer_id)
        return EmployerType.of(e)

    @strawberry.field(
        description=(
            "注册省份 (行政区划代码, 440000): the province of the registered employer, as "
            "for the application and the certificate number."
        )
    )
    async def province_code(self, info: strawberry.Info) -> str:
        e = await info.context.identity.employer_by_id.load(self.model.employer_id)
        return id_rules.province_of(e.region_code)

    @strawberry.field(
        description=(
            "注册证书编号: the number of this registration's ACTIVE certificate; null "
            "without one, or where the viewer may not see that certificate."
        )
    )
    async def number(self, info: strawberry.Info) -> str | None:
        cert = await info.context.certificates.visible_active_by_person.load(self.model.person_id)
        return cert.number if cert is not None and cert.registration_id == self.model.id else None


@strawberry.type(name="Application", description="注册申请")
class ApplicationType(relay.Node):
    # Plain attributes (basic fields), filled once in ``of``.
    id: relay.NodeID[int]
    model: strawberry.Private[Application]
    kind: ApplicationKind = strawberry.field(description="注册类型")
    status: Status = strawberry.field(description="申请状态")
    status_name: str = strawberry.field(description="申请状态 (Chinese).")
    specialty: Specialty = strawberry.field(description="申请专业类别")
    version: int = strawberry.field(
        description="Version for optimistic locking (pass as expectedVersion)."
    )
    review_scope: ReviewScope = strawberry.field(description="初审归属")
    province_code: str = strawberry.field(description="受理省份 (行政区划代码, from the employer).")

    @classmethod
    def of(cls, a: Application) -> ApplicationType:
        assert a.id is not None
        status = Status(a.status)
        return cls(
            id=a.id,
            model=a,
            kind=ApplicationKind(a.kind),
            status=status,
            status_name=rules.STATUS_NAMES[status],
            specialty=Specialty(a.specialty),
            version=a.version,
            review_scope=ReviewScope(a.review_scope),
            province_code=a.province_code,
            return_items=list(a.return_items),
            decision_reason=a.decision_reason,
            due_at=a.due_at,
            submitted_at=a.submitted_at,
            decided_at=a.decided_at,
            created_at=a.created_at,
            updated_at=a.updated_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ApplicationType | None]:
        return await visible_nodes(
            info, node_ids, Application, application_scope(info.context.viewer), cls.of
        )

    async def _resolve_applicant(self, info: strawberry.Info) -> PersonType:
        p = await info.context.identity.person_by_id.load(self.model.person_id)
        return PersonType.of(p)

    applicant: PersonType = strawberry.field(resolver=_resolve_applicant, description="申请人")

    async def _resolve_applicant_id_number(self, info: strawberry.Info) -> str:
        ctx = info.context
        p = await ctx.identity.person_by_id.load(self.model.person_id)
        value = identity_service.decrypt_id_number(ctx.runtime.cipher, p)
        if _may_unmask(info, self.model):
            if ctx.viewer.person_id != self.model.person_id:
                ctx.audit(AuditAction.APPLICATION_ID_NUMBER_READ, "application", self.id)
            return value
        masked = masking.id_number(value, masking.Disclosure.MASKED)
        assert masked is not None
        return masked

    applicant_id_number: str = strawberry.field(
        resolver=_resolve_applicant_id_number,
        description=(
            "申请人身份证号码: in full for the applicant and the reviewer the case is "
            "assigned to (each read audited), masked for everyone else."
        ),
    )

    async def _resolve_employer(self, info: strawberry.Info) -> EmployerType:
        e = await info.context.identity.employer_by_id.load(self.model.employer_id)
        return EmployerType.of(e)

    employer: EmployerType = strawberry.field(resolver=_resolve_employer, description="聘用单位")

    def _resolve_form(self) -> ApplicationForm:
        f = service.ApplicationForm.from_json(self.model.form)
        return ApplicationForm(
            qualification_number=f.qualification_number,
            qualification_date=f.qualification_date,
            education=f.education,
            school=f.school,
            major=f.major,
            diploma_number=f.diploma_number,
            identity_note=f.identity_note,
        )

    form: ApplicationForm = strawberry.field(resolver=_resolve_form, description="申请表")

    async def _documents(self, info: strawberry.Info) -> list[Document]:
        docs: list[Document] = await info.context.registration.documents_by_application.load(
            self.id
        )
        return docs

    async def _resolve_documents(self, info: strawberry.Info) -> list[DocumentType_]:
        return [DocumentType_.of(d, self.model) for d in await self._documents(info)]

    documents: list[DocumentType_] = strawberry.field(
        resolver=_resolve_documents, description="申请材料 (uploading and confirmed)."
    )

    def _resolve_required_documents(self) -> list[DocumentRequirement]:
        return document_requirements(ApplicationKind(self.model.kind))

    required_documents: list[DocumentRequirement] = strawberry.field(
        resolver=_resolve_required_documents,
        description="This kind's required documents, in the regulation's order.",
    )

    async def _resolve_missing_documents(self, info: strawberry.Info) -> list[DocumentKind]:
        present = {
            DocumentKind(d.kind)
            for d in await self._documents(info)
            if d.status == UploadStatus.CONFIRMED
        }
        return rules.missing_documents(ApplicationKind(self.model.kind), present)

    missing_documents: list[DocumentKind] = strawberry.field(
        resolver=_resolve_missing_documents,
        description="Required documents not yet uploaded and confirmed (缺少材料).",
    )

    def _resolve_checks(self) -> list[EligibilityCheck]:
        return [EligibilityCheck.of(c) for c in self.model.checks]

    checks: list[EligibilityCheck] = strawberry.field(
        resolver=_resolve_checks,
        description="资格审查 as of the last submission, with explanations.",
    )

    def _resolve_flags(self) -> list[EligibilityCheck]:
        return [EligibilityCheck.of(c) for c in self.model.flags]

    flags: list[EligibilityCheck] = strawberry.field(
        resolver=_resolve_flags,
        description="Signals for reviewers (疑似挂证 etc.) as of the submission.",
    )

    def _resolve_verifications(self) -> list[VerificationOutcome]:
        out = []
        for v in self.model.verifications:
            checked = v.get("checked_at")
            out.append(
                VerificationOutcome(
                    check=v.get("check", ""),
                    status=v.get("status", "UNVERIFIED"),
                    source=v.get("source", ""),
                    explanation=v.get("explanation", ""),
                    checked_at=datetime.fromisoformat(checked) if checked else None,
                )
            )
        return out

    verifications: list[VerificationOutcome] = strawberry.field(
        resolver=_resolve_verifications,
        description="身份与学历核验 (filled by a job after submission).",
    )

    async def _resolve_comparisons(self, info: strawberry.Info) -> list[FieldComparison]:
        ctx = info.context
        p = await ctx.identity.person_by_id.load(self.model.person_id)
        # The same comparison as the submission check (registration.service).
        compared = service.compare_documents(
            self.model, p, ctx.runtime.cipher, await self._documents(info)
        )
        unmask = _may_unmask(info, self.model)

        def shown(name: str, value: str | None) -> str | None:
            level = masking.Disclosure.FULL if unmask else masking.Disclosure.MASKED
            return masking.text_field(name, value, level)

        return [
            FieldComparison(
                document_kind=c.document_kind,
                field=c.field,
                ocr_value=shown(c.field, c.ocr_value),
                confirmed_value=shown(c.field, c.confirmed_value),
                expected_source=c.expected_source,
                expected_value=shown(c.field, c.expected_value),
                agrees=c.agrees,
            )
            for c in compared
        ]

    comparisons: list[FieldComparison] = strawberry.field(
        resolver=_resolve_comparisons,
        description="OCR vs confirmation vs record for every compared field; disagreements "
        "(agrees: false) are what a reviewer must look at.",
    )

    return_items: list[str] = strawberry.field(description="退回补正事项 (all listed at once).")

    decision_reason: str | None = strawberry.field(
        description="Written reason of a refusal or return."
    )

    def _resolve_deadlines(self, info: strawberry.Info) -> list[Deadline]:
        policy = service.Policy.from_settings(info.context.settings)
        approved = self.model.decided_at if self.model.status == Status.APPROVED.value else None
        return [
            Deadline(stage=d.stage, due_at=d.due, breached=d.breached)
            for d in rules.deadlines(
                submitted_at=self.model.submitted_at,
                preliminary_started_at=self.model.preliminary_started_at,
                final_started_at=self.model.final_started_at,
                approved_at=approved,
                now=utcnow(),
                policy=policy.clocks,
            )
        ]

    deadlines: list[Deadline] = strawberry.field(
        resolver=_resolve_deadlines,
        description="法定时限: every clock that runs or ran, and whether breached.",
    )

    due_at: datetime | None = strawberry.field(
        description="The running clock's deadline (queues sort by it)."
    )

    def _resolve_deadline_status(self) -> DeadlineStatus | None:
        return rules.deadline_status(self.model.due_at, utcnow())

    deadline_status: DeadlineStatus | None = strawberry.field(
        resolver=_resolve_deadline_status, description="时限状态 of the running clock."
    )

    def _resolve_assigned_to_me(self, info: strawberry.Info) -> bool:
        return service.is_assigned(info.context.viewer, self.model)

    assigned_to_me: bool = strawberry.field(
        resolver=_resolve_assigned_to_me,
        description="Whether the case is assigned to the viewer (已领取).",
    )

    async def _resolve_preliminary_reviewer_name(self, info: strawberry.Info) -> str | None:
        uid = self.model.preliminary_reviewer_id
        name: str | None = (
            await info.context.registration.user_name_by_id.load(uid) if uid else None
        )
        return name

    preliminary_reviewer_name: str | None = strawberry.field(
        resolver=_resolve_preliminary_reviewer_name, description="初审人员"
    )

    async def _resolve_final_reviewer_name(self, info: strawberry.Info) -> str | None:
        uid = self.model.final_reviewer_id
        name: str | None = (
            await info.context.registration.user_name_by_id.load(uid) if uid else None
        )
        return name

    final_reviewer_name: str | None = strawberry.field(
        resolver=_resolve_final_reviewer_name, description="终审人员"
    )

    async def _resolve_history(self, info: strawberry.Info) -> list[ApplicationEventType]:
        rows = await info.context.registration.events_by_application.load(self.id)
        return [ApplicationEventType.of(e) for e in rows]

    history: list[ApplicationEventType] = strawberry.field(
        resolver=_resolve_history, description="流转记录, oldest first."
    )

    async def _resolve_registration(self, info: strawberry.Info) -> RegistrationType | None:
        rid = self.model.registration_id
        if rid is None:
            return None
        r = await info.context.registration.registration_by_id.load(rid)
        return RegistrationType.of(r) if r else None

    registration: RegistrationType | None = strawberry.field(
        resolver=_resolve_registration,
        description="The registration this application produced or concerns.",
    )

    submitted_at: datetime | None = strawberry.field(description="提交时间")

    decided_at: datetime | None = strawberry.field(description="办结时间")

    created_at: datetime | None = strawberry.field(description="创建时间")

    updated_at: datetime | None = strawberry.field(description="更新时间")


@strawberry.type(description="What stands between a draft and its submission (提交前检查).")
class ApplicationPrecheck:
    ready: bool = strawberry.field(description="True when submission would be accepted now.")
    missing_documents: list[DocumentKind] = strawberry.field(description="缺少材料")
    checks: list[EligibilityCheck] = strawberry.field(description="资格审查")
    flags: list[EligibilityCheck] = strawberry.field(description="Signals reviewers will see.")
    problems: list[RegistrationError] = strawberry.field(
        description="Everything that would refuse the submission, all at once."
    )


@strawberry.type(description="Counts of a review queue by deadline status (队列统计).")
class ReviewQueueCounts:
    total: int = strawberry.field(description="待办总数")
    breached: int = strawberry.field(description="已超时")
    due_soon: int = strawberry.field(description="即将到期 (3 days)")
    on_time: int = strawberry.field(description="未到期")
    unclaimed: int = strawberry.field(description="未领取")
