"""Dataloaders of the identity domain: one SQL statement per type per request level."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import col, select
from strawberry.dataloader import DataLoader

from regsafe.identity.models import Employer, Employment, Person

if TYPE_CHECKING:
    from regsafe.graphql.context import Context


class IdentityLoaders:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self.person_by_id: DataLoader[int, Person | None] = DataLoader(self._persons)
        self.employer_by_id: DataLoader[int, Employer | None] = DataLoader(self._employers)
        self.employments_by_person: DataLoader[int, list[Employment]] = DataLoader(
            self._employments_by_person
        )
        self.employee_count_by_employer: DataLoader[int, int] = DataLoader(self._employee_counts)

    async def _persons(self, ids: Sequence[int]) -> list[Person | None]:
        rows = await self._ctx.rows(select(Person).where(col(Person.id).in_(ids)))
        found = {p.id: p for p in rows}
        return [found.get(i) for i in ids]

    async def _employers(self, ids: Sequence[int]) -> list[Employer | None]:
        rows = await self._ctx.rows(select(Employer).where(col(Employer.id).in_(ids)))
        found = {e.id: e for e in rows}
        return [found.get(i) for i in ids]

    async def _employments_by_person(self, ids: Sequence[int]) -> list[list[Employment]]:
        rows = await self._ctx.rows(
            select(Employment)
            .where(col(Employment.person_id).in_(ids))
            .order_by(col(Employment.start_date).desc(), col(Employment.id).desc())
        )
        grouped: dict[int, list[Employment]] = defaultdict(list)
        for e in rows:
            grouped[e.person_id].append(e)
        return [grouped.get(i, []) for i in ids]

    async def _employee_counts(self, ids: Sequence[int]) -> list[int]:
        rows = await self._ctx.rows(
            select(Employment.employer_id, func.count())
            .where(col(Employment.employer_id).in_(ids), col(Employment.end_date).is_(None))
            .group_by(col(Employment.employer_id))
        )
        counts = {employer_id: n for employer_id, n in rows}
        return [int(counts.get(i, 0)) for i in ids]
