"""Application documents: an upload slot per document (core/upload_slots.py), the
APPLICATION_DOCUMENT step of uploadConfirm (stat, size, real type, SHA-256 by the shared
pipeline), OCR results and the registrant's confirmation of extracted fields.

The browser sends bytes straight to the object store; the API only signs URLs and
inspects what arrived (DESIGN.md §3)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlalchemy import text as sa_text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.auth.roles import Viewer
from regsafe.core import upload_slots, uploads
from regsafe.core.clock import today_shanghai
from regsafe.core.crypto import FieldCipher
from regsafe.core.errors import DomainError
from regsafe.core.storage import ObjectNotFound, ObjectStore, StorageUnavailable
from regsafe.core.upload_slots import SlotContext, Upload, UploadErrorCode, UploadPurpose
from regsafe.core.uploads import (
    IMAGES_AND_PDF,
    FrozenUpload,
    Refusal,
    UploadLimits,
    UploadRefused,
)
from regsafe.identity import rules as id_rules
from regsafe.ocr.documents import DocumentError, inspect_upload
from regsafe.ocr.engines import EngineUnavailable, OcrEngine
from regsafe.ocr.extract import DEFAULT_TIME_LIMIT_SECONDS, extract_document_within
from regsafe.registration import rules, sealed_fields
from regsafe.registration.errors import RegistrationErrorCode as Code
from regsafe.registration.models import Document, OcrStatus, UploadStatus
from regsafe.registration.rules import DocumentKind, Status
from regsafe.registration.service import EDITABLE, Policy, get_application

ALLOWED_CONTENT_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})
MAX_FILENAME = 200
# Fields a registrant may confirm per OCR kind (the same names the extractor uses).
# Every field OCR reads for a kind can be confirmed or corrected (the registrant's
# confirmation sends the whole table back): both sides of the ID card, the prose and
# labelled diplomas and degree certificates, the 职业资格证书 as issued and the
# 成绩合格证明 (benchmarks/ocr.py lists the fields per layout).
CONFIRMABLE: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.ID_CARD: (
        "name",
        "gender",
        "ethnicity",
        "birth_date",
        "address",
        "id_number",
        "issuing_authority",
        "valid_period",
    ),
    DocumentKind.DIPLOMA: (
        "name",
        "gender",
        "birth_date",
        "school",
        "major",
        "level",
        "years",
        "study_period",
        "president",
        "degree",
        "certificate_number",
        "graduation_date",
    ),
    DocumentKind.QUALIFICATION_CERTIFICATE: (
        "name",
        "gender",
        "birth_date",
        "id_number",
        "management_number",
        "certificate_number",
        "specialty",
        "approval_date",
        "issue_date",
        "exam_year",
        "issuing_authority",
    ),
}
# How the upload pipeline's refusals read in this domain's error codes.
UPLOAD_CODES = {
    Refusal.INVALID_SIZE: Code.INVALID_VALUE,
    Refusal.TOO_LARGE: Code.DOCUMENT_TOO_LARGE,
    Refusal.UNSUPPORTED_TYPE: Code.DOCUMENT_UNSUPPORTED_TYPE,
    Refusal.MISSING: Code.UPLOAD_MISSING,
    Refusal.SIZE_MISMATCH: Code.SIZE_MISMATCH,
    Refusal.INVALID_CONTENT: Code.DOCUMENT_INVALID,
    Refusal.INVALID_FILENAME: Code.INVALID_VALUE,
    Refusal.FILENAME_TOO_LONG: Code.TOO_LONG,
    Refusal.CHANGED: Code.UPLOAD_MISSING,
}


def clean_filename(raw: str) -> str:
    """The platform's one filename rule (core/uploads.py), in this domain's codes."""
    try:
        return uploads.clean_filename(raw)
    except UploadRefused as exc:
        raise uploads.domain_error(exc, UPLOAD_CODES) from None


def upload_limits(policy: Policy) -> UploadLimits:
    return UploadLimits(
        policy.document_max_bytes, IMAGES_AND_PDF, policy.upload_expiry, inspect_upload
    )


async def check_document_limits(
    session: AsyncSession,
    *,
    application_id: int,
    kind: DocumentKind,
    policy: Policy,
    now: datetime,
    field: str,
    opening: bool,
) -> None:
    """At most ``policy.documents_per_kind`` confirmed documents of one kind and
    ``documents_per_application`` in all; when a new upload is ``opening``, also at most
    that many unconfirmed uploads still open (each holds a URL and up to the size limit
    in the bucket until it expires). The caller holds the application's row lock."""
    confirmed = col(Document.status) == UploadStatus.CONFIRMED.value
    of_kind, total, open_uploads = (
        await session.exec(
            select(
                func.count().filter(confirmed, col(Document.kind) == kind.value),
                func.count().filter(confirmed),
                func.count().filter(
                    col(Document.status) == UploadStatus.UPLOADING.value,
                    col(Document.expires_at) >= now,
                ),
            ).where(col(Document.application_id) == application_id)
        )
    ).one()
    if of_kind >= policy.documents_per_kind:
        raise DomainError(
            Code.TOO_MANY_DOCUMENTS,
            f"{rules.DOCUMENT_NAMES[kind]}最多上传{policy.documents_per_kind}份，请先删除不需要的",
            field,
        )
    if total >= policy.documents_per_application:
        raise DomainError(
            Code.TOO_MANY_DOCUMENTS,
            f"一份申请最多上传{policy.documents_per_application}份材料，请先删除不需要的",
            field,
        )
    if opening and open_uploads >= policy.documents_per_application:
        raise DomainError(Code.TOO_MANY_DOCUMENTS, "未完成的上传过多，请先完成或稍后再试", field)


