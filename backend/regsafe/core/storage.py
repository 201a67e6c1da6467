"""Object storage over the `minio` SDK (MinIO in production, SeaweedFS in dev and CI).

Browsers move document bytes directly with short-lived presigned URLs; the API only
signs URLs and inspects objects.

Every SDK call goes through :meth:`ObjectStore._run`, the one place where the SDK's
failures are translated: a missing object is :class:`ObjectNotFound`; a store that cannot
answer now (connection refused or reset, timeouts, 5xx) is :class:`StorageUnavailable`,
which callers may retry; anything else (4xx such as AccessDenied, bad arguments) is left
as it is, a bug or a misconfiguration."""

from __future__ import annotations

import asyncio
import hashlib
import http.client
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import certifi
import urllib3
from minio import Minio
from minio.commonconfig import CopySource
from minio.error import InvalidResponseError, S3Error, ServerError
from urllib3.exceptions import (
    IncompleteRead,
    LocationValueError,
    MaxRetryError,
    ProtocolError,
    SSLError,
)
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from regsafe.core.settings import Settings

log = logging.getLogger("regsafe.storage")


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    content_type: str | None
    etag: str | None
    last_modified: datetime | None


class ObjectNotFound(Exception):
    pass


class StorageUnavailable(Exception):
    """文件存储暂时不可用: the object store cannot answer now (down, restarting, refusing
    or dropping connections, timing out, answering 5xx). Not a bug and not the user's
    fault: a request answers STORAGE_UNAVAILABLE, a job retries later."""

    message = "文件存储暂时不可用，请稍后重试"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_NOT_FOUND = frozenset({"NoSuchKey", "NoSuchObject", "NotFound"})


def _status_of(exc: BaseException) -> int:
    if isinstance(exc, S3Error):
        return int(exc.response.status)
    if isinstance(exc, ServerError):
        return exc.status_code
    if isinstance(exc, InvalidResponseError):  # e.g. a proxy's HTML 502 page
        return int(getattr(exc, "_code", 0) or 0)
    return 0


def _unavailable(exc: BaseException) -> bool:
    """A failure a later retry can fix. TLS and URL errors are configuration, not
    outages, and stay visible as bugs."""
    if isinstance(exc, MaxRetryError):
        return not isinstance(exc.reason, (SSLError, LocationValueError))
    if isinstance(exc, (ProtocolError, Urllib3Timeout, IncompleteRead)):
        return True
    if isinstance(exc, (ConnectionError, TimeoutError, http.client.HTTPException)):
        return True
    if isinstance(exc, (S3Error, ServerError, InvalidResponseError)):
        return _status_of(exc) >= 500 or getattr(exc, "code", None) == "SlowDown"
    return False


def translate(exc: BaseException) -> BaseException:
    """The exception callers see for an SDK failure (the one mapping, see the module
    docstring): ObjectNotFound, StorageUnavailable, or ``exc`` itself."""
    if isinstance(exc, S3Error) and exc.code in _NOT_FOUND:
        return ObjectNotFound(exc.object_name or "")
    if _unavailable(exc):
        reason = f"{type(exc).__name__}" + (f" {_status_of(exc)}" if _status_of(exc) else "")
        log.warning("object store unavailable", extra={"error": reason})
        return StorageUnavailable(reason)
    return exc


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
# The SDK's own client waits 5 minutes to connect and per read, and retries 5 times: an
# outage would hold a request (and its database transaction) that long. Here a refused
# connection gives up after ~1 s (3 retries, 0.2 s backoff), a silent server after the
# timeouts; 5xx answers are retried the same way before they count as an outage.
_CONNECT_TIMEOUT = 5.0
_READ_TIMEOUT = 60.0


def _http_client() -> urllib3.PoolManager:
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=_CONNECT_TIMEOUT, read=_READ_TIMEOUT),
        maxsize=10,
        cert_reqs="CERT_REQUIRED",
        ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
        retries=urllib3.Retry(total=3, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]),
    )


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
            http_client=_http_client(),
        )
        return cls(client, settings.s3_bucket, timedelta(seconds=settings.s3_presign_seconds))

    async def _run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        # The SDK is blocking (urllib3); keep it off the event loop.
        try:
            return await asyncio.to_thread(partial(fn, *args, **kwargs))
        except Exception as exc:
            translated = translate(exc)
            if translated is exc:
                raise
            raise translated from exc

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
        st = await self._run(self.client.stat_object, self.bucket, key)
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
        resp = await self._run(self.client.get_object, self.bucket, key)
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
