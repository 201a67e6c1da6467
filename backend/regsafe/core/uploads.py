"""The one upload pipeline (DESIGN.md §6): every domain's files go through it.

1. ``presign``: the declared size and type are checked against the domain's limits and
   the browser gets a short-lived PUT URL for a *staging* key (``uploads/<final key>``).
2. ``freeze``: the server stats what arrived, refuses it if it is too large, not the
   declared size, or not really one of the allowed types (one sniffer, below), hashes it,
   lets the domain inspect it deeper (decode an image, count PDF pages), and copies the
   checked bytes to the final key, which no URL can write. The staging object is deleted,
   refused or not. A second PUT with the same URL can only create a new staging object,
   which nobody reads and ``sweep_staging`` deletes; the checked bytes stay as they were.
3. ``read_verified``: a job reading a frozen object checks size and SHA-256 first.

A domain passes its ``UploadLimits`` and maps ``UploadRefused.reason`` to its own error
code; no domain stats, sniffs or hashes by itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from regsafe.core.errors import DomainError
from regsafe.core.storage import Digest, ObjectNotFound, ObjectStore, StorageUnavailable

STAGING_PREFIX = "uploads/"
MAX_FILENAME = 200
_CHUNK = 1024 * 1024


class MediaType(StrEnum):
    JPEG = "image/jpeg"
    PNG = "image/png"
    PDF = "application/pdf"
    MP4 = "video/mp4"
    WEBM = "video/webm"


IMAGES_AND_PDF = frozenset({MediaType.JPEG, MediaType.PNG, MediaType.PDF})
LABELS = {
    MediaType.JPEG: "JPEG",
    MediaType.PNG: "PNG",
    MediaType.PDF: "PDF",
    MediaType.MP4: "MP4",
    MediaType.WEBM: "WebM",
}


def sniff(head: bytes) -> MediaType | None:
    """The real type from the leading bytes (the first 1 KiB is enough); names and
    declared content types are ignored. PDF readers accept a header anywhere in the
    first 1024 bytes, so this does too."""
    if head.startswith(b"\xff\xd8\xff"):
        return MediaType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return MediaType.PNG
    if b"%PDF-" in head[:1024]:
        return MediaType.PDF
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return MediaType.MP4
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return MediaType.WEBM
    return None


class Refusal(StrEnum):
    INVALID_SIZE = "INVALID_SIZE"
    TOO_LARGE = "TOO_LARGE"
    UNSUPPORTED_TYPE = "UNSUPPORTED_TYPE"
    MISSING = "MISSING"
    SIZE_MISMATCH = "SIZE_MISMATCH"
    INVALID_CONTENT = "INVALID_CONTENT"
    INVALID_FILENAME = "INVALID_FILENAME"
    FILENAME_TOO_LONG = "FILENAME_TOO_LONG"
    CHANGED = "CHANGED"


class UploadRefused(Exception):
    """An upload the user can fix. ``detail`` carries a domain inspector's own code
    (e.g. the OCR loader's DOCUMENT_TOO_MANY_PAGES) when it refused the bytes."""

    def __init__(
        self, reason: Refusal, message: str, field: str | None = None, detail: str | None = None
    ) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message
        self.field = field
        self.detail = detail


def domain_error(
    exc: UploadRefused,
    codes: Mapping[Refusal, StrEnum],
    *,
    details: Mapping[str, StrEnum] | None = None,
    field: str | None = None,
) -> DomainError:
    """The domain's own error for a refusal: ``details`` maps an inspector's code (when
    the domain distinguishes them), ``codes`` every reason the domain can meet."""
    code = (details or {}).get(exc.detail or "") or codes[exc.reason]
    return DomainError(code, exc.message, field or exc.field)


class ContentRefused(Exception):
    """Raised by a domain's inspector: the bytes are of the right type but unusable."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


Inspector = Callable[[bytes, MediaType], Awaitable[int | None]]
"""Deeper checks on the whole content; returns a page count where that means something."""


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    media_types: frozenset[MediaType]
    ttl: timedelta
    # Inspectors need the bytes in memory: only for small files (images, PDFs).
    inspect: Inspector | None = None

    def describe_types(self) -> str:
        return "、".join(LABELS[t] for t in sorted(self.media_types, key=list(MediaType).index))


@dataclass(frozen=True)
class UploadSlot:
    """上传凭证: where the browser PUTs the bytes, and the key that names them after."""

    key: str
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class FrozenUpload:
    key: str
    size: int
    media_type: MediaType
    sha256: str
    pages: int | None


# Bidi controls (U+202A–U+202E, U+2066–U+2069), zero-width and other format characters
# make "evil\u202egpj.exe" display as "evilexe.jpg": refuse every Unicode control/format.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def clean_filename(raw: str, *, field: str = "filename") -> str:
    """A display name safe for listings and Content-Disposition: the last path part,
    NFC, no control/format (bidi) characters, no quotes, at most 200 characters."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        ch for ch in name if unicodedata.category(ch) not in _UNSAFE_CATEGORIES and ch != '"'
    )
    name = re.sub(r"\s+", " ", name).strip()
    if not name or name in (".", ".."):
        raise UploadRefused(Refusal.INVALID_FILENAME, "文件名不能为空", field)
    if len(name) > MAX_FILENAME:
        raise UploadRefused(Refusal.FILENAME_TOO_LONG, f"文件名不能超过{MAX_FILENAME}个字符", field)
    return name


