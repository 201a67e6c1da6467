from __future__ import annotations

import pytest

from regsafe.certificates.canonical import SignedPayload
from regsafe.certificates.qr import (
    PREFIX,
    QrError,
    decode_qr_text,
    encode_qr_text,
    qr_png,
    qr_svg,
    qr_url,
    qr_version,
)
from regsafe.certificates.signing import Ed25519Signer, Sm2Signer
from tests.certificates.factories import sign_payload


@pytest.mark.parametrize("kind", ["ed25519", "sm2"])
def test_round_trip(kind: str, ed_signer: Ed25519Signer, sm2_signer: Sm2Signer) -> None:
    signed = sign_payload(ed_signer if kind == "ed25519" else sm2_signer)
    text = encode_qr_text(signed)
    assert text.startswith(PREFIX) and text.isascii() and "=" not in text
    assert decode_qr_text(text) == signed
    assert decode_qr_text(f"  {text}\n") == signed


def test_realistic_payload_stays_at_version_25_or_below(ed_signer: Ed25519Signer) -> None:
    signed = sign_payload(ed_signer)
    text = encode_qr_text(signed)
    version = qr_version(text)
    assert version <= 25, version
    assert version == 23  # measured; documented in docs/certificates-crypto.md
    assert len(text) == 4 + -(-4 * (72 + len(signed.payload)) // 3)


def test_renders_svg_and_png(ed_signer: Ed25519Signer) -> None:
    text = encode_qr_text(sign_payload(ed_signer))
    svg = qr_svg(text)
    assert svg.startswith("<svg") and "</svg>" in svg
    png = qr_png(text)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "text",
    ["", "RS2:AAAA", "RS1:", "RS1:AAAA", "RS1:***", "RS1:" + "A" * 5000, "RS1:AAA="],
)
def test_rejects(text: str) -> None:
    with pytest.raises(QrError):
        decode_qr_text(text)


def test_encode_checks_lengths() -> None:
    with pytest.raises(QrError):
        encode_qr_text(SignedPayload(b"{}", "0123456789abcdef", b"\x00" * 63))
    with pytest.raises(QrError):
        encode_qr_text(SignedPayload(b"{}", "XYZ", b"\x00" * 64))


def test_the_qr_is_the_verification_link_and_both_forms_decode(ed_signer: Ed25519Signer) -> None:
    signed = sign_payload(ed_signer)
    bare = encode_qr_text(signed)
    link = qr_url(signed, "https://regsafe.example/")
    assert link == f"https://regsafe.example/verify?qr={bare}"
    assert decode_qr_text(link) == signed
    assert decode_qr_text(bare) == signed  # certificates printed before the link
    assert decode_qr_text(f" {link}\n") == signed
    # a scanner that percent-encodes the query, an upper-case scheme, a path prefix
    assert decode_qr_text(link.replace("RS1:", "RS1%3A")) == signed
    assert decode_qr_text("HTTP://gov.example/regsafe/verify/?qr=" + bare) == signed


def test_the_link_keeps_the_symbol_scannable(ed_signer: Ed25519Signer) -> None:
    signed = sign_payload(ed_signer)
    bare = encode_qr_text(signed)
    link = qr_url(signed, "https://verify.example-province.gov.cn")
    assert len(link) - len(bare) < 50
    # measured: one version more than the bare text (23), at level M, byte mode
    assert qr_version(link) == qr_version(bare) + 1 == 24


@pytest.mark.parametrize(
    "suffix",
    [
        "/verify",  # no qr parameter
        "/verify?qr=",
        "/verify?qr=RS1:AAAA",
        "/other?qr={bare}",  # not the verification page
        "/verify?qr={bare}&qr={bare}",  # ambiguous
        "/verify?number=AQ202644HG0000018",
    ],
)
def test_rejects_links_without_one_good_frame(suffix: str, ed_signer: Ed25519Signer) -> None:
    bare = encode_qr_text(sign_payload(ed_signer))
    with pytest.raises(QrError):
        decode_qr_text("https://regsafe.example" + suffix.format(bare=bare))
