"""Hours over HTTP: 我的学时 against the registration cycle, providers' CSV imports with
their error report, self-reports with evidence and review, and transcripts (PDF in S3,
public verification)."""

from __future__ import annotations

import base64
import hashlib
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pypdf import PdfReader
from sqlmodel import col, select
from strawberry.relay import from_base64

from regsafe.core import uploads
from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.runtime import Runtime
from regsafe.core.storage import ObjectNotFound
from regsafe.core.upload_slots import Upload
from regsafe.education import hours
from regsafe.education.models import HourRecord, HourSource, Transcript
from regsafe.education.rules import EXTERNAL_RULE_VERSION
from tests.graphql.identity.helpers import Login
from tests.graphql.registration.conftest import png
from tests.plugins.api import SLOT, Api, put_slot, upload
from tests.plugins.identity import World, make_id_number

from .conftest import MY_HOURS, Providers, published_course

IMPORT = """mutation($n: String!, $c: String!) { hoursImport(filename: $n, contentBase64: $c) {
  hourImport { filename totalRows acceptedRows errorRows reportUrl }
  rowErrors { line column code message } errors { field code message } } }"""
EVIDENCE = (
    """mutation($s: Int!, $t: String!) {
  hoursEvidenceUploadRequest(size: $s, contentType: $t, filename: "证书.png") { upload { """
    + SLOT
    + """ } errors { field code message } } }"""
)
SLOT_NODE = """query($id: ID!) { node(id: $id) { ... on UploadSlot { id purpose status url
  filename size sha256 usedAt } } }"""
SELF_REPORT = """mutation($input: SelfReportInput!) { hoursSelfReport(input: $input) {
  record { id status source hours } errors { field code message } } }"""
PENDING = """{ pendingHourReports(first: 20) { edges { node { id personName courseTitle hours
  evidenceUrl } } } }"""
REVIEW = """mutation($id: ID!, $ok: Boolean!, $note: String) {
  hoursReview(id: $id, accept: $ok, note: $note) { record { id status reviewNote }
  errors { field code message } } }"""
TRANSCRIPT = """mutation { transcriptRequest { transcript { id status verificationCode }
  errors { field code message } } }"""
MY_TRANSCRIPTS = """{ myTranscripts { id status sha256 verificationCode downloadUrl
  cycleStart cycleEnd } }"""
VERIFY = """query($c: String!) { transcriptVerification(code: $c) { valid holderName cycleStart
  cycleEnd earnedGeneral earnedProfessional recordCount sha256 } }"""

ZHANG_ID = make_id_number("440305", date(1985, 6, 15), 123)
LI_ID = make_id_number("440106", date(1990, 2, 1), 224)
STRANGER_ID = make_id_number("440307", date(1991, 1, 1), 555)


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def _record(
    rt: Runtime, person_id: int, title: str, kind: str, specialty: str | None, amount: int, on: date
) -> None:
    async with rt.db.session() as s:
        s.add(
            HourRecord(
                person_id=person_id,
                source=HourSource.EXTERNAL.value,
                dedup_key=f"ext:test:{title}",
                provider_name="测试培训机构",
                course_title=title,
                subject_kind=kind,
                specialty=specialty,
                hours=Decimal(amount),
                recognised_on=on,
                rule_version=EXTERNAL_RULE_VERSION,
            )
        )
        await s.commit()


async def test_my_hours_counts_the_cycle_by_its_rules(
    login_as: Login, runtime: Runtime, world: World, registered: int
) -> None:
    today = today_shanghai()
    zhang_id = world.pid("zhang")
    await _record(
        runtime, zhang_id, "化工专业课", "PROFESSIONAL", "CHEMICAL", 20, today - timedelta(days=100)
    )
    await _record(runtime, zhang_id, "公需课", "GENERAL", None, 30, today - timedelta(days=200))
    await _record(
        runtime, zhang_id, "煤矿专业课", "PROFESSIONAL", "COAL_MINE", 6, today - timedelta(days=50)
    )
    await _record(
        runtime,
        zhang_id,
        "上个周期的课",
        "PROFESSIONAL",
        "CHEMICAL",
        40,
        today - timedelta(days=2000),
    )
    zhang = await login_as("zhang")
    mine = (await zhang.gql(MY_HOURS))["myHours"]
    req = mine["requirement"]
    # coal-mine professional hours count as 公需 for a chemical engineer; the old cycle not
    assert (req["earnedProfessional"], req["earnedGeneral"]) == (20, 36)
    assert (req["required"], req["minProfessional"]) == (48, 32)
    assert req["counted"] == 36 and req["shortfall"] == 12 and req["professionalShortfall"] == 12
    assert req["met"] is False and req["outlook"] in ("ON_TRACK", "AT_RISK")
    assert req["forecastDate"] is not None
    assert req["cycleDescription"].startswith("统计期间：") and req["cycleDescription"].endswith(
        "（含）"
    )
    flags = {r["courseTitle"]: r["countsAsProfessional"] for r in mine["records"]}
    assert flags["煤矿专业课"] is False and flags["化工专业课"] is True
    assert len(mine["records"]) == 4  # all shown, the old one included

    # without a registration there is no cycle to count against
    zhao = await login_as("zhao")
    assert (await zhao.gql(MY_HOURS))["myHours"]["requirement"] is None


