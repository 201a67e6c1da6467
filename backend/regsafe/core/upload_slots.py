"""Upload slots (上传凭证): one row per file a user was allowed to send, for every purpose.

The bytes go through :mod:`regsafe.core.uploads` (presign → freeze → read_verified); this
module keeps the record around them, so every upload of the platform has one lifecycle:

    PENDING ──confirm──▶ CONFIRMED ──used by a later mutation──▶ USED
       │                  (documents, course materials and practice evidence stay here:
       │                   the confirm step attached them to their target)
       ├──confirm refused (bytes or domain state)──▶ REFUSED
       └──not confirmed before expires_at──▶ EXPIRED

Why a table and not a bare object key handed to the client: who uploaded what, when, of
what declared and real size, type and hash is on record for every purpose (an audit of
evidence, not only of registration documents); a key cannot be guessed or borrowed (the
slot names its owner and purpose); evidence is single-use (CONFIRMED → USED once, under
a row lock), and the second step reads the checked size and hash from the row instead
of freezing the bytes a second time.

Only the owner may confirm or use a slot; the owner and administrators may see it. A
domain declares, per purpose, an :class:`UploadHandler`: ``prepare`` checks the domain's
state (may this still be attached?) and returns the limits to freeze with, ``complete``
attaches the frozen bytes to their target. The purposes are wired to their handlers in
one place (``regsafe/upload_handlers.py``), so core imports no domain.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, false, func, true
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Column, Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.core import uploads
from regsafe.core.db import created_at_field, id_field, timestamp_field
from regsafe.core.errors import DomainError
from regsafe.core.settings import Settings
from regsafe.core.storage import ObjectStore
from regsafe.core.uploads import FrozenUpload, Refusal, UploadLimits, UploadRefused

# Unconfirmed slots one user may hold at once (each is a signed URL and up to its size
# limit in the bucket until it expires). Domains add their own per-target limits.
MAX_OPEN_PER_OWNER = 20


class UploadPurpose(StrEnum):
    """What the file is for (上传用途); each has one handler in the owning domain."""

    APPLICATION_DOCUMENT = "APPLICATION_DOCUMENT"  # 申请材料 (target: the document)
    COURSE_MATERIAL = "COURSE_MATERIAL"  # 课件 (target: the course unit)
    HOURS_EVIDENCE = "HOURS_EVIDENCE"  # 学时证明 (used by hoursSelfReport)
    PRACTICE_EVIDENCE = "PRACTICE_EVIDENCE"  # 执业记录证明材料 (target: the record)
    CREDIT_EVIDENCE = "CREDIT_EVIDENCE"  # 信用事件证明材料 (used by creditEventEnter)


class SlotStatus(StrEnum):
    PENDING = "PENDING"  # URL handed out, bytes not confirmed yet
    CONFIRMED = "CONFIRMED"  # checked and frozen (and attached, where it has a target)
    REFUSED = "REFUSED"  # the confirmation refused it; ``refusal`` says why
    EXPIRED = "EXPIRED"  # never confirmed in time
    USED = "USED"  # evidence taken by the mutation it was uploaded for (once)


class UploadErrorCode(StrEnum):
    """Why uploadConfirm failed: the slot's state, the pipeline's refusals
    (:class:`regsafe.core.uploads.Refusal`), the OCR inspector's details, and the domain
    states that can refuse an attachment."""

    NOT_FOUND = "NOT_FOUND"  # no such slot of the viewer's (or its target is gone)
    EXPIRED = "EXPIRED"
    ALREADY_CONFIRMED = "ALREADY_CONFIRMED"
    INVALID_SIZE = Refusal.INVALID_SIZE.value
    TOO_LARGE = Refusal.TOO_LARGE.value
    UNSUPPORTED_TYPE = Refusal.UNSUPPORTED_TYPE.value
    MISSING = Refusal.MISSING.value  # nothing was PUT
    SIZE_MISMATCH = Refusal.SIZE_MISMATCH.value
    INVALID_CONTENT = Refusal.INVALID_CONTENT.value
    INVALID_FILENAME = Refusal.INVALID_FILENAME.value
    FILENAME_TOO_LONG = Refusal.FILENAME_TOO_LONG.value
    CHANGED = Refusal.CHANGED.value
    DOCUMENT_TOO_LARGE = "DOCUMENT_TOO_LARGE"  # image dimensions or page area
    DOCUMENT_UNSUPPORTED_TYPE = "DOCUMENT_UNSUPPORTED_TYPE"
    DOCUMENT_CORRUPT = "DOCUMENT_CORRUPT"
    DOCUMENT_TOO_MANY_PAGES = "DOCUMENT_TOO_MANY_PAGES"
    NOT_EDITABLE = "NOT_EDITABLE"  # the application or record no longer takes files
    TOO_MANY_FILES = "TOO_MANY_FILES"  # the target holds as many files as it may
    # Shared by every domain (core.errors.CommonErrorCode), set by run_mutation: the
    # store failed, the slot stays PENDING (and its staged bytes kept) for a retry.
    STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE"


_STATUSES = ",".join(f"'{s.value}'" for s in SlotStatus)
_PURPOSES = ",".join(f"'{p.value}'" for p in UploadPurpose)


class Upload(SQLModel, table=True):
    """上传记录: one file a user was allowed to upload, and what became of it."""

    __tablename__ = "upload"
    __table_args__ = (
        # The open-slot limit counts an owner's PENDING rows.
        Index("ix_upload_owner_status", "owner_user_id", "status"),
        # The expiry sweep reads PENDING rows in expiry order.
        Index("ix_upload_status_expires", "status", "expires_at"),
        CheckConstraint("declared_size > 0", name="declared_size"),
        CheckConstraint(f"status IN ({_STATUSES})", name="status"),
        CheckConstraint(f"purpose IN ({_PURPOSES})", name="purpose"),
    )

    id: int | None = id_field()
    purpose: str = Field(max_length=24)
    owner_user_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("app_user.id"), nullable=False)
    )
    # The document, course unit or practice record it is for; null for evidence that a
    # later mutation uses.
    target_id: int | None = Field(default=None, sa_type=BigInteger)
    object_key: str = Field(max_length=200, unique=True)
    filename: str | None = Field(default=None, max_length=200)
    declared_size: int = Field(sa_type=BigInteger)
    declared_type: str = Field(max_length=100)
    max_bytes: int = Field(sa_type=BigInteger)  # the purpose's limit when it was signed
    status: str = Field(default=SlotStatus.PENDING, max_length=12)
    size: int | None = Field(default=None, sa_type=BigInteger)
    sha256: str | None = Field(default=None, max_length=64)
    media_type: str | None = Field(default=None, max_length=40)
    pages: int | None = None
    refusal: str | None = Field(default=None, max_length=40)
    created_at: datetime | None = created_at_field()
    expires_at: datetime = timestamp_field(nullable=False)
    confirmed_at: datetime | None = timestamp_field()
    used_at: datetime | None = timestamp_field()


class Who(Protocol):
    """The part of a viewer the slot rules read (``auth.roles.Viewer`` is one)."""

    @property
    def user_id(self) -> int | None: ...

    @property
    def is_admin(self) -> bool: ...


def upload_scope(viewer: Who) -> ColumnElement[bool]:
    """SQL condition: the slots a viewer may see: their own; administrators any."""
    if viewer.is_admin:
        return true()
    if viewer.user_id is None:
        return false()
    return col(Upload.owner_user_id) == viewer.user_id


def effective_status(upload: Upload, now: datetime) -> SlotStatus:
    """PENDING past its expiry reads EXPIRED before the sweep has written it."""
    status = SlotStatus(upload.status)
    if status is SlotStatus.PENDING and upload.expires_at <= now:
        return SlotStatus.EXPIRED
    return status


# --- Opening a slot (each domain's request mutation) ----------------------------------


async def open_slot(
    session: AsyncSession,
    *,
    owner_user_id: int | None,
    purpose: UploadPurpose,
    key: str,
    limits: UploadLimits,
    size: int,
    content_type: str,
    now: datetime,
    codes: Mapping[Refusal, StrEnum],
    too_many: StrEnum,
    filename: str | None = None,
    target_id: int | None = None,
) -> Upload:
    """Check the declaration against the purpose's limits and record a PENDING slot; the
    caller has made its domain checks (who may upload for what target). A refusal is
    raised as the domain's ``DomainError`` (``codes``; ``too_many`` for the open-slot
    limit), since the request mutations answer in their domain's error type."""
    if owner_user_id is None:
        raise DomainError(too_many, "请先登录", None)
    try:
        name = uploads.clean_filename(filename) if filename is not None else None
        media = uploads.check_declaration(limits, size=size, content_type=content_type)
    except UploadRefused as exc:
        raise uploads.domain_error(exc, codes) from None
    open_count = (
        await session.exec(
            select(func.count()).where(
                col(Upload.owner_user_id) == owner_user_id,
                col(Upload.status) == SlotStatus.PENDING.value,
                col(Upload.expires_at) > now,
            )
        )
    ).one()
    if open_count >= MAX_OPEN_PER_OWNER:
        raise DomainError(too_many, "未完成的上传过多，请先完成或稍后再试", None)
    upload = Upload(
        purpose=purpose.value,
        owner_user_id=owner_user_id,
        target_id=target_id,
        object_key=key,
        filename=name,
        declared_size=size,
        declared_type=media.value,
        max_bytes=limits.max_bytes,
        status=SlotStatus.PENDING.value,
        created_at=now,
        expires_at=now + limits.ttl,
    )
    session.add(upload)
    await session.flush()
    return upload


