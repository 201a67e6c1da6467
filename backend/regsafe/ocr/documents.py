"""Bytes in, page images out: real type sniffed from magic bytes, size and page limits
enforced before anything large is decoded.

Work per document is bounded (issue 11, defect 12): an image over ``DEFAULT_MAX_PIXELS``
is refused from its header alone, before a single pixel is decoded; a PDF page larger
than ``DEFAULT_MAX_PAGE_AREA_M2`` is refused from its page box before rendering; and what
is accepted reaches the OCR engine at about ``DEFAULT_TARGET_PIXELS`` (JPEGs are even
decoded at a reduced scale). rapidocr shrinks any image to 2000 px a side before it
detects text, so more pixels bought no accuracy, only seconds and memory. The same
constants serve the upload check and the OCR job, so both refuse the same files.
"""

from __future__ import annotations

import io
import math
from enum import StrEnum

from PIL import Image, ImageOps

from regsafe.core import uploads

# 25 MP: a 24 MP camera image or an A4 scan at 400 dpi (16 MP) passes, a 48 MP photo does not.
DEFAULT_MAX_PIXELS = 25_000_000
# What the engine gets: ~2000×1500, about what rapidocr keeps of anything larger.
DEFAULT_TARGET_PIXELS = 3_000_000
DEFAULT_MAX_PAGES = 10
DEFAULT_DPI = 150
# Twice A0: a 12 MP photo saved as PDF at 72 dpi (1.5 m²) passes, a 14400 pt (5 m) page
# does not. Rendering cost does not depend on it (pages render within the pixel target).
DEFAULT_MAX_PAGE_AREA_M2 = 2.0
_POINTS_PER_METRE = 72 / 0.0254


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
    media = uploads.sniff(data[:1024])  # the platform's one sniffer
    if media is None or media not in uploads.IMAGES_AND_PDF:
        raise UnsupportedDocument("只支持 JPEG、PNG 或 PDF 文件")
    return DocumentType(media.value)


def load_document(
    data: bytes,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_pages: int = DEFAULT_MAX_PAGES,
    dpi: int = DEFAULT_DPI,
    target_pixels: int = DEFAULT_TARGET_PIXELS,
    max_page_area_m2: float = DEFAULT_MAX_PAGE_AREA_M2,
) -> list[Image.Image]:
    """Decode a JPEG/PNG (one page, EXIF orientation applied) or render a PDF (one image
    per page at ``dpi``), each page scaled down to about ``target_pixels``. Raises a
    :class:`DocumentError` subclass on refusal."""
    kind = sniff_type(data)
    if kind is DocumentType.PDF:
        return _render_pdf(
            data,
            max_pages=max_pages,
            dpi=dpi,
            target_pixels=min(target_pixels, max_pixels),
            max_page_area_m2=max_page_area_m2,
        )
    return [_decode_image(data, max_pixels=max_pixels, target_pixels=target_pixels)]


def _open_image(data: bytes, *, max_pixels: int) -> Image.Image:
    """The image, opened lazily: Pillow has read the header (size, mode) and no pixels.
    Refused here when the header declares too many pixels."""
    # No warnings.catch_warnings() here: it swaps global state and is not thread-safe.
    # Pillow raises DecompressionBombError by itself beyond 2 × Image.MAX_IMAGE_PIXELS
    # (~179 MP, a process-wide global we leave alone); our far lower limit comes first.
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise DocumentTooLarge("图像尺寸过大") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise CorruptDocument(f"图像文件已损坏或不完整：{exc}") from exc
    width, height = image.size
    if width * height > max_pixels:
        raise DocumentTooLarge(
            f"图像尺寸过大（{width}×{height}，上限 {max_pixels // 1_000_000} 百万像素）"
        )
    return image


def _scaled_size(size: tuple[int, int], target_pixels: int) -> tuple[int, int]:
    width, height = size
    if width * height <= target_pixels:
        return size
    factor = math.sqrt(target_pixels / (width * height))
    return max(1, int(width * factor)), max(1, int(height * factor))


