"""Per-request context: one DB session, the viewer, fresh dataloaders, the audit buffer.

GraphQL resolves sibling fields concurrently, but an AsyncSession allows one operation at
a time: every read from the GraphQL layer goes through :meth:`Context.rows`,
:meth:`Context.one` or :meth:`Context.get`, which take the request's lock (mutations hold
it for their whole domain operation in ``run_mutation``)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import Request

from regsafe.audit import service as audit
from regsafe.audit.models import AuditAction
from regsafe.auth.roles import ANONYMOUS, Viewer
from regsafe.core.net import client_address
from regsafe.core.runtime import Runtime
from regsafe.core.settings import Settings
from regsafe.graphql.certificates.dataloaders import CertificateLoaders
from regsafe.graphql.education.dataloaders import EducationLoaders
from regsafe.graphql.identity.dataloaders import IdentityLoaders
from regsafe.graphql.practice.dataloaders import PracticeLoaders
from regsafe.graphql.registration.dataloaders import RegistrationLoaders

M = TypeVar("M")


@dataclass
class Context:
    runtime: Runtime
    request: Request | None
    request_id: str
    viewer: Viewer = ANONYMOUS
    auth_problem: str | None = None
    _session: AsyncSession | None = None
    pending_audit: int = 0
    _audit_buffer: list[tuple[AuditAction, str, int | str]] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            self._session = self.runtime.db.sessionmaker()
        return self._session

    async def rows(self, statement: Any) -> Sequence[Any]:
        async with self.lock:
            return (await self.session.exec(statement)).all()

    async def records(self, statement: Any) -> Sequence[Any]:
        """Rows of a Core ``select`` of labelled columns (compiled reads): tuples, no ORM
        instances."""
        async with self.lock:
            return (await self.session.exec(statement)).all()

    async def one(self, statement: Any) -> Any:
        async with self.lock:
            return (await self.session.exec(statement)).one()

    async def get(self, model: type[M], pk: Any) -> M | None:
        async with self.lock:
            return await self.session.get(model, pk)

    @cached_property
    def identity(self) -> IdentityLoaders:
        return IdentityLoaders(self)

    @cached_property
    def registration(self) -> RegistrationLoaders:
        return RegistrationLoaders(self)

    @cached_property
    def education(self) -> EducationLoaders:
        return EducationLoaders(self)

    @cached_property
    def certificates(self) -> CertificateLoaders:
        return CertificateLoaders(self)

    @cached_property
    def practice(self) -> PracticeLoaders:
        return PracticeLoaders(self)

    def client_address(self) -> str:
        """The client's address; forwarded headers count only from trusted proxies."""
        return client_address(self.request, self.settings)

    def audit(self, action: AuditAction, subject_type: str, subject_id: int | str) -> None:
        """Record a read of personal data. Buffered and added when the operation ends:
        sibling resolvers may be mid-query (autoflush) on the shared session right now."""
        self._audit_buffer.append((action, subject_type, subject_id))
        self.pending_audit += 1

    async def finish(self) -> None:
        if self._session is None:
            return
        try:
            if self._audit_buffer:
                for action, subject_type, subject_id in self._audit_buffer:
                    audit.record(
                        self._session,
                        action=action,
                        subject_type=subject_type,
                        subject_id=subject_id,
                        actor_user_id=self.viewer.user_id,
                        request_id=self.request_id,
                    )
                self._audit_buffer.clear()
                await self._session.commit()
        finally:
            await self._session.close()
            self._session = None
