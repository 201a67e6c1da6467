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

from regsafe.ocr import classify
from regsafe.ocr.documents import (
    DEFAULT_DPI,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_PIXELS,
    DocumentError,
    load_document,
)
from regsafe.ocr.engines import OcrEngine, RapidOcrEngine, TextBox
from regsafe.ocr.fields import (
    DocumentKind,
    Extraction,
    Field,
    extract_fields,
    reading_order,
    turn_boxes,
)

# Below this layout score the page is OCR'd again turned by 90/180/270°, but only
# when the first pass found too little text (an engine that cannot read turned lines).
MIN_SCORE_BEFORE_RETRY = 3
MIN_CHARS = 12
DEFAULT_TIME_LIMIT_SECONDS = 90.0


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


def _page(
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


def extract_pages(
    pages: Sequence[Image.Image],
    kind: DocumentKind,
    engine: OcrEngine | None = None,
    *,
    try_rotations: bool = True,
) -> Extraction:
    ocr = engine or _default_engine()
    started = time.perf_counter()
    results = [_page(image, kind, ocr, try_rotations) for image in pages]
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
        pages=len(pages),
        engine=ocr.name,
        ms=round(ms, 1),
        rotations=rotations,
        detected_kind=detected.value if detected is not None and detected is not kind else None,
        notice=notice,
    )


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
    pages = load_document(data, max_pixels=max_pixels, max_pages=max_pages, dpi=dpi)
    if isinstance(ocr, _Deadline):
        ocr.check()  # rendering a PDF can take long by itself
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
