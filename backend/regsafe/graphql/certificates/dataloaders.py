"""Dataloaders of the certificates domain: one SQL statement per type per request level."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlmodel import col, select
from strawberry.dataloader import DataLoader

from regsafe.certificates.models import Certificate, CertificateStatus
from regsafe.certificates.scopes import certificate_scope

if TYPE_CHECKING:
    from regsafe.graphql.context import Context


class CertificateLoaders:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self.certificates_by_person: DataLoader[int, list[Certificate]] = DataLoader(
            self._by_person
        )
        # The person's ACTIVE certificate (at most one), under the certificates' own row
        # rule: what node(id:) and certificate(number:) would show this viewer.
        self.visible_active_by_person: DataLoader[int, Certificate | None] = DataLoader(
            self._visible_active
        )

    async def _by_person(self, ids: Sequence[int]) -> list[list[Certificate]]:
        rows = await self._ctx.rows(
            select(Certificate)
            .where(col(Certificate.person_id).in_(ids))
            .order_by(col(Certificate.id))
        )
        grouped: dict[int, list[Certificate]] = defaultdict(list)
        for c in rows:
            grouped[c.person_id].append(c)
        return [grouped.get(i, []) for i in ids]

    async def _visible_active(self, ids: Sequence[int]) -> list[Certificate | None]:
        rows = await self._ctx.rows(
            select(Certificate).where(
                col(Certificate.person_id).in_(ids),
                col(Certificate.status) == CertificateStatus.ACTIVE.value,
                certificate_scope(self._ctx.viewer),
            )
        )
        found = {c.person_id: c for c in rows}
        return [found.get(i) for i in ids]
