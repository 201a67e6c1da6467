"""OCR tests: the real RapidOCR model, loaded once per session."""

from __future__ import annotations

import pytest

from regsafe.ocr.engines import RapidOcrEngine


@pytest.fixture(scope="session")
def ocr_engine() -> RapidOcrEngine:
    engine = RapidOcrEngine()
    engine.warm_up()
    return engine
