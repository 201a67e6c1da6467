"""Credit scores (信用分): the inputs of the pure model (:mod:`regsafe.practice.rules`)
gathered from the tables, computed, and stored with their contributions and history.

Two ways in, one model:
- :func:`recompute_person` (the job after an input changed) reads one person's rows
  through the ORM;
- :func:`recompute_all` (nightly, and the benchmark) reads a page of persons' inputs in
  one SQL statement, computes in Python, and writes the page back in one statement.
Both feed :func:`regsafe.practice.rules.compute` and :func:`store_scores`; a test checks
they agree.

Inputs: the latest evaluation version of each CONFIRMED record (dated by its
submission, Asia/Shanghai), CONFIRMED records (dated by their end), ACTIVE credit events
(an UPHELD dispute makes one count nothing), and the continuing-education requirement
of the ACTIVE registration counted by the education domain's own rules."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from regsafe.core.clock import SHANGHAI
from regsafe.core.db import raw_connection
from regsafe.core.settings import Settings
from regsafe.education import hours
from regsafe.education.rules import RequirementPolicy
from regsafe.practice import rules
from regsafe.practice.models import (
    CreditEventRow,
    Dispute,
    DisputeStatus,
    Evaluation,
    EventStatus,
    PracticeRecord,
    RecordStatus,
)
from regsafe.practice.rules import GradePolicy
from regsafe.registration.models import Registration, RegistrationStatus


@dataclass(frozen=True)
class Inputs:
    person_id: int
    evaluations: tuple[rules.Evaluation, ...] = ()
    records: tuple[rules.PracticeRecord, ...] = ()
    events: tuple[rules.CreditEvent, ...] = ()
    education: rules.EducationStatus | None = None


def _education(status: hours.CycleStatus | None, today: date) -> rules.EducationStatus | None:
    if status is None:
        return None
    s = status.status
    return rules.EducationStatus(
        required_hours=float(s.required),
        earned_hours=float(s.counted),
        cycle_ended=today > s.cycle.end,
        source_id=f"registration:{status.registration_id}",
    )


def compute(inputs: Inputs, *, today: date, grades: GradePolicy) -> rules.CreditScore:
    score = rules.compute(
        today=today,
        evaluations=inputs.evaluations,
        records=inputs.records,
        events=inputs.events,
        education=inputs.education,
    )
    return rules.regrade(score, grades)


# --- One person (the job) -------------------------------------------------------------


async def gather_person(
    session: AsyncSession, person_id: int, *, policy: RequirementPolicy, today: date
) -> Inputs:
    records = (
        await session.exec(
            select(PracticeRecord).where(
                col(PracticeRecord.person_id) == person_id,
                col(PracticeRecord.status) == RecordStatus.CONFIRMED.value,
            )
        )
    ).all()
    by_record: dict[int, Evaluation] = {}
    if records:
        for e in (
            await session.exec(
                select(Evaluation).where(col(Evaluation.record_id).in_([r.id for r in records]))
            )
        ).all():
            if e.record_id not in by_record or e.version_no > by_record[e.record_id].version_no:
                by_record[e.record_id] = e
    events = (
        await session.exec(
            select(CreditEventRow).where(
                col(CreditEventRow.person_id) == person_id,
                col(CreditEventRow.status) == EventStatus.ACTIVE.value,
            )
        )
    ).all()
    upheld = set(
        (
            await session.exec(
                select(Dispute.event_id).where(
                    col(Dispute.person_id) == person_id,
                    col(Dispute.status) == DisputeStatus.UPHELD.value,
                )
            )
        ).all()
    )
    registration = (
        await session.exec(
            select(Registration).where(
                col(Registration.person_id) == person_id,
                col(Registration.status) == RegistrationStatus.ACTIVE.value,
            )
        )
    ).first()
    cycle = (
        await hours.cycle_status(
            session, registration_id=registration.id, policy=policy, today=today
        )
        if registration is not None and registration.id is not None
        else None
    )
    return Inputs(
        person_id=person_id,
        evaluations=tuple(
            rules.Evaluation(
                f"evaluation:{e.id}",
                e.submitted_at.astimezone(SHANGHAI).date(),
                e.quality,
                e.timeliness,
                e.compliance,
                e.conduct,
            )
            for e in by_record.values()
        ),
        records=tuple(rules.PracticeRecord(f"record:{r.id}", r.ended_on, True) for r in records),
        events=tuple(
            rules.CreditEvent(
                f"event:{e.id}", e.occurred_on, rules.EventKind(e.kind), e.id not in upheld
            )
            for e in events
        ),
        education=_education(cycle, today),
    )


async def recompute_person(
    session: AsyncSession, person_id: int, *, settings: Settings, now: datetime
) -> rules.CreditScore:
    today = now.astimezone(SHANGHAI).date()
    inputs = await gather_person(
        session, person_id, policy=hours.requirement_policy(settings), today=today
    )
    score = compute(inputs, today=today, grades=_grades(settings))
    await store_scores(session, [(person_id, score)], now=now)
    return score


def _grades(settings: Settings) -> GradePolicy:
    return GradePolicy.parse(settings.credit_grade_floors, settings.credit_provincial_colours)


# --- Every person, a page at a time (set-based) ---------------------------------------

# One statement per page of persons: their confirmed records, the latest evaluation
# version of each, and their active events with whether a dispute was upheld, each read
# as a range of the (person_id, id) indexes and aggregated per person.
_PAGE = """
WITH p AS (
    SELECT id FROM person WHERE id > %(after)s ORDER BY id LIMIT %(limit)s
), b AS (
    SELECT min(id) AS lo, max(id) AS hi FROM p
), rec AS (
    SELECT r.person_id,
           json_agg(json_build_array(r.id, r.ended_on)) AS records,
           json_agg(json_build_array(v.id, (v.submitted_at AT TIME ZONE 'Asia/Shanghai')::date,
                    v.quality, v.timeliness, v.compliance, v.conduct))
             FILTER (WHERE v.id IS NOT NULL) AS evaluations
    FROM b
    JOIN practice_record r ON r.person_id BETWEEN b.lo AND b.hi
    LEFT JOIN LATERAL (
        SELECT * FROM practice_evaluation e WHERE e.record_id = r.id
        ORDER BY e.version_no DESC LIMIT 1
    ) v ON true
    WHERE r.status = 'CONFIRMED'
    GROUP BY r.person_id
), ev AS (
    SELECT c.person_id,
           json_agg(json_build_array(c.id, c.occurred_on, c.kind, NOT EXISTS (
               SELECT 1 FROM credit_dispute d WHERE d.event_id = c.id AND d.status = 'UPHELD'
           ))) AS events
    FROM b
    JOIN credit_event c ON c.person_id BETWEEN b.lo AND b.hi
    WHERE c.status = 'ACTIVE'
    GROUP BY c.person_id
)
SELECT p.id, rec.records, rec.evaluations, ev.events
FROM p LEFT JOIN rec ON rec.person_id = p.id LEFT JOIN ev ON ev.person_id = p.id
ORDER BY p.id
"""


def _row_inputs(row: Sequence[Any], education: rules.EducationStatus | None) -> Inputs:
    pid, records, evaluations, events = row
    d = date.fromisoformat
    return Inputs(
        person_id=pid,
        records=tuple(
            rules.PracticeRecord(f"record:{i}", d(day), True) for i, day in records or ()
        ),
        evaluations=tuple(
            rules.Evaluation(f"evaluation:{i}", d(day), q, t, c, k)
            for i, day, q, t, c, k in evaluations or ()
        ),
        events=tuple(
            rules.CreditEvent(f"event:{i}", d(day), rules.EventKind(kind), counts)
            for i, day, kind, counts in events or ()
        ),
        education=education,
    )


async def input_page(
    session: AsyncSession,
    *,
    after_person_id: int,
    limit: int,
    policy: RequirementPolicy,
    today: date,
) -> list[Inputs]:
    conn = await raw_connection(session)
    rows = await (await conn.execute(_PAGE, {"after": after_person_id, "limit": limit})).fetchall()
    if not rows:
        return []
    last = rows[-1][0]
    # The education domain's own page of requirement statuses: at most one active
    # registration per person, so `limit` rows cover every person of this page.
    cycles = {
        c.person_id: c
        for c in await hours.requirement_page(
            session, after_person_id=after_person_id, limit=limit, policy=policy, today=today
        )
        if c.person_id <= last
    }
    return [_row_inputs(r, _education(cycles.get(r[0]), today)) for r in rows]


@dataclass(frozen=True)
class RecomputeReport:
    persons: int
    changed: int
    pages: int


async def recompute_all(
    session: AsyncSession, *, settings: Settings, now: datetime, commit_each_page: bool = False
) -> RecomputeReport:
    """Every person's score, page by page (keyset on person id)."""
    today = now.astimezone(SHANGHAI).date()
    policy = hours.requirement_policy(settings)
    grades = _grades(settings)
    after, persons, changed, pages = 0, 0, 0, 0
    while True:
        page = await input_page(
            session,
            after_person_id=after,
            limit=settings.credit_recompute_page_size,
            policy=policy,
            today=today,
        )
        if not page:
            break
        scores = [(i.person_id, compute(i, today=today, grades=grades)) for i in page]
        changed += await store_scores(session, scores, now=now)
        persons += len(page)
        pages += 1
        after = page[-1].person_id
        if commit_each_page:
            await session.commit()
    return RecomputeReport(persons, changed, pages)


