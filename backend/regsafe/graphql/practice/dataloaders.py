"""Dataloaders of the practice domain: one SQL statement per kind per request level."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from sqlmodel import col, select
from strawberry.dataloader import DataLoader

from regsafe.auth.models import User
from regsafe.practice.models import (
    CreditEventRow,
    CreditScoreRow,
    Dispute,
    Evaluation,
    PracticeEvidence,
    PracticeRecord,
)
from regsafe.practice.rules import GradePolicy
from regsafe.practice.service import PracticePolicy

if TYPE_CHECKING:
    from regsafe.graphql.context import Context


class PracticeLoaders:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self.record_by_id: DataLoader[int, PracticeRecord | None] = DataLoader(self._records)
        self.evidence_by_record: DataLoader[int, list[PracticeEvidence]] = DataLoader(
            self._evidence
        )
        self.evaluations_by_record: DataLoader[int, list[Evaluation]] = DataLoader(
            self._evaluations
        )
        self.event_by_id: DataLoader[int, CreditEventRow | None] = DataLoader(self._events)
        self.disputes_by_event: DataLoader[int, list[Dispute]] = DataLoader(self._disputes)
        self.user_name_by_id: DataLoader[int, str | None] = DataLoader(self._user_names)
        # Unscoped (a primary-key lookup): the resolvers decide with practice/scopes.py
        # whether the viewer gets the score, the grade only, or nothing.
        self.credit_score_by_person: DataLoader[int, CreditScoreRow | None] = DataLoader(
            self._credit_scores
        )

    @cached_property
    def grades(self) -> GradePolicy:
        """The grade policy, parsed from the settings once per request."""
        return PracticePolicy.from_settings(self._ctx.settings).grades

    async def _records(self, ids: Sequence[int]) -> list[PracticeRecord | None]:
        rows = await self._ctx.rows(select(PracticeRecord).where(col(PracticeRecord.id).in_(ids)))
        found = {r.id: r for r in rows}
        return [found.get(i) for i in ids]

    async def _evidence(self, ids: Sequence[int]) -> list[list[PracticeEvidence]]:
        rows = await self._ctx.rows(
            select(PracticeEvidence)
            .where(col(PracticeEvidence.record_id).in_(ids))
            .order_by(col(PracticeEvidence.record_id), col(PracticeEvidence.id))
        )
        grouped: dict[int, list[PracticeEvidence]] = defaultdict(list)
        for e in rows:
            grouped[e.record_id].append(e)
        return [grouped.get(i, []) for i in ids]

    async def _evaluations(self, ids: Sequence[int]) -> list[list[Evaluation]]:
        rows = await self._ctx.rows(
            select(Evaluation)
            .where(col(Evaluation.record_id).in_(ids))
            .order_by(col(Evaluation.record_id), col(Evaluation.version_no))
        )
        grouped: dict[int, list[Evaluation]] = defaultdict(list)
        for e in rows:
            grouped[e.record_id].append(e)
        return [grouped.get(i, []) for i in ids]

    async def _events(self, ids: Sequence[int]) -> list[CreditEventRow | None]:
        rows = await self._ctx.rows(select(CreditEventRow).where(col(CreditEventRow.id).in_(ids)))
        found = {e.id: e for e in rows}
        return [found.get(i) for i in ids]

    async def _disputes(self, ids: Sequence[int]) -> list[list[Dispute]]:
        rows = await self._ctx.rows(
            select(Dispute).where(col(Dispute.event_id).in_(ids)).order_by(col(Dispute.id))
        )
        grouped: dict[int, list[Dispute]] = defaultdict(list)
        for d in rows:
            grouped[d.event_id].append(d)
        return [grouped.get(i, []) for i in ids]

    async def _user_names(self, ids: Sequence[int]) -> list[str | None]:
        rows = await self._ctx.rows(select(User.id, User.display_name).where(col(User.id).in_(ids)))
        found = {r[0]: r[1] for r in rows}
        return [found.get(i) for i in ids]

    async def _credit_scores(self, ids: Sequence[int]) -> list[CreditScoreRow | None]:
        rows = await self._ctx.rows(
            select(CreditScoreRow).where(col(CreditScoreRow.person_id).in_(ids))
        )
        found = {r.person_id: r for r in rows}
        return [found.get(i) for i in ids]