def _csv(rows: list[str], encoding: str = "utf-8-sig") -> str:
    text = (
        "身份证号,姓名,课程编号,课程名称,科目类型,学时,完成日期,证明编号\n" + "\n".join(rows) + "\n"
    )
    return base64.b64encode(text.encode(encoding)).decode()


async def test_csv_import_records_good_rows_and_reports_the_rest(
    login_as: Login, providers: Providers, registered: int, world: World
) -> None:
    trainer = await login_as("edu_trainer")
    await published_course(trainer, code="HG-001", examQuestionCount=0)  # awards 8 hours
    day = (today_shanghai() - timedelta(days=30)).isoformat()
    rows = [
        f"{ZHANG_ID},张伟,HG-001,,专业,8,{day},WB001",  # 2: good
        f"{ZHANG_ID[:-1]}0,张伟,,安全管理,公需,4,{day},",  # 3: bad check digit
        f"{LI_ID},李娜,HG-001,,专业,9,{day},",  # 4: over the course's 8 hours
        f"{STRANGER_ID},陌生人,,外部课程,公需,2,{day},",  # 5: no such person
        f"{LI_ID},张三,,外部课程,公需,2,{day},",  # 6: name differs from the record
        f"{ZHANG_ID},张伟,HG-001,,专业,8,{day},WB001",  # 7: duplicate of line 2
    ]
    content = _csv(rows, "gb18030")  # Excel in China saves GBK
    result = (await trainer.gql(IMPORT, {"n": "外部学时.csv", "c": content}))["hoursImport"]
    assert result["errors"] == []
    batch = result["hourImport"]
    assert (batch["totalRows"], batch["acceptedRows"], batch["errorRows"]) == (6, 1, 5)
    by_line = {e["line"]: e["code"] for e in result["rowErrors"]}
    assert by_line == {
        3: "BAD_ID_NUMBER",
        4: "HOURS_OVER_COURSE",
        5: "UNKNOWN_PERSON",
        6: "NAME_MISMATCH",
        7: "DUPLICATE_ROW",
    }
    async with httpx.AsyncClient() as s3:
        report = await s3.get(batch["reportUrl"])
    assert report.status_code == 200 and report.content.startswith(b"\xef\xbb\xbf")
    text = report.content.decode("utf-8-sig")
    assert "行号" in text and "HOURS_OVER_COURSE" in text and text.count("\n") >= 6

    # importing the same file again counts nothing twice
    again = (await trainer.gql(IMPORT, {"n": "again.csv", "c": content}))["hoursImport"]
    assert again["hourImport"]["acceptedRows"] == 0
    assert {e["line"]: e["code"] for e in again["rowErrors"]}[2] == "ALREADY_RECORDED"
    zhang = await login_as("zhang")
    req = (await zhang.gql(MY_HOURS))["myHours"]["requirement"]
    assert req["earnedProfessional"] == 8

    # a file that is not base64 is refused as a whole
    broken = (await trainer.gql(IMPORT, {"n": "x.csv", "c": "%%%"}))["hoursImport"]
    assert codes(broken) == ["IMPORT_REJECTED"] and broken["hourImport"] is None


async def _evidence(api: Api, data: bytes) -> dict[str, Any]:
    """A confirmed HOURS_EVIDENCE slot holding ``data``."""
    ticket = (await api.gql(EVIDENCE, {"s": len(data), "t": "image/png"}))[
        "hoursEvidenceUploadRequest"
    ]
    assert ticket["errors"] == [] and ticket["upload"]["status"] == "PENDING", ticket
    confirmed = await upload(api, ticket["upload"], data)
    assert confirmed["errors"] == [] and confirmed["target"] is None, confirmed
    assert confirmed["upload"]["status"] == "CONFIRMED"
    slot: dict[str, Any] = ticket["upload"]
    return slot


