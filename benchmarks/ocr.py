"""Benchmark: offline OCR field extraction on generated documents.

    .venv/bin/python benchmarks/ocr.py [--per-kind 16] [--seed 1000]

Generates ID-card-, diploma- and certificate-like images with fake but valid data
(plain, JPEG quality 40, noisy, rotated 90/180/270°, skewed 4° at half size,
blurred) into a temp dir, runs
``extract_document`` with the default RapidOCR engine and reports ms/page (mean, p95)
and field accuracy (share of fields exactly right; ID-number exact rate) per kind and
per degradation. Results: benchmarks/results/ocr.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from PIL import Image, ImageFilter

from regsafe.ocr import synthetic
from regsafe.ocr.engines import RapidOcrEngine
from regsafe.ocr.extract import extract_document
from regsafe.ocr.fields import DocumentKind

RESULTS = Path(__file__).parent / "results"


def _skew_half(image: Image.Image) -> Image.Image:
    turned = image.rotate(
        4, expand=True, fillcolor=(255, 255, 255), resample=Image.Resampling.BICUBIC
    )
    return turned.resize((turned.width // 2, turned.height // 2), Image.Resampling.LANCZOS)


DEGRADATIONS: dict[str, Callable[[Image.Image], tuple[bytes, str]]] = {
    "png": lambda im: (synthetic.encode(im, "PNG"), "png"),
    "jpeg40": lambda im: (synthetic.encode(im, "JPEG", 40), "jpg"),
    "noisy_jpeg40": lambda im: (synthetic.encode(synthetic.add_noise(im, 16.0), "JPEG", 40), "jpg"),
    "rot90": lambda im: (synthetic.encode(synthetic.rotate(im, 90), "JPEG", 75), "jpg"),
    "rot180_noisy": lambda im: (
        synthetic.encode(synthetic.add_noise(synthetic.rotate(im, 180), 12.0), "JPEG", 60),
        "jpg",
    ),
    "rot270": lambda im: (synthetic.encode(synthetic.rotate(im, 270), "PNG"), "png"),
    # Harder: a phone photo held slightly askew and downscaled, and a blurred scan.
    "skew4_half": lambda im: (synthetic.encode(_skew_half(im), "JPEG", 60), "jpg"),
    "blur_jpeg40": lambda im: (
        synthetic.encode(im.filter(ImageFilter.GaussianBlur(1.6)), "JPEG", 40),
        "jpg",
    ),
}


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ms = [r["ms_per_page"] for r in rows]
    fields = sum(r["fields_total"] for r in rows)
    right = sum(r["fields_right"] for r in rows)
    ids = [r for r in rows if r["id_number_right"] is not None]
    return {
        "images": len(rows),
        "ms_per_page_mean": round(statistics.fmean(ms), 1),
        "ms_per_page_p95": round(percentile(ms, 95), 1),
        "field_accuracy": round(right / fields, 4) if fields else None,
        "fields": fields,
        "documents_fully_right": sum(r["fields_right"] == r["fields_total"] for r in rows),
        "id_number_exact_rate": (
            round(sum(r["id_number_right"] for r in ids) / len(ids), 4) if ids else None
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-kind", type=int, default=16, help="images per document kind")
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=RESULTS / "ocr.json")
    args = parser.parse_args()

    engine = RapidOcrEngine()
    started = time.perf_counter()
    engine.warm_up()
    load_ms = (time.perf_counter() - started) * 1000

    rows: list[dict[str, Any]] = []
    names = list(DEGRADATIONS)
    with tempfile.TemporaryDirectory(prefix="regsafe-ocr-bench-") as tmp:
        jobs: list[tuple[DocumentKind, str, Path, dict[str, str]]] = []
        for kind in DocumentKind:
            for i in range(args.per_kind):
                sample = synthetic.generate(kind, args.seed + i)
                degradation = names[i % len(names)]
                data, ext = DEGRADATIONS[degradation](sample.image)
                path = Path(tmp) / f"{kind.lower()}-{i:03d}-{degradation}.{ext}"
                path.write_bytes(data)
                jobs.append((kind, degradation, path, sample.expected))
        for kind, degradation, path, expected in jobs:
            result = extract_document(path.read_bytes(), kind, engine)
            got = {name: f.value for name, f in result.fields.items()}
            wrong = {k: [v, got.get(k)] for k, v in expected.items() if got.get(k) != v}
            rows.append(
                {
                    "file": path.name,
                    "kind": str(kind),
                    "degradation": degradation,
                    "ms_per_page": result.ms / result.pages,
                    "fields_total": len(expected),
                    "fields_right": len(expected) - len(wrong),
                    "id_number_right": (
                        got.get("id_number") == expected["id_number"]
                        if "id_number" in expected
                        else None
                    ),
                    "wrong": wrong,
                }
            )
            status = "ok" if not wrong else f"wrong {wrong}"
            print(f"{path.name:55s} {result.ms:7.0f} ms  {status}")

    by_kind = defaultdict(list)
    by_degradation = defaultdict(list)
    for row in rows:
        by_kind[row["kind"]].append(row)
        by_degradation[row["degradation"]].append(row)
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": "rapidocr",
        "versions": {p: version(p) for p in ("rapidocr", "onnxruntime", "pillow", "pypdfium2")},
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "model_load_ms": round(load_ms, 1),
        "overall": summarize(rows),
        "by_kind": {kind: summarize(r) for kind, r in by_kind.items()},
        "by_degradation": {name: summarize(r) for name, r in by_degradation.items()},
        "errors": [r for r in rows if r["wrong"]],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps({k: report[k] for k in ("overall", "by_kind", "by_degradation")}, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
