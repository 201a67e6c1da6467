"""Practice fixtures: 张伟 and 李娜 registered with the chemical company (李娜's user is
also her employer's admin), 王芳 registered with the service agency, and the
GraphQL documents the tests share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role
from regsafe.core.clock import today_shanghai
from regsafe.core.runtime import Runtime
from regsafe.identity.models import Specialty
from regsafe.registration import service as registration
from tests.plugins.api import SLOT
from tests.plugins.identity import PASSWORD, World

RECORD_FIELDS = """id status version kind project role startedOn endedOn hazardsFound
  hazardsRectified clientName clientCreditCode personName employerName
  evidence { filename mediaType size sha256 }
  evaluation { id versionNo quality timeliness compliance conduct average comment }
  evaluations { id versionNo supersedesId }"""
CREATE = (
    "mutation($input: PracticeRecordInput!, $person: ID) { practiceRecordCreate(input: $input, "
    "personId: $person) { record { %s } errors { field code message } } }" % RECORD_FIELDS
)
SUBMIT = """mutation($id: ID!, $v: Int!) { practiceRecordSubmit(id: $id, expectedVersion: $v) {
  record { id status version } errors { field code message } } }"""
UPLOAD = (
    """mutation($r: ID!, $s: Int!, $t: String!, $f: String) {
  practiceEvidenceUploadRequest(recordId: $r, size: $s, contentType: $t, filename: $f) {
  upload { """
    + SLOT
    + """ } errors { field code message } } }"""
)
EVALUATE = """mutation($r: ID!, $s: ScoresInput!, $c: String!) {
  evaluationSubmit(recordId: $r, scores: $s, comment: $c) {
  evaluation { id versionNo quality average } record { id status }
  errors { field code message } } }"""
CORRECT = """mutation($e: ID!, $s: ScoresInput!, $c: String!) {
  evaluationCorrect(evaluationId: $e, scores: $s, comment: $c) {
  evaluation { id versionNo supersedesId quality } errors { field code message } } }"""
QUEUE = """{ practiceRecordsToEvaluate(first: 20) { totalCount edges { node { id project
  personName status } } } }"""
SCORE = """query($p: ID) { creditScore(personId: $p) { value grade provincialColour modelVersion
  computedAt contributions { factor points source { kind id description } } } }"""
ENTER = """mutation($input: CreditEventInput!) { creditEventEnter(input: $input) {
  event { id kind source authority enteredRole status personName }
  errors { field code message } } }"""
DISPUTE = """mutation($e: ID!, $r: String!) { creditDisputeOpen(eventId: $e, reason: $r) {
  dispute { id status } errors { field code message } } }"""
DECIDE = """mutation($d: ID!, $u: Boolean!, $n: String!) {
  creditDisputeDecide(id: $d, uphold: $u, note: $n) {
  dispute { id status decisionNote } errors { field code message } } }"""

GOOD_SCORES = {"quality": 5, "timeliness": 4, "compliance": 5, "conduct": 5}


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


def record_input(**overrides: Any) -> dict[str, Any]:
    today = today_shanghai()
    data: dict[str, Any] = {
        "kind": "HAZARD_INVESTIGATION",
        "project": "储罐区隐患排查",
        "role": "项目负责人",
        "startedOn": (today - timedelta(days=30)).isoformat(),
        "endedOn": (today - timedelta(days=20)).isoformat(),
        "hazardsFound": 12,
        "hazardsRectified": 10,
        "description": "对储罐区进行全面隐患排查。",
    }
    data.update(overrides)
    return data


@dataclass
class Registered:
    zhang: int  # registration ids
    wang: int
    valid_from: date


async def count(rt: Runtime, table: str) -> int:
    async with rt.db.session() as s:
        return int((await s.exec(text(f"SELECT count(*) FROM {table}"))).one()[0])  # type: ignore[call-overload]


@pytest.fixture
async def registered(runtime: Runtime, world: World) -> Registered:
    """张伟 and 李娜 (chemical company) and 王芳 (service agency) hold ACTIVE registrations
    that began a year ago; users `li_admin` (李娜, also her employer's admin) and `wang`."""
    assert runtime.store is not None
    await runtime.store.ensure_bucket()
    start = today_shanghai() - timedelta(days=365)
    ids = []
    async with runtime.db.session() as s:
        for key, employer, specialty in (
            ("zhang", "chem", Specialty.CHEMICAL),
            ("wang", "agency", Specialty.CONSTRUCTION),
            ("li", "chem", Specialty.CHEMICAL),
        ):
            reg = await registration.import_registration(
                s,
                person_id=world.pid(key),
                employer_id=world.employers[employer].id or 0,
                specialty=specialty,
                valid_from=start,
                valid_until=start.replace(year=start.year + 5) - timedelta(days=1),
            )
            ids.append(reg.id or 0)
        await auth_service.create_user(
            s,
            username="li_admin",
            password=PASSWORD,
            display_name="李娜（单位管理员）",
            roles=[Role.EMPLOYER_ADMIN, Role.REGISTRANT],
            person_id=world.pid("li"),
            employer_id=world.employers["chem"].id,
        )
        await auth_service.create_user(
            s,
            username="wang",
            password=PASSWORD,
            display_name="王芳",
            roles=[Role.REGISTRANT],
            person_id=world.pid("wang"),
        )
        await s.commit()
    return Registered(ids[0], ids[1], start)
