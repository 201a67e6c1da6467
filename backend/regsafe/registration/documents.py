"""Application documents: presigned upload, server-side confirmation (stat, size, real
type, SHA-256), OCR results and the registrant's confirmation of extracted fields.

The browser sends bytes straight to the object store; the API only signs URLs and
inspects what arrived (DESIGN.md §3)."""

from __future__ import annotations

import asyncio
import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.auth.roles import Viewer
from regsafe.core.clock import today_shanghai
from regsafe.core.errors import DomainError
from regsafe.core.storage import ObjectNotFound, ObjectStore
from regsafe.identity import rules as id_rules
from regsafe.ocr import documents as ocr_documents
from regsafe.ocr.documents import DocumentError
from regsafe.ocr.engines import EngineUnavailable, OcrEngine
from regsafe.ocr.extract import extract_document
from regsafe.registration import rules
from regsafe.registration.errors import RegistrationErrorCode as Code
from regsafe.registration.models import Document, OcrStatus, UploadStatus
from regsafe.registration.rules import DocumentKind, Status
from regsafe.registration.service import EDITABLE, Policy, get_application

ALLOWED_CONTENT_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})
MAX_FILENAME = 200
# Fields a registrant may confirm per OCR kind (the same names the extractor uses).
CONFIRMABLE: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.ID_CARD: ("name", "gender", "ethnicity", "birth_date", "address", "id_number"),
    DocumentKind.DIPLOMA: (
        "name",
        "school",
        "major",
        "level",
        "certificate_number",
        "graduation_date",
    ),
    DocumentKind.QUALIFICATION_CERTIFICATE: (
        "name",
        "id_number",
        "certificate_number",
        "specialty",
        "issue_date",
    ),
}
_DOC_ERRORS: dict[str, Code] = {
    "DOCUMENT_TOO_LARGE": Code.DOCUMENT_TOO_LARGE,
    "DOCUMENT_UNSUPPORTED_TYPE": Code.DOCUMENT_UNSUPPORTED_TYPE,
    "DOCUMENT_CORRUPT": Code.DOCUMENT_CORRUPT,
    "DOCUMENT_TOO_MANY_PAGES": Code.DOCUMENT_TOO_MANY_PAGES,
}


