"""Root query fields of the certificates domain: public verification and log proofs,
the holder's certificates, an employer's staff certificates, proof bundles."""

from __future__ import annotations

import strawberry
from sqlmodel import col, select

from regsafe.auth.roles import Role
from regsafe.certificates import ledger, service
from regsafe.certificates.keys import issuer_keys
from regsafe.certificates.log import LogEvent, event_leaf_hash
from regsafe.certificates.merkle import ProofError
from regsafe.certificates.models import Certificate, CertificateStatus
from regsafe.certificates.numbers import InvalidNumber, parse_number
from regsafe.certificates.scopes import certificate_scope
from regsafe.certificates.signing import b64url
from regsafe.certificates.tasks import anchors
from regsafe.core.clock import today_shanghai, utcnow
from regsafe.graphql.core.errors import BadUserInput
from regsafe.graphql.core.permissions import requires
from regsafe.graphql.core.ratelimit import CERTIFICATE_VERIFICATION, limit_public
from regsafe.graphql.core.relay import Connection, paginate

from .types import CertificateType, CertificateVerification, InclusionProof, TreeHeadType


def _number(number: str) -> str:
    try:
        return str(parse_number(number))
    except InvalidNumber as exc:
        raise BadUserInput(exc.message, "INVALID_NUMBER") from None


async def _visible(info: strawberry.Info, number: str) -> Certificate | None:
    rows = await info.context.rows(
        select(Certificate).where(
            col(Certificate.number) == _number(number),
            certificate_scope(info.context.viewer),
        )
    )
    return rows[0] if rows else None


@strawberry.type
class CertificateQuery:
    @strawberry.field(
        description=(
            "证书核验 (public, no login, rate-limited per client): by number or by the QR "
            "text. Checks the signature, the stored row against its signed payload and log "
            "leaf, inclusion under the latest signed tree head, and the current status."
        )
    )
    async def certificate_verification(
        self, info: strawberry.Info, number: str | None = None, qr_payload: str | None = None
    ) -> CertificateVerification:
        await limit_public(info, CERTIFICATE_VERIFICATION)
        ctx = info.context
        async with ctx.lock:
            result = await service.verify_online(
                ctx.session,
                keys=issuer_keys(ctx.settings),
                number=number,
                qr_payload=qr_payload,
                today=today_shanghai(),
            )
        return CertificateVerification(result=result)

    @strawberry.field(description="最新签名树头 of the transparency log (public).")
    async def certificate_tree_head(self, info: strawberry.Info) -> TreeHeadType | None:
        async with info.context.lock:
            head = await ledger.latest_tree_head(info.context.session)
        return TreeHeadType(sth=head.signed) if head else None

    @strawberry.field(
        description="包含证明: the certificate's issuance leaf under the latest signed tree "
        "head (public); null if unknown or not yet covered by a signed head."
    )
    async def certificate_inclusion_proof(
        self, info: strawberry.Info, number: str
    ) -> InclusionProof | None:
        await limit_public(info, CERTIFICATE_VERIFICATION)
        ctx = info.context
        async with ctx.lock:
            cert = await service.by_number(ctx.session, _number(number))
            head = await ledger.latest_tree_head(ctx.session)
            if cert is None or head is None or cert.leaf_index >= head.row.size:
                return None
            proof = await ledger.inclusion(ctx.session, cert.leaf_index, head.row.size)
        leaf = event_leaf_hash(LogEvent(cert.kind), cert.payload, cert.signature)
        return InclusionProof(
            leaf_index=cert.leaf_index,
            leaf_hash=b64url(leaf),
            tree_size=head.row.size,
            proof=[b64url(p) for p in proof],
            tree_head=TreeHeadType(sth=head.signed),
        )

    @strawberry.field(
        description="一致性证明 (public): that the log of size `first` is a prefix of the log "
        "of size `second` (RFC 9162 §2.1.4); second may not exceed the latest signed head."
    )
    async def certificate_consistency_proof(
        self, info: strawberry.Info, first: int, second: int
    ) -> list[str]:
        ctx = info.context
        async with ctx.lock:
            head = await ledger.latest_tree_head(ctx.session)
            signed = head.row.size if head else 0
            if not 0 <= first <= second <= signed:
                raise BadUserInput(f"树大小应满足 0 ≤ first ≤ second ≤ {signed}", "INVALID_RANGE")
            try:
                proof = await ledger.consistency(ctx.session, first, second)
            except ProofError as exc:
                raise BadUserInput(str(exc), "INVALID_RANGE") from None
        return [b64url(p) for p in proof]

    @strawberry.field(description="公布的验签公钥 (JSON key set, current and retired keys).")
    def certificate_public_keys(self, info: strawberry.Info) -> str:
        return issuer_keys(info.context.settings).public().to_json()

    @strawberry.field(
        description="我的证书: the signed-in holder's certificates, newest first.",
        extensions=requires(Role.REGISTRANT),
    )
    async def my_certificates(self, info: strawberry.Info) -> list[CertificateType]:
        person_id = info.context.viewer.person_id
        if person_id is None:
            return []
        mine = await info.context.certificates.certificates_by_person.load(person_id)
        return [CertificateType.of(c) for c in reversed(mine)]

    @strawberry.field(
        description="本单位人员证书: the certificates of the employer admin's staff.",
        extensions=requires(Role.EMPLOYER_ADMIN),
    )
    async def employer_certificates(
        self,
        info: strawberry.Info,
        status: CertificateStatus | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[CertificateType]:
        employer_id = info.context.viewer.employer_id
        stmt = select(Certificate).where(col(Certificate.employer_id) == (employer_id or -1))
        if status is not None:
            stmt = stmt.where(col(Certificate.status) == status.value)
        return await paginate(
            info,
            stmt,
            key=col(Certificate.id),
            convert=CertificateType.of,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="A certificate by number, for its holder, their employer and reviewers.",
        extensions=requires(),
    )
    async def certificate(self, info: strawberry.Info, number: str) -> CertificateType | None:
        cert = await _visible(info, number)
        return CertificateType.of(cert) if cert else None

    @strawberry.field(
        description=(
            "离线证明包 (JSON): signed payload + inclusion proof + signed tree head, which "
            "`regsafe verify` checks fully offline. Signs a tree head first if none covers "
            "the certificate yet."
        ),
        extensions=requires(),
    )
    async def certificate_bundle(self, info: strawberry.Info, number: str) -> str | None:
        cert = await _visible(info, number)
        if cert is None:
            return None
        return await bundle_json(info.context.runtime, cert)


async def bundle_json(rt: object, cert: Certificate) -> str:
    """Built in a session of its own: a tree head it signs must commit."""
    from regsafe.core.runtime import Runtime

    assert isinstance(rt, Runtime)
    async with rt.db.session() as session:
        found = await service.bundle(
            session,
            cert=cert,
            keys=issuer_keys(rt.settings),
            origin=rt.settings.certificate_log_origin,
            now=utcnow(),
            anchors=anchors(rt.settings),
        )
        await session.commit()
    return found.to_json()
