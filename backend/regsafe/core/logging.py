"""Structured JSON logs, one line per event, with the request id. Never personal data:
callers log ids and codes, not names or numbers."""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
# The GraphQL operation a request ran, for its access log line.
operation_var: ContextVar[str | None] = ContextVar("operation", default=None)

_RESERVED = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "request_id",
}
_base_factory = logging.getLogRecordFactory()


def _record_with_request_id(*args: Any, **kwargs: Any) -> logging.LogRecord:
    # Captured when the event happens, not when a handler formats it later.
    record = _base_factory(*args, **kwargs)
    record.request_id = request_id_var.get()
    return record


logging.setLogRecordFactory(_record_with_request_id)


Plain = str | int | float | bool | None
_PLAIN = (str, int, float, bool, type(None))


def plain(value: object) -> Plain | list[Plain]:
    """A value as the log may hold it: scalars, and flat lists of scalars (a GraphQL
    path, error codes). Anything else becomes its type name: ``str()`` of an arbitrary
    object (an error, a request, an execution context) may carry a query's literals."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, _PLAIN) for v in value):
        return list(value)
    return f"<{type(value).__name__}>"


def _message(record: logging.LogRecord) -> str:
    if not isinstance(record.msg, str):  # e.g. log.error(exc): the object's text
        return f"<{type(record.msg).__name__}>"
    if not record.args:
        return record.msg
    args = record.args
    safe = (
        {k: plain(v) for k, v in args.items()}
        if isinstance(args, dict)
        else tuple(plain(v) for v in args)
    )
    try:
        return record.msg % safe
    except (TypeError, ValueError):
        return record.msg


class JsonFormatter(logging.Formatter):
    """One JSON object per line; the event text and every extra field plain values."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": _message(record),
        }
        if (rid := getattr(record, "request_id", None)) is not None:
            out["request_id"] = plain(rid)
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                out[key] = plain(value)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        line = json.dumps(out, ensure_ascii=False)
        # A lone surrogate cannot be written as UTF-8: write it as its JSON escape.
        return line.encode("utf-8", "backslashreplace").decode("utf-8")


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = True
    # Access lines come from our middleware (with request id and operation name).
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