def _limit_text(max_bytes: int) -> str:
    if max_bytes >= 1024 * 1024:
        return f"{max_bytes // (1024 * 1024)}MB"
    return f"{max(1, max_bytes // 1024)}KB"


def check_declaration(limits: UploadLimits, *, size: int, content_type: str) -> MediaType:
    """The declared size and type, before any URL is signed."""
    if size <= 0:
        raise UploadRefused(Refusal.INVALID_SIZE, "文件大小无效", "size")
    if size > limits.max_bytes:
        raise UploadRefused(
            Refusal.TOO_LARGE, f"文件不能超过{_limit_text(limits.max_bytes)}", "size"
        )
    media = content_type.split(";", 1)[0].strip().lower()
    if media not in {m.value for m in limits.media_types}:
        raise UploadRefused(
            Refusal.UNSUPPORTED_TYPE, f"只支持 {limits.describe_types()} 文件", "contentType"
        )
    return MediaType(media)


def staging_key(key: str) -> str:
    return STAGING_PREFIX + key


async def presign(
    store: ObjectStore,
    *,
    key: str,
    limits: UploadLimits,
    size: int,
    content_type: str,
    now: datetime,
    codes: Mapping[Refusal, StrEnum] | None = None,
) -> UploadSlot:
    """Check the declaration and sign a PUT for the staging copy of ``key``. With
    ``codes``, a refusal is raised as the domain's ``DomainError``."""
    try:
        check_declaration(limits, size=size, content_type=content_type)
    except UploadRefused as exc:
        if codes is None:
            raise
        raise domain_error(exc, codes) from None
    url = await store.presigned_put(staging_key(key), ttl=limits.ttl)
    return UploadSlot(key=key, url=url, expires_at=now + limits.ttl)


async def freeze(
    store: ObjectStore,
    *,
    key: str,
    limits: UploadLimits,
    declared_size: int | None = None,
    field: str = "id",
    codes: Mapping[Refusal, StrEnum] | None = None,
    details: Mapping[str, StrEnum] | None = None,
) -> FrozenUpload:
    """Check the staged bytes and make them the immutable object at ``key``.

    The staging object is deleted whatever the outcome, so refused bytes leave at once,
    except when the store itself fails (``StorageUnavailable``): then it stays for a retry.
    With ``codes`` (and ``details``), a refusal is raised as the domain's ``DomainError``.
    """
    try:
        return await _freeze(
            store, key=key, limits=limits, declared_size=declared_size, field=field
        )
    except UploadRefused as exc:
        if codes is None:
            raise
        raise domain_error(exc, codes, details=details) from None


