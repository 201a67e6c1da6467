"""Phone photos (issue 13): the document is found on a textured table, its perspective
undone and its skew levelled before OCR; a scan with nothing around it, or a frame printed
on the page, is left as it is; a 12 MP photo is worked on at 2000 px at most."""

from __future__ import annotations

import random
import time

import numpy as np
import pytest
from PIL import Image

from regsafe.ocr import rectify, synthetic
from regsafe.ocr.documents import load_document
from regsafe.ocr.engines import RapidOcrEngine
from regsafe.ocr.extract import extract_document, extract_pages
from regsafe.ocr.fields import DocumentKind


def _right(expected: dict[str, str], fields: dict[str, object]) -> int:
    return sum(getattr(fields.get(k), "value", None) == v for k, v in expected.items())


def test_the_document_is_found_and_cut_out_of_the_photo() -> None:
    # given a certificate photographed turned by 14° with perspective, shadow and glare
    sample = synthetic.certificate_as_issued(random.Random(5))
    photo, truth = synthetic.photograph_with_corners(sample.image, 1)
    # when the outline is looked for
    outline = rectify.find_document(photo)
    # then it is found: each corner within 1.5 % of the frame's diagonal of the truth
    assert outline is not None and 0.2 < outline.area_share < 0.6
    diagonal = float(np.hypot(*photo.size))
    for found, true in zip(outline.corners, truth, strict=True):
        assert np.hypot(found[0] - true[0], found[1] - true[1]) < 0.015 * diagonal
    # and the rectified page has the document's proportions
    page = rectify.warp(photo, outline)
    ratio = page.width / page.height
    assert abs(ratio - sample.image.width / sample.image.height) < 0.08


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(lambda: synthetic.generate(DocumentKind.ID_CARD, 1).image, id="plain-scan"),
        pytest.param(
            lambda: synthetic.certificate_as_issued(random.Random(2)).image, id="printed-frame"
        ),
    ],
)
def test_a_scan_or_a_printed_frame_is_not_cut(page: object) -> None:
    image: Image.Image = page()  # type: ignore[operator]
    assert rectify.find_document(image) is None
    assert rectify.prepare(image).size == image.size


def test_a_skewed_scan_is_levelled() -> None:
    # given a page turned by 5° on a white scanner bed (no outline to find)
    image = synthetic.generate(DocumentKind.DIPLOMA, 4).image.rotate(
        5, expand=True, fillcolor=(255, 255, 255), resample=Image.Resampling.BICUBIC
    )
    # then the skew found undoes it
    assert rectify.skew_angle(image) == pytest.approx(-5.0, abs=0.5)


def test_a_12_megapixel_photo_is_worked_on_at_2000_px() -> None:
    sample = synthetic.generate(DocumentKind.ID_CARD, 4)
    photo = synthetic.photograph(sample.image, 4, size=(4000, 3000), angle=25, coverage=0.45)
    started = time.perf_counter()
    out = rectify.prepare(photo)
    assert max(out.size) <= rectify.MAX_SIDE
    assert time.perf_counter() - started < 3.0


def test_the_real_model_reads_a_photo_after_rectification_and_not_before(
    ocr_engine: RapidOcrEngine,
) -> None:
    # given the certificate as issued, photographed on a table at an angle
    sample = synthetic.certificate_as_issued(random.Random(5))
    data = synthetic.encode(synthetic.photograph(sample.image, 1), "JPEG", 85)
    pages = load_document(data)
    # when it is read without and with rectification
    before = extract_pages(pages, sample.kind, ocr_engine, rectify_pages=False)
    after = extract_pages(pages, sample.kind, ocr_engine)
    # then only the rectified page gives every field
    assert _right(sample.expected, after.fields) == len(sample.expected), after.raw_text
    assert _right(sample.expected, before.fields) < len(sample.expected)


def test_a_12_megapixel_photo_of_an_id_card_end_to_end(ocr_engine: RapidOcrEngine) -> None:
    sample = synthetic.generate(DocumentKind.ID_CARD, 4)
    photo = synthetic.photograph(sample.image, 4, size=(4000, 3000), angle=25, coverage=0.45)
    result = extract_document(synthetic.encode(photo, "JPEG", 85), sample.kind, ocr_engine)
    assert _right(sample.expected, result.fields) == len(sample.expected), result.raw_text
    assert result.fields["id_number"].valid is True


def test_a_shadow_across_a_scan_is_not_taken_for_the_document_edge() -> None:
    # given a scan whose left part lies in a shadow with a slanted, soft edge
    page = np.asarray(synthetic.generate(DocumentKind.DIPLOMA, 5).image).astype(np.float32)
    height, width = page.shape[:2]
    xs = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    ys = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    shade = 1 / (1 + np.exp(((xs + 0.3 * ys) - 0.4) / 0.06))
    shadowed = Image.fromarray((page * (1 - 0.4 * shade[:, :, None])).astype(np.uint8))
    # then the lit part, bounded by the frame, is no document outline
    assert rectify.find_document(shadowed) is None


def test_an_outline_with_an_edge_along_the_frame_is_no_document() -> None:
    # the lit part of a shadowed scan (as the benchmark once found): three edges on the frame
    lit = np.array([[433, 0], [1397, 0], [1397, 896], [0, 896]], np.float32)
    assert rectify._along_frame(lit, 1400, 900)
    inside = np.array([[300, 120], [1100, 180], [1050, 800], [250, 760]], np.float32)
    assert not rectify._along_frame(inside, 1400, 900)
