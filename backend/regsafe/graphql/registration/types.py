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
from regsafe.registration import documents as doc_service
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


def _shown(name: str, value: str, unmask: bool) -> str:
    """A document field as this viewer may see it (core.masking; hidden values as ***)."""
    level = masking.Disclosure.FULL if unmask else masking.Disclosure.MASKED
    shown = masking.text_field(name, value, level)
    return "***" if shown is None else shown


@strawberry.type(name="ApplicationDocument", description="申请材料: an uploaded document.")
class DocumentType_(relay.Node):
    id: relay.NodeID[int]
    model: strawberry.Private[Document]
    application: strawberry.Private[Application | None] = None

    @classmethod
    def of(cls, d: Document, app: Application | None = None) -> DocumentType_:
        assert d.id is not None
        return cls(id=d.id, model=d, application=app)

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

    @strawberry.field(description="材料类型")
    def kind(self) -> DocumentKind:
        return DocumentKind(self.model.kind)

    @strawberry.field(description="材料名称 (Chinese).")
    def kind_name(self) -> str:
        return rules.DOCUMENT_NAMES[DocumentKind(self.model.kind)]

    @strawberry.field(description="原文件名")
    def filename(self) -> str:
        return self.model.filename

    @strawberry.field(description="UPLOADING until the server confirmed the bytes.")
    def status(self) -> UploadStatus:
        return UploadStatus(self.model.status)

    @strawberry.field(description="文件大小 (bytes), once confirmed.")
    def size(self) -> int | None:
        return self.model.size

    @strawberry.field(description="The real type, sniffed from the bytes.")
    def media_type(self) -> DocumentType | None:
        return DocumentType(self.model.media_type) if self.model.media_type else None

    @strawberry.field(description="SHA-256 of the bytes (hex).")
    def sha256(self) -> str | None:
        return self.model.sha256

    @strawberry.field(description="页数")
    def pages(self) -> int | None:
        return self.model.pages

    @strawberry.field(description="识别状态")
    def ocr_status(self) -> OcrStatus:
        return OcrStatus(self.model.ocr_status)

    @strawberry.field(
        description=(
            "Why OCR failed (FAILED), or what the registrant should check (DONE): the "
            "page looks like another kind of document, or no text was found."
        )
    )
    def ocr_reason(self) -> str | None:
        return self.model.ocr_reason

    @strawberry.field(
        description=(
            "识别为: the kind of document the page looks like when it is not this slot's "
            "kind (an ID card uploaded as the diploma); null otherwise."
        )
    )
    def ocr_looks_like(self) -> DocumentKind | None:
        found = (self.model.ocr_fields or {}).get("detected_kind")
        known = {k.value for k in DocumentKind}
        return DocumentKind(found) if isinstance(found, str) and found in known else None

    @strawberry.field(description="OCR engine used.")
    def ocr_engine(self) -> str | None:
        return self.model.ocr_engine

    @strawberry.field(description="OCR time in milliseconds.")
    def ocr_ms(self) -> float | None:
        return self.model.ocr_ms

    async def _unmask(self, info: strawberry.Info) -> bool:
        viewer = info.context.viewer
        if viewer.person_id == self.model.person_id:
            return True
        app = self.application or await info.context.registration.application_by_id.load(
            self.model.application_id
        )
        return app is not None and service.is_assigned(viewer, app)

    @strawberry.field(description="Fields OCR read. ID numbers are masked outside the case.")
    async def ocr_fields(self, info: strawberry.Info) -> list[OcrField]:
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

    @strawberry.field(description="What the registrant confirmed or corrected.")
    async def confirmed_fields(self, info: strawberry.Info) -> list[FieldValue]:
        unmask = await self._unmask(info)
        out = []
        confirmed = sealed_fields.confirmed_values(
            info.context.runtime.cipher, self.model.confirmed_fields
        )
        for name, value in confirmed.items():
            out.append(FieldValue(name=name, value=_shown(name, value, unmask)))
        return out

    @strawberry.field(
        description=(
            "A short-lived download URL, for the owner and the assigned reviewer only "
            "(each URL handed out is audited); null for everyone else."
        )
    )
    async def download_url(self, info: strawberry.Info) -> str | None:
        ctx = info.context
        if self.model.status != UploadStatus.CONFIRMED or ctx.runtime.store is None:
            return None
        if not ctx.viewer.is_admin and not await self._unmask(info):
            return None
        ctx.audit(AuditAction.DOCUMENT_READ, "document", self.id)
        url: str = await ctx.runtime.store.presigned_get(self.model.object_key, download_name=None)
        return url

    @strawberry.field(description="上传时间")
    def created_at(self) -> datetime | None:
        return self.model.created_at

    @strawberry.field(description="确认时间")
    def confirmed_at(self) -> datetime | None:
        return self.model.confirmed_at