async def put_url(store: ObjectStore, upload: Upload, *, now: datetime) -> str | None:
    """A presigned PUT for the slot's staging key, valid until the slot expires; None
    once it is no longer PENDING or has expired. Signed on demand, never stored."""
    if effective_status(upload, now) is not SlotStatus.PENDING:
        return None
    ttl = upload.expires_at - now
    if ttl.total_seconds() < 1:
        return None
    return await store.presigned_put(uploads.staging_key(upload.object_key), ttl=ttl)


# --- Confirming (the one confirm verb) ------------------------------------------------


@dataclass(frozen=True)
class SlotContext:
    """What a purpose's handler gets: the request's session and store, the viewer (the
    domain's ``Viewer``), the settings its limits come from, and the time."""

    session: AsyncSession
    store: ObjectStore
    viewer: Any
    settings: Settings
    now: datetime


Prepare = Callable[[SlotContext, Upload], Awaitable[UploadLimits]]
Complete = Callable[[SlotContext, Upload, FrozenUpload], Awaitable[object | None]]


@dataclass(frozen=True)
class UploadHandler:
    """A purpose's domain step. ``prepare`` locks and checks the target (raising a
    ``DomainError`` whose code is an :class:`UploadErrorCode` value) and returns the
    limits; ``complete`` attaches the frozen bytes and returns the target, if any."""

    prepare: Prepare
    complete: Complete | None = None


