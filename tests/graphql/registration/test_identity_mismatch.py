"""Somebody else's ID card in one's own application (issue 12): the OCR'd name and ID
number are compared with the applicant at once. A mismatch is a problem of the
pre-submission check and blocks submission until the card is replaced or the
registrant explains it; an explained mismatch goes ahead as a flag for the reviewers."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest
from strawberry.relay import from_base64

from regsafe.core.runtime import Runtime
from regsafe.registration import sealed_fields
from regsafe.registration.models import Document, OcrStatus, UploadStatus
from tests.graphql.identity.helpers import Login, full_id_number
from tests.plugins.identity import World, make_id_number

from .conftest import new_draft

pytestmark = pytest.mark.usefixtures("qualified")

PRECHECK = """query($id: ID!) { applicationPrecheck(id: $id) {
  ready problems { field code message } flags { code result explanation } } }"""
UPDATE = """mutation($id: ID!, $v: Int!, $input: ApplicationUpdateInput!) {
  applicationUpdate(id: $id, expectedVersion: $v, input: $input) {
    application { id version } errors { field code message } } }"""
COMPARISONS = """query($id: ID!) { node(id: $id) { ... on Application {
  comparisons { documentKind field agrees } } } }"""
OTHER_NUMBER = make_id_number("440305", date(1990, 6, 1), 777)


async def _id_card(runtime: Runtime, world: World, app_gid: str, name: str, number: str) -> None:
    data = f"id card of {name}".encode()
    read = {
        "name": {"value": name, "confidence": 0.97},
        "id_number": {"value": number, "confidence": 0.99},
    }
    async with runtime.db.session() as s:
        s.add(
            Document(
                person_id=world.pid("zhang"),
                application_id=int(from_base64(app_gid)[1]),
                kind="ID_CARD",
                filename="front.png",
                declared_size=len(data),
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                declared_content_type="image/png",
                object_key=f"documents/test/{app_gid}-front",
                status=UploadStatus.CONFIRMED.value,
                ocr_status=OcrStatus.DONE.value,
                ocr_fields={"fields": sealed_fields.seal_ocr(runtime.cipher, read)},
            )
        )
        await s.commit()


def _codes(check: dict[str, Any]) -> set[str]:
    return {p["code"] for p in check["problems"]}


async def test_another_persons_card_blocks_until_explained(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given zhang's draft with somebody else's ID card (another name and number)
    zhang = await login_as("zhang")
    app = await new_draft(zhang, world)
    await _id_card(runtime, world, app["id"], "李四", OTHER_NUMBER)

    # when zhang checks the application
    check = (await zhang.gql(PRECHECK, {"id": app["id"]}))["applicationPrecheck"]

    # then the mismatch is a problem naming both fields, and the comparison disagrees
    assert check["ready"] is False
    problem = next(p for p in check["problems"] if p["code"] == "IDENTITY_DOCUMENT_MISMATCH")
    assert problem["field"] == "form.identity_note"
    assert "姓名" in problem["message"] and "身份证号码" in problem["message"]
    compared = (await zhang.gql(COMPARISONS, {"id": app["id"]}))["node"]["comparisons"]
    card = {c["field"]: c["agrees"] for c in compared if c["documentKind"] == "ID_CARD"}
    assert card["name"] is False and card["id_number"] is False

    # when zhang explains it in the form
    note = "身份证照片识别有误，原件为本人证件"
    updated = (
        await zhang.gql(
            UPDATE,
            {
                "id": app["id"],
                "v": app["version"],
                "input": {
                    "form": {"qualificationNumber": "2022440012345678", "identityNote": note}
                },
            },
        )
    )["applicationUpdate"]
    assert updated["errors"] == []
    check = (await zhang.gql(PRECHECK, {"id": app["id"]}))["applicationPrecheck"]

    # then it no longer blocks and the reviewers get a flag with the explanation
    assert "IDENTITY_DOCUMENT_MISMATCH" not in _codes(check)
    flag = next(f for f in check["flags"] if f["code"] == "IDENTITY_DOCUMENT_MISMATCH")
    assert flag["result"] == "WARN" and note in flag["explanation"]


async def test_ones_own_card_is_no_problem_and_a_wrong_number_alone_is(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    zhang = await login_as("zhang")
    own = await new_draft(zhang, world)
    name = world.people["zhang"].name
    await _id_card(runtime, world, own["id"], name, full_id_number(runtime, world, "zhang"))
    check = (await zhang.gql(PRECHECK, {"id": own["id"]}))["applicationPrecheck"]
    assert "IDENTITY_DOCUMENT_MISMATCH" not in _codes(check)
    assert all(f["code"] != "IDENTITY_DOCUMENT_MISMATCH" for f in check["flags"])

    other = await new_draft(zhang, world)
    await _id_card(runtime, world, other["id"], name, OTHER_NUMBER)
    check = (await zhang.gql(PRECHECK, {"id": other["id"]}))["applicationPrecheck"]
    problem = next(p for p in check["problems"] if p["code"] == "IDENTITY_DOCUMENT_MISMATCH")
    assert "身份证号码" in problem["message"] and "姓名" not in problem["message"]


async def test_an_overlong_note_is_refused(world: World, login_as: Login) -> None:
    zhang = await login_as("zhang")
    app = await new_draft(zhang, world)
    out = (
        await zhang.gql(
            UPDATE,
            {"id": app["id"], "v": app["version"], "input": {"form": {"identityNote": "说" * 501}}},
        )
    )["applicationUpdate"]
    assert [(e["field"], e["code"]) for e in out["errors"]] == [("form.identity_note", "TOO_LONG")]