@dataclass(frozen=True)
class UploadTicket:
    document: Document
    upload: Upload


async def request_upload(
    session: AsyncSession,
    *,
    viewer: Viewer,
    application_id: int,
    kind: DocumentKind,
    filename: str,
    size: int,
    content_type: str,
    policy: Policy,
    now: datetime,
) -> UploadTicket:
    """A document row in UPLOADING and its upload slot (APPLICATION_DOCUMENT, target the
    document); the slot's URL takes the bytes, uploadConfirm checks them."""
    app = await get_application(session, viewer, application_id, lock=True)
    if viewer.person_id != app.person_id:
        raise DomainError(Code.NOT_FOUND, "申请不存在或无权访问", "applicationId")
    if Status(app.status) not in EDITABLE:
        raise DomainError(Code.NOT_EDITABLE, "申请已提交，不能再上传材料", "applicationId")
    name = clean_filename(filename)
    upload = await upload_slots.open_slot(
        session,
        owner_user_id=viewer.user_id,
        purpose=UploadPurpose.APPLICATION_DOCUMENT,
        key=f"documents/{app.person_id}/{uuid.uuid4()}",
        limits=upload_limits(policy),
        size=size,
        content_type=content_type,
        now=now,
        codes=UPLOAD_CODES,
        too_many=Code.TOO_MANY_DOCUMENTS,
        filename=name,
    )
    await check_document_limits(
        session,
        application_id=application_id,
        kind=kind,
        policy=policy,
        now=now,
        field="kind",
        opening=True,
    )
    doc = Document(
        person_id=app.person_id,
        application_id=application_id,
        kind=kind.value,
        filename=name,
        declared_size=size,
        declared_content_type=upload.declared_type,
        object_key=upload.object_key,
        status=UploadStatus.UPLOADING.value,
        expires_at=upload.expires_at,
        created_at=now,
    )
    session.add(doc)
    await session.flush()
    upload.target_id = doc.id
    session.add(upload)
    await session.flush()
    return UploadTicket(doc, upload)


async def _owned_document(
    session: AsyncSession, viewer: Viewer, document_id: int, *, lock: bool = True
) -> Document:
    stmt = select(Document).where(
        col(Document.id) == document_id, col(Document.person_id) == viewer.person_id
    )
    doc = (await session.exec(stmt.with_for_update() if lock else stmt)).first()
    if doc is None or viewer.person_id is None:
        raise DomainError(Code.NOT_FOUND, "材料不存在或无权访问", "id")
    return doc


# --- uploadConfirm's step for APPLICATION_DOCUMENT (core/upload_slots.py) -------------


async def prepare_upload(ctx: SlotContext, upload: Upload) -> UploadLimits:
    """Before the bytes are read: the document is still waiting for them, its
    application still takes documents, and the per-kind and total limits still hold."""
    viewer: Viewer = ctx.viewer
    doc = await _owned_document(ctx.session, viewer, upload.target_id or 0)
    if doc.status != UploadStatus.UPLOADING:
        raise DomainError(UploadErrorCode.NOT_FOUND, "材料已删除或已过期，请重新上传", "id")
    app = await get_application(ctx.session, viewer, doc.application_id, lock=True)
    if Status(app.status) not in EDITABLE:
        raise DomainError(UploadErrorCode.NOT_EDITABLE, "申请已提交，不能再上传材料", "id")
    policy = Policy.from_settings(ctx.settings)
    try:
        await check_document_limits(
            ctx.session,
            application_id=doc.application_id,
            kind=DocumentKind(doc.kind),
            policy=policy,
            now=ctx.now,
            field="id",
            opening=False,
        )
    except DomainError as exc:
        raise DomainError(UploadErrorCode.TOO_MANY_FILES, exc.message, "id") from None
    return upload_limits(policy)


