"""The certificate PDF: Chinese text in an embedded font, the number, the validity, the
QR code; the same data gives the same bytes."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from regsafe.certificates.pdf import CertificateSheet, render_certificate
from regsafe.core.settings import Settings

FONT = str(Settings().cjk_font_path)
# Without the font these fail, saying what to install (tests/plugins/fonts.py): a skip
# would pass on exactly the machines where every PDF job fails.
pytestmark = pytest.mark.usefixtures("cjk_font")


def _sheet() -> CertificateSheet:
    return CertificateSheet(
        number="AQ202644HG0000018",
        holder_name="张伟",
        id_number_masked="440305********1233",
        specialty_label="化工安全",
        employer_name="深圳市安泰化工有限公司",
        employer_credit_code="91440300MA5FUTUR3X",
        qualification_number="2022440012345678",
        valid_from=date(2026, 11, 29),
        valid_until=date(2031, 11, 28),
        issued_at=datetime(2026, 11, 29, 8, 0, tzinfo=UTC),
        kind_label="初始注册",
        previous_number=None,
        qr_text="RS1:" + "A" * 800,
        verify_url="https://regsafe.example/verify/AQ202644HG0000018",
    )


def test_pdf_shows_the_certificate_in_chinese_and_is_reproducible() -> None:
    data = render_certificate(_sheet(), font_path=FONT)
    assert data == render_certificate(_sheet(), font_path=FONT)
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text().replace("\x00", "")
    assert "中级注册安全工程师注册证书" in text and "AQ202644HG0000018" in text
    assert "2031年11月28日" in text and "深圳市安泰化工有限公司" in text
    fonts = str(reader.pages[0]["/Resources"]["/Font"])
    assert fonts  # the CJK font is embedded (subset), not referenced
