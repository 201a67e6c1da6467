from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from regsafe.certificates.canonical import SignedPayload
from regsafe.certificates.log import LogEvent, event_leaf_hash, leaf_bytes
from regsafe.certificates.merkle import MemoryNodeStore, inclusion_proof, leaf_hash, root_at
from regsafe.certificates.offline import (
    Check,
    Outcome,
    ProofBundle,
    VerificationStatus,
    verify_any,
    verify_bundle,
    verify_qr,
)
from regsafe.certificates.qr import encode_qr_text, qr_url
from regsafe.certificates.signing import (
    Ed25519Signer,
    KeyRing,
    Signer,
    Sm2Signer,
    b64url,
    b64url_decode,
)
from regsafe.certificates.status_list import SignedStatusList, StatusList, sign_status_list
from regsafe.certificates.tree_head import TreeHead, cosign, sign_tree_head
from tests.certificates.factories import sign_payload

TODAY = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)


def _bundle(signer: Signer, log_signer: Signer | None = None, witness: Signer | None = None) -> str:
    signed = sign_payload(signer)
    store = MemoryNodeStore()
    for i in range(10):  # other certificates' events
        store.append(leaf_hash(f"other {i}".encode()))
    index = store.append(event_leaf_hash(LogEvent.RENEWED, signed.payload, signed.signature))
    for i in range(6):
        store.append(leaf_hash(f"later {i}".encode()))
    head = TreeHead("regsafe.test/log", store.size, root_at(store.size, store), 1_780_000_000_000)
    sth = sign_tree_head(head, log_signer or signer)
    if witness is not None:
        sth = sth.with_cosignature(cosign(sth, witness, 1_780_000_000_500))
    proof = tuple(inclusion_proof(index, store.size, store))
    return ProofBundle(signed, index, proof, sth).to_json()


def _status(signer: Signer, *revoked: int, issued: datetime = NOW) -> SignedStatusList:
    bits = StatusList()
    for i in revoked:
        bits.set(i)
    return sign_status_list(bits, signer, list_id="s1", issued_at=issued - timedelta(minutes=5),
                            valid_until=issued + timedelta(hours=1))  # fmt: skip


@pytest.fixture(params=["ed25519", "sm2"])
def signer(request: pytest.FixtureRequest, ed_signer: Signer, sm2_signer: Signer) -> Signer:
    return ed_signer if request.param == "ed25519" else sm2_signer


def test_leaf_bytes_layout() -> None:
    data = leaf_bytes(LogEvent.ISSUED, b"p", b"s")
    assert data.startswith(b"RSLOG1\x00ISSUED\x00") and len(data) == 14 + 64
    assert leaf_bytes(LogEvent.REVOKED, b"p", b"s") != data
    assert leaf_bytes(LogEvent.ISSUED, b"p", b"t") != data


def test_qr_valid_offline(signer: Signer) -> None:
    keys = KeyRing.of([signer.public_key])
    text = encode_qr_text(sign_payload(signer))
    result = verify_qr(text, keys, today=TODAY, status_list=_status(signer, 1), now=NOW)
    assert result.status is VerificationStatus.VALID, result.reasons
    assert result.checks[Check.SIGNATURE] is Outcome.PASSED
    assert result.checks[Check.REVOCATION] is Outcome.PASSED
    assert result.checks[Check.INCLUSION] is Outcome.SKIPPED
    assert result.payload is not None and result.payload.holder_name_masked == "欧阳*明"
    assert result.reasons[0] == "证书有效"


def test_bundle_valid_with_witness(signer: Signer) -> None:
    witness = Ed25519Signer.generate()
    text = _bundle(signer, witness=witness)
    keys = KeyRing.of([signer.public_key])
    result = verify_bundle(text, keys, today=TODAY, witnesses=KeyRing.of([witness.public_key]))
    assert result.status is VerificationStatus.VALID, result.reasons
    assert result.checks[Check.INCLUSION] is Outcome.PASSED
    assert result.checks[Check.TREE_HEAD_SIGNATURE] is Outcome.PASSED
    assert result.witnesses == [witness.public_key.key_id]
    assert "未提供状态列表，未检查撤销状态" in result.reasons
    assert verify_any(text, keys, today=TODAY).status is VerificationStatus.VALID