async def complete_upload(ctx: SlotContext, upload: Upload, frozen: FrozenUpload) -> Document:
    """The checked bytes make the document CONFIRMED (OCR PENDING for the kinds read)."""
    doc = await _owned_document(ctx.session, ctx.viewer, upload.target_id or 0)
    doc.status = UploadStatus.CONFIRMED.value
    doc.size = frozen.size
    doc.media_type = frozen.media_type.value
    doc.sha256 = frozen.sha256
    doc.pages = frozen.pages
    doc.confirmed_at = ctx.now
    doc.expires_at = None
    doc.ocr_status = (
        OcrStatus.PENDING if DocumentKind(doc.kind) in rules.OCR_KINDS else OcrStatus.NOT_APPLICABLE
    ).value
    ctx.session.add(doc)
    await ctx.session.flush()
    return doc


async def remove_document(
    session: AsyncSession, store: ObjectStore, *, viewer: Viewer, document_id: int
) -> Document:
    """Take a document out of a draft (or a returned application)."""
    doc = await _owned_document(session, viewer, document_id)
    app = await get_application(session, viewer, doc.application_id)
    if Status(app.status) not in EDITABLE:
        raise DomainError(Code.NOT_EDITABLE, "申请已提交，不能删除材料", "id")
    if doc.status in (UploadStatus.REMOVED, UploadStatus.EXPIRED):
        raise DomainError(Code.NOT_FOUND, "材料已删除", "id")
    doc.status = UploadStatus.REMOVED.value
    session.add(doc)
    await session.flush()
    await store.delete(doc.object_key)
    await store.delete(uploads.staging_key(doc.object_key))
    return doc


def _validate_confirmed(kind: DocumentKind, values: dict[str, str]) -> dict[str, str]:
    allowed = CONFIRMABLE.get(kind)
    if allowed is None:
        raise DomainError(Code.INVALID_VALUE, "该类材料没有需要确认的字段", "fields")
    out: dict[str, str] = {}
    for name, raw in values.items():
        if name not in allowed:
            raise DomainError(Code.INVALID_VALUE, f"未知字段：{name}", f"fields.{name}")
        value = raw.strip()
        if len(value) > 100:
            raise DomainError(Code.TOO_LONG, "不能超过100个字符", f"fields.{name}")
        if name == "id_number" and value:
            value = id_rules.normalize_id_number(value)
            try:
                id_rules.parse_id_number(value, today=today_shanghai())
            except id_rules.RuleViolation as v:
                raise DomainError(Code.INVALID_VALUE, v.message, f"fields.{name}") from None
        if name.endswith("date") and value and not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value):
            raise DomainError(Code.INVALID_VALUE, "日期格式应为 YYYY-MM-DD", f"fields.{name}")
        out[name] = value
    return out


async def confirm_fields(
    session: AsyncSession,
    *,
    viewer: Viewer,
    document_id: int,
    values: dict[str, str],
    cipher: FieldCipher,
) -> Document:
    """The registrant confirms (or corrects) what OCR read; reviewers see both."""
    doc = await _owned_document(session, viewer, document_id)
    if doc.status != UploadStatus.CONFIRMED:
        raise DomainError(Code.NOT_FOUND, "材料尚未上传完成", "id")
    if doc.ocr_status == OcrStatus.PENDING:
        raise DomainError(Code.OCR_NOT_FINISHED, "识别尚未完成，请稍候", "id")
    app = await get_application(session, viewer, doc.application_id)
    if Status(app.status) not in EDITABLE:
        raise DomainError(Code.NOT_EDITABLE, "申请已提交，不能修改", "id")
    doc.confirmed_fields = sealed_fields.seal_confirmed(
        cipher, _validate_confirmed(DocumentKind(doc.kind), values)
    )
    session.add(doc)
    await session.flush()
    return doc


def ocr_values(cipher: FieldCipher, doc: Document) -> dict[str, str]:
    return sealed_fields.ocr_values(cipher, doc.ocr_fields)


def confirmed_values(cipher: FieldCipher, doc: Document) -> dict[str, str]:
    return sealed_fields.confirmed_values(cipher, doc.confirmed_fields)


# --- the worker's side ----------------------------------------------------------------


