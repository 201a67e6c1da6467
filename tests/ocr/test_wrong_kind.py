"""The wrong document in a slot, or a blank page (issue 13, bad input): OCR says what the
page looks like, or that it found no text, instead of answering with empty fields."""

from __future__ import annotations

from PIL import Image

from regsafe.ocr.classify import looks_like
from regsafe.ocr.engines import RapidOcrEngine
from regsafe.ocr.extract import extract_pages
from regsafe.ocr.fields import DocumentKind
from tests.ocr.test_diploma_prose import _render as diploma_page
from tests.ocr.test_id_card_back import _back as id_card_back


def test_the_kinds_by_their_wording() -> None:
    assert looks_like("中华人民共和国\n居民身份证\n签发机关 某某公安局") is DocumentKind.ID_CARD
    assert looks_like("毕业证书 学生张三…准予毕业。") is DocumentKind.DIPLOMA
    assert looks_like("中华人民共和国 注册安全工程师 职业资格证书 管理号") is (
        DocumentKind.QUALIFICATION_CERTIFICATE
    )
    assert looks_like("购物小票 合计 12.50 元") is None
    assert looks_like("") is None


def test_an_id_card_uploaded_as_the_diploma_is_named(ocr_engine: RapidOcrEngine) -> None:
    # given the back of an ID card read in the diploma's slot by the real model
    extraction = extract_pages([id_card_back("2015.03.12-长期")], DocumentKind.DIPLOMA, ocr_engine)
    # then the result says what it looks like, for the registrant to fix
    assert extraction.detected_kind == "ID_CARD"
    assert extraction.notice is not None and "居民身份证" in extraction.notice
    assert "学历证书" in extraction.notice


def test_the_right_document_has_no_notice(ocr_engine: RapidOcrEngine) -> None:
    extraction = extract_pages([diploma_page()], DocumentKind.DIPLOMA, ocr_engine)
    assert extraction.detected_kind is None and extraction.notice is None


def test_blank_and_black_pages_say_no_text_was_found(ocr_engine: RapidOcrEngine) -> None:
    for colour in ("white", "black"):
        page = Image.new("RGB", (1200, 800), colour)
        extraction = extract_pages([page], DocumentKind.ID_CARD, ocr_engine)
        assert extraction.fields == {}, colour
        assert extraction.notice is not None and "未识别到文字" in extraction.notice, colour
