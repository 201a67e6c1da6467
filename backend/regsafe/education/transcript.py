"""继续教育电子学时证明: the cycle's hour records as an A4 PDF in Chinese.

Pure: data in, bytes out. The job that calls this stores the bytes with their SHA-256 and
the verification code; a copy can later be hashed and compared, and a re-render from the
same records must give the same hash. So the output is reproducible: the creation date
comes from ``issued_at``, nothing reads the clock, and fpdf2's /ID is a hash of the content.

Fonts: Debian's ``fonts-noto-cjk`` ships a TrueType *collection* (.ttc) of CFF-outline
faces (JP, KR, SC, TC, HK, ...). fpdf2 2.8.9 opens one face of a collection through
``collection_font_number``, subsets it on output and embeds CID-keyed CFF as
``/FontFile3 /CIDFontType0C`` (TrueType outlines would go to ``/FontFile2``). We pick
the Simplified Chinese face by its name so that glyph shapes follow the mainland
standard (e.g. 骨, 直 differ in the JP face).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import segno
from fpdf import FPDF
from fpdf.enums import Align, TableHeadingsDisplay, WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from regsafe.core.clock import SHANGHAI, zh_date
from regsafe.core.pdf_fonts import add_cjk_font

TITLE = "注册安全工程师继续教育学时证明"

SUBJECT_LABELS = {"GENERAL": "公需科目", "PROFESSIONAL": "专业科目"}
SOURCE_LABELS = {"COURSE": "平台课程", "EXTERNAL": "外部导入", "SELF_REPORTED": "个人申报"}

_FAMILY = "cjk"
_MARGIN = 15.0
# 序号, 认定日期, 课程名称, 培训机构, 科目, 学时, 来源, 认定规则 (sum = 180 mm = A4 - margins)
_COL_WIDTHS = (10, 21, 52, 38, 15, 11, 15, 18)
_HEADINGS = ("序号", "认定日期", "课程名称", "培训机构", "科目类型", "学时", "来源", "认定规则")
_QR_SIZE = 32.0
_GREY = (110, 110, 110)


@dataclass(frozen=True)
class TranscriptLine:
    recognised_on: date
    course_title: str
    provider_name: str
    subject_kind: str  # "GENERAL" (公需科目) | "PROFESSIONAL" (专业科目)
    hours: Decimal
    source: str  # "COURSE" (平台课程) | "EXTERNAL" (外部导入) | "SELF_REPORTED" (个人申报)
    rule_version: str


@dataclass(frozen=True)
class TranscriptData:
    holder_name: str
    id_number_masked: str
    specialty_label: str  # e.g. "化工安全"
    registration_number: str | None
    cycle_start: date
    cycle_end: date
    required_hours: Decimal
    min_professional_hours: Decimal
    earned_general: Decimal
    earned_professional: Decimal
    lines: list[TranscriptLine]
    issued_at: datetime
    verification_code: str
    verify_url: str


# --- Formatting -----------------------------------------------------------------------


def format_hours(value: Decimal) -> str:
    """48, 2.5, 0 — never "4.8E+1" or "48.00"."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "") else text


def cycle_sentence(start: date, end: date) -> str:
    """The exact dates that count, both inclusive (the issue asks the UI to say so)."""
    return f"统计期间：{zh_date(start)}至{zh_date(end)}（含）"


def conclusion(data: TranscriptData) -> str:
    """Professional hours also count toward the total, so the overall gap is the larger
    of the total gap and the professional gap."""
    total = data.earned_general + data.earned_professional
    missing_professional = max(data.min_professional_hours - data.earned_professional, Decimal(0))
    missing_total = max(data.required_hours - total, missing_professional)
    if missing_total <= 0:
        return "已达到要求"
    text = f"未达到要求，尚差 {format_hours(missing_total)} 学时"
    if missing_professional > 0:
        text += f"（其中专业科目尚差 {format_hours(missing_professional)} 学时）"
    return text


def _issued_local(issued_at: datetime) -> datetime:
    if issued_at.tzinfo is None:
        raise ValueError("issued_at must be timezone-aware (stored as UTC)")
    return issued_at.astimezone(SHANGHAI)


# --- Font -----------------------------------------------------------------------------


# --- Document -------------------------------------------------------------------------


