"""Document bytes → :class:`Extraction`: load pages, OCR each one, pick the orientation
whose layout yields the most labelled fields, merge fields across pages.

:func:`extract_document_within` bounds one document's OCR in time (issue 11, defect 12):
the caller stops waiting at the limit, and the worker thread, which Python cannot kill,
stops at its next engine call (one call on a page of at most ~3 MP takes a few seconds).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from PIL import Image

from regsafe.ocr import classify, pdftext
from regsafe.ocr.documents import (
    DEFAULT_DPI,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_PIXELS,
    DocumentError,
    DocumentType,
    inspect_document,
    load_document,
    sniff_type,
)
from regsafe.ocr.engines import OcrEngine, RapidOcrEngine, TextBox
from regsafe.ocr.fields import (
    DocumentKind,
    Extraction,
    Field,
    extract_fields,
    reading_order,
    same_line,
    turn_boxes,
    unanswered_labels,
)
from regsafe.ocr.rectify import prepare as rectify_page

# Below this layout score the page is OCR'd again turned by 90/180/270°, but only
# when the first pass found too little text (an engine that cannot read turned lines).
MIN_SCORE_BEFORE_RETRY = 3
MIN_CHARS = 12
DEFAULT_TIME_LIMIT_SECONDS = 90.0
# Extraction.engine for a PDF read from its text layer (no OCR at all).
TEXT_LAYER_ENGINE = "pdf-text"


class OcrTimeLimit(DocumentError):
    """OCR of one document took longer than its time limit."""

    code = "OCR_TIME_LIMIT"


class _Deadline:
    """An engine that refuses to start another recognition after ``at`` (monotonic)."""

    def __init__(self, engine: OcrEngine, at: float, limit: float) -> None:
        self.engine, self.at, self.limit = engine, at, limit
        self.name = engine.name

    def check(self) -> None:
        if time.monotonic() >= self.at:
            raise OcrTimeLimit(f"识别超时（超过 {self.limit:g} 秒），请人工核对")

    def recognize(self, image: Image.Image) -> list[TextBox]:
        self.check()
        return self.engine.recognize(image)


def _default_engine() -> OcrEngine:
    return RapidOcrEngine()


def _best_frame(
    boxes: Sequence[TextBox], size: tuple[int, int], kind: DocumentKind, pre_turns: int
) -> tuple[int, int, dict[str, Field], list[TextBox]]:
    """(score, degrees, fields, upright boxes) of the best of the four page frames."""
    best: tuple[int, int, dict[str, Field], list[TextBox]] | None = None
    for turns in range(4):
        upright, _ = turn_boxes(boxes, size, turns)
        fields, score = extract_fields(upright, kind)
        degrees = ((turns + pre_turns) % 4) * 90
        if best is None or score > best[0]:
            best = (score, degrees, fields, upright)
    assert best is not None
    return best


def _little_text(boxes: Sequence[TextBox]) -> bool:
    """Too little (or too unsure) text for a page that should hold labelled fields."""
    chars = sum(len(b.text) for b in boxes)
    mean = sum(b.confidence for b in boxes) / len(boxes) if boxes else 0.0
    return chars < MIN_CHARS or mean < 0.6


MAX_REREADS = 2
REREAD_FRAMINGS = ((1.0, 1.0), (2.0, 1.0), (0.5, 2.0))  # (vertical margin in lines, zoom)
REREAD_MIN_CONFIDENCE = 0.85


def _overlaps(a: TextBox, b: TextBox) -> bool:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w > 0 and h > 0 and w * h > 0.3 * min(a.width * a.height, b.width * b.height)


def _reread_missing(
    image: Image.Image,
    kind: DocumentKind,
    engine: OcrEngine,
    best: tuple[int, int, dict[str, Field], list[TextBox]],
) -> tuple[int, int, dict[str, Field], list[TextBox]]:
    """Labels with no value (or a short one read unsure) on an upright page: the strip
    right of each (at most MAX_REREADS) is read again in a few framings, and a confident
    reading on the label's line is added (replacing the unsure one) if the layout
    scores at least as well. A missed or garbled one- or two-character value box costs
    one to three small recognitions instead of a wrong or empty field."""
    score, degrees, fields, boxes = best
    labels = unanswered_labels(boxes, kind, fields)[:MAX_REREADS]
    if degrees != 0 or not labels:
        return best
    kept = list(boxes)
    added: list[TextBox] = []
    for label, weak in labels:
        h = label.height
        others = [b for b in kept if all(b is not w for w in weak)]
        # The detector is fickle on a short box: a few framings, the first confident wins.
        for pad, zoom in REREAD_FRAMINGS:
            left, top = max(0.0, label.x1 - 0.2 * h), max(0.0, label.y0 - pad * h)
            right = min(float(image.width), label.x1 + 14 * h)
            bottom = min(float(image.height), label.y1 + pad * h)
            if right - left < h or bottom - top < h:
                break
            crop = image.crop((round(left), round(top), round(right), round(bottom)))
            if zoom != 1.0:
                size = (round(crop.width * zoom), round(crop.height * zoom))
                crop = crop.resize(size, Image.Resampling.LANCZOS)
            found = [
                TextBox(
                    b.text,
                    b.confidence,
                    tuple((left + x / zoom, top + y / zoom) for x, y in b.box),  # type: ignore[arg-type]
                )
                for b in engine.recognize(crop)
                if b.confidence >= REREAD_MIN_CONFIDENCE
            ]
            fresh = [
                b
                for b in found
                if same_line(label, b) and not any(_overlaps(b, o) for o in others + added)
            ]
            if fresh:
                kept = others  # a confident reading replaces the weak one
                added.extend(fresh)
                break
    if not added:
        return best
    again = _best_frame(kept + added, image.size, kind, 0)
    return again if again[0] >= score and again[1] == 0 else best


def _page(
    image: Image.Image, kind: DocumentKind, engine: OcrEngine, try_rotations: bool
) -> tuple[int, int, dict[str, Field], list[TextBox]]:
    return _reread_missing(image, kind, engine, _read_page(image, kind, engine, try_rotations))


def _read_page(
    image: Image.Image, kind: DocumentKind, engine: OcrEngine, try_rotations: bool
) -> tuple[int, int, dict[str, Field], list[TextBox]]:
    boxes = engine.recognize(image)
    best = _best_frame(boxes, image.size, kind, 0)
    if try_rotations and best[1] != 0:
        # The layout says the page is turned. The engine read long lines anyway, but
        # short ones (性别 男) come out garbled: read the upright page once more.
        upright = image.rotate(-best[1], expand=True)
        again = _best_frame(engine.recognize(upright), upright.size, kind, best[1] // 90)
        if again[0] >= best[0]:
            best = again
        return best
    if try_rotations and best[0] < MIN_SCORE_BEFORE_RETRY and _little_text(boxes):
        # Too little found: the engine may not have coped with the rotation itself.
        for turns in (1, 2, 3):
            turned = image.rotate(-90 * turns, expand=True)  # clockwise
            candidate = _best_frame(engine.recognize(turned), turned.size, kind, turns)
            if candidate[0] > best[0]:
                best = candidate
            if best[0] >= MIN_SCORE_BEFORE_RETRY:
                break
    return best


PageResult = tuple[int, int, dict[str, Field], list[TextBox]]  # score, degrees, fields, boxes


def extract_pages(
    pages: Sequence[Image.Image],
    kind: DocumentKind,
    engine: OcrEngine | None = None,
    *,
    try_rotations: bool = True,
    rectify_pages: bool = True,
) -> Extraction:
    """OCR page images. Each page is first rectified (``rectify.py``: a photographed
    document is cut out of its background and its perspective undone) unless
    ``rectify_pages`` is False."""
    ocr = engine or _default_engine()
    started = time.perf_counter()
    results = [
        _page(rectify_page(image) if rectify_pages else image, kind, ocr, try_rotations)
        for image in pages
    ]
    return _merged(results, kind, ocr.name, len(pages), started)


def _text_page(boxes: list[TextBox], size: tuple[int, int], kind: DocumentKind) -> PageResult:
    """A PDF page's text layer, read like an OCR'd page (turned frames included)."""
    return _best_frame(boxes, size, kind, 0)


def _merged(
    results: Sequence[PageResult], kind: DocumentKind, engine: str, pages: int, started: float
) -> Extraction:
    texts = [reading_order(upright) for _, _, _, upright in results]
    rotations = [degrees for _, degrees, _, _ in results]
    # The page with the best layout score is the document's main page; other pages only
    # fill fields it lacks (so a second person's name on an annex cannot win).
    merged: dict[str, Field] = {}
    for _, _, fields, _ in sorted(results, key=lambda r: -r[0]):
        for name, found in fields.items():
            current = merged.get(name)
            if current is None or (current.valid is False and found.valid is not False):
                merged[name] = found
    ms = (time.perf_counter() - started) * 1000
    detected = classify.looks_like("\n".join(texts))
    notice = None
    if not any(t.strip() for t in texts):
        notice = "未识别到文字：图片可能空白、全黑或过于模糊，请重新拍摄上传"
    elif detected is not None and detected is not kind:
        notice = (
            f"该文件看起来是{classify.KIND_NAMES[detected]}，"
            f"不是{classify.KIND_NAMES[kind]}，请检查是否上传错误"
        )
    return Extraction(
        kind=kind,
        fields=merged,
        raw_text="\f".join(texts),
        pages=pages,
        engine=engine,
        ms=round(ms, 1),
        rotations=rotations,
        detected_kind=detected.value if detected is not None and detected is not kind else None,
        notice=notice,
    )


def _extract_pdf(
    data: bytes,
    kind: DocumentKind,
    ocr: OcrEngine,
    *,
    max_pixels: int,
    max_pages: int,
    dpi: int,
    try_rotations: bool,
) -> Extraction:
    """A PDF: each page's text layer when it has one (the electronic certificate), OCR of
    the rendered page only where it has none. Limits are checked first either way."""
    started = time.perf_counter()
    inspect_document(data, max_pixels=max_pixels, max_pages=max_pages)
    layers = pdftext.text_layer(data, dpi=dpi)
    if layers and all(layer is not None for layer in layers):
        results = [_text_page(boxes, size, kind) for boxes, size in filter(None, layers)]
        return _merged(results, kind, TEXT_LAYER_ENGINE, len(results), started)
    images = load_document(data, max_pixels=max_pixels, max_pages=max_pages, dpi=dpi)
    if isinstance(ocr, _Deadline):
        ocr.check()  # rendering a PDF can take long by itself
    results = []
    for index, image in enumerate(images):
        layer = layers[index] if index < len(layers) else None
        if layer is not None:
            results.append(_text_page(layer[0], layer[1], kind))
        else:
            results.append(_page(rectify_page(image), kind, ocr, try_rotations))
    name = ocr.name if not any(layers) else f"{TEXT_LAYER_ENGINE}+{ocr.name}"
    return _merged(results, kind, name, len(images), started)


def extract_document(
    data: bytes,
    kind: DocumentKind | str,
    engine: OcrEngine | None = None,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_pages: int = DEFAULT_MAX_PAGES,
    dpi: int = DEFAULT_DPI,
    try_rotations: bool = True,
    time_limit: float | None = None,
) -> Extraction:
    """Sniff, load and OCR a JPEG/PNG/PDF. Raises :class:`DocumentError` subclasses for
    refused input (:class:`OcrTimeLimit` when ``time_limit`` seconds pass before the last
    engine call starts) and :class:`EngineUnavailable` when the engine cannot run."""
    started = time.perf_counter()
    ocr = engine or _default_engine()
    if time_limit is not None:
        ocr = _Deadline(ocr, time.monotonic() + time_limit, time_limit)
    if sniff_type(data) is DocumentType.PDF:
        result = _extract_pdf(
            data,
            DocumentKind(kind),
            ocr,
            max_pixels=max_pixels,
            max_pages=max_pages,
            dpi=dpi,
            try_rotations=try_rotations,
        )
    else:
        pages = load_document(data, max_pixels=max_pixels, max_pages=max_pages, dpi=dpi)
        result = extract_pages(pages, DocumentKind(kind), ocr, try_rotations=try_rotations)
    result.ms = round((time.perf_counter() - started) * 1000, 1)
    return result


async def extract_document_within(
    data: bytes,
    kind: DocumentKind | str,
    engine: OcrEngine | None = None,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT_SECONDS,
) -> Extraction:
    """:func:`extract_document` in a worker thread, given up after ``time_limit`` seconds
    with :class:`OcrTimeLimit`, so a job records a failure instead of running on."""
    work = asyncio.to_thread(extract_document, data, kind, engine, time_limit=time_limit)
    try:
        return await asyncio.wait_for(work, timeout=time_limit)
    except TimeoutError:
        raise OcrTimeLimit(f"识别超时（超过 {time_limit:g} 秒），请人工核对") from None
