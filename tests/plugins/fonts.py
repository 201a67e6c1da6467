"""The CJK font PDFs embed. A test that renders one fails, not skips, without it: a
skipped PDF test passed silently on machines where every PDF job failed."""

from __future__ import annotations

import pytest

from regsafe.core.pdf_fonts import FONT_PACKAGE
from regsafe.core.settings import Settings


@pytest.fixture
def cjk_font() -> str:
    """The configured font file (REGSAFE_CJK_FONT_PATH, default Noto Sans CJK)."""
    path = Settings().cjk_font_path
    if not path.is_file():
        pytest.fail(
            f"CJK font {path} is missing: run `make fonts` (installs the Debian package "
            f"{FONT_PACKAGE} with apt-get) or set REGSAFE_CJK_FONT_PATH",
            pytrace=False,
        )
    return str(path)
