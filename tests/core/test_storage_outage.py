"""An object-store outage against a real SeaweedFS of the test's own, stopped and started
again mid-flow: every store call raises the one typed ``StorageUnavailable``; a missing
object or a refused request (4xx) stays what it was; a confirmation interrupted by the
outage loses nothing and succeeds once the store is back."""

from __future__ import annotations

import asyncio
import hashlib
import io
import uuid
from datetime import timedelta

import httpx
import pytest
from minio.error import S3Error
from PIL import Image

from regsafe.core import uploads
from regsafe.core.settings import Settings
from regsafe.core.storage import ObjectNotFound, ObjectStore, StorageUnavailable
from regsafe.core.uploads import MediaType, UploadLimits, UploadRefused
from tests.plugins.seaweed import PrivateS3


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return out.getvalue()


async def put(url: str, body: bytes) -> None:
    async with httpx.AsyncClient() as http:
        resp = await http.put(url, content=body)
        assert resp.status_code == 200, resp.text


def key() -> str:
    return f"outage/{uuid.uuid4()}"


@pytest.fixture
async def store(private_s3: PrivateS3, settings: Settings) -> ObjectStore:
    s = private_s3.store(settings)
    await s.ensure_bucket()
    return s


async def test_every_call_during_an_outage_is_typed_and_nothing_is_lost(
    private_s3: PrivateS3, store: ObjectStore
) -> None:
    # given an object in the store
    k = key()
    await store.put_bytes(k, b"checked bytes", "text/plain")
    # when the store goes down
    private_s3.stop()
    # then every kind of call says "unavailable", none a bug or "not found"
    calls = {
        "stat": lambda: store.stat(k),
        "read_range": lambda: store.read_range(k, length=4),
        "read_capped": lambda: store.read_capped(k, limit=100),
        "digest": lambda: store.digest(k, limit=100),
        "copy": lambda: store.copy(k, k + ".copy"),
        "put_bytes": lambda: store.put_bytes(k + ".new", b"x", "text/plain"),
        "delete": lambda: store.delete(k),
        "list_objects": lambda: store.list_objects("outage/"),
    }
    for name, call in calls.items():
        with pytest.raises(StorageUnavailable) as caught:
            await call()
        assert caught.value.message == "文件存储暂时不可用，请稍后重试", name
    assert await store.ping() is False
    # and once it is back, the object is there, unchanged (the failed delete did nothing)
    private_s3.start()
    assert await store.read_capped(k, limit=100) == b"checked bytes"
    assert await store.ping() is True


async def test_presigning_needs_the_store_only_to_learn_its_region(
    private_s3: PrivateS3, settings: Settings, store: ObjectStore
) -> None:
    # with the region configured, a URL is signed offline, outage or not
    k = key()
    private_s3.stop()
    assert k in await store.presigned_get(k)
    # without it the SDK asks the server first: that is an outage too, not a bug
    unknown_region = private_s3.store(settings, s3_region="")
    with pytest.raises(StorageUnavailable):
        await unknown_region.presigned_get(k)
    private_s3.start()
    assert k in await unknown_region.presigned_get(k)


async def test_missing_objects_and_refused_requests_are_not_outages(
    private_s3: PrivateS3, settings: Settings, store: ObjectStore
) -> None:
    k = key()
    # NoSuchKey stays ObjectNotFound on every read path (the range read too)
    for call in (
        lambda: store.stat(k),
        lambda: store.read_range(k, length=4),
        lambda: store.digest(k, limit=10),
        lambda: store.copy(k, k + ".copy"),
    ):
        with pytest.raises(ObjectNotFound):
            await call()
    # a freeze of nothing is the user's refusal (MISSING), not an outage
    with pytest.raises(UploadRefused) as refused:
        await uploads.freeze(store, key=k, limits=_limits())
    assert refused.value.reason is uploads.Refusal.MISSING
    # a 4xx (a wrong secret: a misconfiguration) stays the SDK's error, visible as a bug
    wrong = private_s3.store(settings, s3_secret_key="not-the-secret")
    with pytest.raises(S3Error) as denied:
        await wrong.stat(k)
    assert not isinstance(denied.value, StorageUnavailable)
    assert denied.value.response.status == 403


def _limits(**overrides: object) -> UploadLimits:
    values: dict[str, object] = {
        "max_bytes": 64 * 1024,
        "media_types": uploads.IMAGES_AND_PDF,
        "ttl": timedelta(minutes=5),
        **overrides,
    }
    return UploadLimits(**values)  # type: ignore[arg-type]


async def test_an_outage_mid_freeze_keeps_the_staged_upload_for_the_next_confirm(
    private_s3: PrivateS3, store: ObjectStore
) -> None:
    # given bytes PUT through the presigned URL, as a browser does
    k, body = key(), png()
    await put(await store.presigned_put(uploads.staging_key(k)), body)
    stopped: list[bool] = []

    async def stop_mid_freeze(data: bytes, media: MediaType) -> int | None:
        # after the bytes were read and checked, before the copy to the final key
        if not stopped:
            stopped.append(True)
            await asyncio.to_thread(private_s3.stop)
        return None

    limits = _limits(inspect=stop_mid_freeze)
    # when the store goes down in the middle of the confirmation
    with pytest.raises(StorageUnavailable):
        await uploads.freeze(store, key=k, limits=limits, declared_size=len(body))
    # then, once it is back, the staged bytes are still there and nothing half-frozen
    private_s3.start()
    assert (await store.stat(uploads.staging_key(k))).size == len(body)
    with pytest.raises(ObjectNotFound):
        await store.stat(k)
    # and confirming again freezes exactly the bytes that were PUT
    frozen = await uploads.freeze(store, key=k, limits=limits, declared_size=len(body))
    assert frozen.sha256 == hashlib.sha256(body).hexdigest()
    assert await store.read_capped(k, limit=len(body)) == body
    with pytest.raises(ObjectNotFound):  # staged copy gone after the success
        await store.stat(uploads.staging_key(k))


async def test_an_outage_before_the_freeze_reads_is_typed_and_keeps_the_upload(
    private_s3: PrivateS3, store: ObjectStore
) -> None:
    k, body = key(), png()
    await put(await store.presigned_put(uploads.staging_key(k)), body)
    private_s3.stop()
    with pytest.raises(StorageUnavailable):
        await uploads.freeze(store, key=k, limits=_limits(), declared_size=len(body))
    private_s3.start()
    frozen = await uploads.freeze(store, key=k, limits=_limits(), declared_size=len(body))
    assert frozen.size == len(body) and frozen.media_type is MediaType.PNG
