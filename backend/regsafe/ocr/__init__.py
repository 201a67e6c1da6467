"""Offline OCR of registration documents: engines, document loading, field extraction.

Entry point: :func:`regsafe.ocr.extract.extract_document`.
"""

from __future__ import annotations

from regsafe.ocr.documents import (
    CorruptDocument,
    DocumentError,
    DocumentTooLarge,
    DocumentType,
    TooManyPages,
    UnsupportedDocument,
    load_document,
    sniff_type,
)
from regsafe.ocr.engines import (
    EasyOcrEngine,
    EngineUnavailable,
    OcrEngine,
    RapidOcrEngine,
    TextBox,
    engine_from_name,
)
from regsafe.ocr.extract import extract_document, extract_pages
from regsafe.ocr.fields import DocumentKind, Extraction, Field

__all__ = [
    "CorruptDocument",
    "DocumentError",
    "DocumentKind",
    "DocumentTooLarge",
    "DocumentType",
    "EasyOcrEngine",
    "EngineUnavailable",
    "Extraction",
    "Field",
    "OcrEngine",
    "RapidOcrEngine",
    "TextBox",
    "TooManyPages",
    "UnsupportedDocument",
    "engine_from_name",
    "extract_document",
    "extract_pages",
    "load_document",
    "sniff_type",
]
