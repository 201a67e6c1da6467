"""The real production build (frontend/web/dist, built by `make web` before the backend
tests): what the sign-in page downloads, and what must never be published.

The JS of the /login route is the entry chunk and its static imports: exactly the
<script> and <link rel=modulepreload> of dist/index.html, computed here from Vite's
manifest (dist/.vite/manifest.json) and checked against the links. Its size is measured
as served: the .br siblings scripts/compress.mjs writes (brotli, what browsers ask for),
with the .gz siblings reported beside them."""

import json
import re
from pathlib import Path

import pytest

DIST = Path(__file__).resolve().parents[2] / "frontend" / "web" / "dist"
KB = 1024
# The target: the sign-in page in ≤ 250 KB of compressed JS.
BUDGET = 250 * KB


@pytest.fixture(autouse=True)
def _built() -> None:
    # A missing build fails, never skips: `make test` builds it (test-backend needs web).
    assert (DIST / "index.html").is_file(), "SPA not built: run `make web` first"


def _manifest() -> dict[str, dict[str, object]]:
    path = DIST / ".vite" / "manifest.json"
    assert path.is_file(), f"{path} missing: vite.config.ts must keep build.manifest"
    data: dict[str, dict[str, object]] = json.loads(path.read_text())
    return data


def _first_load_files() -> list[str]:
    manifest = _manifest()
    entries = [key for key, chunk in manifest.items() if chunk.get("isEntry")]
    assert entries == ["index.html"], entries
    seen: list[str] = []

    def walk(key: str) -> None:
        if key in seen:
            return
        seen.append(key)
        for imported in manifest[key].get("imports", []):  # type: ignore[union-attr]
            walk(str(imported))

    walk("index.html")
    # The sign-in page is part of the entry; were it split off, its chunk is needed too.
    login = manifest.get("src/pages/LoginPage.tsx")
    if login is not None and login.get("isDynamicEntry"):
        walk("src/pages/LoginPage.tsx")
    files = [str(manifest[key]["file"]) for key in seen]
    html = (DIST / "index.html").read_text()
    linked = set(re.findall(r'(?:src|href)="/(assets/[^"]+\.js)"', html))
    assert linked <= set(files), f"index.html loads JS the manifest walk missed: {linked}"
    return files


def _sizes() -> tuple[int, int, int, list[str]]:
    raw = br = gz = 0
    rows = []
    for name in _first_load_files():
        path = DIST / name
        brotli, gzipped = path.with_name(path.name + ".br"), path.with_name(path.name + ".gz")
        assert brotli.is_file() and gzipped.is_file(), (
            f"{name}: no .br/.gz sibling; build with `npm run build` (scripts/compress.mjs)"
        )
        sizes = (path.stat().st_size, brotli.stat().st_size, gzipped.stat().st_size)
        raw, br, gz = raw + sizes[0], br + sizes[1], gz + sizes[2]
        raw_kb, br_kb, gz_kb = (size / KB for size in sizes)
        rows.append(f"  {name}: {raw_kb:.1f} KB, br {br_kb:.1f}, gz {gz_kb:.1f}")
    return raw, br, gz, rows


def _report(raw: int, br: int, gz: int, rows: list[str]) -> str:
    return (
        f"/login JS: {raw / KB:.1f} KB raw, {br / KB:.1f} KB brotli, {gz / KB:.1f} KB gzip"
        f" (budget {BUDGET / KB:.0f} KB brotli)\n"
        + "\n".join(sorted(rows, key=lambda r: -float(r.split(": ")[1].split(" KB")[0])))
    )


def test_first_load_within_budget() -> None:
    raw, br, gz, rows = _sizes()
    assert br <= BUDGET, _report(raw, br, gz, rows)


def test_no_source_maps_published() -> None:
    maps = [str(p.relative_to(DIST)) for p in DIST.rglob("*.map")]
    assert maps == [], f"source maps in the production build: {maps}"
    commented = [
        str(p.relative_to(DIST))
        for p in DIST.rglob("*.js")
        if b"sourceMappingURL" in p.read_bytes()
    ]
    assert commented == [], f"sourceMappingURL comments left in: {commented}"


def test_every_text_asset_has_precompressed_siblings() -> None:
    missing = [
        str(p.relative_to(DIST))
        for p in (DIST / "assets").iterdir()
        if p.suffix in (".js", ".css")
        and p.stat().st_size > 1024
        and not (p.with_name(p.name + ".br").is_file() and p.with_name(p.name + ".gz").is_file())
    ]
    assert missing == [], f"no .br/.gz beside: {missing}"
