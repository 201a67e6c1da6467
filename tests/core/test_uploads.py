"""The one upload pipeline (core/uploads.py) against the real S3-compatible server:
presign → PUT → freeze, and what a replayed PUT after confirmation can no longer do."""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from PIL import Image

from regsafe.core import uploads
from regsafe.core.settings import Settings
from regsafe.core.storage import ObjectNotFound, ObjectStore
from regsafe.core.uploads import (
    ContentRefused,
    MediaType,
    Refusal,
    UploadLimits,
    UploadRefused,
)


@pytest.fixture
async def store(settings: Settings) -> ObjectStore:
    s = ObjectStore.from_settings(settings)
    await s.ensure_bucket()
    return s


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    return out.getvalue()


LIMITS = UploadLimits(
    max_bytes=64 * 1024, media_types=uploads.IMAGES_AND_PDF, ttl=timedelta(minutes=5)
)
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


async def put(url: str, body: bytes) -> None:
    async with httpx.AsyncClient() as http:
        resp = await http.put(url, content=body)
        assert resp.status_code == 200, resp.text


def key() -> str:
    return f"test/{uuid.uuid4()}"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", MediaType.JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00", MediaType.PNG),
        (b"%PDF-1.7\n", MediaType.PDF),
        (b"\n\n%PDF-1.4", MediaType.PDF),
        (b"\x00\x00\x00\x20ftypisom\x00\x00", MediaType.MP4),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81", MediaType.WEBM),
        (b"MZ\x90\x00", None),
        (b"", None),
        (b"GIF89a", None),
    ],
)
def test_one_sniffer_for_every_media_type(head: bytes, expected: MediaType | None) -> None:
    assert uploads.sniff(head) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "evil\u202egpj.exe",  # RIGHT-TO-LEFT OVERRIDE: shows as "evilexe.jpg"
        "a\u2066b\u2069.pdf",  # isolates
        "zero\u200bwidth.png",
        "nul\x00.png",
    ],
)
def test_filenames_lose_bidi_and_control_characters(raw: str) -> None:
    name = uploads.clean_filename(raw)
    assert all(ord(ch) >= 0x20 for ch in name)
    assert not any(0x200B <= ord(ch) <= 0x200F or 0x202A <= ord(ch) <= 0x2069 for ch in name)


def test_filename_keeps_chinese_and_drops_paths() -> None:
    assert uploads.clean_filename("C:\\Users\\张三\\身份证 正面.jpg") == "身份证 正面.jpg"
    with pytest.raises(UploadRefused) as err:
        uploads.clean_filename("\u202e\u200b")
    assert err.value.reason is Refusal.INVALID_FILENAME


@pytest.mark.parametrize(
    ("size", "content_type", "reason", "field"),
    [
        (0, "image/png", Refusal.INVALID_SIZE, "size"),
        (64 * 1024 + 1, "image/png", Refusal.TOO_LARGE, "size"),
        (100, "image/gif", Refusal.UNSUPPORTED_TYPE, "contentType"),
        (100, "video/mp4", Refusal.UNSUPPORTED_TYPE, "contentType"),
    ],
)
def test_declarations_are_checked_before_signing(
    size: int, content_type: str, reason: Refusal, field: str
) -> None:
    with pytest.raises(UploadRefused) as err:
        uploads.check_declaration(LIMITS, size=size, content_type=content_type)
    assert (err.value.reason, err.value.field) == (reason, field)


async def test_freeze_copies_checked_bytes_and_a_replayed_put_changes_nothing(
    store: ObjectStore,
) -> None:
    body = png()
    k = key()
    slot = await uploads.presign(
        store, key=k, limits=LIMITS, size=len(body), content_type="image/png", now=NOW
    )
    assert slot.key == k and uploads.staging_key(k) in slot.url
    await put(slot.url, body)
    frozen = await uploads.freeze(store, key=k, limits=LIMITS, declared_size=len(body))
    assert frozen.media_type is MediaType.PNG
    assert (frozen.size, frozen.sha256) == (len(body), hashlib.sha256(body).hexdigest())
    with pytest.raises(ObjectNotFound):
        await store.stat(uploads.staging_key(k))

    # The attack of defect 6: the same URL again, with other (and larger) bytes.
    await put(slot.url, b"\x89PNG\r\n\x1a\n" + b"x" * 50_000)
    data = await uploads.read_verified(store, k, size=frozen.size, sha256=frozen.sha256)
    assert data == body
    # The stray staging object is swept once it is old enough, and only then.
    assert (
        await uploads.sweep_staging(store, older_than=datetime.now(UTC) - timedelta(hours=1)) == 0
    )
    removed = await uploads.sweep_staging(
        store, older_than=datetime.now(UTC) + timedelta(minutes=1)
    )
    assert removed >= 1
    with pytest.raises(ObjectNotFound):
        await store.stat(uploads.staging_key(k))
    await store.delete(k)


