"""Personal values read from documents, encrypted at rest like the person record.

OCR results (``document.ocr_fields``) and what the registrant confirmed
(``document.confirmed_fields``) are JSON. The ID number and the address in them are
stored as AES-GCM ciphertext under their own context (never in clear), the ID number
with the person record's blind index beside it so a lookup by number still works.
Readers go through ``ocr_values`` / ``confirmed_values``; nothing else opens the JSON.
"""

from __future__ import annotations

import base64
from typing import Any

from regsafe.core.crypto import FieldCipher
from regsafe.identity.service import ID_CONTEXT

SEALED = frozenset({"id_number", "address"})
_TEXT_PARTS = ("value", "raw")
_CONTEXT = "document.field."


def _context(name: str) -> str:
    return _CONTEXT + name


def seal_value(cipher: FieldCipher, name: str, value: str) -> dict[str, str]:
    sealed = {"sealed": base64.b64encode(cipher.encrypt(value, context=_context(name))).decode()}
    if name == "id_number":
        sealed["blind"] = base64.b64encode(cipher.blind_index(value, context=ID_CONTEXT)).decode()
    return sealed


def open_value(cipher: FieldCipher, name: str, stored: Any) -> str:
    """The clear value of a stored field (sealed or, for non-personal ones, plain)."""
    if isinstance(stored, dict) and "sealed" in stored:
        return cipher.decrypt(base64.b64decode(stored["sealed"]), context=_context(name))
    return "" if stored is None else str(stored)


def seal_ocr(cipher: FieldCipher, fields: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """OCR entries ({value, confidence, …}) with personal values sealed."""
    out: dict[str, dict[str, Any]] = {}
    for name, entry in fields.items():
        entry = dict(entry)
        if name in SEALED:
            for part in _TEXT_PARTS:  # the raw OCR text holds the same digits
                if entry.get(part):
                    entry[part] = seal_value(cipher, name, str(entry[part]))
        out[name] = entry
    return out


def seal_confirmed(cipher: FieldCipher, values: dict[str, str]) -> dict[str, Any]:
    return {
        name: seal_value(cipher, name, value) if name in SEALED and value else value
        for name, value in values.items()
    }


def ocr_entries(
    cipher: FieldCipher, ocr_fields: dict[str, Any] | None
) -> dict[str, dict[str, Any]]:
    """OCR entries with clear values, for output paths that mask them afterwards."""
    fields: dict[str, Any] = (ocr_fields or {}).get("fields", {})
    return {
        name: {**entry, "value": open_value(cipher, name, entry.get("value"))}
        for name, entry in fields.items()
    }


def ocr_values(cipher: FieldCipher, ocr_fields: dict[str, Any] | None) -> dict[str, str]:
    return {
        name: entry["value"]
        for name, entry in ocr_entries(cipher, ocr_fields).items()
        if entry.get("value")
    }


def confirmed_values(cipher: FieldCipher, confirmed: dict[str, Any] | None) -> dict[str, str]:
    return {name: open_value(cipher, name, v) for name, v in (confirmed or {}).items()}
