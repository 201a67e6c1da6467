"""The text layer of a PDF, read before any OCR (issue 13: the electronic certificate).

An electronic 职业资格证书 (equal in law to the paper one since 2021-12-17) is a PDF whose
words are real text: reading them is exact and takes milliseconds, where rendering and
OCR take seconds and may misread a digit. pdfium's text page API gives the text runs of
a page with their rectangles; they become :class:`TextBox` es in the pixel frame the
page would be rendered in (``dpi``), so the same position matching reads the fields.
A page whose text layer is absent, too short or garbled (a font without a ToUnicode map
yields private-use or replacement characters) returns None: that page is OCR'd.
"""

from __future__ import annotations

import re

from regsafe.ocr.documents import DEFAULT_DPI
from regsafe.ocr.engines import TextBox

MIN_CHARS = 12
MIN_GOOD_SHARE = 0.85
# What a real certificate's text is made of: CJK, ASCII letters and digits, punctuation.
_GOOD = re.compile(
    r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef0-9A-Za-z\s.,:;()\-/·、，。：；（）《》]"
)

PageText = tuple[list[TextBox], tuple[int, int]]  # boxes, page size in pixels at dpi


def usable(boxes: list[TextBox]) -> bool:
    """Enough text, and text that is not garbage."""
    text = "".join(b.text for b in boxes)
    chars = len(re.sub(r"\s", "", text))
    if chars < MIN_CHARS:
        return False
    good = sum(1 for ch in text if not ch.isspace() and _GOOD.match(ch))
    return good / chars >= MIN_GOOD_SHARE


def text_layer(data: bytes, *, dpi: int = DEFAULT_DPI) -> list[PageText | None]:
    """Per page: the text runs as boxes (pixels at ``dpi``, origin top left) when the
    page has a usable text layer, else None. The caller has checked page count and
    sizes (``documents.inspect_document``); a PDF pdfium cannot open gives [] (the
    renderer then reports it as corrupt)."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return []
    scale = dpi / 72
    out: list[PageText | None] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                width_pt, height_pt = page.get_size()
                textpage = page.get_textpage()
                try:
                    boxes: list[TextBox] = []
                    for i in range(textpage.count_rects()):
                        left, bottom, right, top = textpage.get_rect(i)
                        text = textpage.get_text_bounded(left, bottom, right, top).strip()
                        if not text:
                            continue
                        boxes.append(
                            TextBox.from_rect(
                                text,
                                1.0,
                                left * scale,
                                (height_pt - top) * scale,
                                right * scale,
                                (height_pt - bottom) * scale,
                            )
                        )
                finally:
                    textpage.close()
                size = (round(width_pt * scale), round(height_pt * scale))
                out.append((boxes, size) if usable(boxes) else None)
            finally:
                page.close()
    except pdfium.PdfiumError:
        return [None] * len(pdf)
    finally:
        pdf.close()
    return out
