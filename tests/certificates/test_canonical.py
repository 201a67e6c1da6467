from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from regsafe.certificates.canonical import (
    CertificatePayload,
    EndKind,
    IssueKind,
    PayloadError,
    PayloadErrorCode,
    RevocationRecord,
)
from regsafe.certificates.numbers import format_number
from regsafe.identity.models import Specialty
from tests.certificates.factories import EMPLOYER, make_payload


def test_same_input_same_bytes_and_round_trip() -> None:
    payload = make_payload()
    raw = payload.to_bytes()
    assert raw == make_payload().to_bytes()
    assert CertificatePayload.from_bytes(raw) == payload
    text = raw.decode("utf-8")
    assert text.startswith('{"employer_credit_code":"91440300MA5FUTUR3X","employer_name":"广东')
    assert EMPLOYER.encode() in raw  # UTF-8 as is, not \u escapes (RFC 8785 §3.2.2.2)
    assert '"issued_at":"2025-03-01T08:30:15Z"' in text
    assert '"status_list_index":4242' in text


def test_key_order_escapes_and_number_spelling_do_not_matter() -> None:
    # The same object written three ways by other JSON producers.
    doc = make_payload().to_json_dict()
    variants = [
        json.dumps(dict(reversed(list(doc.items()))), ensure_ascii=True),
        json.dumps(doc, ensure_ascii=False, indent=4),
        json.dumps(doc).replace('"status_list_index": 4242', '"status_list_index": 4242.0'),
    ]
    canonical = make_payload().to_bytes()
    for text in variants:
        parsed = json.loads(text)
        if isinstance(parsed["status_list_index"], float):
            parsed["status_list_index"] = int(parsed["status_list_index"])
        assert CertificatePayload.from_json_dict(parsed).to_bytes() == canonical
    # Non-canonical spellings are refused at the byte level: only one signed form.
    with pytest.raises(PayloadError) as info:
        CertificatePayload.from_bytes(variants[0].encode())
    assert info.value.code is PayloadErrorCode.NOT_CANONICAL


def test_unicode_normalisation_gives_one_form() -> None:
    decomposed = make_payload(holder_name_masked="欧阳*明", employer_name="Cafe\u0301安全有限公司")
    composed = make_payload(holder_name_masked="欧阳*明", employer_name="Café安全有限公司")
    assert decomposed.to_bytes() == composed.to_bytes()


def test_time_is_utc_whole_seconds() -> None:
    shanghai = timezone(timedelta(hours=8))
    local = make_payload(issued_at=datetime(2025, 3, 1, 16, 30, 15, 999_999, tzinfo=shanghai))
    assert local.to_bytes() == make_payload().to_bytes()
    with pytest.raises(PayloadError):
        make_payload(issued_at=datetime(2025, 3, 1, 8, 30))  # naive


