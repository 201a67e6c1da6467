"""The back of the 居民身份证 (国徽面, issue 13): 签发机关 and 有效期限, with 长期 for a
card that does not expire, as parsed text and as read by the real OCR model."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from regsafe.ocr.engines import RapidOcrEngine
from regsafe.ocr.extract import extract_pages
from regsafe.ocr.fields import DocumentKind, parse_validity
from regsafe.ocr.synthetic import font


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2015.03.12-2035.03.12", ("2015-03-12", "2035-03-12")),
        ("2015.03.12-长期", ("2015-03-12", "长期")),
        ("2015.O3.12—2035.03.12", ("2015-03-12", "2035-03-12")),  # OCR's O for 0, a dash
        ("2015年03月12日至2035年03月12日", ("2015-03-12", "2035-03-12")),
        ("2015.03.12", None),  # no end
        ("2015.13.12-2035.03.12", None),  # no 13th month
        ("长期", None),
    ],
)
def test_validity_periods(raw: str, expected: tuple[str, str] | None) -> None:
    assert parse_validity(raw) == expected


def _back(validity: str) -> Image.Image:
    page = Image.new("RGB", (1000, 630), (236, 242, 246))
    draw = ImageDraw.Draw(page)
    draw.text((330, 120), "中华人民共和国", font=font(52), fill=(20, 20, 20))
    draw.text((380, 210), "居民身份证", font=font(52), fill=(20, 20, 20))
    label, value = font(28), font(30)
    draw.text((200, 400), "签发机关", font=label, fill=(60, 60, 60))
    draw.text((360, 398), "深圳市公安局福田分局", font=value, fill=(20, 20, 20))
    draw.text((200, 480), "有效期限", font=label, fill=(60, 60, 60))
    draw.text((360, 478), validity, font=value, fill=(20, 20, 20))
    return page


@pytest.mark.parametrize(
    ("validity", "expected"),
    [("2015.03.12-2035.03.12", "2015-03-12/2035-03-12"), ("2015.03.12-长期", "2015-03-12/长期")],
)
def test_the_real_model_reads_the_back(
    ocr_engine: RapidOcrEngine, validity: str, expected: str
) -> None:
    extraction = extract_pages([_back(validity)], DocumentKind.ID_CARD, ocr_engine)
    fields = extraction.fields
    assert fields["issuing_authority"].value == "深圳市公安局福田分局", extraction.raw_text
    assert fields["valid_period"].value == expected and fields["valid_period"].valid is True
