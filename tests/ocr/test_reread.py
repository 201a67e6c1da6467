"""A label whose short value box the engine missed (性别 男, a two-character name on a
noisy photo) is read again from the strip to its right, and only a confident reading on
the label's line is kept."""

from __future__ import annotations

from PIL import Image

from regsafe.ocr.engines import TextBox
from regsafe.ocr.extract import extract_pages
from regsafe.ocr.fields import DocumentKind

PAGE = (1240, 880)


class _MissesTheName:
    """Reads the page without the name's box; reads any crop as ``crop_text``."""

    name = "fake"

    def __init__(self, crop_text: str, confidence: float) -> None:
        self.crop_text, self.confidence = crop_text, confidence
        self.crops: list[tuple[int, int]] = []

    def recognize(self, image: Image.Image) -> list[TextBox]:
        if image.size == PAGE:
            return [
                TextBox.from_rect("毕业证书", 1.0, 500, 50, 730, 120),
                TextBox.from_rect("姓名", 1.0, 150, 190, 216, 230),
                TextBox.from_rect("学校", 1.0, 150, 262, 216, 302),
                TextBox.from_rect("中国矿业大学", 1.0, 420, 260, 640, 302),
            ]
        self.crops.append(image.size)
        # the crop starts just right of the label and one line above it
        return [TextBox.from_rect(self.crop_text, self.confidence, 200, 40, 280, 80)]


def test_a_missed_value_is_read_from_the_strip_right_of_its_label() -> None:
    engine = _MissesTheName("马洋", 0.99)
    extraction = extract_pages([Image.new("RGB", PAGE, "white")], DocumentKind.DIPLOMA, engine)
    assert extraction.fields["name"].value == "马洋"
    assert extraction.fields["school"].value == "中国矿业大学"
    assert len(engine.crops) == 1  # one small extra recognition


def test_an_unsure_reading_of_the_strip_is_not_kept() -> None:
    engine = _MissesTheName("耗", 0.7)
    extraction = extract_pages([Image.new("RGB", PAGE, "white")], DocumentKind.DIPLOMA, engine)
    assert "name" not in extraction.fields
    assert len(engine.crops) == 3  # every framing tried, none confident


class _GarblesTheName(_MissesTheName):
    """Reads the two-character name as one unsure character (郭军 → 嶂)."""

    def recognize(self, image: Image.Image) -> list[TextBox]:
        if image.size == PAGE:
            return [
                *super().recognize(image),
                TextBox.from_rect("嶂", 0.77, 420, 188, 470, 232),
            ]
        return super().recognize(image)


def test_an_unsure_short_value_is_replaced_by_a_confident_rereading() -> None:
    engine = _GarblesTheName("郭军", 0.99)
    extraction = extract_pages([Image.new("RGB", PAGE, "white")], DocumentKind.DIPLOMA, engine)
    assert extraction.fields["name"].value == "郭军"
    assert extraction.fields["name"].confidence > 0.9
