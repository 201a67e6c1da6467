"""Trainers' courses over HTTP: validation, drafts invisible to learners, versions,
publication rules, materials with real bytes in S3, enrolment limits, statistics."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from regsafe.core.clock import today_shanghai
from tests.graphql.identity.helpers import Login
from tests.plugins.api import SLOT, upload

from .conftest import (
    BEAT,
    CREATE_COURSE,
    ENROL,
    PUBLISH,
    QUESTIONS,
    SET_QUESTIONS,
    Providers,
    course_input,
    published_course,
)

UPDATE = """mutation($id: ID!, $v: Int!, $input: CourseInput!) {
  courseUpdate(id: $id, expectedVersion: $v, input: $input) {
  course { id version title hours capacity units { title } } errors { field code message } } }"""
CLOSE = """mutation($id: ID!, $v: Int!) { courseClose(id: $id, expectedVersion: $v) {
  course { id status version } errors { field code message } } }"""
CATALOGUE = """query($f: CourseFilter) { courses(filter: $f, first: 50) { totalCount
  edges { node { id code title status isOpen specialty subjectKind provider { name }
    myEnrolment { id } } } } }"""
NODE = """query($id: ID!) { node(id: $id) { ... on Course { id title status
  questionBank { stem answer } units { id materialUrl materialMediaType } } } }"""
MATERIAL = (
    """mutation($u: ID!, $n: String!, $s: Int!, $t: String!) {
  courseMaterialUploadRequest(unitId: $u, filename: $n, size: $s, contentType: $t) {
  upload { """
    + SLOT
    + """ } unit { id materialMediaType } errors { field code message } } }"""
)
STATS = """query($p: ID) { courseStatistics(providerId: $p) { course { code } enrolled completed
  completionRate attempts passRate } }"""


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def test_invalid_course_reports_every_problem(login_as: Login, providers: Providers) -> None:
    trainer = await login_as("edu_trainer")
    today = today_shanghai()
    bad = course_input(
        hours=0.3,
        closesOn=(today - timedelta(days=20)).isoformat(),
        units=[{"title": "直播", "kind": "LIVE", "durationSeconds": 3600}],
        passMark=0,
    )
    data = await trainer.gql(CREATE_COURSE, {"input": bad})
    payload = data["courseCreate"]
    assert payload["course"] is None
    assert {e["field"] for e in payload["errors"]} == {
        "hours",
        "closesOn",
        "units.0.startsAt",
        "passMark",
    }


async def test_only_trainers_of_a_qualified_provider_manage_courses(
    login_as: Login, providers: Providers
) -> None:
    zhang = await login_as("zhang")
    errors = await zhang.errors(CREATE_COURSE, {"input": course_input()})
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    unqualified = await login_as("trainer")  # a trainer with no provider
    data = await unqualified.gql(CREATE_COURSE, {"input": course_input()})
    assert codes(data["courseCreate"]) == ["NOT_A_PROVIDER"]


async def test_draft_to_published_with_versions_and_isolation(
    login_as: Login, providers: Providers
) -> None:
    trainer = await login_as("edu_trainer")
    other = await login_as("other_trainer")
    zhang = await login_as("zhang")
    created = (await trainer.gql(CREATE_COURSE, {"input": course_input()}))["courseCreate"]
    course = created["course"]
    assert course["status"] == "DRAFT" and len(course["units"]) == 2

    # learners see neither the draft in the catalogue nor by id
    listed = await zhang.gql(CATALOGUE, {"f": {}})
    assert course["id"] not in {e["node"]["id"] for e in listed["courses"]["edges"]}
    assert (await zhang.gql(NODE, {"id": course["id"]}))["node"] is None
    # another provider's trainer cannot touch it
    stolen = await other.gql(UPDATE, {"id": course["id"], "v": 1, "input": course_input()})
    assert codes(stolen["courseUpdate"]) == ["NOT_FOUND"]

    # an exam needs its questions before publication
    early = await trainer.gql(PUBLISH, {"id": course["id"], "v": course["version"]})
    assert codes(early["coursePublish"]) == ["QUESTION_BANK_TOO_SMALL"]
    bad_q = [{"kind": "SINGLE", "stem": "题", "options": ["甲", "乙"], "answer": [5]}]
    wrong = await trainer.gql(SET_QUESTIONS, {"id": course["id"], "v": 1, "q": bad_q})
    assert [e["field"] for e in wrong["courseQuestionsSet"]["errors"]] == ["questions.0.answer"]
    ok = await trainer.gql(SET_QUESTIONS, {"id": course["id"], "v": 1, "q": QUESTIONS})
    assert ok["courseQuestionsSet"]["errors"] == []
    stale = await trainer.gql(PUBLISH, {"id": course["id"], "v": 1})
    assert codes(stale["coursePublish"]) == ["STALE_VERSION"]
    published = await trainer.gql(PUBLISH, {"id": course["id"], "v": 2})
    assert published["coursePublish"]["course"]["status"] == "PUBLISHED"

    # the trainer sees the bank with answers, the learner never does
    mine = (await trainer.gql(NODE, {"id": course["id"]}))["node"]
    assert len(mine["questionBank"]) == 4 and mine["questionBank"][0]["answer"] == [0]
    theirs = (await zhang.gql(NODE, {"id": course["id"]}))["node"]
    assert theirs["status"] == "PUBLISHED" and theirs["questionBank"] is None

    # published: text and capacity change, hours and units stay
    change = course_input(title="危险化学品安全管理（修订）", hours=20, capacity=50, units=[])
    upd = (await trainer.gql(UPDATE, {"id": course["id"], "v": 3, "input": change}))["courseUpdate"]
    assert upd["errors"] == []
    assert upd["course"]["title"].endswith("（修订）") and upd["course"]["hours"] == 8
    assert len(upd["course"]["units"]) == 2 and upd["course"]["capacity"] == 50
    locked = await trainer.gql(SET_QUESTIONS, {"id": course["id"], "v": 4, "q": QUESTIONS})
    assert codes(locked["courseQuestionsSet"]) == ["NOT_EDITABLE"]


async def test_catalogue_filters(login_as: Login, providers: Providers) -> None:
    trainer = await login_as("edu_trainer")
    today = today_shanghai()
    await published_course(trainer, code="C1", specialty="CHEMICAL", examQuestionCount=0)
    await published_course(
        trainer, code="G1", specialty=None, subjectKind="GENERAL", examQuestionCount=0
    )
    await published_course(trainer, code="M1", specialty="COAL_MINE", examQuestionCount=0)
    await published_course(
        trainer,
        code="F1",
        examQuestionCount=0,
        opensOn=(today + timedelta(days=5)).isoformat(),
        closesOn=(today + timedelta(days=50)).isoformat(),
    )
    zhang = await login_as("zhang")

    async def listed(f: dict[str, Any]) -> set[str]:
        data = await zhang.gql(CATALOGUE, {"f": f})
        return {e["node"]["code"] for e in data["courses"]["edges"]}

    assert await listed({"specialty": "CHEMICAL"}) == {"C1", "G1", "F1"}
    assert await listed({"subjectKind": "GENERAL"}) == {"G1"}
    assert await listed({"open": True}) == {"C1", "G1", "M1"}
    assert await listed({"open": False}) == {"F1"}
    assert await listed({"titleContains": "危险化学品"}) == {"C1", "G1", "M1", "F1"}


async def test_enrolment_limits(login_as: Login, providers: Providers, registered: int) -> None:
    trainer = await login_as("edu_trainer")
    today = today_shanghai()
    one_seat = await published_course(trainer, code="S1", capacity=1, examQuestionCount=0)
    later = await published_course(
        trainer,
        code="S2",
        examQuestionCount=0,
        opensOn=(today + timedelta(days=3)).isoformat(),
        closesOn=(today + timedelta(days=30)).isoformat(),
    )
    zhang, zhao = await login_as("zhang"), await login_as("zhao")
    first = await zhang.gql(ENROL, {"id": one_seat["id"]})
    assert first["courseEnrol"]["enrolment"]["course"]["enrolledCount"] == 1
    assert codes((await zhang.gql(ENROL, {"id": one_seat["id"]}))["courseEnrol"]) == [
        "ALREADY_ENROLLED"
    ]
    assert codes((await zhao.gql(ENROL, {"id": one_seat["id"]}))["courseEnrol"]) == ["COURSE_FULL"]
    assert codes((await zhao.gql(ENROL, {"id": later["id"]}))["courseEnrol"]) == ["COURSE_NOT_OPEN"]

    # after the course closes, neither enrolment nor progress is accepted
    closed = await trainer.gql(CLOSE, {"id": one_seat["id"], "v": one_seat["version"]})
    assert closed["courseClose"]["course"]["status"] == "CLOSED"
    enrolment = first["courseEnrol"]["enrolment"]["id"]
    beat = await zhang.gql(BEAT, {"e": enrolment, "u": one_seat["units"][0]["id"], "s": 1})
    assert codes(beat["learningHeartbeat"]) == ["COURSE_CLOSED"]
    assert codes((await zhao.gql(ENROL, {"id": one_seat["id"]}))["courseEnrol"]) == [
        "COURSE_CLOSED"
    ]


async def test_materials_are_checked_by_their_bytes_and_shown_to_learners_only(
    login_as: Login, providers: Providers, registered: int
) -> None:
    trainer = await login_as("edu_trainer")
    course = await published_course(trainer, examQuestionCount=0)
    video, document = (u["id"] for u in course["units"])
    wrong_type = await trainer.gql(
        MATERIAL, {"u": video, "n": "课件.pdf", "s": 10, "t": "application/pdf"}
    )
    assert codes(wrong_type["courseMaterialUploadRequest"]) == ["UNSUPPORTED_TYPE"]

    pdf = b"%PDF-1.4\n% regsafe test material\n%%EOF\n"
    async with httpx.AsyncClient() as s3:
        for body, expected in ((b"\x89PNG\r\n\x1a\n" + b"0" * 30, "UNSUPPORTED_TYPE"), (pdf, None)):
            ticket = (
                await trainer.gql(
                    MATERIAL,
                    {"u": document, "n": "讲义.pdf", "s": len(body), "t": "application/pdf"},
                )
            )["courseMaterialUploadRequest"]
            # the unit keeps what it had until the new bytes are confirmed
            assert ticket["unit"]["materialMediaType"] is None
            confirmed = await upload(trainer, ticket["upload"], body)
            if expected:
                assert codes(confirmed) == [expected] and confirmed["target"] is None
                assert confirmed["upload"]["status"] == "REFUSED"
            else:
                assert confirmed["errors"] == []
                assert confirmed["target"]["__typename"] == "CourseUnit"
                assert confirmed["target"]["id"] == document
                assert confirmed["target"]["materialMediaType"] == "application/pdf"
                assert confirmed["target"]["materialFilename"] == "讲义.pdf"

        zhao = await login_as("zhao")
        units = (await zhao.gql(NODE, {"id": course["id"]}))["node"]["units"]
        assert units[1]["materialMediaType"] == "application/pdf"
        assert units[1]["materialUrl"] is None  # not enrolled
        zhang = await login_as("zhang")
        await zhang.gql(ENROL, {"id": course["id"]})
        units = (await zhang.gql(NODE, {"id": course["id"]}))["node"]["units"]
        got = await s3.get(units[1]["materialUrl"])
        assert got.status_code == 200 and got.content == pdf


async def test_statistics_per_course_and_who_may_read_them(
    login_as: Login, providers: Providers, registered: int
) -> None:
    trainer = await login_as("edu_trainer")
    other = await login_as("other_trainer")
    course = await published_course(trainer, code="ST1")
    await published_course(other, code="OT1", examQuestionCount=0)
    zhang = await login_as("zhang")
    await zhang.gql(ENROL, {"id": course["id"]})

    own = (await trainer.gql(STATS, {}))["courseStatistics"]
    assert [(r["course"]["code"], r["enrolled"], r["completionRate"]) for r in own] == [
        ("ST1", 1, 0.0)
    ]
    assert own[0]["passRate"] is None  # no attempts yet
    analyst = await login_as("analyst")
    assert {r["course"]["code"] for r in (await analyst.gql(STATS, {}))["courseStatistics"]} >= {
        "ST1",
        "OT1",
    }
    errors = await zhang.errors(STATS, {})
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