def test_every_changed_character_of_the_qr_is_detected(ed_signer: Ed25519Signer) -> None:
    keys = KeyRing.of([ed_signer.public_key])
    text = encode_qr_text(sign_payload(ed_signer))
    for i in range(len(text)):
        replacement = "B" if text[i] != "B" else "C"
        result = verify_qr(text[:i] + replacement + text[i + 1 :], keys, today=TODAY)
        assert result.status in {VerificationStatus.TAMPERED, VerificationStatus.MALFORMED,
                                 VerificationStatus.UNKNOWN_KEY}, i  # fmt: skip


def test_every_changed_byte_of_the_bundle_evidence_is_detected(ed_signer: Ed25519Signer) -> None:
    keys = KeyRing.of([ed_signer.public_key])
    doc = json.loads(_bundle(ed_signer))
    payload = doc["payload"].encode()
    detected = {VerificationStatus.TAMPERED, VerificationStatus.MALFORMED}

    def status_of(changed: dict[str, object]) -> VerificationStatus:
        return verify_bundle(json.dumps(changed), keys, today=TODAY).status

    for i in range(len(payload)):  # payload
        raw = bytearray(payload)
        raw[i] ^= 0x01
        try:
            text = raw.decode()
        except UnicodeDecodeError:
            continue
        assert status_of(doc | {"payload": text}) in detected, i
    for field in ("signature",):  # signature
        value = b64url_decode(doc[field])
        for i in range(len(value)):
            raw = bytearray(value)
            raw[i] ^= 0x01
            assert status_of(doc | {field: b64url(bytes(raw))}) in detected
    for k, element in enumerate(doc["inclusion_proof"]):  # proof
        value = b64url_decode(element)
        for i in range(len(value)):
            raw = bytearray(value)
            raw[i] ^= 0x01
            proof = [*doc["inclusion_proof"]]
            proof[k] = b64url(bytes(raw))
            assert status_of(doc | {"inclusion_proof": proof}) is VerificationStatus.TAMPERED
    for field in ("root_hash", "signature"):  # tree head
        value = b64url_decode(doc["tree_head"][field])
        for i in range(len(value)):
            raw = bytearray(value)
            raw[i] ^= 0x01
            head = doc["tree_head"] | {field: b64url(bytes(raw))}
            assert status_of(doc | {"tree_head": head}) is VerificationStatus.TAMPERED
    for field, number in (("size", doc["tree_head"]["size"] + 1), ("timestamp_ms", 1)):
        head = doc["tree_head"] | {field: number}
        assert status_of(doc | {"tree_head": head}) is VerificationStatus.TAMPERED
    assert status_of(doc | {"leaf_index": doc["leaf_index"] + 1}) is VerificationStatus.TAMPERED


def test_unknown_key_and_rotation(ed_signer: Ed25519Signer, sm2_signer: Sm2Signer) -> None:
    old_text = encode_qr_text(sign_payload(ed_signer))
    result = verify_qr(old_text, KeyRing.of([sm2_signer.public_key]), today=TODAY)
    assert result.status is VerificationStatus.UNKNOWN_KEY
    assert result.checks[Check.SIGNATURE] is Outcome.FAILED
    # After rotation to SM2 the old Ed25519 certificate still verifies; new heads use SM2.
    ring = KeyRing.of([], ed_signer).rotate(sm2_signer).public()
    assert verify_qr(old_text, ring, today=TODAY).status is VerificationStatus.VALID
    bundle = _bundle(ed_signer, log_signer=sm2_signer)
    assert verify_bundle(bundle, ring, today=TODAY).status is VerificationStatus.VALID
    only_old = KeyRing.of([ed_signer.public_key])
    result = verify_bundle(bundle, only_old, today=TODAY)
    assert result.status is VerificationStatus.UNKNOWN_KEY
    assert result.checks[Check.TREE_HEAD_SIGNATURE] is Outcome.FAILED


def test_payload_key_id_must_match_the_signature(ed_signer: Ed25519Signer) -> None:
    other = Ed25519Signer.generate()
    signed = sign_payload(ed_signer)  # payload names ed_signer's key…
    resigned = SignedPayload(signed.payload, other.public_key.key_id, other.sign(signed.payload))
    keys = KeyRing.of([ed_signer.public_key, other.public_key])
    result = verify_qr(encode_qr_text(resigned), keys, today=TODAY)  # …signed by another
    assert result.status is VerificationStatus.TAMPERED


