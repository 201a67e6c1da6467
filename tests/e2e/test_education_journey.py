"""The continuing-education journey in a real Chromium against `regsafe serve`: a
registrant with an active registration finds a course in 课程目录, enrols, learns both
units by heartbeats until the progress reaches 100%, passes the exam, and sees the hours
in 我的学时 with the requirement updated. The server runs with short heartbeat bounds so
the two four-second units take seconds, not minutes."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role, Viewer
from regsafe.core.migrate import upgrade_head
from regsafe.core.runtime import Runtime
from regsafe.education import service as education
from regsafe.education.models import QuestionKind, SubjectKind, UnitKind
from regsafe.education.service import CourseData, QuestionData, UnitData
from regsafe.identity import service
from regsafe.identity.models import EmployerKind, Specialty
from regsafe.identity.service import AgePolicy, EmployerInput, PersonInput
from regsafe.registration import service as registration
from tests.conftest import make_settings
from tests.e2e.server import CHROMIUM, WEB, check_prerequisites, start_server, stop_server
from tests.plugins.identity import PASSWORD, SYSTEM, make_credit_code, make_id_number

pytestmark = pytest.mark.e2e

COURSE_TITLE = "生产安全事故应急管理（E2E）"
COURSE_HOURS = Decimal(3)
UNIT_SECONDS = 4
# 题干 → the options to choose (TRUE_FALSE options are 正确/错误). The paper holds all three
# in a random order, so the spec answers by stem.
QUESTIONS = [
    (
        QuestionData(
            QuestionKind.SINGLE,
            "生产经营单位应当至少每（　）组织一次生产安全事故应急救援预案演练。",
            ["半年", "一年", "两年", "三年"],
            [1],
        ),
        ["一年"],
    ),
    (
        QuestionData(
            QuestionKind.TRUE_FALSE,
            "事故发生后，事故现场有关人员应当立即向本单位负责人报告。",
            [],
            [0],
        ),
        ["正确"],
    ),
    (
        QuestionData(
            QuestionKind.MULTIPLE,
            "应急预案分为（　）。",
            ["综合应急预案", "年度工作计划", "专项应急预案", "现场处置方案"],
            [0, 2, 3],
        ),
        ["综合应急预案", "专项应急预案", "现场处置方案"],
    ),
]


@pytest.fixture(scope="module")
def journey(postgres: Any, s3_settings: dict[str, Any]) -> Iterator[dict[str, str]]:
    check_prerequisites()
    url = postgres.new_database("e2e_education")
    upgrade_head(url)
    settings = make_settings(url, s3_settings)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    now = datetime.now(ZoneInfo("UTC"))
    ids: dict[str, int] = {}

    async def prepare() -> None:
        rt = Runtime.from_settings(settings)
        assert rt.store is not None
        await rt.store.ensure_bucket()
        async with rt.db.session() as s:
            employer = await service.create_employer(
                s,
                data=EmployerInput(
                    name="佛山市安达化工有限公司",
                    credit_code=make_credit_code("440600", "E2ED"),
                    kind=EmployerKind.PRODUCTION_UNIT,
                    industry="C",
                ),
                viewer=SYSTEM,
            )
            training = await service.create_employer(
                s,
                data=EmployerInput(
                    name="广东安全生产继续教育学院",
                    credit_code=make_credit_code("440100", "E2ET"),
                    kind=EmployerKind.SERVICE_AGENCY,
                    industry="P",
                ),
                viewer=SYSTEM,
            )
            person = await service.create_person(
                s,
                data=PersonInput(
                    name="周明远",
                    id_number=make_id_number("440604", date(1986, 4, 12), 357),
                    region_code="440604",
                    specialty=Specialty.CHEMICAL,
                ),
                viewer=SYSTEM,
                cipher=rt.cipher,
                today=today,
                ages=AgePolicy(),
            )
            assert person.id is not None and employer.id is not None and training.id is not None
            start = today - timedelta(days=2 * 365)
            await registration.import_registration(
                s,
                person_id=person.id,
                employer_id=employer.id,
                specialty=Specialty.CHEMICAL,
                valid_from=start,
                valid_until=date(start.year + 5, start.month, 1) - timedelta(days=1),
            )
            provider = await education.create_provider(
                s,
                employer_id=training.id,
                name="广东安全生产继续教育学院",
                qualified_until=today + timedelta(days=3 * 365),
            )
            trainer = Viewer(user_id=None, roles=frozenset({Role.TRAINER}), employer_id=training.id)
            course = await education.create_course(
                s,
                viewer=trainer,
                data=CourseData(
                    code="E2E-YJ-01",
                    title=COURSE_TITLE,
                    subject_kind=SubjectKind.GENERAL,
                    hours=COURSE_HOURS,
                    opens_on=today - timedelta(days=3),
                    closes_on=today + timedelta(days=60),
                    description="两个各4秒的单元和3道题。",
                    units=[
                        UnitData("第一讲 应急预案体系", UnitKind.VIDEO, UNIT_SECONDS),
                        UnitData("第二讲 应急演练与评估", UnitKind.DOCUMENT, UNIT_SECONDS),
                    ],
                    exam_question_count=len(QUESTIONS),
                    exam_minutes=10,
                    exam_max_attempts=3,
                    pass_mark=60,
                ),
                now=now,
            )
            assert course.id is not None
            course = await education.set_questions(
                s,
                viewer=trainer,
                course_id=course.id,
                expected_version=course.version,
                questions=[q for q, _ in QUESTIONS],
                now=now,
            )
            await education.publish_course(
                s,
                viewer=trainer,
                course_id=course.id or 0,
                expected_version=course.version,
                now=now,
            )
            await auth_service.create_user(
                s,
                username="e2e-learner",
                password=PASSWORD,
                display_name="周明远",
                roles=[Role.REGISTRANT],
                person_id=person.id,
            )
            await s.commit()
            ids.update(course=course.id or 0, person=person.id, provider=provider.id or 0)
        await rt.db.dispose()

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(prepare())
    finally:
        loop.close()

    proc, base = start_server(
        settings,
        with_worker=True,  # renders the transcript
        label="e2e-education",
        extra_env={
            "REGSAFE_HEARTBEAT_MIN_INTERVAL_SECONDS": "1",
            "REGSAFE_HEARTBEAT_MAX_GAP_SECONDS": "10",
        },
    )
    yield {
        "BASE_URL": base,
        "DATABASE_URL": url,
        "COURSE_ID": str(ids["course"]),
        "PERSON_ID": str(ids["person"]),
        "LEARNER": "e2e-learner",
        "E2E_PASSWORD": PASSWORD,
        "COURSE_TITLE": COURSE_TITLE,
        "COURSE_HOURS": str(COURSE_HOURS),
        "EXAM_ANSWERS": json.dumps({q.stem: texts for q, texts in QUESTIONS}, ensure_ascii=False),
    }
    stop_server(proc)


def test_registrant_completes_a_course_and_sees_the_hours(journey: dict[str, str]) -> None:
    env = dict(os.environ, CHROMIUM_PATH=CHROMIUM, **journey)
    result = subprocess.run(
        ["npm", "run", "--silent", "e2e", "--", "education"],
        cwd=WEB,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    course_id = int(journey["COURSE_ID"])
    person_id = int(journey["PERSON_ID"])
    with psycopg.connect(journey["DATABASE_URL"]) as conn:
        enrolments = conn.execute(
            "SELECT status, completed_at IS NOT NULL FROM enrolment"
            " WHERE course_id = %s AND person_id = %s",
            (course_id, person_id),
        ).fetchall()
        records = conn.execute(
            "SELECT rule_version, hours, source, status FROM hour_record"
            " WHERE course_id = %s AND person_id = %s",
            (course_id, person_id),
        ).fetchall()
        attempts = conn.execute(
            "SELECT a.status, a.passed, a.score, a.max_score FROM exam_attempt a"
            " JOIN enrolment e ON e.id = a.enrolment_id WHERE e.course_id = %s",
            (course_id,),
        ).fetchall()
    assert enrolments == [("COMPLETED", True)]
    assert records == [("hours-v1", COURSE_HOURS, "COURSE", "ACCEPTED")]
    assert len(attempts) == 1
    status, passed, score, max_score = attempts[0]
    assert status == "SUBMITTED" and passed is True and score == max_score
