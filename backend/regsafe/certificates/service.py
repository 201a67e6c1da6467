"""Certificate operations: issuance inside the approval transaction, numbering, ending
(cancellation, revocation), online verification, the status list and proof bundles.

Issuance (``Issuer``) implements registration's ``CertificateIssuer`` protocol, so the
registration domain never imports this package. Everything a certificate event writes
— the row, its leaf and the log nodes — commits with the approval or not at all.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.audit import service as audit
from regsafe.audit.models import AuditAction
from regsafe.auth.roles import Role, Viewer
from regsafe.certificates import ledger
from regsafe.certificates.canonical import (
    CertificatePayload,
    EndKind,
    IssueKind,
    PayloadError,
    RevocationRecord,
    SignedPayload,
)
from regsafe.certificates.errors import CertificateErrorCode as Code
from regsafe.certificates.log import LogEvent, event_leaf_hash
from regsafe.certificates.merkle import verify_inclusion
from regsafe.certificates.models import Certificate, CertificateCounter, CertificateStatus, LogLeaf
from regsafe.certificates.numbers import (
    PROVINCES,
    SPECIALTY_CODES,
    InvalidNumber,
    format_number,
    parse_number,
)
from regsafe.certificates.offline import ProofBundle
from regsafe.certificates.qr import QrError, decode_qr_text
from regsafe.certificates.scopes import (
    certificate_scope,
    reviewer_certificates,
)
from regsafe.certificates.signing import KeyRing, UnknownKey
from regsafe.certificates.status_list import SignedStatusList, StatusList, sign_status_list
from regsafe.certificates.tree_head import SignedTreeHead
from regsafe.core import masking
from regsafe.core.clock import SHANGHAI
from regsafe.core.crypto import FieldCipher
from regsafe.core.errors import DomainError
from regsafe.core.masking import Disclosure
from regsafe.core.storage import ObjectStore
from regsafe.identity import service as identity_service
from regsafe.identity.models import SPECIALTY_NAMES, Employer, Person, Specialty
from regsafe.registration.models import (
    Qualification,
    Registration,
    RegistrationStatus,
)
from regsafe.registration.rules import ApplicationKind

ISSUE_KINDS = {
    ApplicationKind.INITIAL: IssueKind.ISSUED,
    ApplicationKind.LATE_INITIAL: IssueKind.ISSUED,
    ApplicationKind.REREGISTER: IssueKind.ISSUED,
    ApplicationKind.RENEWAL: IssueKind.RENEWED,
    ApplicationKind.CHANGE: IssueKind.CHANGED,
    ApplicationKind.REISSUE: IssueKind.REISSUED,
}
ENDED = (CertificateStatus.REVOKED.value, CertificateStatus.CANCELLED.value)
# A SQL literal, the same text as the partial index's predicate (ix_certificate_ended): a
# bound parameter would hide from a generic plan that the index applies.
ENDED_SQL = text("certificate.status IN ('REVOKED','CANCELLED')")
REVOKERS = (Role.PROVINCIAL_REVIEWER, Role.MINISTRY_REVIEWER, Role.ADMIN)
STATUS_LIST_ID = "revocation/1"
CANCELLATION_REASON = "注销注册"
MAX_REASON = 100  # RevocationRecord's text limit

OnIssued = Callable[[AsyncSession, Certificate], Awaitable[None]]


# --- issuance -------------------------------------------------------------------------


HOLDER_CONTEXT = "certificate.holder"


def holder_binding(cipher: FieldCipher, *, id_number: str, number: str) -> bytes:
    """证书持有人绑定: a keyed hash of the holder's ID number and this certificate's number.
    The platform can answer "is this certificate that person's?" from it, but two
    certificates of one person share nothing a reader could link them by."""
    return cipher.blind_index(f"{id_number}\x00{number}", context=HOLDER_CONTEXT)


async def next_number(
    session: AsyncSession, *, year: int, province: str, specialty: Specialty
) -> str:
    """The next number for (year, province, specialty). The upsert locks the counter row
    until the transaction ends, so concurrent issuers queue and numbers never repeat."""
    code = SPECIALTY_CODES[specialty]
    conn = await session.connection()
    stmt = (
        pg_insert(CertificateCounter)
        .values(year=year, province=province, specialty=code, last_sequence=1)
        .on_conflict_do_update(
            index_elements=["year", "province", "specialty"],
            set_={"last_sequence": CertificateCounter.last_sequence + 1},
        )
        .returning(col(CertificateCounter.last_sequence))
    )
    sequence = (await conn.execute(stmt)).scalar_one()
    return format_number(year, province, specialty, int(sequence))


async def _next_status_index(session: AsyncSession) -> int:
    conn = await session.connection()
    value = (await conn.execute(text("SELECT nextval('certificate_status_index_seq')"))).scalar()
    return int(value or 0)


@dataclass
class Issuer:
    """Implements ``registration.service.CertificateIssuer``: signs with the active key,
    logs the event, and (optionally) queues the PDF in the same transaction."""

    keys: KeyRing
    cipher: FieldCipher
    on_issued: OnIssued | None = None

    async def issue(
        self,
        session: AsyncSession,
        *,
        registration: Registration,
        previous: Registration | None,
        kind: ApplicationKind,
        now: datetime,
    ) -> None:
        await issue_certificate(
            session,
            keys=self.keys,
            cipher=self.cipher,
            registration=registration,
            kind=ISSUE_KINDS[kind],
            now=now,
            on_issued=self.on_issued,
        )

    async def end(
        self, session: AsyncSession, *, registration: Registration, now: datetime
    ) -> None:
        cert = (
            await session.exec(
                select(Certificate)
                .where(
                    col(Certificate.registration_id) == registration.id,
                    col(Certificate.status) == CertificateStatus.ACTIVE.value,
                )
                .with_for_update()
            )
        ).first()
        if cert is not None:
            await _end(session, self.keys, cert, EndKind.CANCELLED, CANCELLATION_REASON, now, None)


async def issue_certificate(
    session: AsyncSession,
    *,
    keys: KeyRing,
    cipher: FieldCipher,
    registration: Registration,
    kind: IssueKind,
    now: datetime,
    on_issued: OnIssued | None = None,
) -> Certificate:
    assert registration.id is not None
    person = await session.get(Person, registration.person_id)
    employer = await session.get(Employer, registration.employer_id)
    assert person is not None and employer is not None
    # The certificate this one replaces: the person's ACTIVE one (at most one, by index).
    previous = (
        await session.exec(
            select(Certificate)
            .where(
                col(Certificate.person_id) == registration.person_id,
                col(Certificate.status) == CertificateStatus.ACTIVE.value,
            )
            .with_for_update()
        )
    ).first()
    if previous is not None:
        lapsed = previous.valid_until < registration.valid_from and kind is IssueKind.ISSUED
        previous.status = (
            CertificateStatus.EXPIRED if lapsed else CertificateStatus.SUPERSEDED
        ).value
        session.add(previous)
        await session.flush()  # free the one-ACTIVE-certificate slot first
    # A registration taken over from the previous system has no RegSafe certificate to
    # link to: its renewal or change is then issued as a first certificate.
    if previous is None and kind is not IssueKind.ISSUED:
        kind = IssueKind.ISSUED
    specialty = Specialty(registration.specialty)
    province = employer.region_code[:2]
    if province not in PROVINCES:  # defensive: region codes are validated on input
        raise DomainError(Code.INVALID_VALUE, "聘用单位行政区划代码无效", "employerId")
    number = await next_number(
        session, year=now.astimezone(SHANGHAI).year, province=province, specialty=specialty
    )
    qualification = (
        await session.exec(
            select(Qualification.certificate_number).where(
                col(Qualification.person_id) == registration.person_id,
                col(Qualification.specialty) == registration.specialty,
            )
        )
    ).first()
    id_number = identity_service.decrypt_id_number(cipher, person)
    holder_index = holder_binding(cipher, id_number=id_number, number=number)
    # The payload travels in the QR code, readable by anyone offline: only the PUBLIC
    # forms (core/masking.py) and a binding of this certificate alone to the holder's
    # number, never the 6+4 form or the person blind index that link a person's records.
    payload = CertificatePayload(
        number=number,
        holder_name_masked=masking.name(person.name, Disclosure.PUBLIC) or "",
        id_number_masked=masking.id_number(id_number, Disclosure.PUBLIC) or "",
        holder_blind_index=holder_index.hex(),
        specialty=specialty,
        employer_name=employer.name,
        employer_credit_code=employer.credit_code,
        valid_from=registration.valid_from,
        valid_until=registration.valid_until,
        issued_at=now,
        kind=kind,
        previous_number=previous.number
        if previous is not None and kind is not IssueKind.ISSUED
        else None,
        status_list_index=await _next_status_index(session),
        key_id=keys.active_key_id,
    )
    raw = payload.to_bytes()
    key_id, signature = keys.sign(raw)
    leaf_index = await ledger.lock_log(session)
    cert = Certificate(
        number=number,
        registration_id=registration.id,
        person_id=registration.person_id,
        employer_id=registration.employer_id,
        kind=kind.value,
        status=CertificateStatus.ACTIVE.value,
        previous_id=previous.id if previous is not None else None,
        holder_name_masked=payload.holder_name_masked,
        id_number_masked=payload.id_number_masked,
        holder_blind_index=holder_index,
        specialty=specialty.value,
        employer_name=payload.employer_name,
        employer_credit_code=payload.employer_credit_code,
        qualification_number=qualification,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        issued_at=payload.issued_at,
        payload=raw,
        signature=signature,
        key_id=key_id,
        status_list_index=payload.status_list_index,
        leaf_index=leaf_index,
    )
    session.add(cert)
    await session.flush()
    assert cert.id is not None
    await ledger.append_leaf(
        session,
        index=leaf_index,
        event=LogEvent(kind.value),
        payload=raw,
        signature=signature,
        certificate_id=cert.id,
        now=now,
    )
    if on_issued is not None:
        await on_issued(session, cert)
    return cert


async def _end(
    session: AsyncSession,
    keys: KeyRing,
    cert: Certificate,
    kind: EndKind,
    reason: str,
    now: datetime,
    actor: int | None,
) -> Certificate:
    assert cert.id is not None
    record = RevocationRecord(
        number=cert.number,
        kind=kind,
        effective_at=now,
        reason=reason,
        status_list_index=cert.status_list_index,
        key_id=keys.active_key_id,
    )
    raw = record.to_bytes()
    key_id, signature = keys.sign(raw)
    index = await ledger.lock_log(session)
    cert.status = (
        CertificateStatus.REVOKED if kind is EndKind.REVOKED else CertificateStatus.CANCELLED
    ).value
    cert.ended_at = record.effective_at
    cert.end_reason = record.reason
    cert.end_record = raw
    cert.end_signature = signature
    cert.end_key_id = key_id
    cert.end_leaf_index = index
    cert.revoked_by = actor
    session.add(cert)
    await session.flush()
    await ledger.append_leaf(
        session,
        index=index,
        event=LogEvent(kind.value),
        payload=raw,
        signature=signature,
        certificate_id=cert.id,
        now=now,
    )
    return cert


# --- visibility and reads -------------------------------------------------------------


# certificate_scope lives in certificates/scopes.py.


async def get_certificate(
    session: AsyncSession, viewer: Viewer, certificate_id: int, *, lock: bool = False
) -> Certificate:
    stmt = select(Certificate).where(
        col(Certificate.id) == certificate_id, certificate_scope(viewer)
    )
    if lock:
        stmt = stmt.with_for_update()
    cert = (await session.exec(stmt)).first()
    if cert is None:
        raise DomainError(Code.NOT_FOUND, "证书不存在或无权访问", "id")
    return cert


async def by_number(session: AsyncSession, number: str) -> Certificate | None:
    return (
        await session.exec(select(Certificate).where(col(Certificate.number) == number))
    ).first()


async def revoke_certificate(
    session: AsyncSession,
    *,
    viewer: Viewer,
    keys: KeyRing,
    certificate_id: int,
    reason: str | None,
    now: datetime,
    request_id: str | None = None,
) -> Certificate:
    """撤销: a reviewer or administrator ends an ACTIVE certificate with a written reason.
    The registration it documents ends with it (CANCELLED)."""
    if not viewer.has(*REVOKERS):
        raise DomainError(Code.NOT_PERMITTED, "无权撤销证书", "id")
    text_reason = (reason or "").strip()
    if not text_reason:
        raise DomainError(Code.REASON_REQUIRED, "撤销证书须说明理由", "reason")
    if len(text_reason) > MAX_REASON or any(c in text_reason for c in "\r\n\t"):
        raise DomainError(Code.TOO_LONG, f"撤销理由应为一行，不超过{MAX_REASON}字", "reason")
    # Only a certificate within the reviewer's own reach (its province) may be revoked:
    # seeing one as its holder or employer gives no power over it.
    cert = (
        await session.exec(
            select(Certificate)
            .where(col(Certificate.id) == certificate_id, reviewer_certificates(viewer))
            .with_for_update()
        )
    ).first()
    if cert is None:
        raise DomainError(Code.NOT_FOUND, "证书不存在或无权访问", "id")
    if cert.status != CertificateStatus.ACTIVE.value:
        raise DomainError(Code.NOT_ACTIVE, "只能撤销有效状态的证书", "id")
    await _end(session, keys, cert, EndKind.REVOKED, text_reason, now, viewer.user_id)
    reg = await session.get(Registration, cert.registration_id, with_for_update=True)
    if reg is not None and reg.status == RegistrationStatus.ACTIVE.value:
        reg.status = RegistrationStatus.CANCELLED.value
        reg.ended_at = now
        session.add(reg)
    assert cert.id is not None
    audit.record(
        session,
        action=AuditAction.CERTIFICATE_REVOKED,
        subject_type="certificate",
        subject_id=cert.id,
        actor_user_id=viewer.user_id,
        request_id=request_id,
        detail={"number": cert.number, "reason": text_reason},
    )
    return cert


# --- integrity of one certificate -----------------------------------------------------


def signed_of(cert: Certificate) -> SignedPayload:
    return SignedPayload(cert.payload, cert.key_id, cert.signature)


def row_mismatches(cert: Certificate, payload: CertificatePayload) -> list[str]:
    """Columns whose value differs from the signed payload (any edit of the row)."""
    expected = {
        "number": payload.number,
        "kind": payload.kind.value,
        "holder_name_masked": payload.holder_name_masked,
        "id_number_masked": payload.id_number_masked,
        "holder_blind_index": payload.holder_blind_index,
        "specialty": payload.specialty.value,
        "employer_name": payload.employer_name,
        "employer_credit_code": payload.employer_credit_code,
        "valid_from": payload.valid_from,
        "valid_until": payload.valid_until,
        "issued_at": payload.issued_at,
        "status_list_index": payload.status_list_index,
        "key_id": payload.key_id,
    }
    actual = {name: getattr(cert, name) for name in expected}
    actual["holder_blind_index"] = cert.holder_blind_index.hex()
    return [name for name, value in expected.items() if actual[name] != value]


@dataclass
class RowCheck:
    payload: CertificatePayload | None = None
    signature_valid: bool | None = None
    problems: list[str] = field(default_factory=list)


def check_row(cert: Certificate, keys: KeyRing) -> RowCheck:
    """Signature over the stored bytes, the bytes parse, and the row matches them; the
    end record likewise. Leaves are checked separately (they need the log)."""
    result = RowCheck()
    try:
        result.signature_valid = keys.verify(cert.key_id, cert.payload, cert.signature)
    except UnknownKey:
        result.signature_valid = False
        result.problems.append(f"签发密钥 {cert.key_id} 不在密钥集中")
        return result
    if not result.signature_valid:
        result.problems.append("证书签名与存储的载荷不符")
        return result
    try:
        result.payload = CertificatePayload.from_bytes(cert.payload)
    except PayloadError as exc:
        result.problems.append(f"证书载荷无法解析：{exc.message}")
        return result
    diff = row_mismatches(cert, result.payload)
    if diff:
        result.problems.append(f"证书数据行与签名载荷不一致：{', '.join(diff)}")
    if cert.end_record is not None:
        try:
            ok = keys.verify(cert.end_key_id or "", cert.end_record, cert.end_signature or b"")
            record = RevocationRecord.from_bytes(cert.end_record)
        except (UnknownKey, PayloadError):
            ok, record = False, None
        if not ok or record is None:
            result.problems.append("撤销/注销记录签名无效")
        elif record.number != cert.number or record.reason != cert.end_reason:
            result.problems.append("撤销/注销记录与数据行不一致")
        elif record.kind.value != cert.status:
            result.problems.append("证书状态与撤销/注销记录不一致")
    elif cert.status in ENDED:
        result.problems.append("证书状态为已撤销/注销，但没有签名的撤销记录")
    return result


def expected_leaves(cert: Certificate) -> list[tuple[int, bytes]]:
    """(leaf index, leaf hash) the certificate's stored bytes imply."""
    leaves = [(cert.leaf_index, event_leaf_hash(LogEvent(cert.kind), cert.payload, cert.signature))]
    if cert.end_leaf_index is not None and cert.end_record is not None:
        revoked = cert.status == CertificateStatus.REVOKED
        event = LogEvent.REVOKED if revoked else LogEvent.CANCELLED
        end_hash = event_leaf_hash(event, cert.end_record, cert.end_signature or b"")
        leaves.append((cert.end_leaf_index, end_hash))
    return leaves


