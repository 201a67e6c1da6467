"""Practice records over HTTP: creation inside the registration, for the registered
employer (service agencies name a client), evidence sniffed from its bytes, the
employer's 待评价 queue and evaluation, corrections as versions. Every refused mutation
leaves nothing behind."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from strawberry import relay

from regsafe.core.clock import today_shanghai
from regsafe.core.runtime import Runtime
from tests.graphql.identity.helpers import Login
from tests.graphql.registration.conftest import png
from tests.plugins.api import upload
from tests.plugins.identity import World, make_credit_code

from .conftest import (
    CORRECT,
    CREATE,
    EVALUATE,
    GOOD_SCORES,
    QUEUE,
    SUBMIT,
    UPLOAD,
    Registered,
    codes,
    count,
    record_input,
)

SELF_REPORT = """mutation($input: SelfReportInput!) { hoursSelfReport(input: $input) {
  record { id } errors { field code message } } }"""


async def _draft(api: object, **overrides: object) -> dict[str, object]:
    made = (await api.gql(CREATE, {"input": record_input(**overrides)}))["practiceRecordCreate"]  # type: ignore[attr-defined]
    assert made["errors"] == [], made
    record: dict[str, object] = made["record"]
    return record


async def test_record_with_evidence_is_evaluated_by_the_employer(
    login_as: Login, runtime: Runtime, registered: Registered, world: World
) -> None:
    zhang = await login_as("zhang")
    record = await _draft(zhang)
    assert record["status"] == "DRAFT" and record["employerName"] == "深圳市安泰化工有限公司"
    image = png()
    ticket = (
        await zhang.gql(
            UPLOAD, {"r": record["id"], "s": len(image), "t": "image/png", "f": "现场.png"}
        )
    )["practiceEvidenceUploadRequest"]
    assert ticket["errors"] == []
    attached = await upload(zhang, ticket["upload"], image)
    assert attached["errors"] == [] and attached["target"]["__typename"] == "PracticeRecord"
    assert attached["target"]["id"] == record["id"]
    assert attached["target"]["evidence"] == [
        {
            "filename": "现场.png",
            "mediaType": "image/png",
            "sha256": hashlib.sha256(image).hexdigest(),
            "size": len(image),
        }
    ]
    # a practice evidence slot is no hours evidence: the purpose is part of the check
    wrong = await zhang.gql(
        SELF_REPORT,
        {
            "input": {
                "courseTitle": "外单位培训",
                "providerName": "某培训机构",
                "subjectKind": "GENERAL",
                "hours": 2,
                "completedOn": today_shanghai().isoformat(),
                "evidenceUploadId": ticket["upload"]["id"],
            }
        },
    )
    assert codes(wrong["hoursSelfReport"]) == ["UPLOAD_MISSING"]
    submitted = (await zhang.gql(SUBMIT, {"id": record["id"], "v": record["version"]}))[
        "practiceRecordSubmit"
    ]
    assert submitted["record"]["status"] == "SUBMITTED"

    admin = await login_as("chem_admin")
    queue = (await admin.gql(QUEUE))["practiceRecordsToEvaluate"]
    assert [e["node"]["id"] for e in queue["edges"]] == [record["id"]]
    done = (await admin.gql(EVALUATE, {"r": record["id"], "s": GOOD_SCORES, "c": "排查细致"}))[
        "evaluationSubmit"
    ]
    assert done["errors"] == [] and done["record"]["status"] == "CONFIRMED"
    assert done["evaluation"]["versionNo"] == 1 and done["evaluation"]["average"] == 4.75
    assert (await admin.gql(QUEUE))["practiceRecordsToEvaluate"]["totalCount"] == 0
    # the recompute job was deferred in the same transaction
    async with runtime.db.session() as s:
        jobs = (
            await s.exec(  # type: ignore[call-overload]
                text(
                    "SELECT args FROM procrastinate_jobs"
                    " WHERE task_name = 'practice.recompute_credit'"
                )
            )
        ).all()
    assert [j[0]["person_id"] for j in jobs] == [world.pid("zhang")]


async def test_records_outside_the_registration_or_for_another_employer_are_refused(
    login_as: Login, runtime: Runtime, registered: Registered, world: World
) -> None:
    zhang = await login_as("zhang")
    before = (registered.valid_from - timedelta(days=3)).isoformat()
    early = (await zhang.gql(CREATE, {"input": record_input(startedOn=before)}))[
        "practiceRecordCreate"
    ]
    assert codes(early) == ["OUTSIDE_REGISTRATION"] and early["record"] is None
    assert early["errors"][0]["field"] == "startedOn"
    future = (today_shanghai() + timedelta(days=2)).isoformat()
    late = (await zhang.gql(CREATE, {"input": record_input(endedOn=future)}))[
        "practiceRecordCreate"
    ]
    assert codes(late) == ["INVALID_VALUE"]
    other = relay.GlobalID("Employer", str(world.employers["beijing"].id))
    wrong = (await zhang.gql(CREATE, {"input": record_input(employerId=str(other))}))[
        "practiceRecordCreate"
    ]
    assert codes(wrong) == ["WRONG_EMPLOYER"]
    fixed = (await zhang.gql(CREATE, {"input": record_input(hazardsRectified=13)}))[
        "practiceRecordCreate"
    ]
    assert codes(fixed) == ["INVALID_VALUE"] and fixed["errors"][0]["field"] == "hazardsRectified"
    # 赵强 holds no registration
    zhao = await login_as("zhao")
    none = (await zhao.gql(CREATE, {"input": record_input()}))["practiceRecordCreate"]
    assert codes(none) == ["NO_REGISTRATION"]
    # the employer admin records only for engineers registered with the employer
    admin = await login_as("chem_admin")
    wang = str(relay.GlobalID("Person", str(world.pid("wang"))))
    foreign = (await admin.gql(CREATE, {"input": record_input(), "person": wang}))[
        "practiceRecordCreate"
    ]
    assert codes(foreign) == ["WRONG_EMPLOYER"]
    assert await count(runtime, "practice_record") == 0
    zhang_gid = str(relay.GlobalID("Person", str(world.pid("zhang"))))
    on_behalf = (await admin.gql(CREATE, {"input": record_input(), "person": zhang_gid}))[
        "practiceRecordCreate"
    ]
    assert on_behalf["errors"] == [] and on_behalf["record"]["personName"] == "张伟"


async def test_service_agencies_name_the_client_with_a_valid_credit_code(
    login_as: Login, runtime: Runtime, registered: Registered
) -> None:
    wang = await login_as("wang")
    missing = (await wang.gql(CREATE, {"input": record_input()}))["practiceRecordCreate"]
    assert codes(missing) == ["CLIENT_REQUIRED"]
    good = make_credit_code("440300", "KHDW")
    broken = good[:-1] + ("0" if good[-1] != "0" else "1")
    bad = (
        await wang.gql(
            CREATE,
            {"input": record_input(clientName="深圳某化工厂", clientCreditCode=broken)},
        )
    )["practiceRecordCreate"]
    assert codes(bad) == ["CLIENT_CODE_INVALID"]
    shape = (
        await wang.gql(
            CREATE, {"input": record_input(clientName="深圳某化工厂", clientCreditCode="123")}
        )
    )["practiceRecordCreate"]
    assert codes(shape) == ["CLIENT_CODE_INVALID"]
    assert await count(runtime, "practice_record") == 0
    ok = (
        await wang.gql(
            CREATE, {"input": record_input(clientName="深圳某化工厂", clientCreditCode=good)}
        )
    )["practiceRecordCreate"]
    assert ok["errors"] == [] and ok["record"]["clientCreditCode"] == good
    # a production unit's engineer has no clients
    zhang = await login_as("zhang")
    extra = (
        await zhang.gql(
            CREATE, {"input": record_input(clientName="深圳某化工厂", clientCreditCode=good)}
        )
    )["practiceRecordCreate"]
    assert codes(extra) == ["CLIENT_NOT_ALLOWED"]


async def test_evidence_must_really_be_an_image_or_pdf_and_not_too_large(
    login_as: Login, runtime: Runtime, registered: Registered
) -> None:
    zhang = await login_as("zhang")
    record = await _draft(zhang)
    body = b"MZ\x90\x00 not an image at all" * 4
    ticket = (await zhang.gql(UPLOAD, {"r": record["id"], "s": len(body), "t": "image/png"}))[
        "practiceEvidenceUploadRequest"
    ]
    refused = await upload(zhang, ticket["upload"], body)
    assert codes(refused) == ["UNSUPPORTED_TYPE"] and refused["target"] is None
    assert await count(runtime, "practice_evidence") == 0
    zip_type = (await zhang.gql(UPLOAD, {"r": record["id"], "s": 10, "t": "application/zip"}))[
        "practiceEvidenceUploadRequest"
    ]
    assert codes(zip_type) == ["UNSUPPORTED_TYPE"] and zip_type["upload"] is None
    huge = (await zhang.gql(UPLOAD, {"r": record["id"], "s": 10**9, "t": "application/pdf"}))[
        "practiceEvidenceUploadRequest"
    ]
    assert codes(huge) == ["FILE_TOO_LARGE"]
    # once the record is submitted, a slot opened for its draft attaches nothing
    image = png()
    late = (await zhang.gql(UPLOAD, {"r": record["id"], "s": len(image), "t": "image/png"}))[
        "practiceEvidenceUploadRequest"
    ]
    await zhang.gql(SUBMIT, {"id": record["id"], "v": record["version"]})
    closed = await upload(zhang, late["upload"], image)
    assert codes(closed) == ["NOT_EDITABLE"] and closed["upload"]["status"] == "REFUSED"
    assert await count(runtime, "practice_evidence") == 0


async def test_self_evaluation_double_evaluation_and_scores_out_of_range(
    login_as: Login, runtime: Runtime, registered: Registered
) -> None:
    zhang = await login_as("zhang")
    record = await _draft(zhang)
    await zhang.gql(SUBMIT, {"id": record["id"], "v": record["version"]})
    own = (await zhang.gql(EVALUATE, {"r": record["id"], "s": GOOD_SCORES, "c": ""}))[
        "evaluationSubmit"
    ]
    assert codes(own) == ["SELF_EVALUATION"]
    # even as her employer's admin, 李娜 cannot evaluate her own work
    li_admin = await login_as("li_admin")
    li_record = await _draft(li_admin)
    await li_admin.gql(SUBMIT, {"id": li_record["id"], "v": li_record["version"]})
    own2 = (await li_admin.gql(EVALUATE, {"r": li_record["id"], "s": GOOD_SCORES, "c": ""}))[
        "evaluationSubmit"
    ]
    assert codes(own2) == ["SELF_EVALUATION"]
    # a reviewer is neither the employer admin nor the project lead
    gd = await login_as("gd_reviewer")
    outsider = (await gd.gql(EVALUATE, {"r": record["id"], "s": GOOD_SCORES, "c": ""}))[
        "evaluationSubmit"
    ]
    assert codes(outsider) == ["NOT_EVALUATOR"]

    admin = await login_as("chem_admin")
    bad = {"quality": 0, "timeliness": 6, "compliance": 3, "conduct": 3}
    out = (await admin.gql(EVALUATE, {"r": record["id"], "s": bad, "c": ""}))["evaluationSubmit"]
    assert codes(out) == ["SCORE_OUT_OF_RANGE", "SCORE_OUT_OF_RANGE"]
    assert [e["field"] for e in out["errors"]] == ["quality", "timeliness"]
    assert await count(runtime, "practice_evaluation") == 0
    async with runtime.db.session() as s:
        statuses = (await s.exec(text("SELECT DISTINCT status FROM practice_record"))).all()  # type: ignore[call-overload]
    assert [r[0] for r in statuses] == ["SUBMITTED"]  # nothing half-written: not confirmed either

    first = (await admin.gql(EVALUATE, {"r": record["id"], "s": GOOD_SCORES, "c": "好"}))[
        "evaluationSubmit"
    ]
    assert first["errors"] == []
    twice = (await admin.gql(EVALUATE, {"r": record["id"], "s": GOOD_SCORES, "c": "再评"}))[
        "evaluationSubmit"
    ]
    assert codes(twice) == ["ALREADY_EVALUATED"]

    v1 = first["evaluation"]["id"]
    lower = {**GOOD_SCORES, "quality": 3}
    no_reason = (await admin.gql(CORRECT, {"e": v1, "s": lower, "c": " "}))["evaluationCorrect"]
    assert codes(no_reason) == ["REASON_REQUIRED"]
    v2 = (await admin.gql(CORRECT, {"e": v1, "s": lower, "c": "复核后更正质量分"}))[
        "evaluationCorrect"
    ]
    assert v2["errors"] == [] and v2["evaluation"]["versionNo"] == 2
    assert v2["evaluation"]["supersedesId"] == v1
    stale = (await admin.gql(CORRECT, {"e": v1, "s": GOOD_SCORES, "c": "再改"}))[
        "evaluationCorrect"
    ]
    assert codes(stale) == ["STALE_VERSION"]
    history = await zhang.gql(
        "query($id: ID!) { node(id: $id) { ... on PracticeRecord { evaluation { versionNo quality }"
        " evaluations { versionNo quality } } } }",
        {"id": record["id"]},
    )
    node = history["node"]
    assert node["evaluation"] == {"versionNo": 2, "quality": 3}
    assert [e["quality"] for e in node["evaluations"]] == [5, 3]
    assert await count(runtime, "practice_evaluation") == 2

    # the database itself refuses to change a submitted evaluation
    async with runtime.db.session() as s:
        with pytest.raises(DBAPIError, match="append-only"):
            async with s.begin_nested():
                await s.exec(text("UPDATE practice_evaluation SET quality = 1"))  # type: ignore[call-overload]
        with pytest.raises(DBAPIError, match="append-only"):
            async with s.begin_nested():
                await s.exec(text("DELETE FROM practice_evaluation"))  # type: ignore[call-overload]


async def test_others_never_see_a_record(
    login_as: Login, runtime: Runtime, registered: Registered
) -> None:
    zhang = await login_as("zhang")
    record = await _draft(zhang)
    zhao = await login_as("zhao")
    seen = await zhao.gql("query($id: ID!) { node(id: $id) { id } }", {"id": record["id"]})
    assert seen["node"] is None
    mine = await zhao.gql("{ practiceRecords(first: 5) { totalCount } }")
    assert mine["practiceRecords"]["totalCount"] == 0
    bj = await login_as("bj_reviewer")
    assert (await bj.gql("{ practiceRecords(first: 5) { totalCount } }"))["practiceRecords"][
        "totalCount"
    ] == 0
    gd = await login_as("gd_reviewer")
    filtered = await gd.gql(
        "{ practiceRecords(first: 5, filter: {status: DRAFT, kind: HAZARD_INVESTIGATION}) "
        "{ totalCount } }"
    )
    assert filtered["practiceRecords"]["totalCount"] == 1