async def run_ocr(
    session: AsyncSession,
    store: ObjectStore,
    *,
    document_id: int,
    engine: OcrEngine,
    cipher: FieldCipher,
    now: datetime,
    final_attempt: bool,
    time_limit: float = DEFAULT_TIME_LIMIT_SECONDS,
) -> OcrStatus | None:
    """OCR one confirmed document. Idempotent: only a PENDING document is written, in a
    single conditional UPDATE, so a retried job after a crash cannot record twice.
    Refused or unreadable input, and OCR over ``time_limit`` seconds, is FAILED with its
    reason (no retry); an unexpected error raises for a retry, except on the final
    attempt, which records FAILED."""
    doc = await session.get(Document, document_id)
    if doc is None or doc.ocr_status != OcrStatus.PENDING:
        return None
    key, kind, size, sha256 = doc.object_key, doc.kind, doc.size, doc.sha256
    await session.rollback()  # hold no transaction during the slow part

    values: dict[str, Any]
    try:
        # Only the bytes that were checked at confirmation, never what a key holds now.
        data = await uploads.read_verified(store, key, size=size or 0, sha256=sha256 or "")
        result = await extract_document_within(data, kind, engine, time_limit=time_limit)
        values = {
            "ocr_status": OcrStatus.DONE.value,
            "ocr_fields": {
                "fields": sealed_fields.seal_ocr(
                    cipher, {name: vars(f) for name, f in result.fields.items()}
                ),
                "pages": result.pages,
                "rotations": result.rotations,
                "detected_kind": result.detected_kind,
            },
            "ocr_engine": result.engine,
            "ocr_ms": result.ms,
            # DONE, with a notice when the page is another kind of document or blank
            "ocr_reason": result.notice,
        }
    except ObjectNotFound:
        values = {"ocr_status": OcrStatus.FAILED.value, "ocr_reason": "文件已不在存储中"}
    except uploads.IntegrityError:
        values = {
            "ocr_status": OcrStatus.FAILED.value,
            "ocr_reason": "文件与确认时的大小或校验值不一致，已拒绝识别",
        }
    except DocumentError as exc:
        values = {"ocr_status": OcrStatus.FAILED.value, "ocr_reason": str(exc)[:500]}
    except EngineUnavailable as exc:
        values = {"ocr_status": OcrStatus.FAILED.value, "ocr_reason": f"识别引擎不可用：{exc}"}
    except StorageUnavailable:
        raise  # the store is down, not the document at fault: the job retries later
    except Exception as exc:
        if not final_attempt:
            raise
        values = {
            "ocr_status": OcrStatus.FAILED.value,
            "ocr_reason": f"识别失败（{type(exc).__name__}），请人工核对",
        }
    written = await session.exec(
        update(Document)
        .where(
            col(Document.id) == document_id,
            col(Document.ocr_status) == OcrStatus.PENDING.value,
        )
        .values(ocr_at=now, **values)
    )
    await session.commit()
    return OcrStatus(values["ocr_status"]) if written.rowcount == 1 else None


async def expire_uploads(
    session: AsyncSession,
    store: ObjectStore,
    *,
    now: datetime,
    batch: int = 500,
    policy_ttl: timedelta = timedelta(hours=1),
) -> int:
    """Uploads never confirmed: remove their bytes and mark them (documents and every
    purpose's upload slots) EXPIRED."""
    rows = (
        await session.exec(
            select(Document)
            .where(
                col(Document.status) == UploadStatus.UPLOADING.value,
                col(Document.expires_at) < now,
            )
            .order_by(col(Document.expires_at))
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
    ).all()
    for doc in rows:
        # Deleting a missing key is not an error in S3.
        await store.delete(uploads.staging_key(doc.object_key))
        doc.status = UploadStatus.EXPIRED.value
        session.add(doc)
    await session.commit()
    # Every purpose's slots never confirmed in time (their staged bytes go with them).
    await upload_slots.expire_slots(session, store, now=now, batch=batch)
    # Staging objects of every domain that nobody confirmed, and PUTs replayed after a
    # confirmation, once their URLs can no longer have been in use.
    await uploads.sweep_staging(store, older_than=now - 2 * policy_ttl)
    return len(rows)


async def seal_legacy_fields(
    session: AsyncSession, cipher: FieldCipher, *, batch: int = 500
) -> int:
    """Documents read before personal values were sealed: seal them in place (once; the
    readers accept both forms meanwhile). A sealed value is a JSON object, a clear one a
    string, so the predicate finds exactly the rows left to do."""
    clear = sa_text(
        "jsonb_typeof(ocr_fields #> '{fields,id_number,value}') = 'string'"
        " OR jsonb_typeof(ocr_fields #> '{fields,address,value}') = 'string'"
        " OR jsonb_typeof(confirmed_fields -> 'id_number') = 'string'"
        " OR jsonb_typeof(confirmed_fields -> 'address') = 'string'"
    )
    rows = (
        await session.exec(
            select(Document).where(clear).limit(batch).with_for_update(skip_locked=True)
        )
    ).all()
    for doc in rows:
        if doc.ocr_fields:
            entries = sealed_fields.ocr_entries(cipher, doc.ocr_fields)
            doc.ocr_fields = {**doc.ocr_fields, "fields": sealed_fields.seal_ocr(cipher, entries)}
        if doc.confirmed_fields:
            values = sealed_fields.confirmed_values(cipher, doc.confirmed_fields)
            doc.confirmed_fields = sealed_fields.seal_confirmed(cipher, values)
        session.add(doc)
    await session.commit()
    return len(rows)
