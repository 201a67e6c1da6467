"""The certificate's QR code: the signed payload itself, verifiable offline.

Text: ``RS1:`` + base64url (no padding) of the frame
``key id (8 bytes, the 16 hex digits) ‖ signature (64 bytes) ‖ canonical payload bytes``.
Both algorithms give 64-byte signatures (Ed25519; SM2 as r‖s), so the frame needs no
lengths: the variable part is last. The payload is carried verbatim, the exact bytes that
were signed, so a scanner needs no re-encoding step that could disagree with the issuer.
Symbols use error correction level M (15 %).

What is printed and shown is the verification link ``<public url>/verify?qr=RS1:…``
(``qr_url``), so a phone camera or WeChat opens the public verification page instead of
showing the raw text; the link carries the same frame, so it verifies offline just as
well. ``decode_qr_text`` accepts both the link and the bare ``RS1:`` text (certificates
printed before the link). The host of a link is **not** trusted and not checked: only the
signature over the payload decides, whoever's address the link names. The link costs
about 40 characters of byte mode: version 24 instead of 23 at level M for a realistic
payload (measured in the tests).
"""

from __future__ import annotations

import binascii
import io
import re
from urllib.parse import parse_qs, urlsplit

import segno

from regsafe.certificates.canonical import SignedPayload
from regsafe.certificates.signing import b64url, b64url_decode

PREFIX = "RS1:"
KEY_ID_BYTES = 8
SIGNATURE_BYTES = 64
MAX_TEXT = 4096
_KEY_ID = re.compile(r"^[0-9a-f]{16}$")
VERIFY_PATH = "/verify"
QUERY_KEY = "qr"
_LINK = re.compile(r"^https?://", re.IGNORECASE)


class QrError(ValueError):
    """Text that is not a RegSafe certificate QR code."""


def encode_qr_text(signed: SignedPayload) -> str:
    if not _KEY_ID.match(signed.key_id) or len(signed.signature) != SIGNATURE_BYTES:
        raise QrError("key id must be 16 hex digits and the signature 64 bytes")

    return PREFIX + b64url(bytes.fromhex(signed.key_id) + signed.signature + signed.payload)


def qr_url(signed: SignedPayload, public_url: str) -> str:
    """The QR content: the public verification page's link carrying the signed frame.
    The frame's characters (``RS1:`` and base64url) are legal in a query unescaped."""
    return f"{public_url.rstrip('/')}{VERIFY_PATH}?{QUERY_KEY}={encode_qr_text(signed)}"


def frame_text(text: str) -> str:
    """The ``RS1:`` text of a scanned QR: itself, or the ``qr`` parameter of a
    verification link (``…/verify?qr=RS1:…``, any host: the host proves nothing)."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise QrError("不是 RegSafe 证书二维码")
    if not _LINK.match(text):
        return text
    parts = urlsplit(text)
    values = parse_qs(parts.query, keep_blank_values=True).get(QUERY_KEY, [])
    if not parts.path.rstrip("/").endswith(VERIFY_PATH) or len(values) != 1:
        raise QrError("不是 RegSafe 证书核验链接")
    return values[0].strip()


def decode_qr_text(text: str) -> SignedPayload:
    """Split the frame of the bare text or of a verification link; the payload is not
    parsed or verified here."""

    text = frame_text(text)
    if len(text) > MAX_TEXT or not text.startswith(PREFIX):
        raise QrError("不是 RegSafe 证书二维码")
    try:
        frame = b64url_decode(text[len(PREFIX) :])
    except (ValueError, binascii.Error) as exc:
        raise QrError("二维码内容损坏") from exc
    head = KEY_ID_BYTES + SIGNATURE_BYTES
    if len(frame) <= head:
        raise QrError("二维码内容过短")
    return SignedPayload(
        payload=frame[head:],
        key_id=frame[:KEY_ID_BYTES].hex(),
        signature=frame[KEY_ID_BYTES:head],
    )


def _symbol(text: str) -> segno.QRCode:
    return segno.make_qr(text, error="m", boost_error=False)


def qr_version(text: str) -> int:
    """The QR version (1–40) the text needs at error correction M."""
    version = _symbol(text).version
    assert isinstance(version, int)
    return version


def qr_svg(text: str, *, scale: int = 4) -> str:
    buffer = io.BytesIO()
    _symbol(text).save(buffer, kind="svg", scale=scale, xmldecl=False)
    return buffer.getvalue().decode("utf-8")


def qr_png(text: str, *, scale: int = 4) -> bytes:
    buffer = io.BytesIO()
    _symbol(text).save(buffer, kind="png", scale=scale)
    return buffer.getvalue()
