"""Bytes in, page images out: real type sniffed from magic bytes, size and page limits
enforced before anything large is decoded."""

from __future__ import annotations

import io
from enum import StrEnum

from PIL import Image, ImageOps

DEFAULT_MAX_PIXELS = 40_000_000
DEFAULT_MAX_PAGES = 10
DEFAULT_DPI = 150


class DocumentType(StrEnum):
    JPEG = "image/jpeg"
    PNG = "image/png"
    PDF = "application/pdf"


class DocumentError(ValueError):
    """Base of every refusal; ``code`` is stable for APIs."""

    code = "DOCUMENT_INVALID"


class UnsupportedDocument(DocumentError):
    code = "DOCUMENT_UNSUPPORTED_TYPE"


class DocumentTooLarge(DocumentError):
    code = "DOCUMENT_TOO_LARGE"


class CorruptDocument(DocumentError):
    code = "DOCUMENT_CORRUPT"


class TooManyPages(DocumentError):
    code = "DOCUMENT_TOO_MANY_PAGES"


def sniff_type(data: bytes) -> DocumentType:
    """The real type from the leading bytes; names and declared content types are
    ignored. PDF readers accept a header within the first 1024 bytes, so do we."""
    if data.startswith(b"\xff\xd8\xff"):
        return DocumentType.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return DocumentType.PNG
    if b"%PDF-" in data[:1024]:
        return DocumentType.PDF
    raise UnsupportedDocument("只支持 JPEG、PNG 或 PDF 文件")


def load_document(
    data: bytes,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_pages: int = DEFAULT_MAX_PAGES,
    dpi: int = DEFAULT_DPI,
) -> list[Image.Image]:
    """Decode a JPEG/PNG (one page, EXIF orientation applied) or render a PDF (one image
    per page at ``dpi``). Raises a :class:`DocumentError` subclass on refusal."""
    kind = sniff_type(data)
    if kind is DocumentType.PDF:
        return _render_pdf(data, max_pixels=max_pixels, max_pages=max_pages, dpi=dpi)
    return [_decode_image(data, max_pixels=max_pixels)]


def _decode_image(data: bytes, *, max_pixels: int) -> Image.Image:
    # No warnings.catch_warnings() here: it swaps global state and is not thread-safe.
    # Pillow raises DecompressionBombError by itself beyond 2 × MAX_IMAGE_PIXELS; below
    # that our own limit, checked on the header alone, applies.
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        if width * height > max_pixels:
            raise DocumentTooLarge(
                f"图像尺寸过大（{width}×{height}，上限 {max_pixels // 1_000_000} 百万像素）"
            )
        image.load()
    except Image.DecompressionBombError as exc:
        raise DocumentTooLarge("图像尺寸过大") from exc
    except DocumentError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise CorruptDocument(f"图像文件已损坏或不完整：{exc}") from exc
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:  # a broken EXIF block must not sink a readable image
        upright = image
    return upright.convert("RGB")


def _render_pdf(data: bytes, *, max_pixels: int, max_pages: int, dpi: int) -> list[Image.Image]:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CorruptDocument(f"PDF 文件已损坏：{exc}") from exc
    try:
        count = len(pdf)
        if count == 0:
            raise CorruptDocument("PDF 没有页面")
        if count > max_pages:
            raise TooManyPages(f"PDF 共 {count} 页，最多 {max_pages} 页")
        pages: list[Image.Image] = []
        for index in range(count):
            page = pdf[index]
            width_pt, height_pt = page.get_size()
            scale = dpi / 72
            if width_pt * scale * height_pt * scale > max_pixels:
                # Render oversized pages (posters, scans at huge sizes) at a lower scale.
                scale = (max_pixels / max(width_pt * height_pt, 1.0)) ** 0.5
            bitmap = page.render(scale=scale)
            pages.append(bitmap.to_pil().convert("RGB"))
            page.close()
        return pages
    except DocumentError:
        raise
    except pdfium.PdfiumError as exc:
        raise CorruptDocument(f"PDF 页面无法渲染：{exc}") from exc
    finally:
        pdf.close()


def inspect_document(
    data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS, max_pages: int = DEFAULT_MAX_PAGES
) -> tuple[DocumentType, int]:
    """(real type, pages) from headers only: cheap enough to run while the uploader
    waits. Image dimensions and PDF page counts are checked here; full decoding happens
    in the OCR job, which applies the same limits again."""
    kind = sniff_type(data)
    if kind is DocumentType.PDF:
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise CorruptDocument(f"PDF 文件已损坏：{exc}") from exc
        try:
            count = len(pdf)
        finally:
            pdf.close()
        if count == 0:
            raise CorruptDocument("PDF 没有页面")
        if count > max_pages:
            raise TooManyPages(f"PDF 共 {count} 页，最多 {max_pages} 页")
        return kind, count
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        if width * height > max_pixels:
            raise DocumentTooLarge(
                f"图像尺寸过大（{width}×{height}，上限 {max_pixels // 1_000_000} 百万像素）"
            )
        if kind is DocumentType.JPEG:
            # Decode at 1/8 scale: the whole entropy-coded stream is still read, so a
            # truncated or corrupt JPEG fails here, at a fraction of the cost.
            image.draft("RGB", (max(width // 8, 1), max(height // 8, 1)))
            image.load()
        else:
            image.verify()  # PNG: checks every chunk's CRC without decoding pixels
    except Image.DecompressionBombError as exc:
        raise DocumentTooLarge("图像尺寸过大") from exc
    except DocumentError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise CorruptDocument(f"图像文件已损坏或不完整：{exc}") from exc
    return kind, 1
