"""Verification without a database (离线核验): for the CLI, the web page and the bundle.

Input is QR text or a proof bundle, the published key set and optionally a signed status
list. Checks run in a fixed order and each records its outcome, so a verifier can show
what was and was not established; the overall status is the most serious finding.

Proof bundle (JSON): ``{"type": "RegSafeProofBundle", "version": 1, "payload": <the
canonical payload JSON as a string: its UTF-8 bytes are the signed bytes>, "key_id",
"signature" (base64url), "leaf_index", "inclusion_proof" ([base64url]), "tree_head"
(a signed tree head document)}``. The log event is the payload's kind.
"""

from __future__ import annotations

import binascii
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from regsafe.certificates.canonical import CertificatePayload, PayloadError, SignedPayload
from regsafe.certificates.log import LogEvent, event_leaf_hash
from regsafe.certificates.merkle import verify_inclusion
from regsafe.certificates.qr import QrError, decode_qr_text
from regsafe.certificates.signing import KeyRing, b64url, b64url_decode
from regsafe.certificates.status_list import SignedStatusList, StatusListError
from regsafe.certificates.tree_head import SignedTreeHead, TreeHeadError

BUNDLE_TYPE = "RegSafeProofBundle"


class VerificationStatus(StrEnum):
    VALID = "VALID"  # 有效
    NOT_YET_VALID = "NOT_YET_VALID"  # 尚未生效
    EXPIRED = "EXPIRED"  # 已过期
    REVOKED = "REVOKED"  # 已撤销/注销
    TAMPERED = "TAMPERED"  # 被篡改
    UNKNOWN_KEY = "UNKNOWN_KEY"  # 签发密钥未知
    MALFORMED = "MALFORMED"  # 格式错误


class Check(StrEnum):
    FORMAT = "FORMAT"
    SIGNATURE = "SIGNATURE"
    TREE_HEAD_SIGNATURE = "TREE_HEAD_SIGNATURE"
    INCLUSION = "INCLUSION"
    REVOCATION = "REVOCATION"
    VALIDITY = "VALIDITY"


class Outcome(StrEnum):
    PASSED = "PASSED"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"


_SEVERITY = [
    VerificationStatus.MALFORMED,
    VerificationStatus.UNKNOWN_KEY,
    VerificationStatus.TAMPERED,
    VerificationStatus.REVOKED,
    VerificationStatus.EXPIRED,
    VerificationStatus.NOT_YET_VALID,
    VerificationStatus.VALID,
]


@dataclass
class VerificationResult:
    status: VerificationStatus = VerificationStatus.VALID
    reasons: list[str] = field(default_factory=list)
    checks: dict[Check, Outcome] = field(
        default_factory=lambda: dict.fromkeys(Check, Outcome.SKIPPED)
    )
    payload: CertificatePayload | None = None
    tree_head: SignedTreeHead | None = None
    witnesses: list[str] = field(default_factory=list)  # key ids of verified cosigners

    def _fail(self, check: Check, status: VerificationStatus, reason: str) -> None:
        self.checks[check] = Outcome.FAILED
        self.reasons.append(reason)
        if _SEVERITY.index(status) < _SEVERITY.index(self.status):
            self.status = status

    def _pass(self, check: Check) -> None:
        self.checks[check] = Outcome.PASSED


