"""Learning over HTTP: enrolment, heartbeats that credit only real elapsed time, the exam
(paper, autosave, grading, attempt limits, the time limit) and the hours it recognises.

Time is real: beats are sent MIN_INTERVAL apart and units last about a second."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import select
from strawberry.relay import to_base64

from regsafe.core.clock import utcnow
from regsafe.core.runtime import Runtime
from regsafe.education import rules
from regsafe.education import service as education
from regsafe.education.models import ExamAttempt, HourRecord, Question
from tests.graphql.identity.helpers import Login
from tests.plugins.identity import World

from .conftest import (
    BEAT,
    ENROL,
    EXAM_ANSWER,
    EXAM_START,
    EXAM_SUBMIT,
    MIN_INTERVAL,
    QUESTIONS,
    Providers,
    published_course,
)

STEP = MIN_INTERVAL + 0.05


class Beats:
    """A player: strictly growing sequence numbers."""

    def __init__(self, api: Any, enrolment: str) -> None:
        self.api, self.enrolment, self.seq = api, enrolment, 0

    async def beat(self, unit: str, position: int = 0, seq: int | None = None) -> dict[str, Any]:
        if seq is None:
            self.seq += 1
            seq = self.seq
        data = await self.api.gql(BEAT, {"e": self.enrolment, "u": unit, "s": seq, "p": position})
        result: dict[str, Any] = data["learningHeartbeat"]
        return result

    async def finish(self, unit: str) -> dict[str, Any]:
        out = await self.beat(unit)
        for _ in range(40):
            if out["progress"] and out["progress"]["completed"]:
                return out
            await asyncio.sleep(STEP)
            out = await self.beat(unit)
        raise AssertionError(f"unit never completed: {out}")


async def _enrolled(login: Login, **course: Any) -> tuple[Any, dict[str, Any], str]:
    trainer = await login("edu_trainer")
    c = await published_course(trainer, **course)
    zhang = await login("zhang")
    data = await zhang.gql(ENROL, {"id": c["id"]})
    assert data["courseEnrol"]["errors"] == [], data
    return zhang, c, data["courseEnrol"]["enrolment"]["id"]


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def test_heartbeats_credit_only_elapsed_time_and_refuse_replays(
    login_as: Login, providers: Providers, registered: int
) -> None:
    zhang, course, enrolment = await _enrolled(login_as)
    first, second = (u["id"] for u in course["units"])
    player = Beats(zhang, enrolment)

    # the first beat starts the clock; a claimed position far ahead earns nothing
    start = await player.beat(first, position=999)
    assert start["errors"] == [] and start["creditedSeconds"] == 0
    assert start["progress"]["coveredSeconds"] == 0 and not start["progress"]["completed"]

    # the same sequence again, an older one, or a beat too soon: typed errors, no credit
    assert codes(await player.beat(first, seq=1)) == ["OUT_OF_ORDER"]
    assert codes(await player.beat(first, seq=0)) == ["OUT_OF_ORDER"]
    assert codes(await player.beat(first)) == ["TOO_FAST"]

    # the second unit stays locked until the first is done
    assert codes(await player.beat(second)) == ["UNIT_LOCKED"]

    began = time.monotonic()
    done = await player.finish(first)
    elapsed = time.monotonic() - began + STEP
    assert done["progress"]["completed"] and done["progress"]["coveredSeconds"] == 1
    assert done["enrolment"]["percent"] == 50 and elapsed >= 1.0

    done = await player.finish(second)
    assert done["enrolment"]["percent"] == 100
    assert done["enrolment"]["unitsCompletedAt"] is not None
    assert done["enrolment"]["status"] == "ENROLLED"  # the exam is still to pass


async def test_other_peoples_enrolments_are_not_found(
    login_as: Login, providers: Providers, registered: int
) -> None:
    _, course, enrolment = await _enrolled(login_as)
    li_free = await login_as("zhao")
    data = await li_free.gql(BEAT, {"e": enrolment, "u": course["units"][0]["id"], "s": 1})
    assert codes(data["learningHeartbeat"]) == ["NOT_FOUND"]
    data = await li_free.gql(EXAM_START, {"e": enrolment})
    assert codes(data["examStart"]) == ["NOT_FOUND"]


async def test_parallel_players_share_one_wall_clock(
    login_as: Login, providers: Providers, registered: int
) -> None:
    """Two courses playing at once (two tabs) earn the time once, not twice."""
    trainer = await login_as("edu_trainer")
    zhang = await login_as("zhang")
    long_units = [{"title": "长课", "kind": "VIDEO", "durationSeconds": 600}]
    players = []
    for code in ("PAR-1", "PAR-2"):
        c = await published_course(trainer, code=code, units=long_units, examQuestionCount=0)
        e = await zhang.gql(ENROL, {"id": c["id"]})
        players.append((Beats(zhang, e["courseEnrol"]["enrolment"]["id"]), c["units"][0]["id"]))
    began = time.monotonic()
    for p, unit in players:
        await p.beat(unit)
    credited = 0.0
    for _ in range(4):
        await asyncio.sleep(STEP)
        for p, unit in players:
            out = await p.beat(unit)
            assert out["errors"] == []
            credited += out["creditedSeconds"]
    wall = time.monotonic() - began
    assert 0.9 * 4 * STEP <= credited <= wall + 0.05, (credited, wall)


async def test_exam_paper_grading_and_hours(
    login_as: Login, providers: Providers, registered: int, runtime: Runtime
) -> None:
    zhang, course, enrolment = await _enrolled(login_as, examMaxAttempts=3)
    early = await zhang.gql(EXAM_START, {"e": enrolment})
    assert codes(early["examStart"]) == ["UNITS_INCOMPLETE"]
    player = Beats(zhang, enrolment)
    for unit in course["units"]:
        await player.finish(unit["id"])

    started = (await zhang.gql(EXAM_START, {"e": enrolment}))["examStart"]
    attempt = started["attempt"]
    assert started["errors"] == [] and attempt["status"] == "IN_PROGRESS"
    assert len(attempt["questions"]) == 3 and 590 <= attempt["secondsLeft"] <= 600
    # nothing reveals the answers before submission
    assert all(q["answer"] is None and q["correct"] is None for q in attempt["questions"])

    # resuming returns the same attempt, not a new paper
    again = (await zhang.gql(EXAM_START, {"e": enrolment}))["examStart"]["attempt"]
    assert again["id"] == attempt["id"]

    # the paper is the one its recorded seed draws
    async with runtime.db.session() as s:
        row = (await s.exec(select(ExamAttempt))).one()
        bank = (await s.exec(select(Question.id))).all()  # this test's one course
        assert row.question_ids == rules.draw_paper(list(bank), 3, row.seed)

    by_stem = {q["stem"]: q for q in QUESTIONS}
    right = [
        {"questionId": q["id"], "choices": by_stem[q["stem"]]["answer"]}
        for q in attempt["questions"]
    ]
    wrong = [{"questionId": a["questionId"], "choices": [1]} for a in right]

    # answers for a question outside the paper, or impossible choices, are refused
    bad = await zhang.gql(
        EXAM_ANSWER,
        {"a": attempt["id"], "answers": [{"questionId": "UXVlc3Rpb246OTk5OTk5", "choices": [0]}]},
    )
    assert codes(bad["examAnswer"]) == ["QUESTION_NOT_IN_PAPER"]
    bad = await zhang.gql(
        EXAM_ANSWER, {"a": attempt["id"], "answers": [{**right[0], "choices": [0, 7]}]}
    )
    assert codes(bad["examAnswer"]) == ["BAD_CHOICE"]

    # autosave, then hand in wrong answers: failed, no hours
    saved = await zhang.gql(EXAM_ANSWER, {"a": attempt["id"], "answers": wrong[:1]})
    assert saved["examAnswer"]["errors"] == []
    failed = (await zhang.gql(EXAM_SUBMIT, {"a": attempt["id"], "answers": wrong}))["examSubmit"]
    assert failed["errors"] == [] and failed["attempt"]["passed"] is False
    assert all(q["answer"] is not None for q in failed["attempt"]["questions"])
    twice = await zhang.gql(EXAM_SUBMIT, {"a": attempt["id"]})
    assert codes(twice["examSubmit"]) == ["ALREADY_SUBMITTED"]

    # a second attempt draws a new paper; the right answers pass and recognise the hours
    second = (await zhang.gql(EXAM_START, {"e": enrolment}))["examStart"]["attempt"]
    assert second["id"] != attempt["id"] and second["attemptNo"] == 2
    right = [
        {"questionId": q["id"], "choices": by_stem[q["stem"]]["answer"]}
        for q in second["questions"]
    ]
    passed = (await zhang.gql(EXAM_SUBMIT, {"a": second["id"], "answers": right}))["examSubmit"]
    assert passed["attempt"]["passed"] is True
    assert passed["attempt"]["score"] == passed["attempt"]["maxScore"] == 3
    after = await zhang.gql(EXAM_START, {"e": enrolment})
    assert codes(after["examStart"]) == ["ALREADY_PASSED"]

    async with runtime.db.session() as s:
        records = (await s.exec(select(HourRecord))).all()
    assert len(records) == 1
    r = records[0]
    assert (r.source, r.status, r.rule_version, r.hours) == ("COURSE", "ACCEPTED", "hours-v1", 8)
    assert r.subject_kind == "PROFESSIONAL" and r.specialty == "CHEMICAL"


async def test_attempt_limit_and_time_limit(
    login_as: Login, providers: Providers, registered: int, runtime: Runtime
) -> None:
    zhang, course, enrolment = await _enrolled(login_as, examMaxAttempts=1)
    player = Beats(zhang, enrolment)
    for unit in course["units"]:
        await player.finish(unit["id"])
    attempt = (await zhang.gql(EXAM_START, {"e": enrolment}))["examStart"]["attempt"]
    by_stem = {q["stem"]: q for q in QUESTIONS}
    right = [
        {"questionId": q["id"], "choices": by_stem[q["stem"]]["answer"]}
        for q in attempt["questions"]
    ]
    await zhang.gql(EXAM_ANSWER, {"a": attempt["id"], "answers": right[:1]})

    # the deadline passes (as the server's clock sees it)
    async with runtime.db.session() as s:
        await s.exec(
            update(ExamAttempt).values(deadline_at=utcnow() - timedelta(minutes=1))  # type: ignore[call-overload]
        )
        await s.commit()
    late = await zhang.gql(EXAM_SUBMIT, {"a": attempt["id"], "answers": right})
    assert codes(late["examSubmit"]) == ["TIME_UP"]
    late = await zhang.gql(EXAM_ANSWER, {"a": attempt["id"], "answers": right})
    assert codes(late["examAnswer"]) == ["TIME_UP"]

    # the periodic job grades what was saved in time: 1 of 3 right, under the pass mark
    async with runtime.db.session() as s:
        assert await education.close_expired_attempts(s, now=utcnow()) == 1
        await s.commit()
    async with runtime.db.session() as s:
        row = (await s.exec(select(ExamAttempt))).one()
        assert (row.status, row.score, row.passed) == ("EXPIRED", 1, False)
        assert (await s.exec(select(HourRecord))).all() == []

    # one attempt allowed, and it is used
    limit = await zhang.gql(EXAM_START, {"e": enrolment})
    assert codes(limit["examStart"]) == ["NO_ATTEMPTS_LEFT"]


ATTEND = """mutation($u: ID!, $p: [ID!]!) { liveAttendanceRecord(unitId: $u, personIds: $p) {
  recorded errors { field code message } } }"""


async def test_live_sessions_complete_by_recorded_attendance(
    login_as: Login, providers: Providers, registered: int, world: World, runtime: Runtime
) -> None:
    started = (utcnow() - timedelta(hours=1)).isoformat()
    zhang, course, enrolment = await _enrolled(
        login_as,
        code="LIVE-1",
        examQuestionCount=0,
        units=[{"title": "直播答疑", "kind": "LIVE", "durationSeconds": 3600, "startsAt": started}],
    )
    live = course["units"][0]["id"]
    assert codes(await Beats(zhang, enrolment).beat(live)) == ["ATTENDANCE_ONLY"]
    trainer = await login_as("edu_trainer")
    other = await login_as("other_trainer")
    zhang_gid = to_base64("Person", world.pid("zhang"))
    zhao_gid = to_base64("Person", world.pid("zhao"))
    refused = await trainer.gql(ATTEND, {"u": live, "p": [zhang_gid, zhao_gid]})
    assert codes(refused["liveAttendanceRecord"]) == ["NOT_ENROLLED"]
    foreign = await other.gql(ATTEND, {"u": live, "p": [zhang_gid]})
    assert codes(foreign["liveAttendanceRecord"]) == ["NOT_FOUND"]
    done = await trainer.gql(ATTEND, {"u": live, "p": [zhang_gid]})
    assert done["liveAttendanceRecord"] == {"recorded": 1, "errors": []}
    async with runtime.db.session() as s:
        records = (await s.exec(select(HourRecord))).all()
    assert [(r.course_title, r.rule_version) for r in records] == [
        ("危险化学品安全管理", "hours-v1")
    ]
