"""Loading documents: real type from the bytes, size/page limits, corrupt input."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
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
    inspect_document,
    load_document,
    sniff_type,
)
from regsafe.ocr.engines import RapidOcrEngine
from regsafe.ocr.extract import OcrTimeLimit, extract_document, extract_document_within
from regsafe.ocr.fields import DocumentKind
from regsafe.ocr.synthetic import blank_pdf, encode, generate, pdf


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


# --- work bounds (issue 11, defect 12) ------------------------------------------------


def _image_buffers_allocated() -> int:
    """How many image buffers Pillow has ever allocated in this process (its block
    allocator's counter): a decoded image, however small, adds at least one."""
    stats: dict[str, int] = Image.core.get_stats()  # type: ignore[attr-defined]
    return stats["new_count"]


def test_6000_px_png_is_refused_from_its_header_alone() -> None:
    # given the probe's file: 6000×6000 pixels (36 MP) that compress to a few KB
    buffer = io.BytesIO()
    Image.new("1", (6000, 6000), 1).save(buffer, "PNG", optimize=True)
    data = buffer.getvalue()
    assert len(data) < 20_000
    before = _image_buffers_allocated()
    tracemalloc.start()
    try:
        # when it is checked at confirmation, and when the OCR job reads it
        with pytest.raises(DocumentTooLarge, match="6000×6000") as checked:
            inspect_document(data)
        with pytest.raises(DocumentTooLarge, match="6000×6000") as loaded:
            extract_document(data, DocumentKind.ID_CARD, RapidOcrEngine())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # then both refuse it without decoding a pixel: no image buffer, little memory
    assert checked.value.code == loaded.value.code == "DOCUMENT_TOO_LARGE"
    assert _image_buffers_allocated() == before
    assert peak < 4 * 1024 * 1024


def test_pdf_page_of_14400_points_is_refused_before_rendering() -> None:
    # given a few hundred bytes declaring a 5 m × 5 m page
    data = blank_pdf(14400, 14400)
    assert len(data) < 500
    # when it is checked, then loaded: refused from the page box
    with pytest.raises(DocumentTooLarge, match="第1页尺寸过大") as checked:
        inspect_document(data)
    with pytest.raises(DocumentTooLarge, match="第1页尺寸过大"):
        load_document(data)
    assert checked.value.code == "DOCUMENT_TOO_LARGE"
    # while A4 and a 12 MP photo saved as PDF at 72 dpi (4032×3024 pt, 1.5 m²) pass
    assert inspect_document(blank_pdf(595, 842)) == (DocumentType.PDF, 1)
    assert inspect_document(blank_pdf(4032, 3024)) == (DocumentType.PDF, 1)


def test_accepted_pages_reach_the_engine_at_about_3_megapixels() -> None:
    # given a 20 MP PNG, a 20 MP JPEG and a phone photo saved as PDF at 72 dpi (1.5 m²)
    png = encode(Image.new("RGB", (5000, 4000), "white"), "PNG")
    jpeg = encode(Image.new("RGB", (5000, 4000), "white"), "JPEG")
    poster = blank_pdf(4032, 3024)
    a4 = blank_pdf(595, 842)
    # when they are loaded for OCR
    pages = [page for data in (png, jpeg, poster, a4) for page in load_document(data)]
    # then each is scaled to the 3 MP target, keeping its proportions; A4 stays at 150 dpi
    for page, proportion in zip(pages[:3], (5 / 4, 5 / 4, 4 / 3), strict=True):
        width, height = page.size
        assert 2_900_000 <= width * height <= 3_000_000
        assert abs(width / height - proportion) < 0.01
    assert pages[3].size == (1240, 1755)  # 595×842 pt at 150/72


def test_ocr_over_its_time_limit_is_refused() -> None:
    data = encode(generate(DocumentKind.ID_CARD, 1).image)
    with pytest.raises(OcrTimeLimit, match="识别超时") as info:
        extract_document(data, DocumentKind.ID_CARD, RapidOcrEngine(), time_limit=0)
    assert info.value.code == "OCR_TIME_LIMIT"


async def test_waiting_for_ocr_ends_at_the_time_limit() -> None:
    # a real A4 page takes seconds; the caller is answered at the limit, not after
    data = pdf([generate(DocumentKind.QUALIFICATION_CERTIFICATE, 1).image] * 3)
    with pytest.raises(OcrTimeLimit):
        await extract_document_within(
            data, DocumentKind.QUALIFICATION_CERTIFICATE, RapidOcrEngine(), time_limit=0.05
        )
