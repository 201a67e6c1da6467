"""Object storage over the `minio` SDK (MinIO in production, SeaweedFS in dev and CI).

Browsers move document bytes directly with short-lived presigned URLs; the API only
signs URLs and inspects objects."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from minio import Minio
from minio.commonconfig import CopySource
from minio.error import S3Error

from regsafe.core.settings import Settings


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    content_type: str | None
    etag: str | None
    last_modified: datetime | None


class ObjectNotFound(Exception):
    pass


class ObjectTooLarge(Exception):
    """An object grew past the size the reader was willing to read."""


@dataclass(frozen=True)
class Digest:
    sha256: str
    md5: str
    size: int

    @classmethod
    def of(cls, data: bytes) -> Digest:
        return cls(hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest(), len(data))


_CHUNK = 1024 * 1024


class ObjectStore:
    def __init__(
        self,
        client: Minio,
        bucket: str,
        presign_ttl: timedelta,
    ) -> None:
        self.client = client
        self.bucket = bucket
        self.presign_ttl = presign_ttl

    @classmethod
    def from_settings(cls, settings: Settings) -> ObjectStore:
        assert settings.s3_endpoint, "S3 endpoint is not configured"
        client = Minio(
            settings.s3_endpoint,
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key,
            secure=settings.s3_secure,
            region=settings.s3_region,
        )
        return cls(client, settings.s3_bucket, timedelta(seconds=settings.s3_presign_seconds))

    async def _run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        # The SDK is blocking (urllib3); keep it off the event loop.
        return await asyncio.to_thread(partial(fn, *args, **kwargs))

    async def ensure_bucket(self) -> None:
        if not await self._run(self.client.bucket_exists, self.bucket):
            try:
                await self._run(self.client.make_bucket, self.bucket)
            except S3Error as exc:  # created concurrently by another process
                if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise

    async def presigned_put(self, key: str, *, ttl: timedelta | None = None) -> str:
        return str(
            await self._run(
                self.client.presigned_put_object, self.bucket, key, expires=ttl or self.presign_ttl
            )
        )

    async def presigned_get(
        self, key: str, *, ttl: timedelta | None = None, download_name: str | None = None
    ) -> str:
        headers = None
        if download_name:
            headers = {"response-content-disposition": f'attachment; filename="{download_name}"'}
        return str(
            await self._run(
                self.client.presigned_get_object,
                self.bucket,
                key,
                expires=ttl or self.presign_ttl,
                response_headers=headers,
            )
        )

    async def stat(self, key: str) -> ObjectInfo:
        try:
            st = await self._run(self.client.stat_object, self.bucket, key)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound"):
                raise ObjectNotFound(key) from None
            raise
        return ObjectInfo(key, st.size, st.content_type, st.etag, st.last_modified)

    async def read_range(self, key: str, *, offset: int = 0, length: int = 0) -> bytes:
        """Read part of an object (e.g. the first bytes, to sniff its real type)."""
        resp = await self._run(
            self.client.get_object, self.bucket, key, offset=offset, length=length
        )
        try:
            return bytes(await self._run(resp.read))
        finally:
            resp.close()
            resp.release_conn()

    async def read_capped(self, key: str, *, limit: int) -> bytes:
        """The whole object, refusing to hold more than ``limit`` bytes in memory."""
        chunks: list[bytes] = []
        total = 0
        async for chunk in self._chunks(key):
            total += len(chunk)
            if total > limit:
                raise ObjectTooLarge(f"{key} is larger than {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    async def digest(self, key: str, *, limit: int) -> Digest:
        """SHA-256, MD5 and size of an object, read in 1 MiB chunks (videos too)."""
        sha, md5, total = hashlib.sha256(), hashlib.md5(), 0
        async for chunk in self._chunks(key):
            total += len(chunk)
            if total > limit:
                raise ObjectTooLarge(f"{key} is larger than {limit} bytes")
            sha.update(chunk)
            md5.update(chunk)
        return Digest(sha.hexdigest(), md5.hexdigest(), total)

    async def _chunks(self, key: str) -> Any:
        try:
            resp = await self._run(self.client.get_object, self.bucket, key)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound"):
                raise ObjectNotFound(key) from None
            raise
        try:
            stream: Iterator[bytes] = resp.stream(_CHUNK)
            while True:
                chunk = await self._run(next, stream, b"")
                if not chunk:
                    break
                yield chunk
        finally:
            resp.close()
            resp.release_conn()

    async def copy(self, source: str, target: str) -> None:
        """A server-side copy (no bytes pass through the API)."""
        await self._run(
            self.client.copy_object, self.bucket, target, CopySource(self.bucket, source)
        )

    async def list_objects(self, prefix: str) -> list[ObjectInfo]:
        def listing() -> list[ObjectInfo]:
            return [
                ObjectInfo(o.object_name, o.size or 0, None, o.etag, o.last_modified)
                for o in self.client.list_objects(self.bucket, prefix=prefix, recursive=True)
                if o.object_name is not None
            ]

        result: list[ObjectInfo] = await self._run(listing)
        return result

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        import io

        await self._run(
            self.client.put_object, self.bucket, key, io.BytesIO(data), len(data), content_type
        )

    async def delete(self, key: str) -> None:
        await self._run(self.client.remove_object, self.bucket, key)

    async def ping(self) -> bool:
        try:
            await self._run(self.client.bucket_exists, self.bucket)
            return True
        except Exception:
            return False