def _raw(doc: dict[str, Any]) -> bytes:
    import rfc8785

    return rfc8785.dumps(doc)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda d: d.update(extra=1), PayloadErrorCode.UNKNOWN_FIELD),
        (lambda d: d.pop("key_id"), PayloadErrorCode.MISSING_FIELD),
        (lambda d: d.update(version=2), PayloadErrorCode.UNSUPPORTED_VERSION),
        (lambda d: d.update(status_list_index="1"), PayloadErrorCode.BAD_VALUE),
        (lambda d: d.update(status_list_index=True), PayloadErrorCode.BAD_VALUE),
        (lambda d: d.update(status_list_index=-1), PayloadErrorCode.BAD_VALUE),
        (lambda d: d.update(valid_from="2025/03/01"), PayloadErrorCode.BAD_VALUE),
        (lambda d: d.update(issued_at="2025-03-01T08:30:15+08:00"), PayloadErrorCode.BAD_VALUE),
        (lambda d: d.update(specialty="COAL_MINE"), PayloadErrorCode.BAD_VALUE),  # ≠ number
        (lambda d: d.update(specialty="FIRE"), PayloadErrorCode.BAD_VALUE),
        (lambda d: d.update(kind="MINTED"), PayloadErrorCode.BAD_VALUE),
        (lambda d: d.update(number=d["number"][:-1] + "0"), PayloadErrorCode.BAD_VALUE),
        (lambda d: d.update(employer_credit_code="91440300MA5FUTUR3I"), PayloadErrorCode.BAD_VALUE),
        (lambda d: d.update(holder_blind_index="AB" * 32), PayloadErrorCode.BAD_VALUE),
        (lambda d: d.update(key_id="xyz"), PayloadErrorCode.BAD_VALUE),
        (lambda d: d.update(employer_name=" 有限公司"), PayloadErrorCode.BAD_VALUE),
        (lambda d: d.update(employer_name=""), PayloadErrorCode.BAD_VALUE),
        (lambda d: d.update(valid_until="2025-03-01"), PayloadErrorCode.BAD_VALUE),
        (lambda d: d.update(previous_number=None), PayloadErrorCode.BAD_VALUE),  # RENEWED
        (lambda d: d.update(previous_number=d["number"]), PayloadErrorCode.BAD_VALUE),
    ],
)
def test_parse_rejects_with_typed_error(change: Any, code: PayloadErrorCode) -> None:
    doc = make_payload().to_json_dict()
    change(doc)
    with pytest.raises(PayloadError) as info:
        CertificatePayload.from_bytes(_raw(doc))
    assert info.value.code is code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"\xff\xfe", PayloadErrorCode.NOT_JSON),
        (b"[1]", PayloadErrorCode.NOT_OBJECT),
        (b'{"a":1,"a":2}', PayloadErrorCode.DUPLICATE_FIELD),
        (b'{"a":NaN}', PayloadErrorCode.NOT_JSON),
        (b"", PayloadErrorCode.NOT_JSON),
    ],
)
def test_parse_rejects_non_payload_bytes(raw: bytes, code: PayloadErrorCode) -> None:
    with pytest.raises(PayloadError) as info:
        CertificatePayload.from_bytes(raw)
    assert info.value.code is code


def test_every_single_byte_change_is_refused_or_changes_the_payload() -> None:
    raw = make_payload().to_bytes()
    original = make_payload()
    for i in range(len(raw)):
        for delta in (1, 0x20):
            mutated = raw[:i] + bytes([raw[i] ^ delta]) + raw[i + 1 :]
            try:
                parsed = CertificatePayload.from_bytes(mutated)
            except PayloadError:
                continue
            # Parsable mutations exist (e.g. a digit of a date); they are other payloads.
            assert parsed != original and parsed.to_bytes() == mutated


def test_initial_issue_may_have_no_previous_number() -> None:
    payload = make_payload(kind=IssueKind.ISSUED, previous_number=None)
    assert json.loads(payload.to_bytes())["previous_number"] is None
    assert CertificatePayload.from_bytes(payload.to_bytes()) == payload


def test_payload_is_immutable() -> None:
    payload = make_payload()
    with pytest.raises(AttributeError):
        payload.number = "x"  # type: ignore[misc]
    assert replace(payload, status_list_index=1).status_list_index == 1


def test_revocation_record_round_trip_and_strictness() -> None:
    record = RevocationRecord(
        number=format_number(2025, "44", Specialty.CHEMICAL, 123456),
        kind=EndKind.REVOKED,
        effective_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        reason="以欺骗手段取得注册",
        status_list_index=4242,
        key_id="0123456789abcdef",
    )
    raw = record.to_bytes()
    assert RevocationRecord.from_bytes(raw) == record
    assert b'"type":"revocation"' in raw
    with pytest.raises(PayloadError):
        RevocationRecord.from_bytes(raw.replace(b"}", b',"x":1}'))
    with pytest.raises(PayloadError):
        CertificatePayload.from_bytes(raw)  # one kind of signed object is not another
    with pytest.raises(PayloadError):
        RevocationRecord(record.number, EndKind.CANCELLED, record.effective_at, "", 1, "0" * 16)
    assert date(2026, 1, 2) == record.effective_at.date()