# --- online verification --------------------------------------------------------------


class VerificationStatus(StrEnum):
    VALID = "VALID"  # 有效
    EXPIRED = "EXPIRED"  # 已过期
    REVOKED = "REVOKED"  # 已撤销
    CANCELLED = "CANCELLED"  # 已注销
    SUPERSEDED = "SUPERSEDED"  # 已被新证书取代
    UNKNOWN = "UNKNOWN"  # 查无此证
    TAMPERED = "TAMPERED"  # 被篡改


@dataclass
class Verification:
    status: VerificationStatus
    reasons: list[str] = field(default_factory=list)
    certificate: Certificate | None = None
    payload: CertificatePayload | None = None
    signature_valid: bool | None = None
    inclusion_verified: bool | None = None
    tree_head: SignedTreeHead | None = None
    inclusion_proof: list[bytes] = field(default_factory=list)
    superseded_by: str | None = None
    current_employer_name: str | None = None


async def verify_online(
    session: AsyncSession,
    *,
    keys: KeyRing,
    number: str | None = None,
    qr_payload: str | None = None,
    today: date,
) -> Verification:
    """What a verifier learns online: the signature, the row against its payload and its
    leaf, inclusion under the latest signed tree head, and the current status."""
    presented: SignedPayload | None = None
    if qr_payload:
        try:
            presented = decode_qr_text(qr_payload)
        except QrError as exc:
            return Verification(VerificationStatus.UNKNOWN, [str(exc)])
        if presented.key_id not in keys or not keys.verify(
            presented.key_id, presented.payload, presented.signature
        ):
            return Verification(
                VerificationStatus.TAMPERED, ["二维码签名无效：内容被篡改或非本平台签发"], None,
                signature_valid=False,
            )  # fmt: skip
        try:
            number = CertificatePayload.from_bytes(presented.payload).number
        except PayloadError as exc:
            return Verification(VerificationStatus.TAMPERED, [f"二维码内容格式错误：{exc.message}"])
    if not number:
        return Verification(VerificationStatus.UNKNOWN, ["请输入证书编号或扫描二维码"])
    try:
        canonical = str(parse_number(number))
    except InvalidNumber as exc:
        return Verification(VerificationStatus.UNKNOWN, [exc.message])
    cert = await by_number(session, canonical)
    if cert is None:
        return Verification(VerificationStatus.UNKNOWN, [f"查无此证：{canonical}"])
    result = Verification(VerificationStatus.VALID, certificate=cert)
    check = check_row(cert, keys)
    result.payload, result.signature_valid = check.payload, check.signature_valid
    result.reasons.extend(check.problems)
    if presented is not None and (
        presented.payload != cert.payload or presented.signature != cert.signature
    ):
        result.reasons.append("二维码内容与平台登记的证书不一致")
        check.problems.append("qr")
    wanted = expected_leaves(cert)
    stored = {
        leaf.index: leaf
        for leaf in (
            await session.exec(
                select(LogLeaf).where(col(LogLeaf.index).in_([i for i, _ in wanted]))
            )
        ).all()
    }
    for index, expected in wanted:
        leaf = stored.get(index)
        if leaf is None or leaf.leaf_hash != expected or leaf.certificate_id != cert.id:
            result.reasons.append(f"存证日志第 {index} 号叶子与证书不符")
            check.problems.append("leaf")
    head = await ledger.latest_tree_head(session)
    if head is not None:
        sth = head.signed
        result.tree_head = sth
        if not sth.verify(keys):
            result.inclusion_verified = False
            result.reasons.append("最新树头签名无效")
            check.problems.append("sth")
        elif cert.leaf_index < sth.head.size:
            proof = await ledger.inclusion(session, cert.leaf_index, sth.head.size)
            result.inclusion_proof = proof
            result.inclusion_verified = verify_inclusion(
                wanted[0][1], cert.leaf_index, sth.head.size, proof, sth.head.root_hash
            )
            if not result.inclusion_verified:
                result.reasons.append("存证日志包含证明无效")
                check.problems.append("inclusion")
        else:
            result.reasons.append("证书已记入存证日志，尚待下一次树头签名（约1分钟）")
    else:
        result.reasons.append("存证日志尚无签名树头")
    current = (
        await session.exec(
            select(Certificate).where(
                col(Certificate.person_id) == cert.person_id,
                col(Certificate.status) == CertificateStatus.ACTIVE.value,
            )
        )
    ).first()
    if current is not None:
        result.current_employer_name = current.employer_name
    if check.problems:
        result.status = VerificationStatus.TAMPERED
        return result
    if cert.status == CertificateStatus.REVOKED.value:
        result.status = VerificationStatus.REVOKED
        when = cert.ended_at.astimezone(SHANGHAI).date().isoformat() if cert.ended_at else ""
        result.reasons.insert(0, f"证书已于 {when} 撤销，理由：{cert.end_reason}")
    elif cert.status == CertificateStatus.CANCELLED.value:
        result.status = VerificationStatus.CANCELLED
        when = cert.ended_at.astimezone(SHANGHAI).date().isoformat() if cert.ended_at else ""
        result.reasons.insert(0, f"证书已于 {when} 注销")
    elif cert.status == CertificateStatus.SUPERSEDED.value:
        result.status = VerificationStatus.SUPERSEDED
        successor = (
            await session.exec(
                select(Certificate.number).where(col(Certificate.previous_id) == cert.id)
            )
        ).first()
        result.superseded_by = successor
        result.reasons.insert(0, f"证书已被新证书 {successor or ''} 取代")
    elif cert.status == CertificateStatus.EXPIRED.value or today > cert.valid_until:
        result.status = VerificationStatus.EXPIRED
        result.reasons.insert(0, f"证书已于 {cert.valid_until.isoformat()} 到期")
    else:
        result.reasons.insert(0, "证书有效")
        if today < cert.valid_from:
            result.reasons.append(f"注册有效期自 {cert.valid_from.isoformat()} 起")
    return result