def _report(evidence: str | None, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "courseTitle": "应急管理部网络培训",
        "providerName": "中国安全生产科学研究院",
        "subjectKind": "PROFESSIONAL",
        "specialty": "CHEMICAL",
        "hours": 12,
        "completedOn": (today_shanghai() - timedelta(days=10)).isoformat(),
        "evidenceUploadId": evidence,
    }
    data.update(overrides)
    return data


async def test_self_report_counts_once_a_reviewer_accepts_it(
    login_as: Login, runtime: Runtime, registered: int
) -> None:
    assert runtime.store is not None
    await runtime.store.ensure_bucket()
    zhang = await login_as("zhang")
    image = png()
    evidence = await _evidence(zhang, image)
    report = _report(evidence["id"])
    missing = await zhang.gql(SELF_REPORT, {"input": _report(None)})
    assert codes(missing["hoursSelfReport"]) == ["UPLOAD_MISSING"]
    made = (await zhang.gql(SELF_REPORT, {"input": report}))["hoursSelfReport"]
    assert made["errors"] == [] and made["record"]["status"] == "PENDING"
    mine = (await zhang.gql(MY_HOURS))["myHours"]
    assert mine["pendingCount"] == 1 and mine["requirement"]["earnedProfessional"] == 0
    twice = await zhang.gql(SELF_REPORT, {"input": report})
    assert codes(twice["hoursSelfReport"]) == ["INVALID_VALUE"]

    # the province's reviewer sees it with the evidence; Beijing's does not
    gd = await login_as("gd_reviewer")
    queue = (await gd.gql(PENDING))["pendingHourReports"]["edges"]
    assert [e["node"]["courseTitle"] for e in queue] == ["应急管理部网络培训"]
    async with httpx.AsyncClient() as s3:
        assert (await s3.get(queue[0]["node"]["evidenceUrl"])).content == image
    bj = await login_as("bj_reviewer")
    assert (await bj.gql(PENDING))["pendingHourReports"]["edges"] == []
    assert (await zhang.errors(REVIEW, {"id": made["record"]["id"], "ok": True}))[0]["extensions"][
        "code"
    ] == "FORBIDDEN"

    rid = made["record"]["id"]
    no_reason = await gd.gql(REVIEW, {"id": rid, "ok": False})
    assert codes(no_reason["hoursReview"]) == ["REASON_REQUIRED"]
    accepted = (await gd.gql(REVIEW, {"id": rid, "ok": True}))["hoursReview"]
    assert accepted["record"]["status"] == "ACCEPTED"
    again = await gd.gql(REVIEW, {"id": rid, "ok": False, "note": "改主意"})
    assert codes(again["hoursReview"]) == ["ALREADY_REVIEWED"]
    assert (await zhang.gql(MY_HOURS))["myHours"]["requirement"]["earnedProfessional"] == 12


async def test_evidence_is_used_once_by_its_owner_and_read_from_the_slot(
    login_as: Login, runtime: Runtime, registered: int
) -> None:
    # given 张伟's confirmed evidence and 赵强's
    assert runtime.store is not None
    await runtime.store.ensure_bucket()
    zhang, zhao = await login_as("zhang"), await login_as("zhao")
    image = png(44, 33)
    evidence = await _evidence(zhang, image)
    theirs = await _evidence(zhao, png())
    # when 张伟 names 赵强's slot, or one still unconfirmed: missing, revealing nothing
    stolen = await zhang.gql(SELF_REPORT, {"input": _report(theirs["id"])})
    assert codes(stolen["hoursSelfReport"]) == ["UPLOAD_MISSING"]
    pending = (await zhang.gql(EVIDENCE, {"s": 10, "t": "image/png"}))["hoursEvidenceUploadRequest"]
    unconfirmed = await zhang.gql(SELF_REPORT, {"input": _report(pending["upload"]["id"])})
    assert codes(unconfirmed["hoursSelfReport"]) == ["UPLOAD_MISSING"]
    # and his own is used by one report, whose hash is the slot's (no second freeze)
    made = (await zhang.gql(SELF_REPORT, {"input": _report(evidence["id"])}))["hoursSelfReport"]
    assert made["errors"] == []
    used = (await zhang.gql(SLOT_NODE, {"id": evidence["id"]}))["node"]
    assert used["status"] == "USED" and used["usedAt"] and used["url"] is None
    assert used["sha256"] == hashlib.sha256(image).hexdigest() and used["size"] == len(image)
    async with runtime.db.session() as s:
        record = (
            await s.exec(
                select(HourRecord).where(col(HourRecord.source) == HourSource.SELF_REPORTED.value)
            )
        ).one()
    assert record.evidence_sha256 == used["sha256"]
    # then a second report naming the same evidence is refused
    again = await zhang.gql(SELF_REPORT, {"input": _report(evidence["id"], courseTitle="另一门")})
    assert codes(again["hoursSelfReport"]) == ["UPLOAD_ALREADY_USED"]
    assert again["hoursSelfReport"]["errors"][0]["field"] == "evidenceUploadId"