async def test_read_verified_refuses_changed_bytes(store: ObjectStore) -> None:
    k = key()
    await store.put_bytes(k, b"checked", "application/octet-stream")
    digest = hashlib.sha256(b"checked").hexdigest()
    assert await uploads.read_verified(store, k, size=7, sha256=digest) == b"checked"
    await store.put_bytes(k, b"changed", "application/octet-stream")  # same size
    with pytest.raises(uploads.IntegrityError):
        await uploads.read_verified(store, k, size=7, sha256=digest)
    await store.put_bytes(k, b"x" * 300, "application/octet-stream")
    with pytest.raises(uploads.IntegrityError):
        await uploads.read_verified(store, k, size=7, sha256=digest)
    await store.delete(k)


@pytest.mark.parametrize(
    ("body", "declared", "reason"),
    [
        (b"MZ\x90\x00 not an image", None, Refusal.UNSUPPORTED_TYPE),
        (png(), 10, Refusal.SIZE_MISMATCH),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (64 * 1024), None, Refusal.TOO_LARGE),
    ],
)
async def test_refused_bytes_leave_the_bucket(
    store: ObjectStore, body: bytes, declared: int | None, reason: Refusal
) -> None:
    k = key()
    await store.put_bytes(uploads.staging_key(k), body, "image/png")
    with pytest.raises(UploadRefused) as err:
        await uploads.freeze(store, key=k, limits=LIMITS, declared_size=declared)
    assert err.value.reason is reason
    for gone in (k, uploads.staging_key(k)):
        with pytest.raises(ObjectNotFound):
            await store.stat(gone)


async def test_a_domain_inspector_refuses_with_its_own_code(store: ObjectStore) -> None:
    async def no_pdfs_over_one_page(data: bytes, media: MediaType) -> int | None:
        raise ContentRefused("页数过多", code="DOCUMENT_TOO_MANY_PAGES")

    limits = UploadLimits(
        max_bytes=1024,
        media_types=frozenset({MediaType.PDF}),
        ttl=timedelta(minutes=1),
        inspect=no_pdfs_over_one_page,
    )
    k = key()
    await store.put_bytes(uploads.staging_key(k), b"%PDF-1.4\n%%EOF", "application/pdf")
    with pytest.raises(UploadRefused) as err:
        await uploads.freeze(store, key=k, limits=limits)
    assert (err.value.reason, err.value.detail) == (
        Refusal.INVALID_CONTENT,
        "DOCUMENT_TOO_MANY_PAGES",
    )
    with pytest.raises(ObjectNotFound):
        await store.stat(k)


async def test_missing_upload_is_a_typed_refusal(store: ObjectStore) -> None:
    with pytest.raises(UploadRefused) as err:
        await uploads.freeze(store, key=key(), limits=LIMITS, field="evidenceKey")
    assert (err.value.reason, err.value.field) == (Refusal.MISSING, "evidenceKey")


async def test_large_video_is_hashed_in_chunks_without_an_inspector(store: ObjectStore) -> None:
    body = b"\x00\x00\x00\x20ftypisom" + bytes(range(256)) * 12_000  # ~3 MB, > one chunk
    limits = UploadLimits(
        max_bytes=8 * 1024 * 1024, media_types=frozenset({MediaType.MP4}), ttl=timedelta(minutes=1)
    )
    k = key()
    await store.put_bytes(uploads.staging_key(k), body, "video/mp4")
    frozen = await uploads.freeze(store, key=k, limits=limits, declared_size=len(body))
    assert frozen.sha256 == hashlib.sha256(body).hexdigest() and frozen.pages is None
    await store.delete(k)
