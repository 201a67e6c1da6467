"""The front of the 居民身份证 with its real spaced labels (姓　名, 性　别, 民　族, 出　生,
住　址) and the birth date printed as 1985 年 3 月 12 日 (issue 13), read by the real
OCR model from a rendered card."""

from __future__ import annotations

from datetime import date

from PIL import Image, ImageDraw

from regsafe.ocr.engines import RapidOcrEngine
from regsafe.ocr.extract import extract_pages
from regsafe.ocr.fields import DocumentKind, make_id_number
from regsafe.ocr.synthetic import font

ID = make_id_number("440305", date(1985, 3, 12), 123)


def _front() -> Image.Image:
    card = Image.new("RGB", (1000, 630), (240, 244, 248))
    draw = ImageDraw.Draw(card)
    label, value = font(26), font(32)
    grey, ink = (70, 110, 150), (20, 20, 20)
    draw.text((60, 60), "姓　名", font=label, fill=grey)
    draw.text((180, 56), "张伟", font=value, fill=ink)
    draw.text((60, 140), "性　别", font=label, fill=grey)
    draw.text((180, 136), "男", font=value, fill=ink)
    draw.text((300, 140), "民　族", font=label, fill=grey)
    draw.text((420, 136), "汉", font=value, fill=ink)
    draw.text((60, 220), "出　生", font=label, fill=grey)
    draw.text((180, 216), "1985 年 3 月 12 日", font=value, fill=ink)
    draw.text((60, 300), "住　址", font=label, fill=grey)
    draw.text((180, 296), "广东省深圳市福田区", font=value, fill=ink)
    draw.text((180, 346), "深南大道1001号", font=value, fill=ink)
    draw.text((60, 520), "公民身份号码", font=label, fill=grey)
    draw.text((300, 514), ID, font=font(36), fill=ink)
    return card


def test_the_real_model_reads_the_spaced_labels(ocr_engine: RapidOcrEngine) -> None:
    extraction = extract_pages([_front()], DocumentKind.ID_CARD, ocr_engine)
    values = {k: f.value for k, f in extraction.fields.items()}
    expected = {
        "name": "张伟",
        "gender": "MALE",
        "ethnicity": "汉",
        "birth_date": "1985-03-12",
        "address": "广东省深圳市福田区深南大道1001号",
        "id_number": ID,
    }
    wrong = {k: (values.get(k), v) for k, v in expected.items() if values.get(k) != v}
    assert not wrong, (wrong, extraction.raw_text)
    assert extraction.fields["id_number"].valid is True and extraction.notice is None
