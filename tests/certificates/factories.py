"""Builders for certificate test data (pure: no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from regsafe.certificates.canonical import CertificatePayload, IssueKind, SignedPayload
from regsafe.certificates.numbers import format_number
from regsafe.certificates.signing import Signer
from regsafe.identity.models import Specialty

EMPLOYER = "广东省深圳市南山区安全生产技术服务有限公司"  # 21 characters


def make_payload(key_id: str = "0123456789abcdef", **changes: Any) -> CertificatePayload:
    payload = CertificatePayload(
        number=format_number(2025, "44", Specialty.CHEMICAL, 123456),
        holder_name_masked="欧阳*明",
        id_number_masked="440305********123X",
        holder_blind_index="5f" * 32,
        specialty=Specialty.CHEMICAL,
        employer_name=EMPLOYER,
        employer_credit_code="91440300MA5FUTUR3X",
        valid_from=date(2025, 3, 1),
        valid_until=date(2030, 2, 28),
        issued_at=datetime(2025, 3, 1, 8, 30, 15, tzinfo=UTC),
        kind=IssueKind.RENEWED,
        previous_number=format_number(2020, "44", Specialty.CHEMICAL, 654321),
        status_list_index=4242,
        key_id=key_id,
    )
    return replace(payload, **changes) if changes else payload


def sign_payload(signer: Signer, **changes: Any) -> SignedPayload:
    payload = make_payload(signer.public_key.key_id, **changes).to_bytes()
    return SignedPayload(payload, signer.public_key.key_id, signer.sign(payload))
