"""Transport-level refusals, all in the GraphQL error shape (``{"errors": [{message,
extensions: {code}}]}``) so a client reads one format whatever failed: the body cap
(counted as bytes arrive, chunked or not), bodies that are not UTF-8 JSON of sane depth,
and a database that cannot be reached (503 with Retry-After)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

MAX_BODY_BYTES = 1024 * 1024
# GraphQL requests nest a few levels (input objects in variables); nothing legitimate
# comes near this, and the C decoder's own limit would be a RecursionError (a 500).
MAX_JSON_DEPTH = 64
RETRY_AFTER_SECONDS = 5
CLOSE_LINGER_SECONDS = 0.1


def error_response(
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    **extensions: str,
) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]},
        status_code=status,
        headers=headers,
    )


class _ClosingResponse(JSONResponse):
    """An answer after which the server closes a connection the client is still writing
    to. Closing a socket with unread data resets it, and the reset throws away whatever
    of the answer the kernel has not sent yet: a short pause before the last (empty)
    body part lets the answer leave first."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        await send({"type": "http.response.body", "body": self.body, "more_body": True})
        await asyncio.sleep(CLOSE_LINGER_SECONDS)
        await send({"type": "http.response.body", "body": b""})


def payload_too_large() -> JSONResponse:
    # Connection: close, so the server stops reading what the client still sends.
    return _ClosingResponse(
        {"errors": [{"message": "请求体过大", "extensions": {"code": "PAYLOAD_TOO_LARGE"}}]},
        status_code=413,
        headers={"Connection": "close"},
    )


def database_unavailable_response() -> JSONResponse:
    return error_response(
        503,
        "DATABASE_UNAVAILABLE",
        "数据库暂时不可用，请稍后重试",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


class BodyTooLarge(Exception):
    """The request body passed the cap while it was being received."""


def limit_body(receive: Receive, limit: int = MAX_BODY_BYTES) -> Receive:
    """``receive`` that counts body bytes as they arrive and raises :class:`BodyTooLarge`
    past ``limit``: Content-Length can be absent (chunked) or lie."""
    received = 0

    async def limited() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge
        return message

    return limited


class BadRequestBody(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def decode_request_json(data: str | bytes) -> object:
    """The request's JSON, strictly: UTF-8 (``json.loads`` of bytes would also guess
    UTF-16/32, and raise a UnicodeDecodeError on bad bytes), valid, at most
    :data:`MAX_JSON_DEPTH` deep."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequestBody("INVALID_ENCODING", "请求体不是有效的 UTF-8 文本") from None
    try:
        value = json.loads(data)
    except RecursionError:
        raise _too_deep() from None
    except ValueError:
        raise BadRequestBody("INVALID_JSON", "请求体不是有效的 JSON") from None
    if _depth_exceeds(value, MAX_JSON_DEPTH):
        raise _too_deep()
    return value


def _too_deep() -> BadRequestBody:
    return BadRequestBody("JSON_TOO_DEEP", f"JSON 嵌套超过 {MAX_JSON_DEPTH} 层")


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            if depth > limit:
                return True
            stack.extend((sub, depth + 1) for sub in item)
    return False