async def test_an_upload_slot_is_seen_and_confirmed_by_its_owner_only(
    login_as: Login, runtime: Runtime
) -> None:
    assert runtime.store is not None
    await runtime.store.ensure_bucket()
    zhang = await login_as("zhang")
    ticket = (await zhang.gql(EVIDENCE, {"s": len(png()), "t": "image/png"}))[
        "hoursEvidenceUploadRequest"
    ]
    slot = ticket["upload"]
    assert slot["id"].startswith("VXBsb2FkU2xvdDo")  # base64 of "UploadSlot:"
    assert slot["contentType"] == "image/png" and slot["filename"] == "证书.png"
    assert slot["declaredSize"] == len(png()) and slot["maxBytes"] >= len(png())
    own = (await zhang.gql(SLOT_NODE, {"id": slot["id"]}))["node"]
    assert own["purpose"] == "HOURS_EVIDENCE" and own["url"]
    # another registrant, a reviewer and the public see nothing; an administrator sees it
    # but gets no URL to write someone else's upload
    for name in ("zhao", "gd_reviewer"):
        other = await login_as(name)
        assert (await other.gql(SLOT_NODE, {"id": slot["id"]}))["node"] is None
        foreign = await upload(other, slot, None)
        assert codes(foreign) == ["NOT_FOUND"] and foreign["upload"] is None
    assert (await zhang.gql(SLOT_NODE, {"id": slot["id"]}, token=""))["node"] is None
    admin = await login_as("admin")
    seen = (await admin.gql(SLOT_NODE, {"id": slot["id"]}))["node"]
    assert seen["id"] == slot["id"] and seen["url"] is None
    assert codes(await upload(admin, slot, None)) == ["NOT_FOUND"]
    # the owner confirms; a replayed confirmation changes nothing
    assert (await upload(zhang, slot, png()))["errors"] == []
    replay = await upload(zhang, slot, None)
    assert codes(replay) == ["ALREADY_CONFIRMED"] and replay["upload"] is None


async def test_an_expired_slot_cannot_be_confirmed(login_as: Login, runtime: Runtime) -> None:
    assert runtime.store is not None
    await runtime.store.ensure_bucket()
    zhang = await login_as("zhang")
    ticket = (await zhang.gql(EVIDENCE, {"s": len(png()), "t": "image/png"}))[
        "hoursEvidenceUploadRequest"
    ]
    slot = ticket["upload"]
    await put_slot(slot, png())
    # the slot's time runs out before it is confirmed
    async with runtime.db.session() as s:
        row = await s.get(Upload, int(from_base64(slot["id"])[1]))
        assert row is not None
        staged = uploads.staging_key(row.object_key)
        assert (await runtime.store.stat(staged)).size == len(png())
        row.expires_at = utcnow() - timedelta(seconds=1)
        s.add(row)
        await s.commit()
    assert (await zhang.gql(SLOT_NODE, {"id": slot["id"]}))["node"]["url"] is None
    expired = await upload(zhang, slot, None)
    assert codes(expired) == ["EXPIRED"] and expired["upload"]["status"] == "EXPIRED"
    # its staged bytes are gone with it
    with pytest.raises(ObjectNotFound):
        await runtime.store.stat(staged)


async def test_evidence_must_really_be_an_image_or_pdf(login_as: Login, runtime: Runtime) -> None:
    assert runtime.store is not None
    await runtime.store.ensure_bucket()
    zhang = await login_as("zhang")
    body = b"MZ\x90\x00 not an image at all" * 4
    ticket = (await zhang.gql(EVIDENCE, {"s": len(body), "t": "image/png"}))[
        "hoursEvidenceUploadRequest"
    ]
    refused = await upload(zhang, ticket["upload"], body)
    assert codes(refused) == ["UNSUPPORTED_TYPE"] and refused["upload"]["status"] == "REFUSED"
    made = await zhang.gql(
        SELF_REPORT,
        {
            "input": _report(
                ticket["upload"]["id"],
                courseTitle="某培训",
                completedOn=today_shanghai().isoformat(),
            )
        },
    )
    assert codes(made["hoursSelfReport"]) == ["UPLOAD_MISSING"]
    bad_type = await zhang.gql(EVIDENCE, {"s": 10, "t": "application/zip"})
    assert codes(bad_type["hoursEvidenceUploadRequest"]) == ["UNSUPPORTED_TYPE"]


