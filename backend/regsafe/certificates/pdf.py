"""注册证书 PDF: A4, Chinese text in an embedded CJK font (fpdf2, subset on output, like
the education transcript), the certificate's QR code (the verification link carrying the
signed payload, ``qr.qr_url``, drawn as vector modules), the number and the validity.
Pure and reproducible: the same data gives the same bytes (the creation date is the issue
time; nothing reads the clock)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import segno
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from regsafe.core.clock import SHANGHAI, zh_date
from regsafe.core.pdf_fonts import add_cjk_font

TITLE = "中级注册安全工程师注册证书"
_FAMILY = "cjk"
_QR_SIZE = 70.0


@dataclass(frozen=True)
class CertificateSheet:
    number: str
    holder_name: str
    id_number_masked: str
    specialty_label: str
    employer_name: str
    employer_credit_code: str
    qualification_number: str | None
    valid_from: date
    valid_until: date
    issued_at: datetime
    kind_label: str
    previous_number: str | None
    qr_text: str
    verify_url: str


def render_certificate(sheet: CertificateSheet, *, font_path: str) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    add_cjk_font(pdf, _FAMILY, font_path)
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(sheet.issued_at)
    pdf.set_title(f"{TITLE} {sheet.number}")
    pdf.set_author("RegSafe")
    pdf.set_creator("RegSafe")
    pdf.set_lang("zh-CN")
    pdf.add_page()
    pdf.set_line_width(0.8)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(28)
    pdf.set_font(_FAMILY, size=22)
    pdf.cell(0, 14, TITLE, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FAMILY, size=12)
    pdf.cell(0, 8, f"证书编号：{sheet.number}", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(8)
    rows = [
        ("姓名", sheet.holder_name),
        ("身份证号", sheet.id_number_masked),
        ("专业类别", sheet.specialty_label),
        ("聘用单位", sheet.employer_name),
        ("统一社会信用代码", sheet.employer_credit_code),
        ("职业资格证书编号", sheet.qualification_number or "—"),
        ("注册有效期", f"{zh_date(sheet.valid_from)}至{zh_date(sheet.valid_until)}"),
        ("签发类型", sheet.kind_label),
    ]
    if sheet.previous_number:
        rows.append(("原证书编号", sheet.previous_number))
    pdf.set_font(_FAMILY, size=12)
    for label, value in rows:
        pdf.set_x(30)
        pdf.cell(45, 10, f"{label}：")
        pdf.multi_cell(pdf.w - 30 - 45 - 30, 10, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    top = pdf.y + 8
    x = (pdf.w - _QR_SIZE) / 2
    _draw_qr(pdf, sheet.qr_text, x, top, _QR_SIZE)
    pdf.set_y(top + _QR_SIZE + 4)
    pdf.set_font(_FAMILY, size=9)
    pdf.multi_cell(
        0,
        5,
        "手机扫描二维码即打开核验页面；二维码含签名证书内容，亦可离线核验签名。\n"
        "在线核验（含撤销状态与存证日志）请访问：\n"
        f"{sheet.verify_url}",
        align=Align.C,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_y(pdf.h - 40)
    pdf.set_font(_FAMILY, size=11)
    issued_on = sheet.issued_at.astimezone(SHANGHAI).date()  # the date in Beijing
    pdf.cell(0, 8, f"签发日期：{zh_date(issued_on)}", align=Align.R,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    return bytes(pdf.output())


def _draw_qr(pdf: FPDF, text: str, x: float, y: float, size: float) -> None:
    qr = segno.make_qr(text, error="m", boost_error=False)
    rows = [list(row) for row in qr.matrix_iter(scale=1, border=2)]
    module = size / len(rows)
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
