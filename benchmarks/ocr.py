"""Benchmark: offline OCR field extraction on a degraded set of generated documents.

    .venv/bin/python benchmarks/ocr.py [--per-kind 16] [--seed 5000]

Eight document kinds, as the registration slots receive them: the ID card's front and
back, the labelled and the prose (real wording) diploma, the labelled certificate, the
职业资格证书 and 成绩合格证明 as issued, and the electronic certificate as a PDF with a text
layer. Each image is drawn with fake but valid data in one of the CJK fonts on the
machine (Noto Sans/Serif CJK regular and bold, WenQuanYi Zen Hei when installed) and
degraded one way (rotation ±5°, a phone photo with perspective, shadow and glare on a
table, blur, noise, low resolution, an uneven shadow, JPEG alone), always saved as JPEG
at quality 30–60. The seed (default 5000) is distinct from every seed the tests use.

Reports per kind and per field the exact-match rate and the character accuracy
(1 − edit distance / length of the truth), ms/page (mean, p95), pages/s per core, and the
model load time; checks the targets (ID numbers 100 % exact, every other field ≥ 97 %,
≥ 1 page/s per core). Results: benchmarks/results/ocr.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageFilter

from regsafe.core.pdf_fonts import collection_face
from regsafe.ocr import synthetic
from regsafe.ocr.engines import RapidOcrEngine
from regsafe.ocr.extract import extract_document
from regsafe.ocr.fields import DocumentKind

RESULTS = Path(__file__).parent / "results"
TARGET_ID_EXACT = 1.0
TARGET_FIELD_EXACT = 0.97
TARGET_PAGES_PER_SECOND_PER_CORE = 1.0

FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)

Make = Callable[[random.Random], synthetic.Sample]
KINDS: dict[str, tuple[DocumentKind, Make | None]] = {
    "id_card_front": (DocumentKind.ID_CARD, synthetic.id_card),
    "id_card_back": (DocumentKind.ID_CARD, synthetic.id_card_back),
    "diploma_labelled": (DocumentKind.DIPLOMA, synthetic.diploma),
    "diploma_prose": (DocumentKind.DIPLOMA, synthetic.diploma_prose),
    "certificate_labelled": (DocumentKind.QUALIFICATION_CERTIFICATE, synthetic.certificate),
    "certificate_issued": (DocumentKind.QUALIFICATION_CERTIFICATE, synthetic.certificate_as_issued),
    "pass_proof": (DocumentKind.QUALIFICATION_CERTIFICATE, synthetic.pass_proof),
    # The electronic certificate: a PDF with a text layer, read without OCR.
    "certificate_pdf_text": (DocumentKind.QUALIFICATION_CERTIFICATE, None),
}


def _paper(image: Image.Image) -> tuple[int, int, int]:
    r, g, b = image.convert("RGB").getpixel((5, 5))  # type: ignore[misc]
    return int(r), int(g), int(b)


def _rotate(image: Image.Image, rng: random.Random) -> Image.Image:
    angle = rng.uniform(2.0, 5.0) * rng.choice((-1, 1))
    return image.rotate(
        angle, expand=True, fillcolor=_paper(image), resample=Image.Resampling.BICUBIC
    )


def _photo(image: Image.Image, rng: random.Random) -> Image.Image:
    return synthetic.photograph(
        image,
        rng.randrange(1 << 30),
        angle=rng.uniform(6, 20) * rng.choice((-1, 1)),
        tilt=rng.uniform(0.08, 0.22),
        coverage=rng.uniform(0.5, 0.7),
    )


def _blur(image: Image.Image, rng: random.Random) -> Image.Image:
    return image.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 1.6)))


def _noise(image: Image.Image, rng: random.Random) -> Image.Image:
    return synthetic.add_noise(image, rng.uniform(10, 18), seed=rng.randrange(1 << 30))


def _low_res(image: Image.Image, rng: random.Random) -> Image.Image:
    factor = rng.uniform(0.5, 0.65)
    size = (round(image.width * factor), round(image.height * factor))
    return image.resize(size, Image.Resampling.BILINEAR)


def _shadow(image: Image.Image, rng: random.Random) -> Image.Image:
    """An uneven light: one side up to ~45 % darker, with a soft edge."""
    arr = np.asarray(image.convert("RGB")).astype(np.float32)
    height, width = arr.shape[:2]
    xs = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    ys = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    slope = rng.uniform(-0.5, 0.5)
    edge = rng.uniform(0.3, 0.6)
    band = 1 / (1 + np.exp(((xs + slope * ys) - edge) / 0.06))
    shaded = arr * (1 - rng.uniform(0.3, 0.45) * band[:, :, None])
    return Image.fromarray(np.clip(shaded, 0, 255).astype(np.uint8))


DEGRADATIONS: dict[str, Callable[[Image.Image, random.Random], Image.Image]] = {
    "jpeg": lambda image, rng: image,
    "rotate_5": _rotate,
    "photo_perspective": _photo,
    "blur": _blur,
    "noise": _noise,
    "low_res": _low_res,
    "shadow": _shadow,
}


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def char_accuracy(truth: str, got: str | None) -> float:
    if not truth:
        return 1.0 if not got else 0.0
    return max(0.0, 1 - edit_distance(truth, got or "") / len(truth))


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _fonts() -> list[tuple[str, int]]:
    return [(path, collection_face(path)) for path in FONT_FILES if Path(path).is_file()]


def _document(
    name: str, index: int, seed: int, fonts: list[tuple[str, int]]
) -> tuple[DocumentKind, bytes, dict[str, str], str, str]:
    """(kind, file bytes, expected fields, degradation, font) of one benchmark document."""
    kind, make = KINDS[name]
    rng = random.Random(f"bench-{seed}-{name}-{index}")
    path, face = fonts[index % len(fonts)]
    synthetic.use_font(path, face)
    try:
        if make is None:
            layout, expected = synthetic.certificate_as_issued_layout(rng)
            return kind, synthetic.layout_pdf(layout), expected, "pdf_text_layer", Path(path).stem
        sample = make(rng)
        degradations = list(DEGRADATIONS)
        degradation = degradations[(index + list(KINDS).index(name)) % len(degradations)]
        image = DEGRADATIONS[degradation](sample.image, rng)
        data = synthetic.encode(image, "JPEG", quality=rng.randrange(30, 61))
        return kind, data, sample.expected, degradation, Path(path).stem
    finally:
        synthetic.use_font(None)


def summarize(rows: list[dict[str, Any]], threads: int) -> dict[str, Any]:
    ms = [r["ms_per_page"] for r in rows]
    cpu_ms = [r["cpu_ms_per_page"] for r in rows]
    per_field: dict[str, list[tuple[bool, float]]] = defaultdict(list)
    for r in rows:
        for field, (exact, accuracy) in r["fields"].items():
            per_field[field].append((exact, accuracy))
    mean_ms = statistics.fmean(ms)
    mean_cpu = statistics.fmean(cpu_ms)
    return {
        "documents": len(rows),
        "documents_fully_right": sum(all(e for e, _ in r["fields"].values()) for r in rows),
        "ms_per_page_mean": round(mean_ms, 1),
        "ms_per_page_p95": round(percentile(ms, 95), 1),
        "cpu_ms_per_page_mean": round(mean_cpu, 1),
        # CPU seconds per page (process time: immune to other load on a shared machine)
        # and wall-clock pages/s divided by the engine's threads.
        "pages_per_second_per_core": round(1000 / mean_cpu, 3),
        "pages_per_second_per_thread_wall": round(1000 / mean_ms / threads, 3),
        "derived_fields": sum(len(r["derived"]) for r in rows),
        "fields": {
            field: {
                "n": len(values),
                "exact_rate": round(sum(e for e, _ in values) / len(values), 4),
                "char_accuracy": round(statistics.fmean(a for _, a in values), 4),
            }
            for field, values in sorted(per_field.items())
        },
    }


def targets(by_kind: dict[str, Any], overall: dict[str, Any]) -> dict[str, Any]:
    misses: list[str] = []
    for kind, summary in by_kind.items():
        for field, stats in summary["fields"].items():
            goal = TARGET_ID_EXACT if field == "id_number" else TARGET_FIELD_EXACT
            if stats["exact_rate"] < goal:
                misses.append(f"{kind}.{field}: {stats['exact_rate']:.2%} exact < {goal:.0%}")
    speed = overall["pages_per_second_per_core"]
    if speed < TARGET_PAGES_PER_SECOND_PER_CORE:
        misses.append(f"speed: {speed:.2f} pages/s per core < 1")
    return {"met": not misses, "misses": misses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-kind", type=int, default=16, help="documents per kind")
    parser.add_argument("--seed", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=RESULTS / "ocr.json")
    parser.add_argument(
        "--threads", type=int, default=1, help="onnxruntime threads (1: per-core figures)"
    )
    args = parser.parse_args()
    cpus = os.cpu_count() or 1

    engine = RapidOcrEngine(threads=args.threads)
    started = time.perf_counter()
    engine.warm_up()
    load_ms = (time.perf_counter() - started) * 1000

    fonts = _fonts()
    rows: list[dict[str, Any]] = []
    for name in KINDS:
        for i in range(args.per_kind):
            kind, data, expected, degradation, font = _document(name, i, args.seed, fonts)
            cpu = time.process_time()
            result = extract_document(data, kind, engine)
            cpu_ms = (time.process_time() - cpu) * 1000
            got = {field: f.value for field, f in result.fields.items()}
            fields = {
                field: (got.get(field) == truth, round(char_accuracy(truth, got.get(field)), 4))
                for field, truth in expected.items()
            }
            wrong = {k: [v, got.get(k)] for k, v in expected.items() if got.get(k) != v}
            rows.append(
                {
                    "kind": name,
                    "index": i,
                    "degradation": degradation,
                    "font": font,
                    "engine": result.engine,
                    "ms_per_page": result.ms / result.pages,
                    "cpu_ms_per_page": cpu_ms / result.pages,
                    # Filled from the ID number, not read (fields.py): counted apart.
                    "derived": sorted(
                        k for k, f in result.fields.items() if f.corrected and not f.raw
                    ),
                    "fields": fields,
                    "wrong": wrong,
                }
            )
            status = "ok" if not wrong else f"wrong {wrong}"
            print(f"{name:22s} {i:3d} {degradation:18s} {result.ms:7.0f} ms  {status}")

    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_degradation: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_kind[row["kind"]].append(row)
        by_degradation[row["degradation"]].append(row)
    ocr_rows = [r for r in rows if r["engine"] != "pdf-text"]
    overall = summarize(rows, args.threads)
    kinds = {kind: summarize(r, args.threads) for kind, r in by_kind.items()}
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": "rapidocr",
        "versions": {
            p: version(p)
            for p in ("rapidocr", "onnxruntime", "pillow", "pypdfium2", "opencv-python-headless")
        },
        "cpus": cpus,
        "threads": args.threads,
        "python": platform.python_version(),
        "seed": args.seed,
        "per_kind": args.per_kind,
        "fonts": [Path(p).name for p, _ in fonts],
        "model_load_ms": round(load_ms, 1),
        "overall": overall,
        "overall_ocr_only": summarize(ocr_rows, args.threads) if ocr_rows else None,
        "by_kind": kinds,
        "by_degradation": {
            name: {k: v for k, v in summarize(r, args.threads).items() if k != "fields"}
            for name, r in by_degradation.items()
        },
        "targets": targets(kinds, summarize(ocr_rows, args.threads) if ocr_rows else overall),
        "errors": [r for r in rows if r["wrong"]],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    brief = {
        name: {
            "ms": s["ms_per_page_mean"],
            "exact": {f: v["exact_rate"] for f, v in s["fields"].items()},
        }
        for name, s in kinds.items()
    }
    print(json.dumps(brief, ensure_ascii=False, indent=1))
    print(json.dumps(report["targets"], ensure_ascii=False, indent=1))
    print(f"model load {load_ms:.0f} ms; wrote {args.out}")


if __name__ == "__main__":
    main()