async def test_transcript_pdf_is_rendered_stored_and_verifiable(
    login_as: Login, runtime: Runtime, world: World, registered: int
) -> None:
    assert runtime.store is not None
    await runtime.store.ensure_bucket()
    await _record(
        runtime,
        world.pid("zhang"),
        "危险化学品重大危险源辨识",
        "PROFESSIONAL",
        "CHEMICAL",
        16,
        today_shanghai() - timedelta(days=60),
    )
    zhao = await login_as("zhao")
    assert codes((await zhao.gql(TRANSCRIPT))["transcriptRequest"]) == ["NO_REGISTRATION"]

    zhang = await login_as("zhang")
    requested = (await zhang.gql(TRANSCRIPT))["transcriptRequest"]
    assert requested["errors"] == [] and requested["transcript"]["status"] == "PENDING"
    code = requested["transcript"]["verificationCode"]
    async with runtime.db.session() as s:
        conn = await s.connection()
        jobs = (
            await conn.exec_driver_sql(
                "SELECT args FROM procrastinate_jobs"
                " WHERE task_name = 'education.render_transcript'"
            )
        ).all()
        transcript = (
            await s.exec(select(Transcript).where(col(Transcript.verification_code) == code))
        ).one()
    assert [j[0] for j in jobs] == [{"transcript_id": transcript.id}]

    # the job's work
    async with runtime.db.session() as s:
        done = await hours.render_transcript_file(
            s,
            runtime.store,
            runtime.cipher,
            transcript_id=transcript.id or 0,
            settings=runtime.settings,
            now=utcnow(),
        )
        await s.commit()
    assert done is not None and done.status == "READY"

    listed = (await zhang.gql(MY_TRANSCRIPTS))["myTranscripts"][0]
    assert listed["status"] == "READY" and listed["downloadUrl"]
    async with httpx.AsyncClient() as s3:
        pdf = (await s3.get(listed["downloadUrl"])).content
    assert hashlib.sha256(pdf).hexdigest() == listed["sha256"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = "".join(text.replace("\x00", "").split())
    assert "危险化学品重大危险源辨识" in text and code in text

    public = await login_as("zhao")  # any caller; the field needs no login
    verified = (await public.gql(VERIFY, {"c": code.lower()}))["transcriptVerification"]
    assert verified["valid"] and verified["holderName"] == "张*"
    assert verified["sha256"] == listed["sha256"] and verified["earnedProfessional"] == 16
    assert verified["recordCount"] == 1
    bogus = (await public.gql(VERIFY, {"c": "ZZZZZZZZZZZZ"}))["transcriptVerification"]
    assert bogus == {k: (False if k == "valid" else None) for k in bogus}


async def test_a_transcript_whose_job_failed_reads_failed_and_is_requested_again(
    login_as: Login, runtime: Runtime, world: World, registered: int
) -> None:
    # given a requested transcript whose render job then fails for good
    zhang = await login_as("zhang")
    first = (await zhang.gql(TRANSCRIPT))["transcriptRequest"]["transcript"]
    listed = (await zhang.gql(MY_TRANSCRIPTS))["myTranscripts"]
    assert [(t["id"], t["status"]) for t in listed] == [(first["id"], "PENDING")]
    async with runtime.db.session() as s:
        conn = await s.connection()
        for status in ("doing", "failed"):
            await conn.exec_driver_sql(
                "UPDATE procrastinate_jobs SET status = %(s)s"
                " WHERE task_name = 'education.render_transcript'",
                {"s": status},
            )
        await s.commit()
    # then it reads FAILED with a reason instead of 生成中 forever
    failed = (await zhang.gql("{ myTranscripts { id status failure } }"))["myTranscripts"]
    assert failed == [{"id": first["id"], "status": "FAILED", "failure": failed[0]["failure"]}]
    assert "重新申请" in failed[0]["failure"]
    # and requesting again (重试) queues a new one, the failed one staying FAILED
    again = (await zhang.gql(TRANSCRIPT))["transcriptRequest"]
    assert again["errors"] == [] and again["transcript"]["status"] == "PENDING"
    statuses = (await zhang.gql("{ myTranscripts { id status } }"))["myTranscripts"]
    assert [t["status"] for t in statuses] == ["PENDING", "FAILED"]