def _decode_image(data: bytes, *, max_pixels: int, target_pixels: int) -> Image.Image:
    image = _open_image(data, max_pixels=max_pixels)
    wanted = _scaled_size(image.size, target_pixels)
    try:
        if image.format == "JPEG" and wanted != image.size:
            # libjpeg decodes at 1/2, 1/4 or 1/8 scale directly (never below `wanted`):
            # the full-size bitmap is never allocated.
            image.draft("RGB", wanted)
        image.load()
    except Image.DecompressionBombError as exc:
        raise DocumentTooLarge("图像尺寸过大") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise CorruptDocument(f"图像文件已损坏或不完整：{exc}") from exc
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:  # a broken EXIF block must not sink a readable image
        upright = image
    if upright.mode not in ("L", "RGB"):
        upright = upright.convert("RGB")  # "1" and "P" would only resize by nearest pixel
    wanted = _scaled_size(upright.size, target_pixels)
    if wanted != upright.size:
        upright = upright.resize(wanted, Image.Resampling.LANCZOS, reducing_gap=2.0)
    return upright.convert("RGB")


def _check_page_size(size: tuple[float, ...], number: int, max_area_m2: float) -> None:
    """A page's effective box in points (pdfium: the CropBox, else the MediaBox, turned
    by /Rotate), which is what rendering would cover, checked before anything is."""
    width_pt, height_pt = size
    if not (width_pt > 0 and height_pt > 0):
        raise CorruptDocument(f"PDF 第{number}页尺寸无效")
    area_m2 = (width_pt / _POINTS_PER_METRE) * (height_pt / _POINTS_PER_METRE)
    if area_m2 > max_area_m2:
        width_mm = round(width_pt / _POINTS_PER_METRE * 1000)
        height_mm = round(height_pt / _POINTS_PER_METRE * 1000)
        raise DocumentTooLarge(
            f"PDF 第{number}页尺寸过大（{width_mm}×{height_mm} 毫米，上限 {max_area_m2:g} 平方米）"
        )


def _render_pdf(
    data: bytes, *, max_pages: int, dpi: int, target_pixels: int, max_page_area_m2: float
) -> list[Image.Image]:
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
        for index in range(count):  # every page is checked before the first is rendered
            _check_page_size(pdf.get_page_size(index), index + 1, max_page_area_m2)
        pages: list[Image.Image] = []
        for index in range(count):
            page = pdf[index]
            try:
                width_pt, height_pt = page.get_size()
                # At `dpi`, or lower where that would exceed the pixel target (A3 and up).
                scale = min(dpi / 72, math.sqrt(target_pixels / (width_pt * height_pt)))
                bitmap = page.render(scale=scale)
                pages.append(bitmap.to_pil().convert("RGB"))
            finally:
                page.close()
        return pages
    except DocumentError:
        raise
    except pdfium.PdfiumError as exc:
        raise CorruptDocument(f"PDF 页面无法渲染：{exc}") from exc
    finally:
        pdf.close()


def inspect_document(
    data: bytes,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_page_area_m2: float = DEFAULT_MAX_PAGE_AREA_M2,
) -> tuple[DocumentType, int]:
    """(real type, pages) from headers only: cheap enough to run while the uploader
    waits. Image dimensions, PDF page counts and page sizes are checked here; full
    decoding happens in the OCR job, which applies the same limits again."""
    kind = sniff_type(data)
    if kind is DocumentType.PDF:
        import pypdfium2 as pdfium

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
            for index in range(count):  # page boxes only: nothing is loaded or rendered
                _check_page_size(pdf.get_page_size(index), index + 1, max_page_area_m2)
        except pdfium.PdfiumError as exc:
            raise CorruptDocument(f"PDF 页面无法读取：{exc}") from exc
        finally:
            pdf.close()
        return kind, count
    image = _open_image(data, max_pixels=max_pixels)
    width, height = image.size
    try:
        if kind is DocumentType.JPEG:
            # Decode at 1/8 scale: the whole entropy-coded stream is still read, so a
            # truncated or corrupt JPEG fails here, at a fraction of the cost.
            image.draft("RGB", (max(width // 8, 1), max(height // 8, 1)))
            image.load()
        else:
            image.verify()  # PNG: checks every chunk's CRC without decoding pixels
    except Image.DecompressionBombError as exc:
        raise DocumentTooLarge("图像尺寸过大") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise CorruptDocument(f"图像文件已损坏或不完整：{exc}") from exc
    return kind, 1


async def inspect_upload(data: bytes, media: uploads.MediaType) -> int | None:
    """The upload pipeline's inspector for images and PDFs (core/uploads.py): the same
    header checks, off the event loop, as a refusal the pipeline understands."""
    import asyncio

    try:
        _kind, pages = await asyncio.to_thread(inspect_document, data)
    except DocumentError as exc:
        raise uploads.ContentRefused(str(exc), exc.code) from None
    return pages
