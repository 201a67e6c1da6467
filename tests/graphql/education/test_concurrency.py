"""Parallel requests where they really commit: simultaneous heartbeats of one player
credit the time once, and simultaneous enrolments respect the capacity."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest
from strawberry.relay import to_base64

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role, Viewer
from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.runtime import Runtime
from regsafe.education import service as education
from regsafe.education.models import SubjectKind, UnitKind
from regsafe.identity import service as identity
from regsafe.identity.models import EmployerKind
from regsafe.identity.service import AgePolicy, EmployerInput, PersonInput
from regsafe.web.app import create_app
from tests.plugins.api import Api
from tests.plugins.identity import PASSWORD, SYSTEM, make_credit_code, make_id_number

from .conftest import BEAT, ENROL, MAX_GAP, MIN_INTERVAL


@pytest.fixture(scope="module")
async def live(
    committed_runtime: Callable[..., Awaitable[Runtime]],
) -> AsyncIterator[tuple[Runtime, dict[str, int]]]:
    base = await committed_runtime("edu_concurrency")
    rt = Runtime.from_settings(
        base.settings.model_copy(
            update={
                "heartbeat_min_interval_seconds": MIN_INTERVAL,
                "heartbeat_max_gap_seconds": MAX_GAP,
            }
        )
    )
    ids: dict[str, int] = {}
    today = today_shanghai()
    async with rt.db.session() as s:
        trainer_org = await identity.create_employer(
            s,
            data=EmployerInput(
                name="并发培训中心",
                credit_code=make_credit_code("440300", "CNCR"),
                kind=EmployerKind.SERVICE_AGENCY,
                industry="P",
            ),
            viewer=SYSTEM,
        )
        assert trainer_org.id is not None
        await education.create_provider(
            s, employer_id=trainer_org.id, name="并发培训中心", qualified_until=None
        )
        viewer = Viewer(roles=frozenset({Role.TRAINER}), employer_id=trainer_org.id)
        for code, units, capacity in (
            ("LONG", [education.UnitData("长单元", UnitKind.VIDEO, 600)], None),
            ("ONE", [education.UnitData("单元", UnitKind.VIDEO, 60)], 1),
        ):
            course = await education.create_course(
                s,
                viewer=viewer,
                data=education.CourseData(
                    code=code,
                    title=f"并发课程{code}",
                    subject_kind=SubjectKind.GENERAL,
                    hours=Decimal(2),
                    opens_on=today - timedelta(days=1),
                    closes_on=today + timedelta(days=30),
                    capacity=capacity,
                    units=units,
                ),
                now=utcnow(),
            )
            await education.publish_course(
                s, viewer=viewer, course_id=course.id or 0, expected_version=1, now=utcnow()
            )
            ids[code] = course.id or 0
        for n, username in enumerate(("learner1", "learner2")):
            person = await identity.create_person(
                s,
                data=PersonInput(
                    name=f"学员{'甲乙'[n]}",
                    id_number=make_id_number("440305", date(1990, 1, 1 + n), 300 + n),
                    region_code="440305",
                ),
                viewer=SYSTEM,
                cipher=rt.cipher,
                today=today,
                ages=AgePolicy(),
            )
            await auth_service.create_user(
                s,
                username=username,
                password=PASSWORD,
                display_name=username,
                roles=[Role.REGISTRANT],
                person_id=person.id,
            )
        await s.commit()
    yield rt, ids
    await rt.db.dispose()


async def test_simultaneous_beats_are_credited_once(live: tuple[Runtime, dict[str, int]]) -> None:
    rt, ids = live
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(rt)), base_url="http://t"
    ) as c:
        learner = await Api(c).as_user("learner1", PASSWORD)
        course = await learner.gql(
            "query($id: ID!) { node(id: $id) { ... on Course { units { id } } } }",
            {"id": _gid("Course", ids["LONG"])},
        )
        unit = course["node"]["units"][0]["id"]
        enrolment = (await learner.gql(ENROL, {"id": _gid("Course", ids["LONG"])}))["courseEnrol"][
            "enrolment"
        ]["id"]
        # the very first beat, three times at once: the rows are created once
        firsts = await asyncio.gather(
            *(learner.gql(BEAT, {"e": enrolment, "u": unit, "s": 1}) for _ in range(3))
        )
        codes = sorted(
            r["learningHeartbeat"]["errors"][0]["code"] if r["learningHeartbeat"]["errors"] else ""
            for r in firsts
        )
        assert codes == ["", "OUT_OF_ORDER", "OUT_OF_ORDER"]
        await asyncio.sleep(1.0)
        # the same beat sent four times at once (a retrying client, a replay attack)
        results = await asyncio.gather(
            *(learner.gql(BEAT, {"e": enrolment, "u": unit, "s": 2}) for _ in range(4))
        )
        payloads = [r["learningHeartbeat"] for r in results]
        accepted = [p for p in payloads if not p["errors"]]
        assert len(accepted) == 1, payloads
        assert {p["errors"][0]["code"] for p in payloads if p["errors"]} <= {
            "OUT_OF_ORDER",
            "TOO_FAST",
        }
        assert 1.0 <= accepted[0]["creditedSeconds"] <= 2.0
        assert accepted[0]["progress"]["coveredSeconds"] == int(accepted[0]["creditedSeconds"])


async def test_simultaneous_enrolments_respect_the_capacity(
    live: tuple[Runtime, dict[str, int]],
) -> None:
    rt, ids = live
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(rt)), base_url="http://t"
    ) as c:
        learners = [await Api(c).as_user(u, PASSWORD) for u in ("learner1", "learner2")]
        results = await asyncio.gather(
            *(api.gql(ENROL, {"id": _gid("Course", ids["ONE"])}) for api in learners)
        )
    outcomes = sorted(
        (r["courseEnrol"]["errors"][0]["code"] if r["courseEnrol"]["errors"] else "OK")
        for r in results
    )
    assert outcomes == ["COURSE_FULL", "OK"]


def _gid(type_name: str, pk: int) -> str:
    return to_base64(type_name, pk)