Handlers = Mapping[UploadPurpose, UploadHandler]


@dataclass
class Confirmation:
    """The slot after uploadConfirm; ``errors`` holds the refusal recorded on it."""

    upload: Upload
    target: object | None = None
    errors: list[DomainError] | None = None


def _code(value: str) -> UploadErrorCode:
    # A domain raising a code the confirm verb does not declare is a bug: fail loudly.
    return UploadErrorCode(value)


def refusal_code(exc: UploadRefused) -> UploadErrorCode:
    """The inspector's own code where it gave a known one, else the pipeline's reason."""
    if exc.detail and exc.detail in UploadErrorCode.__members__:
        return UploadErrorCode(exc.detail)
    return _code(exc.reason.value)


async def _owned(session: AsyncSession, viewer: Who, upload_id: int) -> Upload:
    upload = (
        await session.exec(
            select(Upload)
            .where(col(Upload.id) == upload_id, col(Upload.owner_user_id) == viewer.user_id)
            .with_for_update()
        )
    ).first()
    if upload is None or viewer.user_id is None:
        # Someone else's slot reads exactly like a missing one.
        raise DomainError(UploadErrorCode.NOT_FOUND, "上传不存在或无权访问", "id")
    return upload


async def confirm(ctx: SlotContext, *, upload_id: int, handlers: Handlers) -> Confirmation:
    """上传确认: the owner's slot, PENDING and unexpired, is frozen with its purpose's
    limits and handed to the purpose's handler.

    Raises ``DomainError`` when nothing changes (not found, already confirmed, refused
    before); returns a :class:`Confirmation` with ``errors`` when a refusal or an expiry
    is recorded on the slot, which the caller commits like a success."""
    session, store, now = ctx.session, ctx.store, ctx.now
    upload = await _owned(session, ctx.viewer, upload_id)
    status = SlotStatus(upload.status)
    if status in (SlotStatus.CONFIRMED, SlotStatus.USED):
        raise DomainError(UploadErrorCode.ALREADY_CONFIRMED, "该文件已确认上传", "id")
    if status is SlotStatus.REFUSED:
        raise DomainError(
            _code(upload.refusal or UploadErrorCode.INVALID_CONTENT.value),
            "该文件未通过检查，请重新申请上传",
            "id",
        )
    if effective_status(upload, now) is SlotStatus.EXPIRED:
        await store.delete(uploads.staging_key(upload.object_key))
        _close(upload, SlotStatus.EXPIRED, None)
        session.add(upload)
        await session.flush()
        error = DomainError(UploadErrorCode.EXPIRED, "上传已过期，请重新上传", "id")
        return Confirmation(upload, None, [error])

    handler = handlers[UploadPurpose(upload.purpose)]
    frozen: FrozenUpload | None = None
    try:
        async with session.begin_nested():  # the domain step's writes, or none of them
            limits = await handler.prepare(ctx, upload)
            frozen = await uploads.freeze(
                store, key=upload.object_key, limits=limits, declared_size=upload.declared_size
            )
            upload.status = SlotStatus.CONFIRMED.value
            upload.size = frozen.size
            upload.sha256 = frozen.sha256
            upload.media_type = frozen.media_type.value
            upload.pages = frozen.pages
            upload.confirmed_at = now
            session.add(upload)
            target = await handler.complete(ctx, upload, frozen) if handler.complete else None
            await session.flush()
        return Confirmation(upload, target, [])
    except UploadRefused as exc:
        error = DomainError(refusal_code(exc), exc.message, "id")
    except DomainError as exc:
        error = DomainError(_code(exc.code.value), exc.message, "id")
        # The bytes go with the refusal: staged ones unread, or frozen ones unattached.
        await store.delete(uploads.staging_key(upload.object_key))
        if frozen is not None:
            await store.delete(upload.object_key)
    # The savepoint's rollback expired the row; read it again (the lock is still held).
    await session.refresh(upload)
    _close(upload, SlotStatus.REFUSED, error.code.value)
    session.add(upload)
    await session.flush()
    return Confirmation(upload, None, [error])


