"""An ID card that has expired, or expires before the application can be decided, is
flagged to the registrant and the reviewers (issue 13); 长期 and a card valid long enough
are not. The 有效期限 comes from the ID card's back as OCR read it or the registrant
confirmed it."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from strawberry.relay import from_base64

from regsafe.core.clock import today_shanghai
from regsafe.core.runtime import Runtime
from regsafe.registration.models import Document, OcrStatus, UploadStatus
from regsafe.registration.rules import id_card_validity_flag
from tests.graphql.identity.helpers import Login
from tests.plugins.identity import World

from .conftest import new_draft

pytestmark = pytest.mark.usefixtures("qualified")

PRECHECK = """query($id: ID!) { applicationPrecheck(id: $id) { flags { code result } } }"""
TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("period", "code"),
    [
        ("2006-12-01/2026-12-01", "ID_CARD_EXPIRED"),
        ("2007-01-10/2027-01-10", "ID_CARD_EXPIRES_SOON"),  # inside the 60-day window
        ("2016-05-01/2036-05-01", None),
        ("2016-05-01/长期", None),
        (None, None),
        ("2016-05-01", None),  # no end read: nothing to say
        ("2016-05-01/2036-13-01", None),
    ],
)
def test_the_rule(period: str | None, code: str | None) -> None:
    flag = id_card_validity_flag(period, today=TODAY)
    assert (flag.code if flag else None) == code
    if flag is not None:
        assert flag.result.value == "WARN" and "身份证" in flag.explanation


async def _id_card(runtime: Runtime, world: World, app_gid: str, **fields: object) -> None:
    data = b"id card back"
    async with runtime.db.session() as s:
        s.add(
            Document(
                person_id=world.pid("zhang"),
                application_id=int(from_base64(app_gid)[1]),
                kind="ID_CARD",
                filename="back.png",
                declared_size=len(data),
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                declared_content_type="image/png",
                object_key=f"documents/test/{app_gid}-back",
                status=UploadStatus.CONFIRMED.value,
                ocr_status=OcrStatus.DONE.value,
                **fields,
            )
        )
        await s.commit()


async def test_an_expired_card_is_flagged_and_the_confirmed_value_wins(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given a draft whose ID card's back was read as expired yesterday
    zhang = await login_as("zhang")
    app = await new_draft(zhang, world)
    yesterday = (today_shanghai() - timedelta(days=1)).isoformat()
    read = {"fields": {"valid_period": {"value": f"2006-01-01/{yesterday}", "confidence": 0.9}}}
    await _id_card(runtime, world, app["id"], ocr_fields=read)
    # when the registrant checks the application
    flags = (await zhang.gql(PRECHECK, {"id": app["id"]}))["applicationPrecheck"]["flags"]
    # then the expiry is flagged
    assert {"code": "ID_CARD_EXPIRED", "result": "WARN"} in flags

    # and a draft whose card the registrant confirmed as 长期 is not flagged
    other = await new_draft(zhang, world, kind="INITIAL")
    await _id_card(
        runtime,
        world,
        other["id"],
        ocr_fields=read,
        confirmed_fields={"valid_period": "2006-01-01/长期"},
    )
    flags = (await zhang.gql(PRECHECK, {"id": other["id"]}))["applicationPrecheck"]["flags"]
    assert all(f["code"] != "ID_CARD_EXPIRED" for f in flags)


async def test_an_authority_of_another_province_is_a_soft_signal(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    # given zhang (a 广东 ID number) with an ID card back issued by a 北京 authority
    zhang = await login_as("zhang")
    app = await new_draft(zhang, world)
    read = {"fields": {"issuing_authority": {"value": "北京市公安局朝阳分局", "confidence": 0.9}}}
    await _id_card(runtime, world, app["id"], ocr_fields=read)
    # when zhang checks the application
    check = (await zhang.gql(PRECHECK, {"id": app["id"]}))["applicationPrecheck"]
    # then it is a WARN flag for the reviewer, not a refusal
    assert {"code": "ID_CARD_AUTHORITY_MISMATCH", "result": "WARN"} in check["flags"]

    # and an authority of the number's own province raises nothing
    own = await new_draft(zhang, world, kind="INITIAL")
    local = {"fields": {"issuing_authority": {"value": "广东省公安厅", "confidence": 0.9}}}
    await _id_card(runtime, world, own["id"], ocr_fields=local)
    flags = (await zhang.gql(PRECHECK, {"id": own["id"]}))["applicationPrecheck"]["flags"]
    assert all(f["code"] != "ID_CARD_AUTHORITY_MISMATCH" for f in flags)