def clean_filename(raw: str) -> str:
    """A display name safe for Content-Disposition: no paths, controls or quotes."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r'[\x00-\x1f\x7f"]', "", name).strip()
    if not name:
        raise DomainError(Code.INVALID_VALUE, "文件名不能为空", "filename")
    if len(name) > MAX_FILENAME:
        raise DomainError(Code.TOO_LONG, f"文件名不能超过{MAX_FILENAME}个字符", "filename")
    return name


@dataclass(frozen=True)
class UploadTicket:
    document: Document
    url: str
    expires_at: datetime


async def request_upload(
    session: AsyncSession,
    store: ObjectStore,
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
    """A document row in UPLOADING and a short-lived presigned PUT URL for its bytes."""
    app = await get_application(session, viewer, application_id, lock=True)
    if viewer.person_id != app.person_id:
        raise DomainError(Code.NOT_FOUND, "申请不存在或无权访问", "applicationId")
    if Status(app.status) not in EDITABLE:
        raise DomainError(Code.NOT_EDITABLE, "申请已提交，不能再上传材料", "applicationId")
    name = clean_filename(filename)
    limit_mb = policy.document_max_bytes // (1024 * 1024)
    if size <= 0:
        raise DomainError(Code.INVALID_VALUE, "文件大小无效", "size")
    if size > policy.document_max_bytes:
        raise DomainError(Code.DOCUMENT_TOO_LARGE, f"文件不能超过{limit_mb}MB", "size")
    media = content_type.split(";", 1)[0].strip().lower()
    if media not in ALLOWED_CONTENT_TYPES:
        raise DomainError(
            Code.DOCUMENT_UNSUPPORTED_TYPE, "只支持 JPEG、PNG 或 PDF 文件", "contentType"
        )
    expires = now + policy.upload_expiry
    doc = Document(
        person_id=app.person_id,
        application_id=application_id,
        kind=kind.value,
        filename=name,
        declared_size=size,
        declared_content_type=media,
        object_key=f"documents/{app.person_id}/{uuid.uuid4()}",
        status=UploadStatus.UPLOADING.value,
        expires_at=expires,
        created_at=now,
    )
    session.add(doc)
    await session.flush()
    url = await store.presigned_put(doc.object_key, ttl=policy.upload_expiry)
    return UploadTicket(doc, url, expires)


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


async def confirm_upload(
    session: AsyncSession,
    store: ObjectStore,
    *,
    viewer: Viewer,
    document_id: int,
    policy: Policy,
    now: datetime,
) -> Document:
    """The server looks at what arrived: it exists, fits the limits, is really a JPEG,
    PNG or PDF (whatever its name says), and is hashed. Refused bytes are deleted from
    the bucket at once; the row then expires with the other unconfirmed uploads."""
    doc = await _owned_document(session, viewer, document_id)
    if doc.status == UploadStatus.CONFIRMED:
        raise DomainError(Code.ALREADY_CONFIRMED, "该材料已确认上传", "id")
    if doc.status != UploadStatus.UPLOADING or (doc.expires_at and doc.expires_at < now):
        raise DomainError(Code.UPLOAD_EXPIRED, "上传已过期，请重新上传", "id")
    app = await get_application(session, viewer, doc.application_id)
    if Status(app.status) not in EDITABLE:
        raise DomainError(Code.NOT_EDITABLE, "申请已提交，不能再上传材料", "id")
    try:
        info = await store.stat(doc.object_key)
    except ObjectNotFound:
        raise DomainError(Code.UPLOAD_MISSING, "未收到文件，请重新上传", "id") from None

    async def refuse(code: Code, message: str) -> DomainError:
        await store.delete(doc.object_key)
        return DomainError(code, message, "id")

    if info.size > policy.document_max_bytes:
        limit_mb = policy.document_max_bytes // (1024 * 1024)
        raise await refuse(Code.DOCUMENT_TOO_LARGE, f"文件不能超过{limit_mb}MB")
    if info.size != doc.declared_size:
        raise await refuse(
            Code.SIZE_MISMATCH, f"收到的文件大小（{info.size}字节）与申报的不一致，请重新上传"
        )
    data = await store.read_range(doc.object_key)
    try:
        real_type, pages = await asyncio.to_thread(ocr_documents.inspect_document, data)
    except DocumentError as exc:
        raise await refuse(_DOC_ERRORS.get(exc.code, Code.DOCUMENT_INVALID), str(exc)) from None
    doc.status = UploadStatus.CONFIRMED.value
    doc.size = info.size
    doc.media_type = real_type.value
    doc.sha256 = hashlib.sha256(data).hexdigest()
    doc.pages = pages
    doc.confirmed_at = now
    doc.expires_at = None
    doc.ocr_status = (
        OcrStatus.PENDING if DocumentKind(doc.kind) in rules.OCR_KINDS else OcrStatus.NOT_APPLICABLE
    ).value
    session.add(doc)
    await session.flush()
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
    session: AsyncSession, *, viewer: Viewer, document_id: int, values: dict[str, str]
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
    doc.confirmed_fields = _validate_confirmed(DocumentKind(doc.kind), values)
    session.add(doc)
    await session.flush()
    return doc


def ocr_values(doc: Document) -> dict[str, str]:
    fields: dict[str, Any] = (doc.ocr_fields or {}).get("fields", {})
    return {name: str(f.get("value", "")) for name, f in fields.items() if f.get("value")}


# --- the worker's side ----------------------------------------------------------------


async def run_ocr(
    session: AsyncSession,
    store: ObjectStore,
    *,
    document_id: int,
    engine: OcrEngine,
    now: datetime,
    final_attempt: bool,
) -> OcrStatus | None:
    """OCR one confirmed document. Idempotent: only a PENDING document is written, in a
    single conditional UPDATE, so a retried job after a crash cannot record twice.
    Refused or unreadable input is FAILED with its reason; an unexpected error raises
    for a retry, except on the final attempt, which records FAILED."""
    doc = await session.get(Document, document_id)
    if doc is None or doc.ocr_status != OcrStatus.PENDING:
        return None
    key, kind = doc.object_key, doc.kind
    await session.rollback()  # hold no transaction during the slow part

    values: dict[str, Any]
    try:
        data = await store.read_range(key)
        result = await asyncio.to_thread(extract_document, data, kind, engine)
        values = {
            "ocr_status": OcrStatus.DONE.value,
            "ocr_fields": {
                "fields": {name: vars(f) for name, f in result.fields.items()},
                "pages": result.pages,
                "rotations": result.rotations,
            },
            "ocr_engine": result.engine,
            "ocr_ms": result.ms,
            "ocr_reason": None,
        }
    except ObjectNotFound:
        values = {"ocr_status": OcrStatus.FAILED.value, "ocr_reason": "文件已不在存储中"}
    except DocumentError as exc:
        values = {"ocr_status": OcrStatus.FAILED.value, "ocr_reason": str(exc)[:500]}
    except EngineUnavailable as exc:
        values = {"ocr_status": OcrStatus.FAILED.value, "ocr_reason": f"识别引擎不可用：{exc}"}
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
    session: AsyncSession, store: ObjectStore, *, now: datetime, batch: int = 500
) -> int:
    """Uploads never confirmed: remove their bytes and mark them EXPIRED."""
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
        await store.delete(doc.object_key)  # deleting a missing key is not an error in S3
        doc.status = UploadStatus.EXPIRED.value
        session.add(doc)
    await session.commit()
    return len(rows)
