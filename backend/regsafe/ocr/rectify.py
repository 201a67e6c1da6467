"""Phone photos of a document (issue 13): find the card or page, undo the perspective,
straighten what is left, and cap the working resolution — before OCR.

A registrant photographs the ID card or certificate lying on a table: the document is a
quadrilateral somewhere in the frame, on a textured background, with a shadow or a
glare spot, and its text lines converge. The layout matching (``fields.py``) needs
level lines, so:

1. **Cap** the longest side at :data:`MAX_SIDE` (2000 px; rapidocr works at that size
   anyway), so a 12 MP photo costs what a scan costs.
2. **Find the document** on a copy of at most :data:`DETECT_SIDE` px: candidate outlines
   from Otsu thresholding (a light document on a darker table) and from Canny edges,
   each reduced to its convex hull and approximated with ``approxPolyDP``. A candidate
   is only *convincing* when it has four corners, covers 15–97 % of the frame, has
   interior angles of 40–140°, no edge along the frame's border (a shadow's edge across
   the page is not a document's), and the band just outside it differs from the band just
   inside it (a table around paper — not a frame printed on the page, which has the same
   paper on both sides). Otherwise the image is used as it is.
3. **Rectify** with ``getPerspectiveTransform``/``warpPerspective`` to the size of the
   quadrilateral's longer sides (at most :data:`MAX_SIDE`).
4. **Deskew**: the angle (within ±:data:`MAX_SKEW`°) whose horizontal projection of the
   dark pixels is most peaked, applied when it is at least :data:`MIN_SKEW`° and clearly
   better than none.

Pure image in, image out; costs ~20–60 ms on 2 cores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from PIL import Image

MAX_SIDE = 2000
DETECT_SIDE = 640
MIN_AREA, MAX_AREA = 0.15, 0.97
MIN_ANGLE, MAX_ANGLE = 40.0, 140.0
MIN_BAND_CONTRAST = 18.0  # grey levels between the bands outside and inside the outline
MAX_SKEW, MIN_SKEW = 8.0, 0.8

Array = np.ndarray[Any, Any]


@dataclass(frozen=True)
class Outline:
    """The document's corners in the input image's pixels (tl, tr, br, bl)."""

    corners: tuple[tuple[float, float], ...]
    area_share: float
    contrast: float


def cap(image: Image.Image, max_side: int = MAX_SIDE) -> Image.Image:
    longest = max(image.size)
    if longest <= max_side:
        return image
    factor = max_side / longest
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _order(points: Array) -> Array:
    """tl, tr, br, bl."""
    pts = points.reshape(4, 2).astype(np.float32)
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array(
        [pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]],
        dtype=np.float32,
    )


def _angles_ok(quad: Array) -> bool:
    for i in range(4):
        a, b, c = quad[i - 1], quad[i], quad[(i + 1) % 4]
        v1, v2 = a - b, c - b
        norm = float(np.linalg.norm(v1) * np.linalg.norm(v2))
        if norm == 0:
            return False
        angle = np.degrees(np.arccos(np.clip(float(np.dot(v1, v2)) / norm, -1.0, 1.0)))
        if not (MIN_ANGLE <= angle <= MAX_ANGLE):
            return False
    return True


def _band_contrast(gray: Array, quad: Array) -> float:
    """Mean grey just outside the outline minus just inside it (absolute), skipping the
    few pixels on the edge itself (a printed border line)."""
    mask = np.zeros(gray.shape, np.uint8)
    cv2.fillConvexPoly(mask, quad.astype(np.int32), 255)
    near = max(2, round(max(gray.shape) * 0.006))
    far = max(near + 4, round(max(gray.shape) * 0.025))

    def kernel(n: int) -> Array:
        return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * n + 1, 2 * n + 1))

    outside = np.logical_and(cv2.dilate(mask, kernel(far)) > 0, cv2.dilate(mask, kernel(near)) == 0)
    inside = np.logical_and(cv2.erode(mask, kernel(near)) > 0, cv2.erode(mask, kernel(far)) == 0)
    if not outside.any() or not inside.any():
        return 0.0  # the outline touches the frame on every side
    return abs(float(gray[outside].mean()) - float(gray[inside].mean()))


def _candidates(gray: Array) -> list[Array]:
    blurred = cv2.GaussianBlur(gray, (7, 7), 0)
    side = max(gray.shape)
    close = cv2.getStructuringElement(cv2.MORPH_RECT, (side // 40 + 1, side // 40 + 1))
    masks = []
    _, light = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks.append(cv2.morphologyEx(light, cv2.MORPH_CLOSE, close))
    edges = cv2.Canny(blurred, 40, 120)
    masks.append(cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=2))
    found: list[Array] = []
    for mask in masks:
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
            hull = cv2.convexHull(contour)
            perimeter = cv2.arcLength(hull, True)
            for eps in (0.02, 0.035, 0.05):
                approx = cv2.approxPolyDP(hull, eps * perimeter, True)
                if len(approx) == 4:
                    found.append(_order(approx))
                    break
    return found


def _along_frame(quad: Array, width: int, height: int) -> bool:
    """Whether an edge of the outline runs along the frame's border: the outline is then
    cut by the frame (a shadow's edge across the page, a page larger than the photo),
    not a document lying inside it."""
    margin = 0.015 * max(width, height)
    for i in range(4):
        (x0, y0), (x1, y1) = quad[i], quad[(i + 1) % 4]
        if max(x0, x1) <= margin or min(x0, x1) >= width - 1 - margin:
            return True
        if max(y0, y1) <= margin or min(y0, y1) >= height - 1 - margin:
            return True
    return False


def find_document(image: Image.Image) -> Outline | None:
    """The convincing document outline in ``image``, or None."""
    factor = min(1.0, DETECT_SIDE / max(image.size))
    small = (
        image
        if factor == 1.0
        else image.resize(
            (max(1, round(image.width * factor)), max(1, round(image.height * factor))),
            Image.Resampling.BILINEAR,
        )
    )
    gray = cv2.cvtColor(np.asarray(small.convert("RGB")), cv2.COLOR_RGB2GRAY)
    total = float(gray.shape[0] * gray.shape[1])
    best: Outline | None = None
    for quad in _candidates(gray):
        share = abs(float(cv2.contourArea(quad))) / total
        if not (MIN_AREA <= share <= MAX_AREA) or not _angles_ok(quad):
            continue
        if _along_frame(quad, gray.shape[1], gray.shape[0]):
            continue
        contrast = _band_contrast(gray, quad)
        if contrast < MIN_BAND_CONTRAST:
            continue
        if best is None or share > best.area_share:
            corners = tuple((float(x) / factor, float(y) / factor) for x, y in quad)
            best = Outline(corners, share, contrast)
    return best


def warp(image: Image.Image, outline: Outline, max_side: int = MAX_SIDE) -> Image.Image:
    tl, tr, br, bl = (np.array(p, np.float32) for p in outline.corners)
    width = max(float(np.linalg.norm(tr - tl)), float(np.linalg.norm(br - bl)))
    height = max(float(np.linalg.norm(bl - tl)), float(np.linalg.norm(br - tr)))
    factor = min(1.0, max_side / max(width, height))
    w, h = max(1, round(width * factor)), max(1, round(height * factor))
    source = np.array([tl, tr, br, bl], np.float32)
    target = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    out = cv2.warpPerspective(
        np.asarray(image.convert("RGB")),
        matrix,
        (w, h),
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return Image.fromarray(out)


def _profile_score(ink: Array, degrees: float) -> float:
    h, w = ink.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    turned = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST)
    rows = turned.sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(rows)).sum())


def skew_angle(image: Image.Image) -> float:
    """Degrees to turn counter-clockwise (PIL's sense) to level the text lines."""
    factor = min(1.0, 900 / max(image.size))
    small = image.convert("L")
    if factor < 1.0:
        small = small.resize(
            (max(1, round(image.width * factor)), max(1, round(image.height * factor))),
            Image.Resampling.BILINEAR,
        )
    gray = np.asarray(small)
    ink = cv2.adaptiveThreshold(
        gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15
    ).astype(np.uint8)
    if ink.sum() < 200:
        return 0.0
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5)
    scores = {float(a): _profile_score(ink, float(a)) for a in coarse}
    best = max(scores, key=lambda a: scores[a])
    fine = np.arange(best - 0.4, best + 0.41, 0.1)
    scores.update({float(a): _profile_score(ink, float(a)) for a in fine})
    best = max(scores, key=lambda a: scores[a])
    zero = scores.get(0.0) or _profile_score(ink, 0.0)
    if abs(best) < MIN_SKEW or scores[best] < 1.15 * zero:
        return 0.0
    # cv2 turns counter-clockwise for positive angles in image coordinates, as PIL does.
    return round(best, 1)


def deskew(image: Image.Image) -> Image.Image:
    angle = skew_angle(image)
    if angle == 0.0:
        return image
    edge = tuple(int(v) for v in np.asarray(image.convert("RGB"))[0, 0])
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=edge)


def prepare(image: Image.Image) -> Image.Image:
    """Cap, cut out and rectify the document when a convincing outline is found, then
    deskew. Returns the image as it is when there is nothing to do."""
    capped = cap(image)
    outline = find_document(capped)
    if outline is not None:
        capped = warp(capped, outline)
    return deskew(capped)
