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
from pypdf import PdfReader
from sqlmodel import col, select

from regsafe.core.clock import today_shanghai, utcnow
from regsafe.core.runtime import Runtime
from regsafe.education import hours
from regsafe.education.models import HourRecord, HourSource, Transcript
from regsafe.education.rules import EXTERNAL_RULE_VERSION
from tests.graphql.identity.helpers import Login
from tests.graphql.registration.conftest import png
from tests.plugins.identity import World, make_id_number

from .conftest import MY_HOURS, Providers, published_course

IMPORT = """mutation($n: String!, $c: String!) { hoursImport(filename: $n, contentBase64: $c) {
  hourImport { filename totalRows acceptedRows errorRows reportUrl }
  rowErrors { line column code message } errors { field code message } } }"""
EVIDENCE = """mutation($s: Int!, $t: String!) {
  hoursEvidenceUploadRequest(size: $s, contentType: $t) { evidenceKey uploadUrl
  errors { field code message } } }"""
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


async def test_self_report_counts_once_a_reviewer_accepts_it(
    login_as: Login, runtime: Runtime, registered: int
) -> None:
    assert runtime.store is not None
    await runtime.store.ensure_bucket()
    zhang = await login_as("zhang")
    image = png()
    ticket = (await zhang.gql(EVIDENCE, {"s": len(image), "t": "image/png"}))[
        "hoursEvidenceUploadRequest"
    ]
    async with httpx.AsyncClient() as s3:
        assert (await s3.put(ticket["uploadUrl"], content=image)).status_code == 200
    report = {
        "courseTitle": "应急管理部网络培训",
        "providerName": "中国安全生产科学研究院",
        "subjectKind": "PROFESSIONAL",
        "specialty": "CHEMICAL",
        "hours": 12,
        "completedOn": (today_shanghai() - timedelta(days=10)).isoformat(),
        "evidenceKey": ticket["evidenceKey"],
    }
    stolen = await zhang.gql(SELF_REPORT, {"input": {**report, "evidenceKey": "evidence/1/x"}})
    assert codes(stolen["hoursSelfReport"]) == ["UPLOAD_MISSING"]
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


async def test_evidence_must_really_be_an_image_or_pdf(login_as: Login, runtime: Runtime) -> None:
    assert runtime.store is not None
    await runtime.store.ensure_bucket()
    zhang = await login_as("zhang")
    body = b"MZ\x90\x00 not an image at all" * 4
    ticket = (await zhang.gql(EVIDENCE, {"s": len(body), "t": "image/png"}))[
        "hoursEvidenceUploadRequest"
    ]
    async with httpx.AsyncClient() as s3:
        await s3.put(ticket["uploadUrl"], content=body)
    made = await zhang.gql(
        SELF_REPORT,
        {
            "input": {
                "courseTitle": "某培训",
                "providerName": "某机构",
                "subjectKind": "GENERAL",
                "hours": 2,
                "completedOn": today_shanghai().isoformat(),
                "evidenceKey": ticket["evidenceKey"],
            }
        },
    )
    assert codes(made["hoursSelfReport"]) == ["UNSUPPORTED_TYPE"]
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
