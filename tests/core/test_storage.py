"""Object storage against the real S3-compatible server (SeaweedFS in tests)."""

import hashlib
import uuid
from datetime import timedelta

import httpx
import pytest
from minio import Minio
from minio.error import S3Error

from regsafe.core.settings import Settings
from regsafe.core.storage import ObjectNotFound, ObjectStore


@pytest.fixture
async def store(settings: Settings) -> ObjectStore:
    s = ObjectStore.from_settings(settings)
    await s.ensure_bucket()
    await s.ensure_bucket()  # idempotent
    return s


async def test_presigned_put_then_get_stat_and_delete(store: ObjectStore) -> None:
    key = f"documents/test/{uuid.uuid4()}"
    body = "身份证正面".encode() * 100
    put_url = await store.presigned_put(key, ttl=timedelta(seconds=60))
    async with httpx.AsyncClient() as http:
        resp = await http.put(put_url, content=body, headers={"Content-Type": "image/jpeg"})
        assert resp.status_code == 200, resp.text
        info = await store.stat(key)
        assert info.size == len(body)
        assert (await store.read_range(key, length=15)) == body[:15]
        get_url = await store.presigned_get(key, download_name="id.jpg")
        got = await http.get(get_url)
        assert got.status_code == 200
        assert hashlib.sha256(got.content).digest() == hashlib.sha256(body).digest()
        await store.delete(key)
        with pytest.raises(ObjectNotFound):
            await store.stat(key)
        assert (await http.get(get_url)).status_code == 404


async def test_tampered_presigned_url_is_refused(store: ObjectStore) -> None:
    key = f"documents/test/{uuid.uuid4()}"
    await store.put_bytes(key, b"x", "text/plain")
    url = await store.presigned_get(key)
    async with httpx.AsyncClient() as http:
        other = url.replace(key, key + "x")
        assert (await http.get(other)).status_code == 403


async def test_wrong_secret_is_rejected_by_sigv4(settings: Settings, store: ObjectStore) -> None:
    assert settings.s3_endpoint
    bad = Minio(
        settings.s3_endpoint,
        access_key=settings.s3_access_key,
        secret_key="not-the-secret",
        secure=False,
        region=settings.s3_region,
    )
    with pytest.raises(S3Error) as exc:
        bad.list_objects(settings.s3_bucket).__next__()
    assert exc.value.code in ("SignatureDoesNotMatch", "AccessDenied", "InvalidAccessKeyId")


async def test_ping(store: ObjectStore) -> None:
    assert await store.ping()