# --- status list and bundles ----------------------------------------------------------


async def status_list(
    session: AsyncSession, *, keys: KeyRing, now: datetime, ttl: timedelta
) -> SignedStatusList:
    """Built on demand from the table: one indexed read of the ended certificates' bits
    (a partial index) and the highest index, then signed with a short validity."""
    ended = (await session.exec(select(Certificate.status_list_index).where(ENDED_SQL))).all()
    conn = await session.connection()
    last = (await conn.execute(text("SELECT max(status_list_index) FROM certificate"))).scalar()
    bits = StatusList(entries=int(last or 0) + 1)
    for index in ended:
        bits.set(index)
    active = keys.active
    if active is None:
        raise RuntimeError("no active certificate signing key")
    return sign_status_list(
        bits, active, list_id=STATUS_LIST_ID, issued_at=now, valid_until=now + ttl
    )


async def bundle(
    session: AsyncSession,
    *,
    cert: Certificate,
    keys: KeyRing,
    origin: str,
    now: datetime,
    anchors: Sequence[ledger.Anchor] = (),
) -> ProofBundle:
    """The offline proof bundle. If the latest signed head does not cover the leaf yet,
    a head is signed now (rather than making the holder wait for the job)."""
    head = await ledger.latest_tree_head(session)
    if head is None or head.row.size <= cert.leaf_index:
        head = await ledger.sign_now(session, keys=keys, origin=origin, now=now, anchors=anchors)
        assert head is not None
    sth = head.signed
    proof = await ledger.inclusion(session, cert.leaf_index, sth.head.size)
    return ProofBundle(signed_of(cert), cert.leaf_index, tuple(proof), sth)


