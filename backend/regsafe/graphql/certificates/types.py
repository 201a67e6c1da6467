"""GraphQL types of the certificates domain."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime

import strawberry
from strawberry import relay

from regsafe.certificates import service
from regsafe.certificates.canonical import CertificatePayload, IssueKind
from regsafe.certificates.errors import CertificateErrorCode
from regsafe.certificates.keys import issuer_keys
from regsafe.certificates.models import Certificate, CertificateStatus
from regsafe.certificates.qr import encode_qr_text, qr_svg, qr_url, qr_version
from regsafe.certificates.scopes import certificate_scope
from regsafe.certificates.signing import b64url
from regsafe.certificates.tasks import PdfStatus, pdf_status
from regsafe.certificates.tree_head import SignedTreeHead
from regsafe.certificates.vc import (
    UnsupportedAlgorithm,
    credential,
    did_key,
    sign_credential,
)
from regsafe.core import masking
from regsafe.core.clock import today_shanghai, utcnow
from regsafe.graphql.core.relay import visible_nodes
from regsafe.graphql.identity.enums import SpecialtyEnum as Specialty

from . import enums as _enums  # noqa: F401  (registers the enums with strawberry)


@strawberry.type(description="A problem with the input that the user can fix (输入错误).")
class CertificateError:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    code: CertificateErrorCode = strawberry.field(description="Machine-readable reason.")
    message: str = strawberry.field(description="Explanation for the user, in Chinese.")


def _ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, UTC)


@strawberry.type(description="A witness's cosignature of a tree head (见证方副署).")
class TreeHeadCosignature:
    key_id: str = strawberry.field(description="The witness key's id.")
    timestamp: datetime = strawberry.field(description="When the witness cosigned.")
    signature: str = strawberry.field(description="base64url signature.")


@strawberry.type(description="A signed tree head of the transparency log (签名树头).")
class TreeHeadType:
    sth: strawberry.Private[SignedTreeHead]

    @strawberry.field(description="The log's name (origin line of the signed text).")
    def origin(self) -> str:
        return self.sth.head.origin

    @strawberry.field(description="Number of leaves the head covers.")
    def size(self) -> int:
        return self.sth.head.size

    @strawberry.field(description="Merkle root hash, base64url.")
    def root_hash(self) -> str:
        return b64url(self.sth.head.root_hash)

    @strawberry.field(description="签名时间")
    def timestamp(self) -> datetime:
        return _ms(self.sth.head.timestamp_ms)

    @strawberry.field(description="The log key's id.")
    def key_id(self) -> str:
        return self.sth.key_id

    @strawberry.field(description="The log's signature, base64url.")
    def signature(self) -> str:
        return b64url(self.sth.signature)

    @strawberry.field(description="Witness cosignatures (见证方副署).")
    def cosignatures(self) -> list[TreeHeadCosignature]:
        return [
            TreeHeadCosignature(
                key_id=c.key_id, timestamp=_ms(c.timestamp_ms), signature=b64url(c.signature)
            )
            for c in self.sth.cosignatures
        ]

    @strawberry.field(description="The signed tree head document (JSON), as verifiers read it.")
    def document(self) -> str:
        return json.dumps(self.sth.to_json_dict(), ensure_ascii=False)


@strawberry.type(description="Inclusion proof of a certificate's leaf (包含证明, RFC 9162).")
class InclusionProof:
    leaf_index: int = strawberry.field(description="The leaf's index.")
    leaf_hash: str = strawberry.field(description="The leaf hash, base64url.")
    tree_size: int = strawberry.field(description="Size of the tree the proof is for.")
    proof: list[str] = strawberry.field(description="Audit path, base64url, leaf side first.")
    tree_head: TreeHeadType = strawberry.field(description="The signed head it verifies under.")


@strawberry.type(name="Certificate", description="注册证书")
class CertificateType(relay.Node):
    # Plain attributes, filled once in ``of``: graphql-core reads them without a
    # resolver call (strawberry's basic fields). ``status`` reads the clock, so it stays
    # a resolver, annotated (``strawberry.field(resolver=...)``) to keep its place.
    id: relay.NodeID[int]
    model: strawberry.Private[Certificate]
    number: str = strawberry.field(description="证书编号")
    kind: IssueKind = strawberry.field(description="签发类型")

    @classmethod
    def of(cls, c: Certificate) -> CertificateType:
        assert c.id is not None
        return cls(
            id=c.id,
            model=c,
            number=c.number,
            kind=IssueKind(c.kind),
            specialty=Specialty(c.specialty),
            holder_name_masked=c.holder_name_masked,
            id_number_masked=c.id_number_masked,
            employer_name=c.employer_name,
            employer_credit_code=c.employer_credit_code,
            qualification_number=c.qualification_number,
            valid_from=c.valid_from,
            valid_until=c.valid_until,
            issued_at=c.issued_at,
            key_id=c.key_id,
            status_list_index=c.status_list_index,
            leaf_index=c.leaf_index,
            ended_at=c.ended_at,
            end_reason=c.end_reason,
            payload=c.payload.decode("utf-8"),
            signature=b64url(c.signature),
            pdf_ready=c.pdf_object_key is not None,
            pdf_sha256=c.pdf_sha256,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[CertificateType | None]:
        return await visible_nodes(
            info, node_ids, Certificate, certificate_scope(info.context.viewer), cls.of
        )

    def _resolve_status(self) -> CertificateStatus:
        if (
            self.model.status == CertificateStatus.ACTIVE.value
            and self.model.valid_until < today_shanghai()
        ):
            return CertificateStatus.EXPIRED
        return CertificateStatus(self.model.status)

    status: CertificateStatus = strawberry.field(
        resolver=_resolve_status,
        description="证书状态 (stored; EXPIRED is also derived from validUntil).",
    )
    specialty: Specialty = strawberry.field(description="专业类别")
    holder_name_masked: str = strawberry.field(description="持证人姓名 (masked, as signed).")
    id_number_masked: str = strawberry.field(description="身份证号 (masked, as signed).")
    employer_name: str = strawberry.field(description="聘用单位名称")
    employer_credit_code: str = strawberry.field(description="聘用单位统一社会信用代码")
    qualification_number: str | None = strawberry.field(
        description="职业资格证书编号 (opaque, from the qualification record)."
    )
    valid_from: date = strawberry.field(description="有效期起")
    valid_until: date = strawberry.field(description="有效期至")
    issued_at: datetime = strawberry.field(description="签发时间")
    key_id: str = strawberry.field(description="签发密钥编号")
    status_list_index: int = strawberry.field(
        description="Index in the revocation status list (状态列表序号)."
    )
    leaf_index: int = strawberry.field(
        description="Index of the issuance leaf in the transparency log."
    )
    ended_at: datetime | None = strawberry.field(description="撤销/注销时间")
    end_reason: str | None = strawberry.field(description="撤销/注销理由")
    payload: str = strawberry.field(description="The signed payload (RFC 8785 JSON text).")
    signature: str = strawberry.field(
        description="The issuer's signature over the payload, base64url."
    )

    def _resolve_qr_text(self) -> str:
        return encode_qr_text(service.signed_of(self.model))

    qr_text: str = strawberry.field(
        resolver=_resolve_qr_text,
        description="The signed payload itself (RS1:…), as pasted or on older printouts.",
    )

    def _resolve_qr_url(self, info: strawberry.Info) -> str:
        return qr_url(service.signed_of(self.model), info.context.settings.public_url)

    qr_url: str = strawberry.field(
        resolver=_resolve_qr_url,
        description=(
            "二维码内容: the verification link <public url>/verify?qr=RS1:… (a phone scan "
            "opens the page; the link carries the signed payload, so it verifies offline)."
        ),
    )

    def _resolve_qr_version(self, info: strawberry.Info) -> int:
        return qr_version(self._resolve_qr_url(info))

    qr_version: int = strawberry.field(
        resolver=_resolve_qr_version,
        description="QR symbol version (1–40) of qrUrl at error correction M.",
    )

    def _resolve_qr_svg(self, info: strawberry.Info, scale: int = 3) -> str:
        return qr_svg(self._resolve_qr_url(info), scale=max(1, min(scale, 10)))

    qr_svg: str = strawberry.field(
        resolver=_resolve_qr_svg, description="二维码 (of qrUrl) as SVG markup (render inline)."
    )

    async def _resolve_previous(self, info: strawberry.Info) -> CertificateType | None:
        if self.model.previous_id is None:
            return None
        mine = await info.context.certificates.certificates_by_person.load(self.model.person_id)
        found = next((c for c in mine if c.id == self.model.previous_id), None)
        return CertificateType.of(found) if found else None

    previous: CertificateType | None = strawberry.field(
        resolver=_resolve_previous, description="原证书 (the certificate this one superseded)."
    )

    async def _resolve_history(self, info: strawberry.Info) -> list[CertificateType]:
        mine = await info.context.certificates.certificates_by_person.load(self.model.person_id)
        by_id = {c.id: c for c in mine}
        chain: list[CertificateType] = []
        current: Certificate | None = self.model
        while current is not None and len(chain) < 100:
            chain.append(CertificateType.of(current))
            current = by_id.get(current.previous_id) if current.previous_id else None
        return chain

    history: list[CertificateType] = strawberry.field(
        resolver=_resolve_history,
        description="证书历史: this certificate and the ones it superseded, newest first.",
    )

    pdf_ready: bool = strawberry.field(description="Whether the PDF has been rendered.")

    @strawberry.field(
        description=(
            "证书PDF生成状态: PENDING while the job is queued or retrying, READY once "
            "rendered, FAILED when it failed for good (the holder may certificatePdfRetry)."
        )
    )
    async def pdf_status(self, info: strawberry.Info) -> PdfStatus:
        return await pdf_status(info.context.session, self.model)

    pdf_sha256: str | None = strawberry.field(
        description="SHA-256 of the PDF (hex), once rendered."
    )

    @strawberry.field(
        description="证书PDF下载: a short-lived presigned URL for the holder and their employer."
    )
    async def pdf_url(self, info: strawberry.Info) -> str | None:
        ctx = info.context
        viewer = ctx.viewer
        allowed = viewer.person_id == self.model.person_id or (
            viewer.employer_id is not None and viewer.employer_id == self.model.employer_id
        )
        if not allowed or self.model.pdf_object_key is None or ctx.runtime.store is None:
            return None
        url: str = await ctx.runtime.store.presigned_get(
            self.model.pdf_object_key, download_name=f"{self.model.number}.pdf"
        )
        return url

    @strawberry.field(
        description=(
            "W3C Verifiable Credential 2.0 (JSON) with a Data Integrity proof "
            "(eddsa-jcs-2022); null when the issuing key is SM2 (no registered cryptosuite)."
        )
    )
    def verifiable_credential(self, info: strawberry.Info) -> str | None:
        settings = info.context.settings
        keys = issuer_keys(settings)
        assert keys.active is not None
        payload = CertificatePayload.from_bytes(self.model.payload)
        try:
            issuer = did_key(keys.active.public_key)
        except UnsupportedAlgorithm:
            return None
        status_url = f"{settings.public_url.rstrip('/')}/verify/status-list"
        doc = credential(payload, issuer=issuer, status_url=status_url)
        return sign_credential(doc, keys.active, created=utcnow())


@strawberry.type(description="证书核验结果: what a verifier learns about a certificate.")
class CertificateVerification:
    result: strawberry.Private[service.Verification]

    @strawberry.field(description="核验结论")
    def status(self) -> service.VerificationStatus:
        return self.result.status

    @strawberry.field(description="说明 (Chinese), most important first.")
    def reasons(self) -> list[str]:
        return self.result.reasons

    def _signed(self) -> CertificatePayload | None:
        return self.result.payload

    @strawberry.field(description="证书编号")
    def number(self) -> str | None:
        cert = self.result.certificate
        return cert.number if cert else None

    @strawberry.field(description="持证人姓名, public form (胡**).")
    def holder_name_masked(self) -> str | None:
        p = self._signed()
        return masking.name(p.holder_name_masked, masking.Disclosure.PUBLIC) if p else None

    @strawberry.field(description="身份证号, public form: first and last character (4****6).")
    def id_number_masked(self) -> str | None:
        p = self._signed()
        return masking.id_number(p.id_number_masked, masking.Disclosure.PUBLIC) if p else None

    @strawberry.field(description="专业类别")
    def specialty(self) -> Specialty | None:
        p = self._signed()
        return p.specialty if p else None

    @strawberry.field(description="证书上的聘用单位")
    def employer_name(self) -> str | None:
        p = self._signed()
        return p.employer_name if p else None

    @strawberry.field(description="聘用单位统一社会信用代码")
    def employer_credit_code(self) -> str | None:
        p = self._signed()
        return p.employer_credit_code if p else None

    @strawberry.field(
        description="现聘用单位: the employer on the holder's ACTIVE certificate (anti-挂证)."
    )
    def current_employer_name(self) -> str | None:
        return self.result.current_employer_name

    @strawberry.field(description="签发类型")
    def kind(self) -> IssueKind | None:
        p = self._signed()
        return p.kind if p else None

    @strawberry.field(description="有效期起")
    def valid_from(self) -> date | None:
        p = self._signed()
        return p.valid_from if p else None

    @strawberry.field(description="有效期至")
    def valid_until(self) -> date | None:
        p = self._signed()
        return p.valid_until if p else None

    @strawberry.field(description="签发时间")
    def issued_at(self) -> datetime | None:
        p = self._signed()
        return p.issued_at if p else None

    @strawberry.field(description="Whether the issuer's signature over the payload verifies.")
    def signature_valid(self) -> bool | None:
        return self.result.signature_valid

    @strawberry.field(
        description="Whether the leaf's inclusion proof verifies against the latest signed "
        "tree head; null when the leaf is not covered by a signed head yet."
    )
    def inclusion_verified(self) -> bool | None:
        return self.result.inclusion_verified

    @strawberry.field(description="The issuance leaf's index in the log.")
    def leaf_index(self) -> int | None:
        cert = self.result.certificate
        return cert.leaf_index if cert else None

    @strawberry.field(description="The inclusion proof checked (base64url), leaf side first.")
    def inclusion_proof(self) -> list[str]:
        return [b64url(p) for p in self.result.inclusion_proof]

    @strawberry.field(description="The signed tree head checked against.")
    def tree_head(self) -> TreeHeadType | None:
        sth = self.result.tree_head
        return TreeHeadType(sth=sth) if sth else None

    @strawberry.field(description="撤销/注销时间")
    def revoked_at(self) -> datetime | None:
        cert = self.result.certificate
        return cert.ended_at if cert else None

    @strawberry.field(description="撤销/注销理由")
    def revocation_reason(self) -> str | None:
        cert = self.result.certificate
        return cert.end_reason if cert else None

    @strawberry.field(description="取代它的新证书编号")
    def superseded_by(self) -> str | None:
        return self.result.superseded_by