@strawberry.type(name="ApplicationEvent", description="申请流转记录: who did what, when, why.")
class ApplicationEventType:
    model: strawberry.Private[ApplicationEvent]

    @strawberry.field(description="CREATE, SUBMIT, START_PRELIMINARY, CLAIM_FINAL, RETURN, …")
    def action(self) -> str:
        return self.model.action

    @strawberry.field(description="Status before.")
    def from_status(self) -> Status | None:
        return Status(self.model.from_status) if self.model.from_status else None

    @strawberry.field(description="Status after.")
    def to_status(self) -> Status:
        return Status(self.model.to_status)

    @strawberry.field(description="Who acted (display name); null for the system.")
    async def actor_name(self, info: strawberry.Info) -> str | None:
        if self.model.actor_user_id is None:
            return None
        name: str | None = await info.context.registration.user_name_by_id.load(
            self.model.actor_user_id
        )
        return name

    @strawberry.field(description="理由")
    def reason(self) -> str | None:
        return self.model.reason

    @strawberry.field(description="补正事项")
    def items(self) -> list[str]:
        return list(self.model.items)

    @strawberry.field(description="时间")
    def at(self) -> datetime | None:
        return self.model.at


@strawberry.type(name="Registration", description="注册: an engineer's registration.")
class RegistrationType:
    model: strawberry.Private[Registration]

    @strawberry.field(description="Database id (certificates refer to it).")
    def registration_id(self) -> int:
        assert self.model.id is not None
        return self.model.id

    @strawberry.field(description="专业类别")
    def specialty(self) -> Specialty:
        return Specialty(self.model.specialty)

    @strawberry.field(description="有效期起")
    def valid_from(self) -> date:
        return self.model.valid_from

    @strawberry.field(description="有效期至")
    def valid_until(self) -> date:
        return self.model.valid_until

    @strawberry.field(description="注册状态")
    def status(self) -> RegistrationStatus:
        return RegistrationStatus(self.model.status)

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
    id: relay.NodeID[int]
    model: strawberry.Private[Application]

    @classmethod
    def of(cls, a: Application) -> ApplicationType:
        assert a.id is not None
        return cls(id=a.id, model=a)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ApplicationType | None]:
        return await visible_nodes(
            info, node_ids, Application, application_scope(info.context.viewer), cls.of
        )

    @strawberry.field(description="注册类型")
    def kind(self) -> ApplicationKind:
        return ApplicationKind(self.model.kind)

    @strawberry.field(description="申请状态")
    def status(self) -> Status:
        return Status(self.model.status)

    @strawberry.field(description="申请状态 (Chinese).")
    def status_name(self) -> str:
        return rules.STATUS_NAMES[Status(self.model.status)]

    @strawberry.field(description="申请专业类别")
    def specialty(self) -> Specialty:
        return Specialty(self.model.specialty)

    @strawberry.field(description="Version for optimistic locking (pass as expectedVersion).")
    def version(self) -> int:
        return self.model.version

    @strawberry.field(description="初审归属")
    def review_scope(self) -> ReviewScope:
        return ReviewScope(self.model.review_scope)

    @strawberry.field(description="受理省份 (行政区划代码, from the employer).")
    def province_code(self) -> str:
        return self.model.province_code

    @strawberry.field(description="申请人")
    async def applicant(self, info: strawberry.Info) -> PersonType:
        p = await info.context.identity.person_by_id.load(self.model.person_id)
        return PersonType.of(p)

    @strawberry.field(
        description=(
            "申请人身份证号码: in full for the applicant and the reviewer the case is "
            "assigned to (each read audited), masked for everyone else."
        )
    )
    async def applicant_id_number(self, info: strawberry.Info) -> str:
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

    @strawberry.field(description="聘用单位")
    async def employer(self, info: strawberry.Info) -> EmployerType:
        e = await info.context.identity.employer_by_id.load(self.model.employer_id)
        return EmployerType.of(e)

    @strawberry.field(description="申请表")
    def form(self) -> ApplicationForm:
        f = service.ApplicationForm.from_json(self.model.form)
        return ApplicationForm(
            qualification_number=f.qualification_number,
            qualification_date=f.qualification_date,
            education=f.education,
            school=f.school,
            major=f.major,
            diploma_number=f.diploma_number,
        )

    async def _documents(self, info: strawberry.Info) -> list[Document]:
        docs: list[Document] = await info.context.registration.documents_by_application.load(
            self.id
        )
        return docs

    @strawberry.field(description="申请材料 (uploading and confirmed).")
    async def documents(self, info: strawberry.Info) -> list[DocumentType_]:
        return [DocumentType_.of(d, self.model) for d in await self._documents(info)]

    @strawberry.field(description="This kind's required documents, in the regulation's order.")
    def required_documents(self) -> list[DocumentRequirement]:
        return document_requirements(ApplicationKind(self.model.kind))

    @strawberry.field(description="Required documents not yet uploaded and confirmed (缺少材料).")
    async def missing_documents(self, info: strawberry.Info) -> list[DocumentKind]:
        present = {
            DocumentKind(d.kind)
            for d in await self._documents(info)
            if d.status == UploadStatus.CONFIRMED
        }
        return rules.missing_documents(ApplicationKind(self.model.kind), present)

    @strawberry.field(description="资格审查 as of the last submission, with explanations.")
    def checks(self) -> list[EligibilityCheck]:
        return [EligibilityCheck.of(c) for c in self.model.checks]

    @strawberry.field(description="Signals for reviewers (疑似挂证 etc.) as of the submission.")
    def flags(self) -> list[EligibilityCheck]:
        return [EligibilityCheck.of(c) for c in self.model.flags]

    @strawberry.field(description="身份与学历核验 (filled by a job after submission).")
    def verifications(self) -> list[VerificationOutcome]:
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

    @strawberry.field(
        description="OCR vs confirmation vs record for every compared field; disagreements "
        "(agrees: false) are what a reviewer must look at."
    )
    async def comparisons(self, info: strawberry.Info) -> list[FieldComparison]:
        ctx = info.context
        p = await ctx.identity.person_by_id.load(self.model.person_id)
        id_number = identity_service.decrypt_id_number(ctx.runtime.cipher, p)
        form = self.model.form
        known: dict[str, str | None] = {
            "person.name": p.name,
            "person.id_number": id_number,
            "person.gender": p.gender,
            "person.birth_date": p.birth_date.isoformat(),
            "form.qualification_number": form.get("qualification_number"),
            "form.qualification_date": form.get("qualification_date"),
            "form.school": form.get("school"),
            "form.diploma_number": form.get("diploma_number"),
            "form.education": form.get("education"),
            "application.specialty": self.model.specialty,
        }
        docs = [
            (
                DocumentKind(d.kind),
                doc_service.ocr_values(ctx.runtime.cipher, d),
                doc_service.confirmed_values(ctx.runtime.cipher, d),
            )
            for d in await self._documents(info)
            if d.ocr_status == OcrStatus.DONE
        ]
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
            for c in rules.compare_fields(docs, known)
        ]

    @strawberry.field(description="退回补正事项 (all listed at once).")
    def return_items(self) -> list[str]:
        return list(self.model.return_items)

    @strawberry.field(description="Written reason of a refusal or return.")
    def decision_reason(self) -> str | None:
        return self.model.decision_reason

    @strawberry.field(description="法定时限: every clock that runs or ran, and whether breached.")
    def deadlines(self, info: strawberry.Info) -> list[Deadline]:
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

    @strawberry.field(description="The running clock's deadline (queues sort by it).")
    def due_at(self) -> datetime | None:
        return self.model.due_at

    @strawberry.field(description="时限状态 of the running clock.")
    def deadline_status(self) -> DeadlineStatus | None:
        return rules.deadline_status(self.model.due_at, utcnow())

    @strawberry.field(description="Whether the case is assigned to the viewer (已领取).")
    def assigned_to_me(self, info: strawberry.Info) -> bool:
        return service.is_assigned(info.context.viewer, self.model)

    @strawberry.field(description="初审人员")
    async def preliminary_reviewer_name(self, info: strawberry.Info) -> str | None:
        uid = self.model.preliminary_reviewer_id
        name: str | None = (
            await info.context.registration.user_name_by_id.load(uid) if uid else None
        )
        return name

    @strawberry.field(description="终审人员")
    async def final_reviewer_name(self, info: strawberry.Info) -> str | None:
        uid = self.model.final_reviewer_id
        name: str | None = (
            await info.context.registration.user_name_by_id.load(uid) if uid else None
        )
        return name

    @strawberry.field(description="流转记录, oldest first.")
    async def history(self, info: strawberry.Info) -> list[ApplicationEventType]:
        rows = await info.context.registration.events_by_application.load(self.id)
        return [ApplicationEventType(model=e) for e in rows]

    @strawberry.field(description="The registration this application produced or concerns.")
    async def registration(self, info: strawberry.Info) -> RegistrationType | None:
        rid = self.model.registration_id
        if rid is None:
            return None
        r = await info.context.registration.registration_by_id.load(rid)
        return RegistrationType(model=r) if r else None

    @strawberry.field(description="提交时间")
    def submitted_at(self) -> datetime | None:
        return self.model.submitted_at

    @strawberry.field(description="办结时间")
    def decided_at(self) -> datetime | None:
        return self.model.decided_at

    @strawberry.field(description="创建时间")
    def created_at(self) -> datetime | None:
        return self.model.created_at

    @strawberry.field(description="更新时间")
    def updated_at(self) -> datetime | None:
        return self.model.updated_at


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