def test_revoked(signer: Signer) -> None:
    keys = KeyRing.of([signer.public_key])
    status = _status(signer, 4242)
    result = verify_qr(encode_qr_text(sign_payload(signer)), keys, today=TODAY,
                       status_list=status, now=NOW)  # fmt: skip
    assert result.status is VerificationStatus.REVOKED
    assert result.checks[Check.REVOCATION] is Outcome.FAILED
    assert "证书已被撤销或注销" in result.reasons
    bundle = verify_bundle(_bundle(signer), keys, today=TODAY, status_list=status)
    assert bundle.status is VerificationStatus.REVOKED


def test_status_list_problems(ed_signer: Ed25519Signer) -> None:
    keys = KeyRing.of([ed_signer.public_key])
    text = encode_qr_text(sign_payload(ed_signer))
    forged = _status(Ed25519Signer.generate(), 4242)
    result = verify_qr(text, keys, today=TODAY, status_list=forged)
    assert result.status is VerificationStatus.TAMPERED
    stale = _status(ed_signer, 4242, issued=NOW - timedelta(days=2))
    result = verify_qr(text, keys, today=TODAY, status_list=stale, now=NOW)
    assert result.status is VerificationStatus.VALID  # the stale list is not relied on…
    assert result.checks[Check.REVOCATION] is Outcome.SKIPPED  # …and that is said
    assert "状态列表已过期，未检查撤销状态" in result.reasons


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2025, 2, 28), VerificationStatus.NOT_YET_VALID),
        (date(2025, 3, 1), VerificationStatus.VALID),
        (date(2030, 2, 28), VerificationStatus.VALID),
        (date(2030, 3, 1), VerificationStatus.EXPIRED),
    ],
)
def test_validity_dates(ed_signer: Ed25519Signer, today: date, status: VerificationStatus) -> None:
    keys = KeyRing.of([ed_signer.public_key])
    result = verify_qr(encode_qr_text(sign_payload(ed_signer)), keys, today=today)
    assert result.status is status


def test_revoked_outranks_expired(ed_signer: Ed25519Signer) -> None:
    keys = KeyRing.of([ed_signer.public_key])
    result = verify_qr(encode_qr_text(sign_payload(ed_signer)), keys, today=date(2031, 1, 1),
                       status_list=_status(ed_signer, 4242))  # fmt: skip
    assert result.status is VerificationStatus.REVOKED
    assert result.checks[Check.VALIDITY] is Outcome.FAILED


@pytest.mark.parametrize("text", ["", "hello", "{}", '{"type": "RegSafeProofBundle"}', "[1]"])
def test_malformed(ed_signer: Ed25519Signer, text: str) -> None:
    result = verify_any(text, KeyRing.of([ed_signer.public_key]), today=TODAY)
    assert result.status is VerificationStatus.MALFORMED
    assert result.checks[Check.FORMAT] is Outcome.FAILED and result.reasons


def test_verifies_offline_from_the_link(ed_signer: Ed25519Signer) -> None:
    keys = KeyRing.of([ed_signer.public_key])
    link = qr_url(sign_payload(ed_signer), "https://regsafe.example")
    result = verify_qr(link, keys, today=TODAY)
    assert result.status is VerificationStatus.VALID
    assert result.checks[Check.SIGNATURE] is Outcome.PASSED
    assert verify_any(link, keys, today=TODAY).status is VerificationStatus.VALID


def test_a_link_with_a_changed_payload_is_rejected(ed_signer: Ed25519Signer) -> None:
    keys = KeyRing.of([ed_signer.public_key])
    link = qr_url(sign_payload(ed_signer), "https://regsafe.example")
    start = link.index("RS1:") + 4
    for i in range(start, len(link), 7):
        replacement = "B" if link[i] != "B" else "C"
        result = verify_qr(link[:i] + replacement + link[i + 1 :], keys, today=TODAY)
        assert result.status in {VerificationStatus.TAMPERED, VerificationStatus.MALFORMED,
                                 VerificationStatus.UNKNOWN_KEY}, i  # fmt: skip


def test_the_host_of_a_link_is_neither_trusted_nor_required(
    ed_signer: Ed25519Signer, sm2_signer: Sm2Signer
) -> None:
    keys = KeyRing.of([ed_signer.public_key])
    # a genuine certificate behind another host still verifies: the signature decides…
    elsewhere = qr_url(sign_payload(ed_signer), "https://mirror.example.net/app")
    assert verify_qr(elsewhere, keys, today=TODAY).status is VerificationStatus.VALID
    # …and a forgery behind our own host does not
    forged = qr_url(sign_payload(sm2_signer), "https://regsafe.example")
    assert verify_qr(forged, keys, today=TODAY).status is VerificationStatus.UNKNOWN_KEY