def pdf_object_key(cert: Certificate) -> str:
    return f"certificates/{cert.person_id}/{cert.number}.pdf"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


KIND_LABELS = {
    IssueKind.ISSUED: "初始注册",
    IssueKind.RENEWED: "延续注册",
    IssueKind.CHANGED: "变更注册",
    IssueKind.REISSUED: "补证",
}


async def render_pdf(
    session: AsyncSession,
    store: ObjectStore,
    *,
    certificate_id: int,
    font_path: str,
    public_url: str,
) -> Certificate | None:
    """Render and store the PDF once (idempotent: a stored one is left alone)."""
    from regsafe.certificates.pdf import CertificateSheet, render_certificate
    from regsafe.certificates.qr import qr_url

    cert = await session.get(Certificate, certificate_id, with_for_update=True)
    if cert is None or cert.pdf_object_key is not None:
        return cert
    person = await session.get(Person, cert.person_id)
    assert person is not None
    payload = CertificatePayload.from_bytes(cert.payload)
    sheet = CertificateSheet(
        number=cert.number,
        holder_name=person.name,
        id_number_masked=cert.id_number_masked,
        specialty_label=SPECIALTY_NAMES[cert.specialty],
        employer_name=cert.employer_name,
        employer_credit_code=cert.employer_credit_code,
        qualification_number=cert.qualification_number,
        valid_from=cert.valid_from,
        valid_until=cert.valid_until,
        issued_at=cert.issued_at,
        kind_label=KIND_LABELS[IssueKind(cert.kind)],
        previous_number=payload.previous_number,
        qr_text=qr_url(signed_of(cert), public_url),
        verify_url=f"{public_url.rstrip('/')}/verify/{cert.number}",
    )
    data = await asyncio.to_thread(render_certificate, sheet, font_path=font_path)
    key = pdf_object_key(cert)
    await store.put_bytes(key, data, "application/pdf")
    cert.pdf_object_key = key
    cert.pdf_sha256 = sha256_hex(data)
    session.add(cert)
    await session.flush()
    return cert
