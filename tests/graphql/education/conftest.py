"""Continuing-education fixtures: a fast heartbeat policy, two qualified providers with
their trainers, 张伟's active registration, and course documents."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role
from regsafe.core.clock import today_shanghai
from regsafe.core.runtime import Runtime, set_runtime
from regsafe.core.settings import Settings
from regsafe.education import service as education
from regsafe.identity import service as identity
from regsafe.identity.models import EmployerKind, Specialty
from regsafe.identity.service import EmployerInput
from regsafe.registration import service as registration
from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, SYSTEM, World, make_credit_code

# Beats may come 0.3 s apart: the tests sleep real time, never fake the server's clock.
MIN_INTERVAL = 0.3
MAX_GAP = 5.0

COURSE_FIELDS = """id code title status version hours subjectKind specialty isOpen hasExam
  enrolledCount units { id position title kind durationSeconds }"""
CREATE_COURSE = (
    "mutation($input: CourseInput!) { courseCreate(input: $input) { course { %s } "
    "errors { field code message } } }" % COURSE_FIELDS
)
SET_QUESTIONS = """mutation($id: ID!, $v: Int!, $q: [QuestionInput!]!) {
  courseQuestionsSet(id: $id, expectedVersion: $v, questions: $q) {
  course { id version questionBank { kind stem answer } } errors { field code message } } }"""
PUBLISH = """mutation($id: ID!, $v: Int!) { coursePublish(id: $id, expectedVersion: $v) {
  course { id version status } errors { field code message } } }"""
ENROL = """mutation($id: ID!) { courseEnrol(courseId: $id) {
  enrolment { id status percent course { id enrolledCount } } errors { field code message } } }"""
BEAT = """mutation($e: ID!, $u: ID!, $s: Int!, $p: Int) {
  learningHeartbeat(enrolmentId: $e, unitId: $u, sequence: $s, positionSeconds: $p) {
  progress { coveredSeconds positionSeconds completed } creditedSeconds
  enrolment { id status percent unitsCompletedAt }
  errors { field code message } } }"""
EXAM_START = """mutation($e: ID!) { examStart(enrolmentId: $e) {
  attempt { id attemptNo status secondsLeft questions { id number kind stem options chosen
    correct answer } }
  errors { field code message } } }"""
EXAM_ANSWER = """mutation($a: ID!, $answers: [AnswerInput!]!) {
  examAnswer(attemptId: $a, answers: $answers) {
  attempt { id questions { id chosen correct answer } } errors { field code message } } }"""
EXAM_SUBMIT = """mutation($a: ID!, $answers: [AnswerInput!]) {
  examSubmit(attemptId: $a, answers: $answers) {
  attempt { id status score maxScore passed questions { id correct answer } }
  errors { field code message } } }"""
MY_HOURS = """{ myHours { pendingCount requirement { cycleStart cycleEnd cycleDescription
  required minProfessional earnedGeneral earnedProfessional counted shortfall
  professionalShortfall met outlook forecastDate explanation }
  records { id source status courseTitle providerName subjectKind countsAsProfessional hours
    recognisedOn ruleVersion } } }"""

QUESTIONS = [
    {
        "kind": "SINGLE",
        "stem": "安全生产工作坚持什么方针？",
        "options": ["安全第一、预防为主、综合治理", "效益优先", "先生产后安全"],
        "answer": [0],
    },
    {
        "kind": "MULTIPLE",
        "stem": "双重预防机制包括",
        "options": ["风险分级管控", "隐患排查治理", "事后追责"],
        "answer": [0, 1],
    },
    {"kind": "TRUE_FALSE", "stem": "从业人员有权拒绝违章指挥。", "answer": [0]},
    {
        "kind": "SINGLE",
        "stem": "重大危险源辨识依据的国家标准是",
        "options": ["GB 18218", "GB 2894", "GB 6441"],
        "answer": [0],
    },
]


@pytest.fixture
def runtime(settings: Settings, db: Any) -> Iterator[Runtime]:
    """The API under test with short heartbeat bounds (overrides the shared fixture)."""
    fast = settings.model_copy(
        update={
            "heartbeat_min_interval_seconds": MIN_INTERVAL,
            "heartbeat_max_gap_seconds": MAX_GAP,
        }
    )
    rt = Runtime.from_settings(fast, db=db)
    set_runtime(rt)
    yield rt
    set_runtime(None)


@dataclass
class Providers:
    main_id: int
    other_id: int
    employer_id: int


@pytest.fixture
async def providers(runtime: Runtime, world: World) -> Providers:
    """培训中心 (trainer `edu_trainer`) and another provider (`other_trainer`)."""
    assert runtime.store is not None
    await runtime.store.ensure_bucket()
    ids = []
    async with runtime.db.session() as s:
        for n, (name, org, username) in enumerate(
            (
                ("深圳市安全生产培训中心", "TRN1", "edu_trainer"),
                ("广州市安全技术培训学校", "TRN2", "other_trainer"),
            )
        ):
            employer = await identity.create_employer(
                s,
                data=EmployerInput(
                    name=name,
                    credit_code=make_credit_code("440300" if n == 0 else "440100", org),
                    kind=EmployerKind.SERVICE_AGENCY,
                    industry="P",
                ),
                viewer=SYSTEM,
            )
            assert employer.id is not None
            provider = await education.create_provider(
                s, employer_id=employer.id, name=name, qualified_until=date(2030, 1, 1)
            )
            await auth_service.create_user(
                s,
                username=username,
                password=PASSWORD,
                display_name=name,
                roles=[Role.TRAINER],
                employer_id=employer.id,
            )
            ids.append((provider.id or 0, employer.id))
        await s.commit()
    return Providers(ids[0][0], ids[1][0], ids[0][1])


@pytest.fixture
async def registered(runtime: Runtime, world: World) -> int:
    """张伟 holds an ACTIVE chemical registration whose cycle began two years ago."""
    start = today_shanghai() - timedelta(days=730)
    async with runtime.db.session() as s:
        reg = await registration.import_registration(
            s,
            person_id=world.pid("zhang"),
            employer_id=world.employers["chem"].id or 0,
            specialty=Specialty.CHEMICAL,
            valid_from=start,
            valid_until=start.replace(year=start.year + 5) - timedelta(days=1),
        )
        await s.commit()
    assert reg.id is not None
    return reg.id


def course_input(**overrides: Any) -> dict[str, Any]:
    today = today_shanghai()
    data: dict[str, Any] = {
        "code": "HG-001",
        "title": "危险化学品安全管理",
        "subjectKind": "PROFESSIONAL",
        "specialty": "CHEMICAL",
        "hours": 8,
        "opensOn": (today - timedelta(days=10)).isoformat(),
        "closesOn": (today + timedelta(days=100)).isoformat(),
        "units": [
            {"title": "第一讲", "kind": "VIDEO", "durationSeconds": 1},
            {"title": "第二讲", "kind": "DOCUMENT", "durationSeconds": 1},
        ],
        "examQuestionCount": 3,
        "examMinutes": 10,
        "examMaxAttempts": 2,
        "passMark": 60,
    }
    data.update(overrides)
    return data


async def published_course(trainer: Api, **overrides: Any) -> dict[str, Any]:
    """A course created, given its questions (if it has an exam) and published by API."""
    data = await trainer.gql(CREATE_COURSE, {"input": course_input(**overrides)})
    assert data["courseCreate"]["errors"] == [], data
    course = data["courseCreate"]["course"]
    if course["hasExam"]:
        q = await trainer.gql(
            SET_QUESTIONS, {"id": course["id"], "v": course["version"], "q": QUESTIONS}
        )
        assert q["courseQuestionsSet"]["errors"] == [], q
        course["version"] = q["courseQuestionsSet"]["course"]["version"]
    p = await trainer.gql(PUBLISH, {"id": course["id"], "v": course["version"]})
    assert p["coursePublish"]["errors"] == [], p
    course.update(p["coursePublish"]["course"])
    return course
