"""职业资格证书 and 成绩合格证明 as issued (issue 13): 管理号 and 证书编号, 专业类别, 批准日期,
the issuing authority; the electronic certificate's PDF read from its text layer without
OCR, and a PDF without one OCR'd."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from regsafe.ocr import synthetic
from regsafe.ocr.engines import RapidOcrEngine, TextBox
from regsafe.ocr.extract import TEXT_LAYER_ENGINE, extract_document, extract_pages
from regsafe.ocr.fields import DocumentKind, extract_fields
from regsafe.ocr.pdftext import text_layer, usable
from regsafe.ocr.qualification import find_authority, prose_fields

CERT = DocumentKind.QUALIFICATION_CERTIFICATE

PROOF = (
    "成绩合格证明\n张三（身份证件号码：11010519491231002X）参加2019年度全国中级注册安全\n"
    "工程师职业资格考试，成绩合格，专业类别为化工安全。\n特此证明。\n"
    "管理号：2019035440001234\n广东省人事考试中心\n2020年1月15日"
)


def _values(text: str) -> dict[str, str]:
    return {k: v.value for k, v in prose_fields(text).items()}


def test_the_pass_proof_prose_gives_its_values() -> None:
    assert _values(PROOF) == {
        "name": "张三",
        "id_number": "11010519491231002X",
        "exam_year": "2019",
        "specialty": "化工安全",
        "management_number": "2019035440001234",
        "issuing_authority": "广东省人事考试中心",
    }


def test_ascii_punctuation_and_the_other_specialty() -> None:
    text = (
        PROOF.replace("（", "(")
        .replace("：", ": ")
        .replace("化工安全", "其他安全（不包括消防安全）")
    )
    values = _values(text)
    assert values["name"] == "张三" and values["id_number"] == "11010519491231002X"
    assert values["specialty"] == "其他安全（不包括消防安全）"


def test_the_authority_is_a_line_of_its_own_not_the_fixed_sentence() -> None:
    sentence = "本证书由中华人民共和国人力资源和社会保障部、应急管理部批准颁发。"
    assert find_authority(sentence) is None
    assert find_authority(f"{sentence}\n签发单位（盖章）：北京市人力资源和社会保障局") == (
        "北京市人力资源和社会保障局"
    )
    assert find_authority("广东省人力资源和社会保障厅") == "广东省人力资源和社会保障厅"
    assert find_authority("购物小票") is None


def _box(text: str, x0: float, y0: float, x1: float, y1: float) -> TextBox:
    return TextBox.from_rect(text, 0.97, x0, y0, x1, y1)


def test_both_numbers_and_both_dates_by_position() -> None:
    # given the labelled layout, shuffled: 管理号 and 证书编号, 批准日期 and 签发日期
    boxes = [
        _box("证书编号", 90, 880, 180, 910),
        _box("440201900012345", 230, 878, 450, 910),
        _box("管理号", 800, 572, 880, 602),
        _box("2019035440001234", 960, 570, 1200, 602),
        _box("批准日期", 800, 496, 900, 526),
        _box("2019年11月", 960, 494, 1100, 526),
        _box("签发日期", 800, 800, 900, 830),
        _box("2020年1月15日", 960, 798, 1150, 830),
        _box("签发单位（盖章）", 800, 648, 1000, 678),
        _box("广东省人力资源和社会保障厅", 810, 720, 1180, 752),
        _box("出生年月", 90, 572, 200, 602),
        _box("1985年03月", 290, 570, 440, 602),
    ]
    fields, _ = extract_fields(list(reversed(boxes)), CERT)
    values = {k: f.value for k, f in fields.items()}
    assert values == {
        "certificate_number": "440201900012345",
        "management_number": "2019035440001234",
        "approval_date": "2019-11",
        "issue_date": "2020-01-15",
        "issuing_authority": "广东省人力资源和社会保障厅",
        "birth_date": "1985-03",
    }


def test_an_older_page_with_only_a_management_number_and_approval_date() -> None:
    # the fields registration compares fall back to what the page prints
    boxes = [
        _box("管理号", 100, 100, 180, 130),
        _box("0012345", 260, 100, 400, 130),
        _box("批准日期", 100, 200, 200, 230),
        _box("2008年5月20日", 260, 200, 450, 230),
    ]
    values = {k: f.value for k, f in extract_fields(boxes, CERT)[0].items()}
    assert values["certificate_number"] == values["management_number"] == "0012345"
    assert values["issue_date"] == values["approval_date"] == "2008-05-20"


def _wrong(expected: dict[str, str], got: dict[str, str]) -> dict[str, tuple[str | None, str]]:
    return {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}


@pytest.mark.parametrize("make", [synthetic.certificate_as_issued, synthetic.pass_proof])
def test_the_real_model_reads_the_documents_as_issued(
    ocr_engine: RapidOcrEngine, make: object
) -> None:
    sample = make(random.Random(11))  # type: ignore[operator]
    extraction = extract_pages([sample.image], CERT, ocr_engine)
    got = {k: f.value for k, f in extraction.fields.items()}
    assert not _wrong(sample.expected, got), extraction.raw_text
    assert extraction.fields["id_number"].valid is True and extraction.notice is None


class _NoOcr:
    name = "must-not-run"

    def recognize(self, image: Image.Image) -> list[TextBox]:
        raise AssertionError("a PDF with a text layer must not be OCR'd")


def test_an_electronic_certificate_is_read_from_its_text_layer() -> None:
    # given the certificate as a PDF with real text (as the electronic licence is issued)
    layout, expected = synthetic.certificate_as_issued_layout(random.Random(12))
    data = synthetic.layout_pdf(layout)
    # when it is extracted with an engine that fails if called
    extraction = extract_document(data, CERT, _NoOcr())
    # then every field is exact, without OCR, in milliseconds
    got = {k: f.value for k, f in extraction.fields.items()}
    assert not _wrong(expected, got), extraction.raw_text
    assert extraction.engine == TEXT_LAYER_ENGINE and extraction.pages == 1
    assert extraction.fields["id_number"].confidence == 1.0
    assert extraction.ms < 2000


def test_a_pdf_without_a_text_layer_is_ocrd(ocr_engine: RapidOcrEngine) -> None:
    # given the same page as a picture inside a PDF (a scan: no text layer)
    layout, expected = synthetic.certificate_as_issued_layout(random.Random(12))
    data = synthetic.pdf([layout.render()])
    assert text_layer(data) == [None]
    # when it is extracted, then it was OCR'd and read as well
    extraction = extract_document(data, CERT, ocr_engine)
    got = {k: f.value for k, f in extraction.fields.items()}
    assert extraction.engine == "rapidocr"
    assert not _wrong(expected, got), extraction.raw_text


def test_a_garbled_or_short_text_layer_is_not_used() -> None:
    boxes = [
        _box("\ue000\ue001\ue002\ue003\ue004\ue005\ue006\ue007\ufffd\ufffd\ufffd\ufffd", 0, 0, 9, 9)
    ]
    assert not usable(boxes)
    assert not usable([_box("第1页", 0, 0, 9, 9)])
    assert usable([_box("注册安全工程师职业资格证书 管理号 2019035440001234", 0, 0, 9, 9)])


def test_a_pdf_mixing_a_text_page_and_a_scanned_page(ocr_engine: RapidOcrEngine) -> None:
    # given the electronic certificate followed by a scanned annex (no text layer)
    layout, expected = synthetic.certificate_as_issued_layout(random.Random(13))
    annex = Image.new("RGB", (1240, 880), "white")
    ImageDraw.Draw(annex).text(
        (120, 120), "继续教育记录（附页）", font=synthetic.font(40), fill="black"
    )
    writer = PdfWriter()
    for part in (synthetic.layout_pdf(layout), synthetic.pdf([annex])):
        for page in PdfReader(io.BytesIO(part)).pages:
            writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    # when it is extracted
    extraction = extract_document(buffer.getvalue(), CERT, ocr_engine)
    # then the first page came from its text, the annex from OCR
    assert extraction.engine == f"{TEXT_LAYER_ENGINE}+rapidocr" and extraction.pages == 2
    got = {k: f.value for k, f in extraction.fields.items()}
    assert not _wrong(expected, got)
    assert "继续教育" in extraction.raw_text.split("\f")[1]
