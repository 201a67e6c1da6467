"""Mutations of the certificates domain: revocation by reviewers and administrators, and
the holder's 重试 of a failed certificate PDF."""

from __future__ import annotations

import strawberry
from strawberry import relay

from regsafe.certificates import service, tasks
from regsafe.certificates.errors import CertificateErrorCode as Code
from regsafe.certificates.keys import issuer_keys
from regsafe.core.clock import utcnow
from regsafe.core.errors import DomainError
from regsafe.graphql.core.errors import run_mutation
from regsafe.graphql.core.permissions import requires
from regsafe.graphql.core.relay import node_pk

from .types import CertificateError, CertificateType


def _errors(errs: list[DomainError]) -> list[CertificateError]:
    return [
        CertificateError(field=e.field, code=Code(e.code.value), message=e.message) for e in errs
    ]


@strawberry.type(description="Result of certificateRevoke.")
class CertificateRevokePayload:
    certificate: CertificateType | None = strawberry.field(
        description="The revoked certificate; null when errors is not empty."
    )
    errors: list[CertificateError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


@strawberry.type(description="Result of certificatePdfRetry.")
class CertificatePdfRetryPayload:
    certificate: CertificateType | None = strawberry.field(
        description="The certificate, its pdfStatus PENDING again; null when errors is not empty."
    )
    errors: list[CertificateError] = strawberry.field(
        description="What the user must fix; empty on success."
    )


@strawberry.type
class CertificateMutation:
    @strawberry.mutation(
        description=(
            "撤销证书: a reviewer or administrator revokes an ACTIVE certificate with a "
            "reason (one line, ≤ 100 characters). Signed, logged, audited; the status list "
            "and every verifier then say revoked, with the date and reason."
        ),
        extensions=requires(*service.REVOKERS),
    )
    async def certificate_revoke(
        self, info: strawberry.Info, id: relay.GlobalID, reason: str
    ) -> CertificateRevokePayload:
        ctx = info.context

        async def act() -> CertificateType:
            pk = node_pk(id, "Certificate")
            if pk is None:
                raise DomainError(Code.NOT_FOUND, "ID 无效", "id")
            cert = await service.revoke_certificate(
                ctx.session,
                viewer=ctx.viewer,
                keys=issuer_keys(ctx.settings),
                certificate_id=pk,
                reason=reason,
                now=utcnow(),
                request_id=ctx.request_id,
            )
            return CertificateType.of(cert)

        cert, errs = await run_mutation(info, act)
        return CertificateRevokePayload(certificate=cert, errors=_errors(errs))

    @strawberry.mutation(
        description=(
            "重试证书PDF: the holder queues the PDF job again after it failed (pdfStatus "
            "FAILED); a pending or rendered PDF is left alone. NOT_FOUND for anyone else's."
        ),
        extensions=requires(),
    )
    async def certificate_pdf_retry(
        self, info: strawberry.Info, id: relay.GlobalID
    ) -> CertificatePdfRetryPayload:
        ctx = info.context

        async def act() -> CertificateType:
            pk = node_pk(id, "Certificate")
            if pk is None:
                raise DomainError(Code.NOT_FOUND, "ID 无效", "id")
            cert = await tasks.retry_pdf(ctx.session, viewer=ctx.viewer, certificate_id=pk)
            return CertificateType.of(cert)

        cert, errs = await run_mutation(info, act)
        return CertificatePdfRetryPayload(certificate=cert, errors=_errors(errs))