async def _freeze(
    store: ObjectStore,
    *,
    key: str,
    limits: UploadLimits,
    declared_size: int | None,
    field: str,
) -> FrozenUpload:
    staged = staging_key(key)
    try:
        info = await store.stat(staged)
    except ObjectNotFound:
        raise UploadRefused(Refusal.MISSING, "未收到文件，请重新上传", field) from None
    outage = False
    try:
        if info.size > limits.max_bytes:
            raise UploadRefused(
                Refusal.TOO_LARGE, f"文件不能超过{_limit_text(limits.max_bytes)}", field
            )
        if declared_size is not None and info.size != declared_size:
            raise UploadRefused(
                Refusal.SIZE_MISMATCH,
                f"收到的文件大小（{info.size}字节）与申报的不一致，请重新上传",
                field,
            )
        media = sniff(await store.read_range(staged, length=1024))
        if media is None or media not in limits.media_types:
            raise UploadRefused(
                Refusal.UNSUPPORTED_TYPE,
                f"文件内容不是 {limits.describe_types()} 格式（以实际内容为准，而非文件名）",
                field,
            )
        pages: int | None = None
        if limits.inspect is not None:
            data = await store.read_capped(staged, limit=limits.max_bytes)
            digest = Digest.of(data)
            try:
                pages = await limits.inspect(data, media)
            except ContentRefused as exc:
                raise UploadRefused(
                    Refusal.INVALID_CONTENT, exc.message, field, detail=exc.code
                ) from None
        else:
            digest = await store.digest(staged, limit=limits.max_bytes)
        # Copy, then make sure the copy holds what was checked: a PUT racing between the
        # read and the copy could otherwise slip other bytes in. A single-part object's
        # ETag is its MD5 (MinIO, SeaweedFS), so that check costs no second read.
        await store.copy(staged, key)
        final = await store.stat(key)
        same = final.size == digest.size and (
            (final.etag or "").strip('"') == digest.md5
            or (await store.digest(key, limit=limits.max_bytes)).sha256 == digest.sha256
        )
        if not same:
            await store.delete(key)
            raise UploadRefused(Refusal.CHANGED, "文件在检查期间被改动，请重新上传", field)
        return FrozenUpload(
            key=key, size=digest.size, media_type=media, sha256=digest.sha256, pages=pages
        )
    except StorageUnavailable:
        # The store failed, not the upload: keep the staged bytes, so a confirm once the
        # store is back finds them (a copy already made is simply made again).
        outage = True
        raise
    finally:
        if not outage:
            await store.delete(staged)


class IntegrityError(Exception):
    """A frozen object no longer has the size or hash recorded at confirmation."""


async def read_verified(store: ObjectStore, key: str, *, size: int, sha256: str) -> bytes:
    """The bytes of a frozen object, only if they are the ones that were checked."""
    info = await store.stat(key)
    if info.size != size:
        raise IntegrityError(f"{key}: size {info.size}, expected {size}")
    data = await store.read_capped(key, limit=size)
    if Digest.of(data).sha256 != sha256:
        raise IntegrityError(f"{key}: SHA-256 differs from the one recorded")
    return data


async def sweep_staging(store: ObjectStore, *, older_than: datetime) -> int:
    """Delete staging objects nobody confirmed (or replayed PUTs after confirmation)."""
    removed = 0
    for info in await store.list_objects(STAGING_PREFIX):
        if info.last_modified is not None and info.last_modified < older_than:
            await store.delete(info.key)
            removed += 1
    return removed


__all__ = [
    "IMAGES_AND_PDF",
    "ContentRefused",
    "FrozenUpload",
    "IntegrityError",
    "MediaType",
    "Refusal",
    "UploadLimits",
    "UploadRefused",
    "UploadSlot",
    "check_declaration",
    "clean_filename",
    "domain_error",
    "freeze",
    "presign",
    "read_verified",
    "sniff",
    "staging_key",
    "sweep_staging",
]