@dataclass(frozen=True, slots=True)
class ProofBundle:
    signed: SignedPayload
    leaf_index: int
    inclusion_proof: tuple[bytes, ...]
    tree_head: SignedTreeHead

    def to_json(self) -> str:
        doc = {
            "type": BUNDLE_TYPE,
            "version": 1,
            "payload": self.signed.payload.decode("utf-8"),
            "key_id": self.signed.key_id,
            "signature": b64url(self.signed.signature),
            "leaf_index": self.leaf_index,
            "inclusion_proof": [b64url(p) for p in self.inclusion_proof],
            "tree_head": self.tree_head.to_json_dict(),
        }
        return json.dumps(doc, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> ProofBundle:
        try:
            doc: Any = json.loads(text)
            if doc["type"] != BUNDLE_TYPE or doc["version"] != 1:
                raise ValueError("not a RegSafe proof bundle v1")
            index = doc["leaf_index"]
            if isinstance(index, bool) or not isinstance(index, int):
                raise TypeError("leaf_index must be an integer")
            if not isinstance(doc["payload"], str) or not isinstance(doc["key_id"], str):
                raise TypeError("payload and key_id must be strings")
            signed = SignedPayload(
                doc["payload"].encode("utf-8"), doc["key_id"], b64url_decode(doc["signature"])
            )
            proof = tuple(b64url_decode(p) for p in doc["inclusion_proof"])
            return cls(signed, index, proof, SignedTreeHead.from_json_dict(doc["tree_head"]))
        except TreeHeadError:
            raise ValueError("bad tree head in bundle") from None
        except (KeyError, TypeError, ValueError, binascii.Error, UnicodeError) as exc:
            raise ValueError(f"bad proof bundle: {exc}") from exc


def _check_signed(signed: SignedPayload, keys: KeyRing, result: VerificationResult) -> bool:
    """Signature over the exact bytes first, then parse: a changed byte reads as
    tampering, not as a format problem."""
    result._pass(Check.FORMAT)
    if signed.key_id not in keys:
        result._fail(Check.SIGNATURE, VerificationStatus.UNKNOWN_KEY,
                     f"签发密钥 {signed.key_id} 不在公布的密钥集中")  # fmt: skip
        return False
    if not keys.verify(signed.key_id, signed.payload, signed.signature):
        result._fail(Check.SIGNATURE, VerificationStatus.TAMPERED, "签名无效：证书内容或签名被篡改")
        return False
    try:
        payload = signed.certificate()
    except PayloadError as exc:
        result._fail(Check.FORMAT, VerificationStatus.MALFORMED, f"证书内容格式错误：{exc.message}")
        return False
    if payload.key_id != signed.key_id:
        result._fail(Check.SIGNATURE, VerificationStatus.TAMPERED, "证书内容中的密钥编号与签名不符")
        return False
    result._pass(Check.SIGNATURE)
    result.payload = payload
    return True


def _check_status(
    payload: CertificatePayload,
    status_list: SignedStatusList | None,
    keys: KeyRing,
    now: datetime | None,
    result: VerificationResult,
) -> None:
    if status_list is None:
        result.reasons.append("未提供状态列表，未检查撤销状态")
        return
    if not status_list.verify(keys):
        result._fail(Check.REVOCATION, VerificationStatus.TAMPERED, "状态列表签名无效")
        return
    if now is not None and not status_list.is_fresh(now):
        result.reasons.append("状态列表已过期，未检查撤销状态")
        return
    try:
        revoked = status_list.status_list().get(payload.status_list_index)
    except (StatusListError, IndexError):
        result._fail(Check.REVOCATION, VerificationStatus.MALFORMED, "状态列表无法读取或不含该证书")
        return
    if revoked:
        result._fail(Check.REVOCATION, VerificationStatus.REVOKED, "证书已被撤销或注销")
    else:
        result._pass(Check.REVOCATION)


def _check_dates(payload: CertificatePayload, today: date, result: VerificationResult) -> None:
    if today < payload.valid_from:
        result._fail(Check.VALIDITY, VerificationStatus.NOT_YET_VALID,
                     f"证书自 {payload.valid_from.isoformat()} 起生效")  # fmt: skip
    elif today > payload.valid_until:
        result._fail(Check.VALIDITY, VerificationStatus.EXPIRED,
                     f"证书已于 {payload.valid_until.isoformat()} 到期")  # fmt: skip
    else:
        result._pass(Check.VALIDITY)


def _check_log(bundle: ProofBundle, keys: KeyRing, witnesses: KeyRing | None,
               result: VerificationResult) -> None:  # fmt: skip
    assert result.payload is not None
    sth = bundle.tree_head
    result.tree_head = sth
    if sth.key_id not in keys:
        result._fail(Check.TREE_HEAD_SIGNATURE, VerificationStatus.UNKNOWN_KEY,
                     f"树头签名密钥 {sth.key_id} 不在公布的密钥集中")  # fmt: skip
        return
    if not sth.verify(keys):
        result._fail(Check.TREE_HEAD_SIGNATURE, VerificationStatus.TAMPERED, "树头签名无效")
        return
    result._pass(Check.TREE_HEAD_SIGNATURE)
    if witnesses is not None:
        result.witnesses = sth.verified_witnesses(witnesses)
    leaf = event_leaf_hash(LogEvent(result.payload.kind.value), bundle.signed.payload,
                           bundle.signed.signature)  # fmt: skip
    if verify_inclusion(leaf, bundle.leaf_index, sth.head.size, bundle.inclusion_proof,
                        sth.head.root_hash):  # fmt: skip
        result._pass(Check.INCLUSION)
    else:
        result._fail(Check.INCLUSION, VerificationStatus.TAMPERED, "存证日志包含证明无效")


def _finish(
    result: VerificationResult,
    keys: KeyRing,
    today: date,
    status_list: SignedStatusList | None,
    now: datetime | None,
) -> VerificationResult:
    assert result.payload is not None
    _check_status(result.payload, status_list, keys, now, result)
    _check_dates(result.payload, today, result)
    if result.status is VerificationStatus.VALID:
        result.reasons.insert(0, "证书有效")
    return result


def verify_qr(
    text: str,
    keys: KeyRing,
    *,
    today: date,
    status_list: SignedStatusList | None = None,
    now: datetime | None = None,
) -> VerificationResult:
    """Signature, then revocation (if a list is given) and dates. ``now`` enables the
    status list freshness check."""
    result = VerificationResult()
    try:
        signed = decode_qr_text(text)
    except QrError as exc:
        result._fail(Check.FORMAT, VerificationStatus.MALFORMED, str(exc))
        return result
    if not _check_signed(signed, keys, result):
        return result
    return _finish(result, keys, today, status_list, now)


def verify_bundle(
    text: str | bytes,
    keys: KeyRing,
    *,
    today: date,
    status_list: SignedStatusList | None = None,
    now: datetime | None = None,
    witnesses: KeyRing | None = None,
) -> VerificationResult:
    """Everything ``verify_qr`` checks, plus the tree head signature and the inclusion of
    the signed payload in the log; lists the witnesses whose cosignatures verify."""
    result = VerificationResult()
    try:
        bundle = ProofBundle.from_json(text)
    except ValueError as exc:
        result._fail(Check.FORMAT, VerificationStatus.MALFORMED, f"证明包格式错误：{exc}")
        return result
    if not _check_signed(bundle.signed, keys, result):
        return result
    _check_log(bundle, keys, witnesses, result)
    return _finish(result, keys, today, status_list, now)


def verify_any(text: str, keys: KeyRing, *, today: date, **options: Any) -> VerificationResult:
    """QR text or bundle JSON, by its first character."""
    if text.lstrip().startswith("{"):
        return verify_bundle(text, keys, today=today, **options)
    options.pop("witnesses", None)
    return verify_qr(text, keys, today=today, **options)
