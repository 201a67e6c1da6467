"""The electronic transcript PDF, read back with pypdf (and pdfium, which renders it).

For CID-keyed CFF fonts fpdf2 writes the font's /Encoding as an embedded code→CID CMap
stream. pypdf 7.1 does not read such streams (it falls back to one-byte codes), so its
text carries a NUL before each glyph and spaces from misread widths; pypdf text is
compared with NULs and whitespace removed. pdfium (Chrome's engine) extracts the text
exactly and is used where spacing matters.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
import segno
from fpdf import FPDF

from regsafe.core.pdf_fonts import DEFAULT_FONT_PATH, FontMissing
from regsafe.education import transcript
from regsafe.education.transcript import (
    TranscriptData,
    TranscriptLine,
    conclusion,
    cycle_sentence,
    format_hours,
    render_transcript,
)

FONT = DEFAULT_FONT_PATH
# Fails (tests/plugins/fonts.py), never skips, without the font.
needs_font = pytest.mark.usefixtures("cjk_font")
ISSUED = datetime(2025, 1, 2, 2, 30, tzinfo=UTC)  # 10:30 in Beijing
HEADINGS = "序号认定日期课程名称培训机构科目类型学时来源认定规则"


def make_lines(count: int) -> list[TranscriptLine]:
    return [
        TranscriptLine(
            recognised_on=date(2024, 3, 1) + timedelta(days=i),
            course_title=f"危险化学品企业安全风险分级管控与隐患排查治理实务（第{i + 1}讲）",
            provider_name="应急管理培训中心",
            subject_kind="PROFESSIONAL" if i % 3 else "GENERAL",
            hours=Decimal("2.5"),
            source=("COURSE", "EXTERNAL", "SELF_REPORTED")[i % 3],
            rule_version="CE-2024.1",
        )
        for i in range(count)
    ]


def make_data(count: int = 3, **changes: Any) -> TranscriptData:
    data = TranscriptData(
        holder_name="欧阳娜娜",
        id_number_masked="110105********002X",
        specialty_label="化工安全",
        registration_number="ZA2024110000123",
        cycle_start=date(2024, 3, 1),
        cycle_end=date(2029, 2, 28),
        required_hours=Decimal(48),
        min_professional_hours=Decimal(32),
        earned_general=Decimal(10),
        earned_professional=Decimal("20.5"),
        lines=make_lines(count),
        issued_at=ISSUED,
        verification_code="7KQ4-M2XP-9D",
        verify_url="https://regsafe.example.cn/verify/7KQ4M2XP9D",
    )
    return replace(data, **changes)


def squeeze(text: str) -> str:
    return "".join(text.replace("\x00", "").split())


def pypdf_pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [squeeze(page.extract_text()) for page in reader.pages]


def pdfium_pages(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


@pytest.fixture(scope="module")
def small_pdf() -> bytes:
    return render_transcript(make_data(), font_path=FONT)


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    return render_transcript(make_data(300), font_path=FONT)


# --- Text -----------------------------------------------------------------------------


@needs_font
def test_chinese_text_is_extractable(small_pdf: bytes) -> None:
    (text,) = pypdf_pages(small_pdf)
    for expected in (
        "注册安全工程师继续教育学时证明",
        "姓名：欧阳娜娜",
        "身份证号：110105********002X",
        "专业类别：化工安全",
        "注册证书编号：ZA2024110000123",
        "统计期间：2024年3月1日至2029年2月28日（含）",
        HEADINGS,
        "危险化学品企业安全风险分级管控与隐患排查治理实务（第1讲）",
        "应急管理培训中心",
        "公需科目学时：10",
        "专业科目学时：20.5",
        "合计学时：30.5",
        "应修学时：48",
        "结论：未达到要求，尚差17.5学时（其中专业科目尚差11.5学时）",
        "验证码：7KQ4-M2XP-9D",
        "https://regsafe.example.cn/verify/7KQ4M2XP9D",
        "出具时间：2025年1月2日10:30（北京时间）",
        "第1页/共1页",
    ):
        assert expected in text, expected
    for label in ("公需科目", "专业科目", "平台课程", "外部导入", "个人申报"):
        assert label in text


@needs_font
def test_text_extracts_without_spurious_spaces_in_a_renderer(small_pdf: bytes) -> None:
    (text,) = pdfium_pages(small_pdf)
    assert "注册安全工程师继续教育学时证明" in text
    assert "统计期间：2024年3月1日至2029年2月28日（含）" in text
    assert "第 1 页 / 共 1 页" in text


@needs_font
def test_requirement_met_says_so() -> None:
    data = make_data(earned_general=Decimal(16), earned_professional=Decimal(32))
    (text,) = pypdf_pages(render_transcript(data, font_path=FONT))
    assert "结论：已达到要求" in text
    assert "合计学时：48" in text


@needs_font
def test_missing_registration_number_and_no_lines() -> None:
    data = make_data(0, registration_number=None)
    (text,) = pypdf_pages(render_transcript(data, font_path=FONT))
    assert "注册证书编号：—" in text
    assert "本统计期间内暂无认定的学时记录" in text
    assert HEADINGS in text


# --- Font -----------------------------------------------------------------------------


def _fonts(pdf: bytes) -> Iterator[tuple[Any, Any]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            font = reference.get_object()
            for descendant in font.get("/DescendantFonts", []):
                yield font, descendant.get_object()


@needs_font
def test_cjk_font_is_embedded_as_a_subset(small_pdf: bytes) -> None:
    fonts = list(_fonts(small_pdf))
    assert fonts
    for font, descendant in fonts:
        assert font["/Subtype"] == "/Type0"
        assert "/ToUnicode" in font  # what makes the text searchable
        assert re.fullmatch(r"/[A-Z]{6}\+NotoSansCJKSC", font["/BaseFont"])
        descriptor = descendant["/FontDescriptor"].get_object()
        embedded = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
        assert embedded is not None
        # A subset of the 19 MB collection, not the collection itself.
        assert len(embedded.get_object().get_data()) < 200_000
    assert len(small_pdf) < 150_000


def test_font_missing_names_path_and_package(tmp_path: Path) -> None:
    missing = str(tmp_path / "NotoSansCJK-Regular.ttc")
    with pytest.raises(FontMissing) as caught:
        render_transcript(make_data(), font_path=missing)
    assert isinstance(caught.value, RuntimeError)
    assert caught.value.path == missing
    assert missing in str(caught.value)
    assert "fonts-noto-cjk" in str(caught.value)


# --- Pagination -----------------------------------------------------------------------


@needs_font
def test_300_lines_paginate_with_repeated_header_and_page_numbers(long_pdf: bytes) -> None:
    pages = pypdf_pages(long_pdf)
    total = len(pages)
    assert total >= 5
    for number, text in enumerate(pages, start=1):
        assert HEADINGS in text, f"page {number} lacks the table header"
        assert f"第{number}页/共{total}页" in text
        assert "出具时间：2025年1月2日10:30（北京时间）" in text
    for number, text in enumerate(pages[1:], start=2):
        assert "持证人：欧阳娜娜" in text, f"page {number} does not name the holder"
    everything = "".join(pages)
    for i in (1, 150, 300):
        assert f"实务（第{i}讲）" in everything
    # Totals, conclusion and verification code come once, at the end.
    assert "扫描右侧二维码" in pages[-1]
    assert all("扫描右侧二维码" not in text for text in pages[:-1])
    assert all("合计学时" not in text for text in pages[:-1])


@needs_font
def test_qr_code_is_drawn_on_the_last_page_for_the_verify_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[str, int]] = []
    original = transcript._draw_qr

    def spy(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
        calls.append((url, pdf.page_no()))
        original(pdf, url, x, y, size)

    monkeypatch.setattr(transcript, "_draw_qr", spy)
    pdf = render_transcript(make_data(60), font_path=FONT)
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert pages > 1
    assert calls == [("https://regsafe.example.cn/verify/7KQ4M2XP9D", pages)]


def test_drawn_qr_modules_match_the_url() -> None:
    """Render the vector QR code and read every module back from the pixels."""
    url = "https://regsafe.example.cn/verify/7KQ4M2XP9D"
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_page()
    x, y, size = 20.0, 30.0, 40.0
    transcript._draw_qr(pdf, url, x, y, size)
    document = pdfium.PdfDocument(bytes(pdf.output()))
    scale = 6.0  # 432 dpi
    image = document[0].render(scale=scale).to_pil().convert("L")
    document.close()
    matrix = [list(row) for row in segno.make(url, error="m", micro=False).matrix_iter(border=2)]
    module_mm = size / len(matrix)
    px_per_mm = scale * 72 / 25.4
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            cx = (x + (c + 0.5) * module_mm) * px_per_mm
            cy = (y + (r + 0.5) * module_mm) * px_per_mm
            pixel = image.getpixel((round(cx), round(cy)))
            assert isinstance(pixel, int)
            assert (pixel < 128) == dark, (r, c)


# --- Determinism ----------------------------------------------------------------------


@needs_font
def test_same_data_gives_the_same_bytes(small_pdf: bytes) -> None:
    again = render_transcript(make_data(), font_path=FONT)
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(small_pdf).hexdigest()
    assert again == small_pdf


@needs_font
def test_long_transcript_is_deterministic_too(long_pdf: bytes) -> None:
    assert render_transcript(make_data(300), font_path=FONT) == long_pdf


@needs_font
def test_creation_date_comes_from_issued_at(small_pdf: bytes) -> None:
    metadata = pypdf.PdfReader(io.BytesIO(small_pdf)).metadata
    assert metadata is not None
    assert metadata.creation_date == ISSUED
    assert metadata.title == "注册安全工程师继续教育学时证明"
    later = render_transcript(make_data(issued_at=ISSUED + timedelta(seconds=1)), font_path=FONT)
    assert later != small_pdf


def test_naive_issued_at_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        render_transcript(make_data(issued_at=datetime(2025, 1, 2, 10, 30)), font_path=FONT)


# --- Formatting helpers ---------------------------------------------------------------


def test_cycle_sentence_names_both_inclusive_dates() -> None:
    sentence = cycle_sentence(date(2024, 3, 1), date(2029, 2, 28))
    assert sentence == "统计期间：2024年3月1日至2029年2月28日（含）"


@pytest.mark.parametrize(
    ("value", "shown"),
    [("48", "48"), ("48.0", "48"), ("2.50", "2.5"), ("0", "0"), ("100", "100")],
)
def test_format_hours(value: str, shown: str) -> None:
    assert format_hours(Decimal(value)) == shown


@pytest.mark.parametrize(
    ("general", "professional", "expected"),
    [
        ("16", "32", "已达到要求"),
        ("30", "40", "已达到要求"),
        ("10", "20.5", "未达到要求，尚差 17.5 学时（其中专业科目尚差 11.5 学时）"),
        # Enough in total but too few professional hours: the professional gap decides.
        ("40", "20", "未达到要求，尚差 12 学时（其中专业科目尚差 12 学时）"),
        ("0", "40", "未达到要求，尚差 8 学时"),
    ],
)
def test_conclusion(general: str, professional: str, expected: str) -> None:
    data = make_data(0, earned_general=Decimal(general), earned_professional=Decimal(professional))
    assert conclusion(data) == expected
