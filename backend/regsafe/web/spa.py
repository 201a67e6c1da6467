"""The built SPA (frontend/web/dist), served the way nginx with gzip_static/brotli_static
would serve it.

- Precompressed siblings: the build writes ``name.br`` and ``name.gz`` beside each text
  asset (frontend/web/scripts/compress.mjs); a request whose Accept-Encoding allows one
  gets it with ``Content-Encoding`` and the plain file's Content-Type, else the plain file.
  ``Vary: Accept-Encoding`` whenever a file has siblings.
- Caching: files under ``assets/`` whose name carries Vite's content hash
  (``index-pVwb_sa2.js``) are immutable for a year; index.html and every other file are
  ``no-cache`` (revalidated with ETag / If-None-Match, answered 304).
- Routing: an existing file by its path; a missing file under ``assets/`` is 404 (an HTML
  page in its place would be cached as a script); any other path is a client-side route
  and gets index.html. Paths with ``..``, ``.``-prefixed or empty segments, backslashes or
  NUL bytes are refused (404) before the file system is touched, and the resolved file
  must lie inside the build directory.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

__all__ = ["IMMUTABLE", "NO_CACHE", "spa_routes"]

IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"

# Vite names hashed output `[name]-[hash].[ext]`, the hash 8 base64url characters.
_HASHED = re.compile(r"^assets/(?:[^/]+/)*[^/]+-[A-Za-z0-9_-]{8}\.[A-Za-z0-9]+$")
# Preferred first: brotli is ~15 % smaller than gzip on these bundles.
_ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
_MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain; charset=utf-8",
}


def accepted_encodings(header: str) -> set[str]:
    """Content codings the client accepts (q > 0), from an Accept-Encoding value."""
    accepted: set[str] = set()
    refused: set[str] = set()
    star = False
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if coding == "*":
            star = q > 0
        elif q > 0:
            accepted.add(coding)
        else:
            refused.add(coding)
    if star:
        accepted |= {c for c, _ in _ENCODINGS} - refused
    return accepted


def _safe_relative(path: str) -> str | None:
    """``path`` if it names a file inside the build by plain segments, else None."""
    if "\x00" in path or "\\" in path or path.startswith("/") or len(path) > 1024:
        return None
    segments = path.split("/")
    if any(not s or s.startswith(".") for s in segments):
        return None
    return path


def _media_type(name: str) -> str:
    suffix = os.path.splitext(name)[1].lower()
    if suffix in _MEDIA_TYPES:
        return _MEDIA_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def _etag(stat: os.stat_result) -> str:
    base = f"{stat.st_mtime_ns}-{stat.st_size}"
    return '"' + hashlib.md5(base.encode(), usedforsecurity=False).hexdigest() + '"'


def _not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if header is None:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


def spa_routes(dist: Path) -> list[Any]:
    """Routes serving the SPA built into ``dist`` (see the module docstring)."""
    root = dist.resolve()
    index = root / "index.html"
    if not index.is_file():

        async def not_built(_: Request) -> Response:
            return HTMLResponse(
                "<!doctype html><meta charset=utf-8><title>RegSafe</title>"
                "<p>前端尚未构建：运行 <code>make web</code>（或 <code>make dev</code>）。"
                " GraphQL API: <a href=/graphql>/graphql</a></p>",
                status_code=503,
            )

        return [Route("/{path:path}", not_built)]

    def find(relative: str) -> Path | None:
        candidate = (root / relative).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
        return candidate

    def send(request: Request, plain: Path, cache_control: str) -> Response:
        headers = {"Cache-Control": cache_control}
        chosen, encoding = plain, None
        siblings = [(c, plain.with_name(plain.name + s)) for c, s in _ENCODINGS]
        present = [(c, p) for c, p in siblings if p.is_file()]
        if present:
            headers["Vary"] = "Accept-Encoding"
            accepted = accepted_encodings(request.headers.get("accept-encoding", ""))
            for coding, path in present:
                if coding in accepted:
                    chosen, encoding = path, coding
                    break
        if encoding is not None:
            headers["Content-Encoding"] = encoding
        try:
            stat = chosen.stat()
        except FileNotFoundError:  # replaced by a new build between the checks
            return PlainTextResponse("Not Found", status_code=404)
        etag = _etag(stat)
        headers["ETag"] = etag
        if _not_modified(request, etag):
            return Response(status_code=304, headers=headers)
        return FileResponse(
            chosen, headers=headers, media_type=_media_type(plain.name), stat_result=stat
        )

    async def spa(request: Request) -> Response:
        requested = request.path_params["path"]
        relative = _safe_relative(requested) if requested else "index.html"
        if relative is None:
            return PlainTextResponse("Not Found", status_code=404)
        found = find(relative)
        # Precompressed siblings only as a representation of their plain file; source
        # maps never (a build with `sourcemap: 'hidden'` must not publish them).
        if found is not None and found.suffix not in (".br", ".gz", ".map"):
            if found == index:
                return send(request, index, NO_CACHE)
            return send(request, found, IMMUTABLE if _HASHED.match(relative) else NO_CACHE)
        if relative == "assets" or relative.startswith("assets/") or found is not None:
            return PlainTextResponse("Not Found", status_code=404)
        return send(request, index, NO_CACHE)

    return [Route("/{path:path}", spa, methods=["GET", "HEAD"])]
