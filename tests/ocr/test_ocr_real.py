"""End to end with the real RapidOCR model on generated document images (no mocks).

About a dozen images, ~1 s each on 2 cores; the model loads once per session."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from regsafe.ocr import synthetic
from regsafe.ocr.engines import (
    EasyOcrEngine,
    EngineUnavailable,
    RapidOcrEngine,
    TextBox,
    engine_from_name,
)
from regsafe.ocr.extract import extract_document
from regsafe.ocr.fields import DocumentKind, Extraction

ID = DocumentKind.ID_CARD
DIPLOMA = DocumentKind.DIPLOMA
CERT = DocumentKind.QUALIFICATION_CERTIFICATE

Degrade = Callable[[Image.Image], bytes]


def plain_png(image: Image.Image) -> bytes:
    return synthetic.encode(image, "PNG")


def jpeg40(image: Image.Image) -> bytes:
    return synthetic.encode(image, "JPEG", quality=40)


def noisy_jpeg40(image: Image.Image) -> bytes:
    return synthetic.encode(synthetic.add_noise(image, 16.0), "JPEG", quality=40)


def rot(degrees: int, then: Degrade = plain_png) -> Degrade:
    return lambda image: then(synthetic.rotate(image, degrees))


def _check(result: Extraction, expected: dict[str, str], names: tuple[str, ...]) -> None:
    got = {name: result.fields[name].value for name in names if name in result.fields}
    assert got == {name: expected[name] for name in names}, result.raw_text
    for name in names:
        assert 0.5 < result.fields[name].confidence <= 1.0


ALL_ID = ("name", "gender", "ethnicity", "birth_date", "address", "id_number")
ALL_DIPLOMA = ("name", "school", "major", "level", "certificate_number", "graduation_date")
ALL_CERT = ("name", "id_number", "certificate_number", "specialty", "issue_date")


@pytest.mark.parametrize(
    ("kind", "seed", "degrade", "names", "rotation"),
    [
        pytest.param(ID, 1, plain_png, ALL_ID, 0, id="id-card-png"),
        pytest.param(ID, 2, noisy_jpeg40, ALL_ID, 0, id="id-card-noisy-jpeg40"),
        pytest.param(ID, 3, rot(90), ALL_ID, 90, id="id-card-rot90"),
        pytest.param(ID, 4, rot(180, noisy_jpeg40), ALL_ID, 180, id="id-card-rot180-noisy"),
        pytest.param(DIPLOMA, 1, jpeg40, ALL_DIPLOMA, 0, id="diploma-jpeg40"),
        pytest.param(DIPLOMA, 2, rot(270, jpeg40), ALL_DIPLOMA, 270, id="diploma-rot270"),
        pytest.param(CERT, 1, plain_png, ALL_CERT, 0, id="certificate-png"),
        pytest.param(CERT, 2, noisy_jpeg40, ALL_CERT, 0, id="certificate-noisy-jpeg40"),
        pytest.param(CERT, 3, rot(90, jpeg40), ALL_CERT, 90, id="certificate-rot90"),
    ],
)
def test_fields_from_generated_images(
    ocr_engine: RapidOcrEngine,
    kind: DocumentKind,
    seed: int,
    degrade: Degrade,
    names: tuple[str, ...],
    rotation: int,
) -> None:
    sample = synthetic.generate(kind, seed)
    result = extract_document(degrade(sample.image), kind, ocr_engine)
    assert result.kind is kind
    assert result.pages == 1
    assert result.engine == "rapidocr"
    assert result.rotations == [rotation]
    _check(result, sample.expected, names)
    if "id_number" in names:
        assert result.fields["id_number"].valid is True
        assert result.fields["id_number"].corrected is False


@pytest.mark.parametrize(
    ("kind", "seed", "fmt", "names"),
    [
        pytest.param(ID, 7, "JPEG", ALL_ID, id="id-card-7mp-jpeg"),
        pytest.param(CERT, 7, "PNG", ALL_CERT, id="certificate-17mp-png"),
    ],
)
def test_high_resolution_scans_read_as_well_after_downscaling(
    ocr_engine: RapidOcrEngine, kind: DocumentKind, seed: int, fmt: str, names: tuple[str, ...]
) -> None:
    # given a scan at four times the resolution (7 and 17 MP), which the loader scales
    # to about 3 MP before the engine sees it
    sample = synthetic.generate(kind, seed)
    large = sample.image.resize(
        (sample.image.width * 4, sample.image.height * 4), Image.Resampling.LANCZOS
    )
    # when it is read, then every field is as exact as at the original size
    _check(extract_document(synthetic.encode(large, fmt), kind, ocr_engine), sample.expected, names)


def test_two_page_pdf(ocr_engine: RapidOcrEngine) -> None:
    sample = synthetic.generate(CERT, 5)
    annex = Image.new("RGB", (1240, 880), "white")
    draw = ImageDraw.Draw(annex)
    draw.text((120, 120), "继续教育记录（附页）", font=synthetic.font(40), fill="black")
    draw.text((120, 220), "2021年度 完成学时 48 学时", font=synthetic.font(32), fill="black")
    data = synthetic.pdf([sample.image, annex], resolution=150)
    result = extract_document(data, CERT, ocr_engine)
    assert result.pages == 2
    assert result.raw_text.count("\f") == 1
    assert "继续教育" in result.raw_text.split("\f")[1]
    _check(result, sample.expected, ALL_CERT)


@pytest.mark.parametrize(
    ("digit", "letter", "fixed"),
    [("2", "Z", True), ("7", "T", False)],  # Z→2 is a known confusion, T→7 is not
)
def test_confusable_letter_in_id_number(
    ocr_engine: RapidOcrEngine, digit: str, letter: str, fixed: bool
) -> None:
    sample = synthetic.generate(CERT, 6)
    number = sample.expected["id_number"]
    pos = number.index(digit, 1)
    printed = number[:pos] + letter + number[pos + 1 :]
    image = sample.image.copy()
    draw = ImageDraw.Draw(image)
    draw.rectangle((390, 260, 1200, 320), fill="white")  # cover the printed number
    draw.text((400, 270), printed, font=synthetic.font(32), fill="black")
    field = extract_document(plain_png(image), CERT, ocr_engine).fields["id_number"]
    assert field.raw == printed  # the model read the letter as printed
    assert field.corrected is fixed
    assert field.valid is fixed
    assert field.value == (number if fixed else printed)


def test_engine_is_thread_safe(ocr_engine: RapidOcrEngine) -> None:
    image = synthetic.generate(ID, 1).image
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda _: ocr_engine.recognize(image), range(2)))
    assert [b.text for b in runs[0]] == [b.text for b in runs[1]]
    assert all(isinstance(b, TextBox) for b in runs[0])


def test_engine_from_name(tmp_path: Path) -> None:
    assert isinstance(engine_from_name("rapidocr"), RapidOcrEngine)
    with pytest.raises(EngineUnavailable, match="easyocr weights not found at"):
        engine_from_name("easyocr", model_dir=tmp_path)
    with pytest.raises(EngineUnavailable, match="easyocr weights not found at"):
        EasyOcrEngine(model_dir=tmp_path / "missing")
    with pytest.raises(ValueError, match="unknown OCR engine"):
        engine_from_name("tesseract")


def test_missing_rapidocr_models_are_reported(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="rapidocr models not found"):
        RapidOcrEngine(model_dir=tmp_path).recognize(Image.new("RGB", (10, 10)))
