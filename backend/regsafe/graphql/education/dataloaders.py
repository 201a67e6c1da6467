"""Dataloaders of the education domain: one SQL statement per kind per request level."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlmodel import col, select
from strawberry.dataloader import DataLoader

from regsafe.core.clock import today_shanghai
from regsafe.education import hours
from regsafe.education.hours import CycleStatus
from regsafe.education.models import (
    Course,
    CourseUnit,
    Enrolment,
    ExamAttempt,
    Question,
    TrainingProvider,
    UnitProgress,
)

if TYPE_CHECKING:
    from regsafe.graphql.context import Context


class EducationLoaders:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self.course_by_id: DataLoader[int, Course | None] = DataLoader(self._courses)
        self.provider_by_id: DataLoader[int, TrainingProvider | None] = DataLoader(self._providers)
        self.units_by_course: DataLoader[int, list[CourseUnit]] = DataLoader(self._units)
        self.my_enrolment_by_course: DataLoader[int, Enrolment | None] = DataLoader(
            self._my_enrolments
        )
        self.progress_by_enrolment: DataLoader[int, list[UnitProgress]] = DataLoader(self._progress)
        self.attempts_by_enrolment: DataLoader[int, list[ExamAttempt]] = DataLoader(self._attempts)
        self.question_by_id: DataLoader[int, Question | None] = DataLoader(self._questions)
        self.enrolment_by_id: DataLoader[int, Enrolment | None] = DataLoader(self._enrolments)
        self.questions_by_course: DataLoader[int, list[Question]] = DataLoader(
            self._course_questions
        )
        # Unscoped: callers pass registrations the viewer may already see.
        self.cycle_status_by_registration: DataLoader[int, CycleStatus | None] = DataLoader(
            self._cycle_statuses
        )

    async def _courses(self, ids: Sequence[int]) -> list[Course | None]:
        rows = await self._ctx.rows(select(Course).where(col(Course.id).in_(ids)))
        found = {c.id: c for c in rows}
        return [found.get(i) for i in ids]

    async def _providers(self, ids: Sequence[int]) -> list[TrainingProvider | None]:
        rows = await self._ctx.rows(
            select(TrainingProvider).where(col(TrainingProvider.id).in_(ids))
        )
        found = {p.id: p for p in rows}
        return [found.get(i) for i in ids]

    async def _units(self, ids: Sequence[int]) -> list[list[CourseUnit]]:
        rows = await self._ctx.rows(
            select(CourseUnit)
            .where(col(CourseUnit.course_id).in_(ids))
            .order_by(col(CourseUnit.course_id), col(CourseUnit.position))
        )
        grouped: dict[int, list[CourseUnit]] = defaultdict(list)
        for u in rows:
            grouped[u.course_id].append(u)
        return [grouped.get(i, []) for i in ids]

    async def _my_enrolments(self, course_ids: Sequence[int]) -> list[Enrolment | None]:
        person = self._ctx.viewer.person_id
        if person is None:
            return [None for _ in course_ids]
        rows = await self._ctx.rows(
            select(Enrolment).where(
                col(Enrolment.course_id).in_(course_ids), col(Enrolment.person_id) == person
            )
        )
        found = {e.course_id: e for e in rows}
        return [found.get(i) for i in course_ids]

    async def _progress(self, ids: Sequence[int]) -> list[list[UnitProgress]]:
        rows = await self._ctx.rows(
            select(UnitProgress).where(col(UnitProgress.enrolment_id).in_(ids))
        )
        grouped: dict[int, list[UnitProgress]] = defaultdict(list)
        for p in rows:
            grouped[p.enrolment_id].append(p)
        return [grouped.get(i, []) for i in ids]

    async def _attempts(self, ids: Sequence[int]) -> list[list[ExamAttempt]]:
        rows = await self._ctx.rows(
            select(ExamAttempt)
            .where(col(ExamAttempt.enrolment_id).in_(ids))
            .order_by(col(ExamAttempt.enrolment_id), col(ExamAttempt.attempt_no))
        )
        grouped: dict[int, list[ExamAttempt]] = defaultdict(list)
        for a in rows:
            grouped[a.enrolment_id].append(a)
        return [grouped.get(i, []) for i in ids]

    async def _enrolments(self, ids: Sequence[int]) -> list[Enrolment | None]:
        rows = await self._ctx.rows(select(Enrolment).where(col(Enrolment.id).in_(ids)))
        found = {e.id: e for e in rows}
        return [found.get(i) for i in ids]

    async def _questions(self, ids: Sequence[int]) -> list[Question | None]:
        rows = await self._ctx.rows(select(Question).where(col(Question.id).in_(ids)))
        found = {q.id: q for q in rows}
        return [found.get(i) for i in ids]

    async def _course_questions(self, ids: Sequence[int]) -> list[list[Question]]:
        rows = await self._ctx.rows(
            select(Question).where(col(Question.course_id).in_(ids)).order_by(col(Question.id))
        )
        grouped: dict[int, list[Question]] = defaultdict(list)
        for q in rows:
            grouped[q.course_id].append(q)
        return [grouped.get(i, []) for i in ids]

    async def _cycle_statuses(self, ids: Sequence[int]) -> list[CycleStatus | None]:
        ctx = self._ctx
        async with ctx.lock:
            found = {
                c.registration_id: c
                for c in await hours.cycle_statuses(
                    ctx.session,
                    registration_ids=ids,
                    policy=hours.requirement_policy(ctx.settings),
                    today=today_shanghai(),
                )
            }
        return [found.get(i) for i in ids]
