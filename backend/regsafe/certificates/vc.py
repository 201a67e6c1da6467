"""Export as a W3C Verifiable Credential 2.0 secured with a Data Integrity proof,
cryptosuite ``eddsa-jcs-2022`` (W3C "Data Integrity EdDSA Cryptosuites v1.0" §3.3):

1. proofConfig = the proof options (type, cryptosuite, created, verificationMethod,
   proofPurpose) plus the document's ``@context``; canonicalised with JCS (RFC 8785);
2. the credential without ``proof``, canonicalised with JCS;
3. hashData = SHA-256(proofConfig) ‖ SHA-256(credential);
4. proofValue = multibase base58-btc (``z…``) of the Ed25519 signature over hashData.

The issuer and verification method are a ``did:key`` of the issuing Ed25519 key
(multicodec 0xed01), so a wallet resolves the key from the identifier alone. SM2 has no
registered Data Integrity cryptosuite: with an SM2 issuing key the export is refused
(the signed payload, QR and proof bundle remain the verifiable forms).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import rfc8785

from regsafe.certificates.canonical import CertificatePayload
from regsafe.certificates.signing import Algorithm, PublicKey, Signer

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
CRYPTOSUITE = "eddsa-jcs-2022"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ED25519_PUB = b"\xed\x01"


class UnsupportedAlgorithm(ValueError):
    pass


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = _B58[rem] + out
    return "1" * (len(data) - len(data.lstrip(b"\x00"))) + out


def base58btc_decode(text: str) -> bytes:
    number = 0
    for ch in text:
        number = number * 58 + _B58.index(ch)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\x00" * (len(text) - len(text.lstrip("1"))) + body


def did_key(key: PublicKey) -> str:
    if key.algorithm is not Algorithm.ED25519:
        raise UnsupportedAlgorithm("did:key export needs an Ed25519 key")
    return "did:key:z" + base58btc(_ED25519_PUB + key.raw)


def _time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def credential(payload: CertificatePayload, *, issuer: str, status_url: str) -> dict[str, Any]:
    """The unsecured credential: the payload's public fields as the subject."""
    return {
        "@context": [VC_CONTEXT],
        "id": f"urn:regsafe:certificate:{payload.number}",
        "type": ["VerifiableCredential", "RegisteredSafetyEngineerCertificate"],
        "name": "中级注册安全工程师注册证书",
        "issuer": issuer,
        "validFrom": f"{payload.valid_from.isoformat()}T00:00:00+08:00",
        "validUntil": f"{payload.valid_until.isoformat()}T23:59:59+08:00",
        "credentialSubject": {
            "type": "RegisteredSafetyEngineer",
            "name": payload.holder_name_masked,
            "idNumberMasked": payload.id_number_masked,
            "holderBlindIndex": payload.holder_blind_index,
            "certificateNumber": payload.number,
            "specialty": payload.specialty.value,
            "employer": {
                "name": payload.employer_name,
                "unifiedSocialCreditCode": payload.employer_credit_code,
            },
            "issueKind": payload.kind.value,
            "previousCertificateNumber": payload.previous_number,
            "issuedAt": _time(payload.issued_at),
        },
        "credentialStatus": {
            "id": f"{status_url}#{payload.status_list_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(payload.status_list_index),
            "statusListCredential": status_url,
        },
    }


def _hash_data(document: dict[str, Any], options: dict[str, Any]) -> bytes:
    config = dict(options)
    if "@context" in document:
        config["@context"] = document["@context"]
    return (
        hashlib.sha256(rfc8785.dumps(config)).digest()
        + hashlib.sha256(rfc8785.dumps(document)).digest()
    )


def sign_credential(document: dict[str, Any], signer: Signer, *, created: datetime) -> str:
    """The secured credential as JSON text."""
    method = did_key(signer.public_key)
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": _time(created),
        "verificationMethod": f"{method}#{method.removeprefix('did:key:')}",
        "proofPurpose": "assertionMethod",
    }
    signature = signer.sign(_hash_data(document, options))
    secured = dict(document) | {"proof": options | {"proofValue": "z" + base58btc(signature)}}
    return json.dumps(secured, ensure_ascii=False, indent=2)


def verify_credential(text: str) -> bool:
    """Verify an eddsa-jcs-2022 credential whose verification method is a did:key."""
    doc = json.loads(text)
    proof = dict(doc.pop("proof"))
    value = proof.pop("proofValue")
    if proof.get("cryptosuite") != CRYPTOSUITE or not value.startswith("z"):
        return False
    method = proof["verificationMethod"].split("#")[0]
    raw = base58btc_decode(method.removeprefix("did:key:z"))
    if raw[:2] != _ED25519_PUB:
        return False
    key = PublicKey(Algorithm.ED25519, raw[2:])
    return key.verify(_hash_data(doc, proof), base58btc_decode(value[1:]))
