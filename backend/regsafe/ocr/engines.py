"""OCR engines behind one interface.

``RapidOcrEngine`` (default) runs the PP-OCR det/cls/rec models bundled inside the
``rapidocr`` wheel with onnxruntime on CPU. Model paths are always passed explicitly, so
rapidocr never tries to download anything. ``EasyOcrEngine`` is optional: it needs the
``easyocr`` package and its weights at a configured directory, and says so clearly
(:class:`EngineUnavailable`) when either is missing.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from PIL import Image

Point = tuple[float, float]


class EngineUnavailable(RuntimeError):
    """The engine cannot run here (package or model weights missing)."""


@dataclass(frozen=True)
class TextBox:
    """One recognised text line: its text, confidence (0-1) and 4 corner points
    (clockwise from top-left, in pixel coordinates of the image that was read)."""

    text: str
    confidence: float
    box: tuple[Point, Point, Point, Point]

    @classmethod
    def from_rect(
        cls, text: str, confidence: float, x0: float, y0: float, x1: float, y1: float
    ) -> TextBox:
        return cls(text, confidence, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)))

    @property
    def x0(self) -> float:
        return min(p[0] for p in self.box)

    @property
    def y0(self) -> float:
        return min(p[1] for p in self.box)

    @property
    def x1(self) -> float:
        return max(p[0] for p in self.box)

    @property
    def y1(self) -> float:
        return max(p[1] for p in self.box)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@runtime_checkable
class OcrEngine(Protocol):
    name: str

    def recognize(self, image: Image.Image) -> list[TextBox]: ...


def _to_array(image: Image.Image) -> np.ndarray[Any, Any]:
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    # rapidocr and easyocr both expect OpenCV's BGR channel order for arrays.
    return np.ascontiguousarray(np.asarray(rgb)[:, :, ::-1])


def _points(raw: Any) -> tuple[Point, Point, Point, Point]:
    pts = [(float(p[0]), float(p[1])) for p in raw]
    if len(pts) != 4:
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        pts = [(min(xs), min(ys)), (max(xs), min(ys)), (max(xs), max(ys)), (min(xs), max(ys))]
    return (pts[0], pts[1], pts[2], pts[3])


# --- RapidOCR -------------------------------------------------------------------------

RAPIDOCR_MODELS = {
    "det": "PP-OCRv6_det_small.onnx",
    "rec": "PP-OCRv6_rec_small.onnx",
    "cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}

_rapid_cache: dict[tuple[str, int], tuple[Any, threading.Lock]] = {}
_rapid_cache_lock = threading.Lock()


def bundled_model_dir() -> Path:
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or spec.origin is None:
        raise EngineUnavailable("rapidocr is not installed (pip install rapidocr==3.10.0)")
    return Path(spec.origin).parent / "models"


class RapidOcrEngine:
    """PP-OCR through rapidocr + onnxruntime (CPU). The model is loaded on first use and
    shared by every instance with the same model directory and thread count; calls are
    serialised per model because rapidocr keeps per-call state on the instance."""

    name = "rapidocr"

    def __init__(self, model_dir: str | Path | None = None, threads: int | None = None) -> None:
        self.model_dir = Path(model_dir) if model_dir else None
        env_threads = os.environ.get("REGSAFE_OCR_THREADS")
        self.threads = threads if threads is not None else int(env_threads or -1)

    def _model_paths(self) -> dict[str, Path]:
        root = self.model_dir or bundled_model_dir()
        paths = {kind: root / filename for kind, filename in RAPIDOCR_MODELS.items()}
        missing = [str(p) for p in paths.values() if not p.is_file()]
        if missing:
            raise EngineUnavailable(f"rapidocr models not found: {', '.join(missing)}")
        return paths

    def _model(self) -> tuple[Any, threading.Lock]:
        key = (str(self.model_dir or ""), self.threads)
        with _rapid_cache_lock:
            cached = _rapid_cache.get(key)
            if cached is None:
                try:
                    from rapidocr import RapidOCR
                except ImportError as exc:  # pragma: no cover - dependency missing
                    raise EngineUnavailable(
                        "rapidocr is not installed (pip install rapidocr==3.10.0)"
                    ) from exc
                paths = self._model_paths()
                params: dict[str, Any] = {
                    "Global.log_level": "error",
                    "Det.model_path": str(paths["det"]),
                    "Cls.model_path": str(paths["cls"]),
                    "Rec.model_path": str(paths["rec"]),
                    "EngineConfig.onnxruntime.intra_op_num_threads": self.threads,
                }
                cached = (RapidOCR(params=params), threading.Lock())
                _rapid_cache[key] = cached
        return cached

    def warm_up(self) -> None:
        self.recognize(Image.new("RGB", (64, 32), "white"))

    def recognize(self, image: Image.Image) -> list[TextBox]:
        model, lock = self._model()
        with lock:
            result = model(_to_array(image))
        txts = getattr(result, "txts", None) or ()
        scores = getattr(result, "scores", None) or ()
        boxes = getattr(result, "boxes", None)
        if boxes is None:
            return []
        return [
            TextBox(str(text), float(score), _points(box))
            for text, score, box in zip(txts, scores, boxes, strict=False)
            if str(text).strip()
        ]


# --- EasyOCR (optional) ---------------------------------------------------------------

EASYOCR_WEIGHTS = {
    "ch_sim": "zh_sim_g2.pth",
    "en": "english_g2.pth",
    "detector": "craft_mlt_25k.pth",
}


class EasyOcrEngine:
    """easyocr with weights from ``model_dir`` (``REGSAFE_EASYOCR_MODEL_DIR``); never
    downloads. Raises :class:`EngineUnavailable` at construction when the package or
    the weights are missing."""

    name = "easyocr"

    def __init__(
        self,
        model_dir: str | Path | None = None,
        languages: tuple[str, ...] = ("ch_sim", "en"),
    ) -> None:
        configured = model_dir or os.environ.get("REGSAFE_EASYOCR_MODEL_DIR")
        self.model_dir = Path(configured) if configured else Path.home() / ".EasyOCR" / "model"
        self.languages = languages
        needed = [EASYOCR_WEIGHTS["detector"]] + [
            EASYOCR_WEIGHTS[lang] for lang in languages if lang in EASYOCR_WEIGHTS
        ]
        missing = [name for name in needed if not (self.model_dir / name).is_file()]
        if missing:
            raise EngineUnavailable(
                f"easyocr weights not found at {self.model_dir} (missing: {', '.join(missing)})"
            )
        if importlib.util.find_spec("easyocr") is None:
            raise EngineUnavailable("easyocr is not installed (pip install easyocr)")
        self._reader: Any = None
        self._lock = threading.Lock()

    def recognize(self, image: Image.Image) -> list[TextBox]:
        with self._lock:
            if self._reader is None:
                easyocr = importlib.import_module("easyocr")
                self._reader = easyocr.Reader(
                    list(self.languages),
                    gpu=False,
                    model_storage_directory=str(self.model_dir),
                    download_enabled=False,
                    verbose=False,
                )
            raw = self._reader.readtext(_to_array(image))
        return [TextBox(str(text), float(conf), _points(box)) for box, text, conf in raw]


def engine_from_name(name: str, **options: Any) -> OcrEngine:
    """``rapidocr`` (default) or ``easyocr``; options go to the engine's constructor."""
    key = name.strip().lower()
    if key in ("", "rapidocr", "rapid"):
        return RapidOcrEngine(**options)
    if key == "easyocr":
        return EasyOcrEngine(**options)
    raise ValueError(f"unknown OCR engine {name!r} (choose rapidocr or easyocr)")
