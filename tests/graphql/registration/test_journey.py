"""The registration journey over HTTP: draft → documents (real bytes through presigned
URLs, real OCR) → submission → 初审 → 终审 → registration; and each refusal on the way."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import col, select
from strawberry.relay import from_base64

from regsafe.auth import service as auth_service
from regsafe.auth.roles import Role
from regsafe.core import uploads
from regsafe.core.clock import utcnow
from regsafe.core.runtime import Runtime
from regsafe.core.storage import ObjectNotFound
from regsafe.core.upload_slots import Upload
from regsafe.ocr import synthetic
from regsafe.ocr.engines import RapidOcrEngine
from regsafe.ocr.fields import DocumentKind as OcrKind
from regsafe.registration import documents
from regsafe.registration.models import Document
from regsafe.registration.rules import registration_end
from tests.certificates.helpers import the_active_certificate
from tests.graphql.identity.helpers import Login
from tests.plugins.identity import PASSWORD, World, make_id_number

from .conftest import CLAIM, DECIDE, SUBMIT, Uploader, new_draft, png

pytestmark = pytest.mark.usefixtures("bucket", "qualified")

DETAIL = """query($id: ID!) { node(id: $id) { ... on Application { id status version
  applicantIdNumber missingDocuments
  documents { id kind ocrStatus ocrFields { name value confidence valid } downloadUrl }
  comparisons { documentKind field ocrValue expectedValue agrees }
  deadlines { stage dueAt breached }
  history { action fromStatus toStatus actorName reason items } } } }"""
PRECHECK = """query($id: ID!) { applicationPrecheck(id: $id) { ready missingDocuments
  checks { code result } problems { field code message } } }"""
QUEUE = """query($stage: ReviewStage!) { reviewQueue(stage: $stage) { totalCount
  edges { node { id status deadlineStatus kind } } }
  reviewQueueCounts(stage: $stage) { total breached dueSoon unclaimed } }"""
UPDATE = """mutation($id: ID!, $v: Int!, $input: ApplicationUpdateInput!) {
  applicationUpdate(id: $id, expectedVersion: $v, input: $input) {
    application { id version } errors { field code message } } }"""
CONFIRM_FIELDS = """mutation($id: ID!, $f: [FieldValueInput!]!) {
  documentFieldsConfirm(id: $id, fields: $f) { document { id confirmedFields { name value } }
  errors { field code message } } }"""


@pytest.fixture(scope="module")
def ocr() -> RapidOcrEngine:
    return RapidOcrEngine()


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def _ocr(runtime: Runtime, ocr: RapidOcrEngine, doc_gid: str) -> None:
    """What the worker does for one document (the job body, run in-process)."""
    from strawberry.relay import from_base64

    pk = int(from_base64(doc_gid)[1])
    assert runtime.store is not None
    async with runtime.db.session() as s:
        await documents.run_ocr(
            s,
            runtime.store,
            document_id=pk,
            engine=ocr,
            cipher=runtime.cipher,
            now=utcnow(),
            final_attempt=False,
        )


async def _complete_documents(
    up: Uploader, app_id: str, runtime: Runtime, ocr: RapidOcrEngine, *, explain: bool = True
) -> dict[str, Any]:
    """Every material, OCR'd. The generated ID card is not the applicant's, which blocks
    submission until explained (test_identity_mismatch.py): ``explain`` writes such a note
    straight into the stored form (not through the API: no version change), for the
    tests whose subject comes after submission."""
    card = synthetic.generate(OcrKind.ID_CARD, 7)
    cert = synthetic.generate(OcrKind.QUALIFICATION_CERTIFICATE, 3)
    id_doc = await up.upload(
        app_id, "ID_CARD", synthetic.encode(card.image, "JPEG", 85), "身份证.jpg"
    )
    cert_doc = await up.upload(app_id, "QUALIFICATION_CERTIFICATE", synthetic.encode(cert.image))
    await up.upload(app_id, "APPLICATION_FORM", png())
    await up.upload(app_id, "LABOUR_CONTRACT", png())
    for doc in (id_doc, cert_doc):
        assert doc["ocrStatus"] == "PENDING"
        await _ocr(runtime, ocr, doc["id"])
    if explain:
        async with runtime.db.session() as s:
            await s.execute(
                text(
                    "UPDATE application SET form = form || "
                    """'{"identity_note": "测试用身份证样张"}'::jsonb WHERE id = :id"""
                ),
                {"id": int(from_base64(app_id)[1])},
            )
            await s.commit()
    return {"card": card, "cert": cert, "id_doc": id_doc, "cert_doc": cert_doc}


async def test_registrant_applies_and_two_reviewers_approve(
    world: World, login_as: Login, runtime: Runtime, ocr: RapidOcrEngine
) -> None:
    zhang = await login_as("zhang")
    app = await new_draft(zhang, world)
    assert app["status"] == "DRAFT" and app["reviewScope"] == "PROVINCE"
    assert app["provinceCode"] == "440000"
    assert app["missingDocuments"] == [
        "APPLICATION_FORM",
        "ID_CARD",
        "QUALIFICATION_CERTIFICATE",
        "LABOUR_CONTRACT",
    ]
    pre = (await zhang.gql(PRECHECK, {"id": app["id"]}))["applicationPrecheck"]
    assert pre["ready"] is False and "MISSING_DOCUMENTS" in [p["code"] for p in pre["problems"]]

    # when: the documents arrive and the worker reads them
    up = Uploader(zhang)
    made = await _complete_documents(up, app["id"], runtime, ocr, explain=False)
    detail = (await zhang.gql(DETAIL, {"id": app["id"]}))["node"]
    assert detail["missingDocuments"] == []
    by_kind = {d["kind"]: d for d in detail["documents"]}
    card_fields = {f["name"]: f["value"] for f in by_kind["ID_CARD"]["ocrFields"]}
    assert card_fields["id_number"] == made["card"].expected["id_number"]
    assert card_fields["name"] == made["card"].expected["name"]
    cert_fields = {f["name"]: f["value"] for f in by_kind["QUALIFICATION_CERTIFICATE"]["ocrFields"]}
    assert cert_fields["certificate_number"] == made["cert"].expected["certificate_number"]
    assert by_kind["ID_CARD"]["downloadUrl"].startswith("http")
    # the card belongs to someone else: the comparison flags it for the reviewer
    name_cmp = next(
        c for c in detail["comparisons"] if c["documentKind"] == "ID_CARD" and c["field"] == "name"
    )
    assert name_cmp["expectedValue"] == "张伟" and name_cmp["agrees"] is False

    # the registrant corrects a field; a bad ID number is refused
    bad = await zhang.gql(
        CONFIRM_FIELDS,
        {"id": made["id_doc"]["id"], "f": [{"name": "id_number", "value": "440305198506151230"}]},
    )
    assert codes(bad["documentFieldsConfirm"]) == ["INVALID_VALUE"]
    ok = await zhang.gql(
        CONFIRM_FIELDS, {"id": made["id_doc"]["id"], "f": [{"name": "name", "value": "张伟"}]}
    )
    assert ok["documentFieldsConfirm"]["document"]["confirmedFields"] == [
        {"name": "name", "value": "张伟"}
    ]

    # submitting somebody else's card is refused until it is explained
    refused = (await zhang.gql(SUBMIT, {"id": app["id"], "v": app["version"]}))["applicationSubmit"]
    assert codes(refused) == ["IDENTITY_DOCUMENT_MISMATCH"]
    note = "身份证照片识别有误，原件为本人证件"
    form = {"qualificationNumber": "2022440012345678", "identityNote": note}
    updated = await zhang.gql(
        UPDATE, {"id": app["id"], "v": app["version"], "input": {"form": form}}
    )
    assert updated["applicationUpdate"]["errors"] == []
    version = updated["applicationUpdate"]["application"]["version"]

    # submit
    sub = (await zhang.gql(SUBMIT, {"id": app["id"], "v": version}))["applicationSubmit"]
    assert sub["errors"] == [], sub
    submitted = sub["application"]
    assert {"code": "IDENTITY_DOCUMENT_MISMATCH", "result": "WARN"} in [
        {k: f[k] for k in ("code", "result")} for f in submitted["flags"]
    ]
    assert submitted["status"] == "SUBMITTED" and submitted["deadlineStatus"] == "ON_TIME"
    checks = {c["code"]: c["result"] for c in submitted["checks"]}
    assert checks == {
        "AGE": "PASS",
        "QUALIFICATION": "PASS",
        "INITIAL_WINDOW": "PASS",
        "BLACKLIST": "PASS",
    }
    jobs = await _jobs(runtime)
    assert "registration.verify_application" in jobs and "registration.ocr_document" in jobs

    # 初审: the Guangdong reviewer's queue holds it; 北京 does not see it
    gd = await login_as("gd_reviewer")
    queue = await gd.gql(QUEUE, {"stage": "PRELIMINARY"})
    assert app["id"] in [e["node"]["id"] for e in queue["reviewQueue"]["edges"]]
    assert queue["reviewQueueCounts"]["unclaimed"] >= 1
    bj = await login_as("bj_reviewer")
    bj_queue = await bj.gql(QUEUE, {"stage": "PRELIMINARY"})
    assert app["id"] not in [e["node"]["id"] for e in bj_queue["reviewQueue"]["edges"]]
    refused = await bj.gql(CLAIM, {"id": app["id"], "v": submitted["version"]})
    assert codes(refused["applicationClaim"]) == ["NOT_FOUND"]

    # masked until the case is assigned, then unmasked and audited
    before = (await gd.gql(DETAIL, {"id": app["id"]}))["node"]
    assert "*" in before["applicantIdNumber"]
    assert all(d["downloadUrl"] is None for d in before["documents"])
    claimed = (await gd.gql(CLAIM, {"id": app["id"], "v": submitted["version"]}))[
        "applicationClaim"
    ]
    assert claimed["application"]["status"] == "PRELIMINARY_REVIEW"
    assert claimed["application"]["assignedToMe"] is True
    after = (await gd.gql(DETAIL, {"id": app["id"]}))["node"]
    assert "*" not in after["applicantIdNumber"]
    audited = await _audit(runtime, "APPLICATION_ID_NUMBER_READ")
    assert audited >= 1

    # refusals need reasons, returns need items
    v = claimed["application"]["version"]
    no_reason = await gd.gql(DECIDE, {"id": app["id"], "v": v, "d": "REJECT"})
    assert codes(no_reason["applicationDecide"]) == ["REASON_REQUIRED"]
    no_items = await gd.gql(DECIDE, {"id": app["id"], "v": v, "d": "RETURN", "items": [" "]})
    assert codes(no_items["applicationDecide"]) == ["ITEMS_REQUIRED"]
    passed = (await gd.gql(DECIDE, {"id": app["id"], "v": v, "d": "PASS"}))["applicationDecide"]
    assert passed["application"]["status"] == "FINAL_REVIEW"

    # 终审
    ministry = await login_as("ministry")
    v = passed["application"]["version"]
    unclaimed = await ministry.gql(DECIDE, {"id": app["id"], "v": v, "d": "APPROVE"})
    assert codes(unclaimed["applicationDecide"]) == ["NOT_ASSIGNED"]
    taken = (await ministry.gql(CLAIM, {"id": app["id"], "v": v}))["applicationClaim"]
    approved = (
        await ministry.gql(
            DECIDE, {"id": app["id"], "v": taken["application"]["version"], "d": "APPROVE"}
        )
    )["applicationDecide"]
    assert approved["errors"] == []
    final = approved["application"]
    assert final["status"] == "APPROVED"
    reg = final["registration"]
    assert reg["status"] == "ACTIVE" and reg["specialty"] == "CHEMICAL"
    # five years, both ends counted: until the day before the fifth anniversary
    valid_from = date.fromisoformat(reg["validFrom"])
    assert date.fromisoformat(reg["validUntil"]) == registration_end(valid_from, 5)
    history = (await zhang.gql(DETAIL, {"id": app["id"]}))["node"]["history"]
    assert [h["action"] for h in history] == [
        "CREATE",
        "SUBMIT",
        "START_PRELIMINARY",
        "PASS_PRELIMINARY",
        "CLAIM_FINAL",
        "APPROVE",
    ]
    assert history[2]["actorName"] == "gd_reviewer"

    # the approval issued exactly one ACTIVE certificate, signed and logged, and queued
    # its PDF in the same transaction
    async with runtime.db.session() as s:
        cert = await the_active_certificate(s, world.pid("zhang"), runtime.settings)
    assert cert.kind == "ISSUED" and cert.employer_name == world.employers["chem"].name
    assert (cert.valid_from.isoformat(), cert.valid_until.isoformat()) == (
        reg["validFrom"],
        reg["validUntil"],
    )
    assert "certificates.render_pdf" in await _jobs(runtime)

    # one engineer, one employer: a new initial application is refused now
    again = await new_draft(zhang, world)
    await _complete_documents(Uploader(zhang), again["id"], runtime, ocr)
    second = await zhang.gql(SUBMIT, {"id": again["id"], "v": again["version"]})
    assert "ALREADY_REGISTERED" in codes(second["applicationSubmit"])


async def _jobs(runtime: Runtime) -> set[str]:
    async with runtime.db.session() as s:
        rows = (await s.exec(text("SELECT task_name FROM procrastinate_jobs"))).all()  # type: ignore[call-overload]
    return {r[0] for r in rows}


async def _audit(runtime: Runtime, action: str) -> int:
    async with runtime.db.session() as s:
        row = (
            await s.exec(  # type: ignore[call-overload]
                text("SELECT count(*) FROM audit_event WHERE action = :a").bindparams(a=action)
            )
        ).one()
    return int(row[0])


async def test_submission_lists_every_missing_document_and_stays_draft(
    world: World, login_as: Login
) -> None:
    zhang = await login_as("zhang")
    app = await new_draft(zhang, world)
    out = (await zhang.gql(SUBMIT, {"id": app["id"], "v": app["version"]}))["applicationSubmit"]
    assert out["application"] is None
    missing = [e for e in out["errors"] if e["code"] == "MISSING_DOCUMENTS"]
    assert len(missing) == 1
    for name in ("注册申请表", "身份证", "职业资格证书", "劳动合同"):
        assert name in missing[0]["message"]
    detail = (await zhang.gql(DETAIL, {"id": app["id"]}))["node"]
    assert detail["status"] == "DRAFT" and detail["version"] == app["version"]


async def test_construction_goes_to_the_ministry_of_housing_queue(
    world: World, login_as: Login, runtime: Runtime, ocr: RapidOcrEngine
) -> None:
    async with runtime.db.session() as s:
        await auth_service.create_user(
            s,
            username="mohurd_reviewer",
            password=PASSWORD,
            display_name="住建部初审员",
            roles=[Role.PROVINCIAL_REVIEWER],
            review_scope="MOHURD",
        )
        await s.commit()
    zhao = await login_as("zhao")
    app = await new_draft(zhao, world, specialty="CONSTRUCTION", employer="beijing")
    assert app["reviewScope"] == "MOHURD" and app["provinceCode"] == "110000"
    await _complete_documents(Uploader(zhao), app["id"], runtime, ocr)
    sub = (await zhao.gql(SUBMIT, {"id": app["id"], "v": app["version"]}))["applicationSubmit"]
    assert sub["errors"] == [], sub

    bj = await login_as("bj_reviewer")  # the province does not review construction
    in_bj = await bj.gql(QUEUE, {"stage": "PRELIMINARY"})
    assert app["id"] not in [e["node"]["id"] for e in in_bj["reviewQueue"]["edges"]]
    mohurd = await login_as("mohurd_reviewer")
    queue = await mohurd.gql(QUEUE, {"stage": "PRELIMINARY"})
    assert [e["node"]["id"] for e in queue["reviewQueue"]["edges"]] == [app["id"]]
    assert queue["reviewQueueCounts"] == {"total": 1, "breached": 0, "dueSoon": 0, "unclaimed": 1}
    claimed = await mohurd.gql(CLAIM, {"id": app["id"], "v": sub["application"]["version"]})
    assert claimed["applicationClaim"]["errors"] == []
    ministry = await login_as("ministry")  # the final stage is not theirs yet
    early = await ministry.gql(
        DECIDE,
        {"id": app["id"], "v": claimed["applicationClaim"]["application"]["version"], "d": "PASS"},
    )
    assert codes(early["applicationDecide"]) == ["WRONG_REVIEW_SCOPE"]


async def test_two_reviewers_cannot_both_take_the_case(
    world: World, login_as: Login, runtime: Runtime, ocr: RapidOcrEngine
) -> None:
    zhang = await login_as("zhang")
    app = await new_draft(zhang, world)
    await _complete_documents(Uploader(zhang), app["id"], runtime, ocr)
    sub = (await zhang.gql(SUBMIT, {"id": app["id"], "v": app["version"]}))["applicationSubmit"]
    v = sub["application"]["version"]
    gd = await login_as("gd_reviewer")
    first = (await gd.gql(CLAIM, {"id": app["id"], "v": v}))["applicationClaim"]
    assert first["errors"] == []
    stale = (await gd.gql(CLAIM, {"id": app["id"], "v": v}))["applicationClaim"]
    assert codes(stale) == ["STALE_VERSION"]


async def test_upload_refusals_are_typed_and_leave_nothing_behind(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    zhang = await login_as("zhang")
    app = await new_draft(zhang, world)
    up = Uploader(zhang)
    store = runtime.store
    assert store is not None

    too_big = await up.request(app["id"], "ID_CARD", b"x" * 10)
    assert too_big["errors"] == []
    huge = await zhang.gql(
        """mutation($app: ID!) { documentUploadRequest(applicationId: $app, kind: ID_CARD,
        filename: "a.jpg", size: 999999999, contentType: "image/jpeg") {
        errors { field code } } }""",
        {"app": app["id"]},
    )
    assert huge["documentUploadRequest"]["errors"] == [
        {"field": "size", "code": "DOCUMENT_TOO_LARGE"}
    ]
    exe = await up.request(app["id"], "ID_CARD", b"MZ", "x.exe", "application/x-msdownload")
    assert codes(exe) == ["DOCUMENT_UNSUPPORTED_TYPE"]

    # a text file named .jpg: refused by content, and its bytes are deleted
    fake = b"just some text, not a picture at all"
    ticket = await up.request(app["id"], "ID_CARD", fake, "photo.jpg", "image/jpeg")
    await up.put(ticket["upload"], fake, "image/jpeg")
    refused = await up.confirm(ticket["upload"])
    assert codes(refused) == ["UNSUPPORTED_TYPE"]
    assert refused["upload"]["status"] == "REFUSED"
    assert refused["upload"]["refusal"] == "UNSUPPORTED_TYPE"
    key = await _key(runtime, ticket["document"]["id"])
    with pytest.raises(ObjectNotFound):
        await store.stat(key)

    # a truncated JPEG
    jpeg = synthetic.encode(synthetic.generate(OcrKind.ID_CARD, 1).image, "JPEG", 80)
    cut = jpeg[: len(jpeg) // 2]
    ticket = await up.request(app["id"], "ID_CARD", cut, "cut.jpg", "image/jpeg")
    await up.put(ticket["upload"], cut, "image/jpeg")
    assert codes(await up.confirm(ticket["upload"])) == ["DOCUMENT_CORRUPT"]

    # a decompression bomb: tiny file, enormous dimensions
    bomb = png(12_000, 12_000)
    ticket = await up.request(app["id"], "ID_CARD", bomb, "bomb.png")
    await up.put(ticket["upload"], bomb)
    assert codes(await up.confirm(ticket["upload"])) == ["DOCUMENT_TOO_LARGE"]

    # a PDF with too many pages
    many = synthetic.pdf([synthetic.generate(OcrKind.ID_CARD, 2).image.resize((80, 50))] * 12)
    ticket = await up.request(app["id"], "ID_CARD", many, "many.pdf", "application/pdf")
    await up.put(ticket["upload"], many, "application/pdf")
    assert codes(await up.confirm(ticket["upload"])) == ["DOCUMENT_TOO_MANY_PAGES"]

    # never uploaded (and a refused slot stays refused, even after a late PUT)
    ticket = await up.request(app["id"], "LABOUR_CONTRACT", png())
    assert codes(await up.confirm(ticket["upload"])) == ["MISSING"]
    await up.put(ticket["upload"], png())
    assert codes(await up.confirm(ticket["upload"])) == ["MISSING"]
    # declared size differs
    ticket = await up.request(app["id"], "LABOUR_CONTRACT", png())
    await up.put(ticket["upload"], png(41, 30))
    assert codes(await up.confirm(ticket["upload"])) == ["SIZE_MISMATCH"]
    # confirmed twice
    ticket = await up.request(app["id"], "LABOUR_CONTRACT", png())
    await up.put(ticket["upload"], png())
    good = await up.confirm(ticket["upload"])
    assert good["errors"] == [] and good["upload"]["status"] == "CONFIRMED"
    assert good["document"]["mediaType"] == "PNG" and len(good["document"]["sha256"]) == 64
    assert good["upload"]["sha256"] == good["document"]["sha256"]
    assert codes(await up.confirm(ticket["upload"])) == ["ALREADY_CONFIRMED"]


def _pk(gid: str) -> int:
    return int(from_base64(gid)[1])


async def _key(runtime: Runtime, doc_gid: str) -> str:
    pk = _pk(doc_gid)
    async with runtime.db.session() as s:
        doc = (await s.exec(select(Document).where(col(Document.id) == pk))).one()
    return doc.object_key


async def test_unconfirmed_uploads_expire_and_leave_the_bucket(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    zhang = await login_as("zhang")
    app = await new_draft(zhang, world)
    up = Uploader(zhang)
    data = png()
    ticket = await up.request(app["id"], "LABOUR_CONTRACT", data)
    await up.put(ticket["upload"], data)
    key = uploads.staging_key(await _key(runtime, ticket["document"]["id"]))
    assert runtime.store is not None
    assert (await runtime.store.stat(key)).size == len(data)
    async with runtime.db.session() as s:
        n = await documents.expire_uploads(s, runtime.store, now=utcnow() + timedelta(hours=2))
    assert n >= 1
    with pytest.raises(ObjectNotFound):
        await runtime.store.stat(key)
    async with runtime.db.session() as s:
        slot = await s.get(Upload, _pk(ticket["upload"]["id"]))
        doc = await s.get(Document, _pk(ticket["document"]["id"]))
    assert slot is not None and slot.status == "EXPIRED"
    assert doc is not None and doc.status == "EXPIRED"
    assert codes(await up.confirm(ticket["upload"])) == ["EXPIRED"]


async def test_a_replayed_upload_url_cannot_replace_confirmed_bytes(
    world: World, login_as: Login, runtime: Runtime
) -> None:
    """Defect 6: the presigned URL outlives the confirmation. A second PUT with it used
    to replace the checked bytes (the record kept the old size and SHA-256)."""
    zhang = await login_as("zhang")
    app = await new_draft(zhang, world)
    up = Uploader(zhang)
    data = png()
    ticket = await up.request(app["id"], "LABOUR_CONTRACT", data)
    slot = ticket["upload"]
    await up.put(slot, data)
    assert codes(await up.confirm(slot)) == []
    key = await _key(runtime, ticket["document"]["id"])
    assert runtime.store is not None
    before = await runtime.store.digest(key, limit=len(data))

    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * 300_000  # the replacement of the probe
    await up.put(slot, big)

    after = await runtime.store.digest(key, limit=len(big))
    assert after == before and after.size == len(data)
    async with runtime.db.session() as s:
        doc = (await s.exec(select(Document).where(col(Document.object_key) == key))).one()
    assert doc.sha256 == before.sha256
    # What a job reads is checked against the record, whatever happens to the bucket.
    stored = await uploads.read_verified(runtime.store, key, size=doc.size or 0, sha256=doc.sha256)
    assert stored == data
    # The replayed bytes went to a staging key that nobody reads, and are swept.
    assert (await runtime.store.stat(uploads.staging_key(key))).size == len(big)
    await uploads.sweep_staging(runtime.store, older_than=utcnow() + timedelta(minutes=1))
    with pytest.raises(ObjectNotFound):
        await runtime.store.stat(uploads.staging_key(key))


async def test_personal_values_from_documents_are_encrypted_at_rest(
    world: World, login_as: Login, runtime: Runtime, ocr: RapidOcrEngine
) -> None:
    """Defect 4: the ID number and address OCR read, and what the registrant confirmed,
    were JSON in clear. They are ciphertext now; the API still shows the owner the value."""
    zhang = await login_as("zhang")
    app = await new_draft(zhang, world)
    made = await _complete_documents(Uploader(zhang), app["id"], runtime, ocr)
    card = made["card"].expected
    confirmed = make_id_number()  # the test person's own, valid number
    assert (
        codes(
            (
                await zhang.gql(
                    CONFIRM_FIELDS,
                    {"id": made["id_doc"]["id"], "f": [{"name": "id_number", "value": confirmed}]},
                )
            )["documentFieldsConfirm"]
        )
        == []
    )
    async with runtime.db.session() as s:
        raw = (
            await s.exec(
                text(
                    "SELECT coalesce(ocr_fields::text, '') || coalesce(confirmed_fields::text, '') "
                    "FROM document WHERE kind = 'ID_CARD' AND application_id = :a"
                ).bindparams(a=int(from_gid(app["id"])))
            )
        ).one()[0]
    assert card["id_number"] not in raw and confirmed not in raw
    assert card["address"][:6] not in raw
    assert card["name"] in raw  # not everything is sealed: names are clear, as in person
    detail = (await zhang.gql(SEALED_DETAIL, {"id": app["id"]}))["node"]
    doc = next(d for d in detail["documents"] if d["kind"] == "ID_CARD")
    shown = {f["name"]: f["value"] for f in doc["ocrFields"]}
    assert shown["id_number"] == card["id_number"] and shown["address"] == card["address"]
    cmp = next(
        c
        for c in detail["comparisons"]
        if c["documentKind"] == "ID_CARD" and c["field"] == "id_number"
    )
    assert cmp["ocrValue"] == card["id_number"] and cmp["confirmedValue"] == confirmed
    assert doc["confirmedFields"] == [{"name": "id_number", "value": confirmed}]


SEALED_DETAIL = """query($id: ID!) { node(id: $id) { ... on Application {
  documents { kind ocrFields { name value } confirmedFields { name value } }
  comparisons { documentKind field ocrValue confirmedValue } } } }"""


def from_gid(gid: str) -> str:
    from strawberry.relay import from_base64

    return from_base64(gid)[1]