class _TranscriptPDF(FPDF):
    def __init__(self, data: TranscriptData, issued_local: datetime) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.data = data
        self.issued_local = issued_local

    def header(self) -> None:
        # Continuation pages name the holder, so a loose page still says whose it is.
        if self.page_no() == 1:
            return
        self.set_font(_FAMILY, size=8)
        self.set_text_color(*_GREY)
        self.cell(
            0,
            5,
            f"{TITLE}（续）  持证人：{self.data.holder_name}  "
            f"验证码：{self.data.verification_code}",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(_FAMILY, size=8)
        self.set_text_color(*_GREY)
        issued = self.issued_local
        self.cell(
            0,
            5,
            f"出具时间：{zh_date(issued.date())} {issued:%H:%M}（北京时间）",
            align=Align.L,
        )
        self.set_x(self.l_margin)
        self.cell(0, 5, f"第 {self.page_no()} 页 / 共 {{nb}} 页", align=Align.R)
        self.set_text_color(0, 0, 0)


def render_transcript(data: TranscriptData, *, font_path: str) -> bytes:
    """Render the transcript; the same ``data`` always yields the same bytes."""
    issued_local = _issued_local(data.issued_at)
    pdf = _TranscriptPDF(data, issued_local)
    add_cjk_font(pdf, _FAMILY, font_path)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_creation_date(data.issued_at)
    pdf.set_title(TITLE)
    pdf.set_subject(f"{data.holder_name} {cycle_sentence(data.cycle_start, data.cycle_end)}")
    pdf.set_author("RegSafe")
    pdf.set_creator("RegSafe")
    pdf.set_lang("zh-CN")

    pdf.add_page()
    _title(pdf)
    _holder_block(pdf, data)
    _lines_table(pdf, data)
    _totals_block(pdf, data)
    _verification_block(pdf, data)
    return bytes(pdf.output())


def _title(pdf: FPDF) -> None:
    pdf.set_font(_FAMILY, size=18)
    pdf.cell(0, 12, TITLE, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _key_value(pdf: FPDF, pairs: list[tuple[str, str]]) -> None:
    """Two label/value pairs per row: compact and aligned."""
    half = (pdf.w - 2 * _MARGIN) / 2
    for i in range(0, len(pairs), 2):
        for label, value in pairs[i : i + 2]:
            pdf.cell(half, 7, f"{label}：{value}")
        pdf.ln(7)


def _holder_block(pdf: FPDF, data: TranscriptData) -> None:
    pdf.set_font(_FAMILY, size=10.5)
    _key_value(
        pdf,
        [
            ("姓名", data.holder_name),
            ("身份证号", data.id_number_masked),
            ("专业类别", data.specialty_label),
            ("注册证书编号", data.registration_number or "—"),
        ],
    )
    pdf.cell(
        0, 7, cycle_sentence(data.cycle_start, data.cycle_end), new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_font(_FAMILY, size=8.5)
    pdf.set_text_color(*_GREY)
    pdf.multi_cell(
        0,
        5,
        "说明：仅统计期间内认定的学时，起止两日均计入；同一课程的学时只计一次。"
        "外部导入与个人申报的学时经审核认定后方计入。",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)


def _row_cells(lines: list[TranscriptLine]) -> Iterator[tuple[str, ...]]:
    for number, line in enumerate(lines, start=1):
        yield (
            str(number),
            line.recognised_on.isoformat(),
            line.course_title,
            line.provider_name,
            SUBJECT_LABELS.get(line.subject_kind, line.subject_kind),
            format_hours(line.hours),
            SOURCE_LABELS.get(line.source, line.source),
            line.rule_version,
        )


def _lines_table(pdf: FPDF, data: TranscriptData) -> None:
    pdf.set_font(_FAMILY, size=8.5)
    headings_style = FontFace(family=_FAMILY, emphasis="", fill_color=(228, 234, 244))
    with pdf.table(
        col_widths=_COL_WIDTHS,
        width=sum(_COL_WIDTHS),
        text_align=("CENTER", "CENTER", "LEFT", "LEFT", "CENTER", "RIGHT", "CENTER", "CENTER"),
        headings_style=headings_style,
        repeat_headings=TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
        line_height=5,
        padding=(0.8, 1),
    ) as table:
        table.row(_HEADINGS)
        for cells in _row_cells(data.lines):
            table.row(cells)
    if not data.lines:
        pdf.set_font(_FAMILY, size=9)
        pdf.cell(0, 8, "本统计期间内暂无认定的学时记录。", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)


def _totals_block(pdf: FPDF, data: TranscriptData) -> None:
    block_height = 5 * 7 + 4
    if pdf.y + block_height > pdf.page_break_trigger:
        pdf.add_page()
    total = data.earned_general + data.earned_professional
    pdf.set_font(_FAMILY, size=10.5)
    _key_value(
        pdf,
        [
            ("公需科目学时", format_hours(data.earned_general)),
            ("专业科目学时", format_hours(data.earned_professional)),
            ("合计学时", format_hours(total)),
            ("应修学时", format_hours(data.required_hours)),
            ("其中专业科目不少于", f"{format_hours(data.min_professional_hours)} 学时"),
        ],
    )
    pdf.cell(0, 8, f"结论：{conclusion(data)}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _verification_block(pdf: FPDF, data: TranscriptData) -> None:
    """Kept whole on the last page: the code and the QR code are what a reader checks."""
    if pdf.y + _QR_SIZE + 4 > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.y
    x_qr = pdf.w - _MARGIN - _QR_SIZE
    _draw_qr(pdf, data.verify_url, x_qr, top, _QR_SIZE)

    text_width = x_qr - _MARGIN - 4
    pdf.set_xy(_MARGIN, top + 2)
    pdf.set_font(_FAMILY, size=10.5)
    pdf.cell(
        text_width, 7, f"验证码：{data.verification_code}", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_font(_FAMILY, size=8.5)
    pdf.multi_cell(
        text_width,
        5,
        "核验方式：扫描右侧二维码，或访问下列网址并输入验证码，核对本证明内容。",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.multi_cell(
        text_width, 5, data.verify_url, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.multi_cell(
        text_width,
        5,
        "本证明由 RegSafe 平台根据学时记录自动生成，与平台记录不一致时以平台记录为准。",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_y(max(pdf.y, top + _QR_SIZE + 2))


def _draw_qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """Vector modules (one rectangle per dark run) instead of a raster image: sharp at any
    zoom, tiny, and byte-stable."""
    qr = segno.make(url, error="m", micro=False)
    rows = [list(row) for row in qr.matrix_iter(scale=1, border=2)]
    module = size / len(rows)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            pdf.rect(x + start * module, y + r * module, (c - start) * module, module, style="F")