# --- Storing ----------------------------------------------------------------------------


def contributions_json(score: rules.CreditScore) -> list[dict[str, Any]]:
    return [
        {
            "factor": c.factor.value,
            "points": round(c.points, 4),
            "source": c.source_id,
            "explanation": c.explanation,
        }
        for c in score.contributions
    ]


# The page written back in one statement: a history row where the value, grade or model
# version changed (read from the snapshot before the upsert), then the upsert itself.
_STORE = """
WITH s AS (
    SELECT * FROM unnest(%(pids)s::bigint[], %(vals)s::int[], %(grades)s::text[],
                         %(contribs)s::text[]) AS t(person_id, value, grade, contributions)
), changed AS (
    INSERT INTO credit_score_history (person_id, value, grade, model_version, computed_at,
                                      contributions)
    SELECT s.person_id, s.value, s.grade, %(mv)s::text, %(now)s::timestamptz, s.contributions::jsonb
    FROM s LEFT JOIN credit_score c ON c.person_id = s.person_id
    WHERE c.person_id IS NULL OR c.value <> s.value OR c.grade <> s.grade
       OR c.model_version <> %(mv)s::text
    RETURNING 1
), up AS (
    INSERT INTO credit_score (person_id, value, grade, model_version, computed_at, contributions)
    SELECT s.person_id, s.value, s.grade, %(mv)s::text, %(now)s::timestamptz,
           s.contributions::jsonb
    FROM s
    ON CONFLICT (person_id) DO UPDATE SET value = EXCLUDED.value, grade = EXCLUDED.grade,
        model_version = EXCLUDED.model_version, computed_at = EXCLUDED.computed_at,
        contributions = EXCLUDED.contributions
    RETURNING 1
)
SELECT (SELECT count(*) FROM changed), (SELECT count(*) FROM up)
"""


async def store_scores(
    session: AsyncSession, scores: Iterable[tuple[int, rules.CreditScore]], *, now: datetime
) -> int:
    """Upsert scores; returns how many changed (and got a history row)."""
    items = list(scores)
    if not items:
        return 0
    await session.flush()
    conn = await raw_connection(session)
    row = await (
        await conn.execute(
            _STORE,
            {
                "pids": [pid for pid, _ in items],
                "vals": [s.value for _, s in items],
                "grades": [s.grade.value for _, s in items],
                "contribs": [
                    json.dumps(contributions_json(s), ensure_ascii=False) for _, s in items
                ],
                "mv": rules.MODEL_VERSION,
                "now": now,
            },
        )
    ).fetchone()
    assert row is not None
    return int(row[0])


async def stored_score(session: AsyncSession, person_id: int) -> Any:
    return (
        await (await session.connection()).execute(
            text("SELECT * FROM credit_score WHERE person_id = :p"), {"p": person_id}
        )
    ).first()
