"""Loading documents: real type from the bytes, size/page limits, corrupt input."""

from __future__ import annotations

import io
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from regsafe.ocr.documents import (
    CorruptDocument,
    DocumentTooLarge,
    DocumentType,
    TooManyPages,
    UnsupportedDocument,
    load_document,
    sniff_type,
)
from regsafe.ocr.synthetic import encode, pdf


def _png(size: tuple[int, int] = (120, 80)) -> bytes:
    return encode(Image.new("RGB", size, (200, 10, 10)), "PNG")


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def _png_bomb(width: int, height: int) -> bytes:
    """A valid PNG header declaring a huge canvas, with almost no pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def test_png_renamed_pdf_is_still_png(tmp_path: Path) -> None:
    disguised = tmp_path / "scan.pdf"
    disguised.write_bytes(_png())
    data = disguised.read_bytes()
    assert sniff_type(data) is DocumentType.PNG
    pages = load_document(data)
    assert len(pages) == 1
    assert pages[0].size == (120, 80)


def test_jpeg_and_pdf_are_sniffed() -> None:
    image = Image.new("RGB", (50, 40), "white")
    assert sniff_type(encode(image, "JPEG")) is DocumentType.JPEG
    assert sniff_type(pdf([image])) is DocumentType.PDF


@pytest.mark.parametrize(
    "data",
    [b"hello, this is a text file\n", b"", b"GIF89a\x01\x00", b"PK\x03\x04zip"],
)
def test_other_types_are_unsupported(data: bytes) -> None:
    with pytest.raises(UnsupportedDocument):
        load_document(data)


@pytest.mark.parametrize("size", [(20000, 20000), (8000, 6000)])
def test_decompression_bomb_is_refused_without_decoding(size: tuple[int, int]) -> None:
    bomb = _png_bomb(*size)
    assert len(bomb) < 2000
    started = time.perf_counter()
    with pytest.raises(DocumentTooLarge) as info:
        load_document(bomb)
    assert time.perf_counter() - started < 1.0
    assert info.value.code == "DOCUMENT_TOO_LARGE"


def test_pixel_limit_is_configurable() -> None:
    with pytest.raises(DocumentTooLarge):
        load_document(_png((1000, 1000)), max_pixels=500_000)


def test_truncated_jpeg_is_corrupt() -> None:
    data = encode(Image.effect_noise((400, 300), 60).convert("RGB"), "JPEG", 90)
    with pytest.raises(CorruptDocument):
        load_document(data[: len(data) // 2])


def test_garbage_after_png_signature_is_corrupt() -> None:
    with pytest.raises(CorruptDocument):
        load_document(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)


def test_broken_pdf_is_corrupt() -> None:
    with pytest.raises(CorruptDocument):
        load_document(b"%PDF-1.7\n this is not a pdf body")


def test_pdf_over_page_limit() -> None:
    pages = [Image.new("RGB", (100, 140), "white") for _ in range(12)]
    data = pdf(pages, resolution=72)
    with pytest.raises(TooManyPages) as info:
        load_document(data)
    assert info.value.code == "DOCUMENT_TOO_MANY_PAGES"
    assert len(load_document(data, max_pages=12)) == 12


def test_pdf_pages_render_at_150_dpi() -> None:
    # 720×1440 px at 144 dpi = 5×10 inches = 750×1500 px at 150 dpi.
    pages = [Image.new("RGB", (720, 1440), "white"), Image.new("RGB", (1440, 720), "white")]
    rendered = load_document(pdf(pages, resolution=144))
    assert [im.size for im in rendered] == [(750, 1500), (1500, 750)]
    assert all(im.mode == "RGB" for im in rendered)


def test_exif_orientation_is_applied() -> None:
    image = Image.new("RGB", (300, 100), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    (page,) = load_document(buffer.getvalue())
    assert page.size == (100, 300)
