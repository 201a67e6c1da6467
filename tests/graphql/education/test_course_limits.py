"""A course's size is bounded (education/limits.py) and its ids take one form only, over
HTTP (issue 11, defect 18)."""

from __future__ import annotations

import time
from typing import Any

from strawberry.relay import from_base64, to_base64

from regsafe.education import limits
from tests.graphql.identity.helpers import Login

from .conftest import CREATE_COURSE, PUBLISH, SET_QUESTIONS, Providers, course_input

UPDATE = """mutation($id: ID!, $v: Int!, $input: CourseInput!) {
  courseUpdate(id: $id, expectedVersion: $v, input: $input) {
  course { id version units { title } } errors { field code message } } }"""


def errors(payload: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


def units(n: int) -> list[dict[str, Any]]:
    return [{"title": f"第{i + 1}讲", "kind": "VIDEO", "durationSeconds": 60} for i in range(n)]


def true_false(n: int) -> list[dict[str, Any]]:
    return [{"kind": "TRUE_FALSE", "stem": f"判断题{i + 1}", "answer": [0]} for i in range(n)]


async def _draft(trainer: Any) -> dict[str, Any]:
    data = await trainer.gql(CREATE_COURSE, {"input": course_input()})
    assert data["courseCreate"]["errors"] == [], data
    course: dict[str, Any] = data["courseCreate"]["course"]
    return course


async def test_units_per_course_are_bounded(login_as: Login, providers: Providers) -> None:
    trainer = await login_as("edu_trainer")
    # given the bound, a course of exactly that many units is accepted
    full = await trainer.gql(
        CREATE_COURSE, {"input": course_input(code="FULL", units=units(limits.MAX_UNITS))}
    )
    assert full["courseCreate"]["errors"] == []
    assert len(full["courseCreate"]["course"]["units"]) == limits.MAX_UNITS
    # one more is one error on the list, on create and on update alike
    over = course_input(code="OVER", units=units(limits.MAX_UNITS + 1))
    created = (await trainer.gql(CREATE_COURSE, {"input": over}))["courseCreate"]
    assert created["course"] is None
    assert errors(created) == [("units", "INVALID_VALUE")]
    draft = await _draft(trainer)
    updated = await trainer.gql(UPDATE, {"id": draft["id"], "v": draft["version"], "input": over})
    assert errors(updated["courseUpdate"]) == [("units", "INVALID_VALUE")]


async def test_the_probe_course_of_9000_units_is_one_quick_error(
    login_as: Login, providers: Providers
) -> None:
    trainer = await login_as("edu_trainer")
    started = time.perf_counter()
    data = await trainer.gql(CREATE_COURSE, {"input": course_input(units=units(9000))})
    assert errors(data["courseCreate"]) == [("units", "INVALID_VALUE")]
    assert time.perf_counter() - started < 5


async def test_question_bank_is_bounded(login_as: Login, providers: Providers) -> None:
    trainer = await login_as("edu_trainer")
    course = await _draft(trainer)
    # given the probe's 12,000 questions in one request: one error, nothing stored
    started = time.perf_counter()
    probe = await trainer.gql(
        SET_QUESTIONS, {"id": course["id"], "v": course["version"], "q": true_false(12_000)}
    )
    assert errors(probe["courseQuestionsSet"]) == [("questions", "INVALID_VALUE")]
    assert str(limits.MAX_BANK_QUESTIONS) in probe["courseQuestionsSet"]["errors"][0]["message"]
    assert time.perf_counter() - started < 5
    over = await trainer.gql(
        SET_QUESTIONS,
        {
            "id": course["id"],
            "v": course["version"],
            "q": true_false(limits.MAX_BANK_QUESTIONS + 1),
        },
    )
    assert errors(over["courseQuestionsSet"]) == [("questions", "INVALID_VALUE")]
    # the bound itself is accepted
    ok = await trainer.gql(
        SET_QUESTIONS,
        {"id": course["id"], "v": course["version"], "q": true_false(limits.MAX_BANK_QUESTIONS)},
    )
    assert ok["courseQuestionsSet"]["errors"] == []
    assert len(ok["courseQuestionsSet"]["course"]["questionBank"]) == limits.MAX_BANK_QUESTIONS


async def test_question_options_are_bounded_in_number_and_length(
    login_as: Login, providers: Providers
) -> None:
    trainer = await login_as("edu_trainer")
    course = await _draft(trainer)
    long_option = "甲" * (limits.MAX_OPTION_LENGTH + 1)
    questions = [
        {"kind": "SINGLE", "stem": "题一", "options": ["甲", long_option], "answer": [0]},
        {
            "kind": "MULTIPLE",
            "stem": "题二",
            "options": [str(i) for i in range(limits.MAX_OPTIONS + 1)],
            "answer": [0],
        },
        {
            "kind": "SINGLE",
            "stem": "题" * (limits.MAX_STEM_LENGTH + 1),
            "options": ["甲", "乙"],
            "answer": [0],
        },
        {
            "kind": "SINGLE",
            "stem": "题四",
            "options": ["甲" * limits.MAX_OPTION_LENGTH, "乙"],
            "answer": [1],
        },
    ]
    data = await trainer.gql(
        SET_QUESTIONS, {"id": course["id"], "v": course["version"], "q": questions}
    )
    assert errors(data["courseQuestionsSet"]) == [
        ("questions.0.options.1", "INVALID_VALUE"),
        ("questions.1.options", "INVALID_VALUE"),
        ("questions.2.stem", "INVALID_VALUE"),
    ]


async def test_course_text_lengths_are_bounded(login_as: Login, providers: Providers) -> None:
    trainer = await login_as("edu_trainer")
    bad = course_input(
        code="C" * (limits.MAX_CODE_LENGTH + 1),
        title="课" * (limits.MAX_TITLE_LENGTH + 1),
        description="述" * (limits.MAX_DESCRIPTION_LENGTH + 1),
        units=[
            {
                "title": "讲" * (limits.MAX_UNIT_TITLE_LENGTH + 1),
                "kind": "VIDEO",
                "durationSeconds": 60,
            }
        ],
        examQuestionCount=limits.MAX_PAPER_QUESTIONS + 1,
    )
    data = await trainer.gql(CREATE_COURSE, {"input": bad})
    assert {f for f, _ in errors(data["courseCreate"])} == {
        "code",
        "title",
        "description",
        "units.0.title",
        "examQuestionCount",
    }


async def test_a_mutation_given_a_non_canonical_id_answers_as_for_a_missing_one(
    login_as: Login, providers: Providers
) -> None:
    # given a draft course with an exam and no questions (publishing it fails on the bank)
    trainer = await login_as("edu_trainer")
    course = await _draft(trainer)
    type_name, key = from_base64(course["id"])
    canonical = await trainer.gql(PUBLISH, {"id": course["id"], "v": course["version"]})
    assert errors(canonical["coursePublish"]) == [("id", "QUESTION_BANK_TOO_SMALL")]
    missing = await trainer.gql(PUBLISH, {"id": to_base64(type_name, 2**62), "v": 1})
    assert errors(missing["coursePublish"]) == [("id", "NOT_FOUND")]
    # when the same key is written as " 12", "+12", "012", "1_2" or in full-width digits
    fullwidth = "".join(chr(ord(d) - ord("0") + ord("０")) for d in key)
    underscored = f"{key[0]}_{key[1:]}" if len(key) > 1 else f"0_{key}"
    for raw in (f" {key}", f"+{key}", f"0{key}", underscored, fullwidth):
        other = to_base64(type_name, raw)
        data = await trainer.gql(PUBLISH, {"id": other, "v": course["version"]})
        # then the answer is the missing id's
        assert errors(data["coursePublish"]) == [("id", "NOT_FOUND")], raw
