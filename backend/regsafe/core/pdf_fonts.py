"""The CJK font that every generated PDF embeds (transcripts, certificates): where it is,
which face of a collection to use, and a clear error when it is missing."""

from __future__ import annotations

import functools
from pathlib import Path

from fpdf import FPDF

FONT_PACKAGE = "fonts-noto-cjk"
DEFAULT_FONT_PATH = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


class FontMissing(RuntimeError):
    """The CJK font file is absent: without it the PDF cannot show Chinese text at all,
    so rendering stops instead of producing boxes."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"CJK font not found: {path} (install the Debian package {FONT_PACKAGE}); "
            f"找不到中文字体文件 {path}，请安装 Debian 软件包 {FONT_PACKAGE}"
        )
        self.path = path


@functools.lru_cache(maxsize=8)
def collection_face(path: str) -> int:
    """Index of the Simplified Chinese face in a .ttc/.otc, 0 for single fonts or when no
    face announces itself as SC (then any CJK face still renders Chinese)."""
    if Path(path).suffix.lower() not in (".ttc", ".otc"):
        return 0
    from fontTools.ttLib import TTCollection  # type: ignore[import-untyped]

    collection = TTCollection(path, lazy=True)
    try:
        for index, face in enumerate(collection.fonts):
            family = face["name"].getDebugName(1) or ""
            if family.endswith(" SC") and "Mono" not in family:
                return index
    finally:
        collection.close()
    return 0


def add_cjk_font(pdf: FPDF, family: str, font_path: str) -> None:
    """Register the font under ``family`` (fpdf2 embeds a subset on output)."""
    if not Path(font_path).is_file():
        raise FontMissing(font_path)
    pdf.add_font(family, "", font_path, collection_font_number=collection_face(font_path))