def _close(upload: Upload, status: SlotStatus, refusal: str | None) -> None:
    upload.status = status.value
    upload.refusal = refusal


# --- Using evidence (hoursSelfReport, creditEventEnter) -------------------------------


async def take(
    session: AsyncSession,
    *,
    owner_user_id: int | None,
    upload_id: int,
    purpose: UploadPurpose,
    now: datetime,
    missing: StrEnum,
    used: StrEnum,
    field: str,
) -> Upload:
    """The owner's CONFIRMED slot of this purpose, now USED (once: the row is locked, so
    two requests cannot both take it). Anything else — another's, another purpose's, not
    confirmed — is ``missing``, revealing nothing; a second use is ``used``."""
    row = None
    if owner_user_id is not None:
        row = (
            await session.exec(
                select(Upload)
                .where(
                    col(Upload.id) == upload_id,
                    col(Upload.owner_user_id) == owner_user_id,
                    col(Upload.purpose) == purpose.value,
                )
                .with_for_update()
            )
        ).first()
    if row is None or row.status not in (SlotStatus.CONFIRMED, SlotStatus.USED):
        raise DomainError(missing, "请先上传并确认证明材料", field)
    if row.status == SlotStatus.USED:
        raise DomainError(used, "该证明材料已被使用，请重新上传", field)
    row.status = SlotStatus.USED.value
    row.used_at = now
    session.add(row)
    await session.flush()
    return row


# --- Expiry (the staging sweep's job) -------------------------------------------------


async def expire_slots(
    session: AsyncSession, store: ObjectStore, *, now: datetime, batch: int = 500
) -> int:
    """PENDING slots past their expiry: staged bytes removed, the row EXPIRED. Commits."""
    rows = (
        await session.exec(
            select(Upload)
            .where(
                col(Upload.status) == SlotStatus.PENDING.value,
                col(Upload.expires_at) < now,
            )
            .order_by(col(Upload.expires_at))
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
    ).all()
    for upload in rows:
        await store.delete(uploads.staging_key(upload.object_key))
        _close(upload, SlotStatus.EXPIRED, None)
        session.add(upload)
    await session.commit()
    return len(rows)


__all__ = [
    "MAX_OPEN_PER_OWNER",
    "Confirmation",
    "Handlers",
    "SlotContext",
    "SlotStatus",
    "Upload",
    "UploadErrorCode",
    "UploadHandler",
    "UploadPurpose",
    "confirm",
    "effective_status",
    "expire_slots",
    "open_slot",
    "put_url",
    "refusal_code",
    "take",
    "upload_scope",
]
