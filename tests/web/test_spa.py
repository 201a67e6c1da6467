"""Serving the built SPA (regsafe.web.spa): precompressed siblings by Accept-Encoding,
cache headers, the client-side-route fallback, ETag/304, HEAD, and refused paths.

Each test builds a small fake dist directory; the real build is checked by
test_spa_budget.py."""

import gzip
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from regsafe.web.spa import IMMUTABLE, NO_CACHE, accepted_encodings, spa_routes

APP_JS = "export const answer = 42;\n" * 50
INDEX = '<!doctype html><title>RegSafe</title><script src="/assets/index-pVwb_sa2.js"></script>'
# Stand-ins: the server sends the sibling's bytes as they are, never recompressing.
BROTLI = b"\x8b\x01\x80fake-brotli-bytes\x03"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / ".vite").mkdir()
    (root / "index.html").write_text(INDEX)
    (root / "index.html.gz").write_bytes(gzip.compress(INDEX.encode()))
    (root / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    js = root / "assets" / "index-pVwb_sa2.js"
    js.write_text(APP_JS)
    js.with_name(js.name + ".br").write_bytes(BROTLI)
    js.with_name(js.name + ".gz").write_bytes(gzip.compress(APP_JS.encode()))
    (root / "assets" / "index-RE1Qn-aJ.css").write_text("body{margin:0}")  # '-' in the hash
    (root / "assets" / "plain.js").write_text("unhashed")
    (root / "assets" / "index-pVwb_sa2.js.map").write_text('{"sources":["secret.tsx"]}')
    (root / ".vite" / "manifest.json").write_text("{}")
    (tmp_path / "secret.txt").write_text("outside the build")
    return root


@pytest.fixture
async def client(dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=spa_routes(dist))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def test_brotli_when_accepted(client: httpx.AsyncClient) -> None:
    async with client.stream(
        "GET", "/assets/index-pVwb_sa2.js", headers={"Accept-Encoding": "gzip, deflate, br, zstd"}
    ) as resp:
        raw = b"".join([chunk async for chunk in resp.aiter_raw()])
    assert resp.status_code == 200
    assert resp.headers["content-encoding"] == "br"
    assert resp.headers["content-type"] == "text/javascript; charset=utf-8"
    assert resp.headers["vary"] == "Accept-Encoding"
    assert resp.headers["cache-control"] == IMMUTABLE
    assert int(resp.headers["content-length"]) == len(BROTLI)
    assert raw == BROTLI  # the sibling file's bytes, as they are


async def test_gzip_when_brotli_is_not_accepted(client: httpx.AsyncClient) -> None:
    resp = await client.get(
        "/assets/index-pVwb_sa2.js", headers={"Accept-Encoding": "gzip, br;q=0"}
    )
    assert resp.headers["content-encoding"] == "gzip"
    assert resp.headers["content-type"] == "text/javascript; charset=utf-8"
    assert resp.headers["vary"] == "Accept-Encoding"
    assert resp.text == APP_JS  # httpx decodes gzip


async def test_plain_file_without_accept_encoding(client: httpx.AsyncClient) -> None:
    for headers in ({"Accept-Encoding": "identity"}, {"Accept-Encoding": ""}):
        resp = await client.get("/assets/index-pVwb_sa2.js", headers=headers)
        assert "content-encoding" not in resp.headers
        assert resp.headers["vary"] == "Accept-Encoding"
        assert resp.text == APP_JS


def test_accept_encoding_parsing() -> None:
    assert accepted_encodings("gzip, deflate, br") == {"gzip", "deflate", "br"}
    assert accepted_encodings("br;q=0, gzip;q=0.5") == {"gzip"}
    assert accepted_encodings("*") == {"br", "gzip"}
    assert accepted_encodings("*;q=1, br;q=0") == {"gzip"}
    assert accepted_encodings("") == set()
    assert accepted_encodings("gzip;q=bogus") == set()


async def test_cache_headers(client: httpx.AsyncClient) -> None:
    hashed = await client.get("/assets/index-RE1Qn-aJ.css")
    assert hashed.headers["cache-control"] == IMMUTABLE
    assert hashed.headers["content-type"] == "text/css; charset=utf-8"
    assert "vary" not in hashed.headers  # no siblings: one representation
    assert (await client.get("/assets/plain.js")).headers["cache-control"] == NO_CACHE
    favicon = await client.get("/favicon.svg")
    assert favicon.headers["cache-control"] == NO_CACHE
    assert favicon.headers["content-type"] == "image/svg+xml"
    for path in ("/", "/index.html"):
        index = await client.get(path, headers={"Accept-Encoding": "gzip"})
        assert index.headers["cache-control"] == NO_CACHE
        assert index.headers["content-type"] == "text/html; charset=utf-8"
        assert index.headers["content-encoding"] == "gzip"
        assert index.text == INDEX


async def test_client_side_routes_get_the_app_shell(client: httpx.AsyncClient) -> None:
    for path in ("/login", "/verify/RS2026440001", "/review/applications/42", "/x.png"):
        resp = await client.get(path)
        assert resp.status_code == 200, path
        assert resp.text == INDEX
        assert resp.headers["cache-control"] == NO_CACHE
    # A missing bundle is 404, not an HTML page a browser would cache as a script.
    assert (await client.get("/assets/index-gone1234.js")).status_code == 404
    assert (await client.get("/assets")).status_code == 404


async def test_etag_and_not_modified(client: httpx.AsyncClient) -> None:
    first = await client.get("/assets/index-pVwb_sa2.js", headers={"Accept-Encoding": "br"})
    etag = first.headers["etag"]
    gz = await client.get("/assets/index-pVwb_sa2.js", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["etag"] != etag  # one tag per representation
    again = await client.get(
        "/assets/index-pVwb_sa2.js", headers={"Accept-Encoding": "br", "If-None-Match": etag}
    )
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == IMMUTABLE
    index = await client.get("/", headers={"Accept-Encoding": "identity"})
    revalidated = await client.get(
        "/login", headers={"Accept-Encoding": "identity", "If-None-Match": index.headers["etag"]}
    )
    assert revalidated.status_code == 304


async def test_head(client: httpx.AsyncClient) -> None:
    resp = await client.head("/assets/index-pVwb_sa2.js", headers={"Accept-Encoding": "br"})
    assert resp.status_code == 200 and resp.content == b""
    assert resp.headers["content-encoding"] == "br"
    assert int(resp.headers["content-length"]) == len(BROTLI)
    shell = await client.head("/some/route", headers={"Accept-Encoding": "identity"})
    assert shell.status_code == 200 and int(shell.headers["content-length"]) == len(INDEX)


@pytest.mark.parametrize(
    "path",
    [
        "/assets/..%2f..%2fsecret.txt",
        "/..%2fsecret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/%2Fetc%2Fpasswd",
        "/assets/index-pVwb_sa2.js%00.png",
        "/index.html%00",
        "/assets%5c..%5c..%5csecret.txt",
        "/.vite/manifest.json",
        "/assets/index-pVwb_sa2.js.map",
        "/assets/index-pVwb_sa2.js.br",
        "/assets//index-pVwb_sa2.js",
    ],
)
async def test_refused_paths(client: httpx.AsyncClient, path: str) -> None:
    resp = await client.get(httpx.URL("http://t" + path), headers={"Accept-Encoding": "identity"})
    assert resp.status_code == 404, (path, resp.status_code)
    assert "outside the build" not in resp.text and "sources" not in resp.text


async def test_symlink_out_of_the_build_is_refused(dist: Path, client: httpx.AsyncClient) -> None:
    (dist / "assets" / "link-abcdefgh.js").symlink_to(dist.parent / "secret.txt")
    resp = await client.get("/assets/link-abcdefgh.js")
    assert resp.status_code == 404 and "outside the build" not in resp.text


async def test_not_built(tmp_path: Path) -> None:
    app = Starlette(routes=spa_routes(tmp_path / "missing"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        resp = await c.get("/login")
    assert resp.status_code == 503 and "make web" in resp.text
